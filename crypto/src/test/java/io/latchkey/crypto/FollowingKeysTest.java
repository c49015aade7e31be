package io.latchkey.crypto;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.latchkey.ConfigException;
import io.latchkey.ConfigException.Problem;
import io.latchkey.ProviderException;
import io.latchkey.Secret;
import io.latchkey.crypto.aead.AesGcmKey;
import io.latchkey.crypto.aead.AesGcmKeyRing;
import io.latchkey.crypto.aead.AssociatedData;
import io.latchkey.crypto.apikey.ApiKeyVerifier;
import io.latchkey.crypto.internal.KeyFollower;
import io.latchkey.crypto.signing.SigningKeyRing;
import io.latchkey.resolver.SecretResolver;
import io.latchkey.testsupport.MutableClock;
import io.latchkey.testsupport.Serialisers;
import io.latchkey.testsupport.StderrCapture;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Rings and verifiers that follow their source through a resolver: rotations taken, retirements
 * taken, and every change that would lose data or lock clients out refused, with the keys in use
 * kept and the reason said without a key; a variable that cannot be read is named by itself.
 */
final class FollowingKeysTest {
  private static final String NAME = "APP_ENCRYPTION_KEY";
  private static final String PREVIOUS = NAME + "_PREVIOUS";

  private final MapProvider source = new MapProvider();
  private final SecretResolver resolver =
      SecretResolver.builder()
          .provider(source)
          .clock(new MutableClock())
          .executor(Runnable::run)
          .ttl(Duration.ofHours(1))
          .build();
  private final List<String> keyTexts = new ArrayList<>();

  @AfterEach
  void close() {
    resolver.close();
  }

  private String encoded(FernetKey key) {
    String text = key.encoded().reveal();
    keyTexts.add(text);
    return text;
  }

  private void assertNoKeyIn(String text) {
    for (String key : keyTexts) {
      assertThat(text).doesNotContain(key).doesNotContain(key.substring(0, 12));
    }
  }

  @Test
  void fernet_rotationThenRetirement_isFollowed_andEveryTokenStillReads() {
    FernetKey k1 = FernetKey.generate();
    FernetKey k2 = FernetKey.generate();
    source.set(NAME, encoded(k1));
    FollowingKeys<FernetKeyRing> keys = FernetKeyRing.following(resolver, NAME);
    assertThat(keys.current().primaryKeyId()).isEqualTo(k1.id());
    String written = keys.current().encrypt("stored".getBytes(UTF_8));

    source.set(NAME, encoded(k2)).set(PREVIOUS, encoded(k1));
    source.announce();
    assertThat(keys.current().keyIds()).containsExactly(k2.id(), k1.id());
    assertThat(keys.current().decrypt(written)).isEqualTo("stored".getBytes(UTF_8));
    String rotated = keys.current().rotate(written);

    source.set(PREVIOUS, "");
    source.announce();
    assertThat(keys.current().keyIds()).containsExactly(k2.id());
    assertThat(keys.current().decrypt(rotated)).isEqualTo("stored".getBytes(UTF_8));
    assertThat(keys.problems()).isEmpty();
  }

  @Test
  void fernet_aVersionTakenWhileTheFirstKeysLoad_isFollowed() {
    FernetKey k1 = FernetKey.generate();
    FernetKey k2 = FernetKey.generate();
    source.set(NAME, encoded(k1));
    AtomicInteger loads = new AtomicInteger();
    // The rotation lands once the first keys are read and before the follower is done starting:
    // the resolver takes the new version then, and announces it only to reactions registered by
    // that time.
    FollowingKeys<FernetKeyRing> keys =
        KeyFollower.ring(
            resolver,
            NAME,
            (name, env) -> {
              FernetKeyRing ring = FernetKeyRing.fromEnvironment(name, env);
              if (loads.getAndIncrement() == 0) {
                source.set(NAME, encoded(k2)).set(PREVIOUS, encoded(k1));
                source.announce();
              }
              return ring;
            },
            FernetKeyRing::keyIds,
            FernetKeyRing::holdsPrimaryOf);

    assertThat(keys.current().keyIds()).containsExactly(k2.id(), k1.id());
    assertThat(keys.problems()).isEmpty();
    assertThat(loads).hasValue(2);
    keys.close();
  }

  @Test
  void fernet_keysThatFailToLoadAtStart_leaveNoReactionBehind() {
    source.set(NAME, "CANARY-not-a-key-" + "x".repeat(27));
    assertThatThrownBy(() -> FernetKeyRing.following(resolver, NAME))
        .isInstanceOf(ConfigException.class)
        .hasMessageNotContaining("CANARY");

    // A later change reaches no half-started follower: nothing runs, nothing is logged.
    try (StderrCapture capture = StderrCapture.start()) {
      source.set(NAME, encoded(FernetKey.generate()));
      source.announce();
      assertThat(capture.text()).doesNotContain("keys changed").doesNotContain("keeping the keys");
    }
  }

  @Test
  void fernet_a33ByteKeyRotatedIn_isRefused() {
    FernetKey k1 = FernetKey.generate();
    source.set(NAME, encoded(k1));
    FollowingKeys<FernetKeyRing> keys = FernetKeyRing.following(resolver, NAME);
    byte[] bytes = Base64.getUrlDecoder().decode(encoded(FernetKey.generate()));
    String key33 = Base64.getUrlEncoder().encodeToString(Arrays.copyOf(bytes, 33));

    source.set(NAME, key33).set(PREVIOUS, encoded(k1));
    source.announce();

    assertThat(keys.current().keyIds()).containsExactly(k1.id());
    assertThat(keys.problems()).extracting(Problem::setting).containsExactly(NAME);
    assertThat(keys.problems().toString()).doesNotContain(key33).doesNotContain("33");
    keys.close();
  }

  @Test
  void fernet_aChangeThatDropsThePrimary_isRefused_loggedAndReported_untilFixed() {
    FernetKey k1 = FernetKey.generate();
    FernetKey k2 = FernetKey.generate();
    source.set(NAME, encoded(k1));
    FollowingKeys<FernetKeyRing> keys = FernetKeyRing.following(resolver, NAME);
    String written = keys.current().encrypt(new byte[] {7});

    String log;
    try (StderrCapture capture = StderrCapture.start()) {
      source.set(NAME, encoded(k2));
      source.announce();
      source.set(NAME, encoded(k2)); // a second change with the same mistake: no second warning
      source.announce();
      log = capture.text();
    }

    assertThat(keys.current().primaryKeyId()).isEqualTo(k1.id());
    assertThat(keys.current().decrypt(written)).containsExactly(7);
    assertThat(keys.problems())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.setting()).isEqualTo(NAME);
              assertThat(p.reason()).contains("drop key " + k1.id());
            });
    assertThat(log.lines().filter(l -> l.contains("WARN"))).hasSize(1);
    assertThat(log).contains(NAME).contains(k1.id());
    assertNoKeyIn(log);
    assertNoKeyIn(keys.problems().toString());
    assertNoKeyIn(keys.toString());

    source.set(PREVIOUS, encoded(k1));
    source.announce();
    assertThat(keys.current().keyIds()).containsExactly(k2.id(), k1.id());
    assertThat(keys.problems()).isEmpty();
  }

  @Test
  void fernet_aRotatedValueThatIsNotAKey_isRefusedByVariable_andRecovers() {
    FernetKey k1 = FernetKey.generate();
    source.set(NAME, encoded(k1));
    FollowingKeys<FernetKeyRing> keys = FernetKeyRing.following(resolver, NAME);
    String notAKey = "CANARY-not-a-key-" + "x".repeat(30);

    try (StderrCapture capture = StderrCapture.start()) {
      source.set(NAME, notAKey).set(PREVIOUS, encoded(k1));
      source.announce();
      assertThat(capture.text()).doesNotContain(notAKey).doesNotContain("CANARY");
    }

    assertThat(keys.current().primaryKeyId()).isEqualTo(k1.id());
    assertThat(keys.problems()).extracting(Problem::setting).containsExactly(NAME);
    assertThat(keys.problems().toString()).doesNotContain("CANARY");

    FernetKey k2 = FernetKey.generate();
    source.set(NAME, encoded(k2));
    source.announce();
    assertThat(keys.current().primaryKeyId()).isEqualTo(k2.id());
    assertThat(keys.problems()).isEmpty();
  }

  @Test
  void fernet_keyAndPreviousRotatedTogether_areReadTogether_withNoRefusalBetween() {
    FernetKey k1 = FernetKey.generate();
    FernetKey k2 = FernetKey.generate();
    FernetKey k0 = FernetKey.generate();
    source.set(NAME, encoded(k1)).set(PREVIOUS, encoded(k0));
    FollowingKeys<FernetKeyRing> keys = FernetKeyRing.following(resolver, NAME);

    try (StderrCapture capture = StderrCapture.start()) {
      // Both change in one announcement, as a Kubernetes volume swaps both files at once: read
      // alone, the new key beside the old previous list would drop k1.
      source.set(NAME, encoded(k2)).set(PREVIOUS, encoded(k1));
      source.announce();
      assertThat(capture.text()).doesNotContain("WARN");
    }
    assertThat(keys.current().keyIds()).containsExactly(k2.id(), k1.id());
  }

  @Test
  void fernet_aKeyFileInName_isReadAsTheWholeRing() {
    FernetKey k1 = FernetKey.generate();
    FernetKey k2 = FernetKey.generate();
    source.set(NAME, encoded(k1) + "\n");
    FollowingKeys<FernetKeyRing> keys = FernetKeyRing.following(resolver, NAME);

    source.set(NAME, "# current first\n" + encoded(k2) + "\n" + encoded(k1) + "\n");
    source.announce();
    assertThat(keys.current().keyIds()).containsExactly(k2.id(), k1.id());

    source.set(PREVIOUS, encoded(k1));
    source.announce();
    assertThat(keys.problems())
        .extracting(Problem::reason)
        .singleElement()
        .asString()
        .contains("holds several keys");
    assertThat(keys.current().keyIds()).containsExactly(k2.id(), k1.id());
  }

  @Test
  void fernet_cannotStart_throwsEveryProblem() {
    source.set(NAME, "not-a-key");
    assertThatThrownBy(() -> FernetKeyRing.following(resolver, NAME))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e -> assertThat(e.problems()).extracting(Problem::setting).containsExactly(NAME))
        .hasMessageNotContaining("not-a-key");
    assertThatThrownBy(() -> FernetKeyRing.following(resolver, "NOT_SET"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("NOT_SET");
  }

  @Test
  void fernet_followingKeys_areWrittenByNoSerialiser() {
    FernetKey k1 = FernetKey.generate();
    String text = encoded(k1);
    source.set(NAME, text);
    FollowingKeys<FernetKeyRing> keys = FernetKeyRing.following(resolver, NAME);
    Serialisers.assertWritesNoValue("FollowingKeys", keys, text);
    assertThat(keys.toString()).contains(k1.id()).doesNotContain(text);
  }

  @Test
  void fernet_closed_stopsFollowing() {
    FernetKey k1 = FernetKey.generate();
    source.set(NAME, encoded(k1));
    FollowingKeys<FernetKeyRing> keys = FernetKeyRing.following(resolver, NAME);
    keys.close();
    keys.close();
    source.set(NAME, encoded(FernetKey.generate())).set(PREVIOUS, encoded(k1));
    source.announce();
    assertThat(keys.current().primaryKeyId()).isEqualTo(k1.id());
  }

  @Test
  void aesGcm_rotationFollowed_andDroppingThePrimaryRefused() {
    AesGcmKey k1 = AesGcmKey.generate();
    AesGcmKey k2 = AesGcmKey.generate();
    AesGcmKey k3 = AesGcmKey.generate();
    source.set("APP_DATA_KEY", k1.encoded().reveal());
    FollowingKeys<AesGcmKeyRing> keys = AesGcmKeyRing.following(resolver, "APP_DATA_KEY");
    AssociatedData row = AssociatedData.forRow("credentials", "secret", "1");
    String written = keys.current().encrypt(new byte[] {1}, row);

    source
        .set("APP_DATA_KEY", k2.encoded().reveal())
        .set("APP_DATA_KEY_PREVIOUS", k1.encoded().reveal());
    source.announce();
    assertThat(keys.current().primaryKeyId()).isEqualTo(k2.id());
    assertThat(keys.current().decrypt(written, row)).containsExactly(1);

    source
        .set("APP_DATA_KEY", k3.encoded().reveal())
        .set("APP_DATA_KEY_PREVIOUS", k1.encoded().reveal());
    source.announce();
    assertThat(keys.current().primaryKeyId()).isEqualTo(k2.id());
    assertThat(keys.problems())
        .extracting(Problem::reason)
        .singleElement()
        .asString()
        .contains(k2.id());
  }

  @Test
  void signing_rotationKeepsOldSignaturesValid_andDroppingTheCurrentKeyIsRefused() {
    Secret k1 = SigningKeyRing.generateKey();
    Secret k2 = SigningKeyRing.generateKey();
    source.set("SESSION_KEY", k1.reveal());
    FollowingKeys<SigningKeyRing> keys = SigningKeyRing.following(resolver, "SESSION_KEY");
    byte[] payload = "session".getBytes(UTF_8);
    byte[] signature = keys.current().sign(payload);
    String firstId = keys.current().currentKeyId();

    source.set("SESSION_KEY", k2.reveal());
    source.announce();
    assertThat(keys.current().currentKeyId()).isEqualTo(firstId);
    assertThat(keys.problems()).isNotEmpty();

    source.set("SESSION_KEY_PREVIOUS", k1.reveal());
    source.announce();
    assertThat(keys.current().currentKeyId()).isNotEqualTo(firstId);
    assertThat(keys.current().verify(payload, signature)).isTrue();
    assertThat(keys.problems()).isEmpty();
  }

  @Test
  void apiKey_rotationWithOverlapFollowed_andDroppingTheCurrentHashRefused() {
    Secret oldKey = ApiKeyVerifier.generate("acme");
    Secret newKey = ApiKeyVerifier.generate("acme");
    source.set("API_KEY_SHA256", ApiKeyVerifier.hash(oldKey));
    FollowingKeys<ApiKeyVerifier> verifier = ApiKeyVerifier.following(resolver, "API_KEY");
    assertThat(verifier.current().verify(oldKey)).isEqualTo(ApiKeyVerifier.Verdict.CURRENT);

    // The hash replaced with no previous hash: every client still on the old key would be
    // rejected at once.
    source.set("API_KEY_SHA256", ApiKeyVerifier.hash(newKey));
    source.announce();
    assertThat(verifier.current().verify(oldKey)).isEqualTo(ApiKeyVerifier.Verdict.CURRENT);
    assertThat(verifier.problems()).extracting(Problem::setting).containsExactly("API_KEY");

    source
        .set("API_KEY_PREVIOUS_SHA256", ApiKeyVerifier.hash(oldKey))
        .set("API_KEY_ROTATED_AT", Instant.now().toString())
        .set("API_KEY_OVERLAP", "7d");
    source.announce();
    assertThat(verifier.current().verify(newKey)).isEqualTo(ApiKeyVerifier.Verdict.CURRENT);
    assertThat(verifier.current().verify(oldKey)).isEqualTo(ApiKeyVerifier.Verdict.PREVIOUS);
    assertThat(verifier.problems()).isEmpty();
  }

  /** A resolver over {@code flaky} that tries once: an outage is reported, not waited out. */
  private static SecretResolver tryingOnce(MapProvider flaky) {
    return SecretResolver.builder()
        .provider(flaky)
        .clock(new MutableClock())
        .executor(Runnable::run)
        .retry(1, Duration.ofMillis(1), Duration.ofMillis(1))
        .ttl(Duration.ofHours(1))
        .build();
  }

  /**
   * A half-done rotation where NAME and NAME_PREVIOUS are two secrets: NAME is rotated to k2 and
   * reads well, NAME_PREVIOUS is set to k1 but its backend is down. The follower keeps k1 as
   * primary, and the problem and the warning name NAME_PREVIOUS, the variable that failed, not
   * NAME; once NAME_PREVIOUS reads again, the rotation is taken and the problem goes.
   */
  @Test
  void fernet_aHalfDoneRotation_namesTheVariableThatFailed_notThePrimaryName() {
    MapProvider flaky = new MapProvider();
    try (SecretResolver flakyResolver = tryingOnce(flaky)) {
      FernetKey k1 = FernetKey.generate();
      FernetKey k2 = FernetKey.generate();
      flaky.set(NAME, encoded(k1));
      FollowingKeys<FernetKeyRing> keys = FernetKeyRing.following(flakyResolver, NAME);
      assertThat(keys.current().primaryKeyId()).isEqualTo(k1.id());

      String log;
      try (StderrCapture capture = StderrCapture.start()) {
        flaky.down(PREVIOUS, true);
        flaky.set(NAME, encoded(k2)).set(PREVIOUS, encoded(k1));
        flaky.announce();
        log = capture.text();
      }

      assertThat(keys.current().primaryKeyId()).isEqualTo(k1.id());
      assertThat(keys.problems())
          .as("problems while only %s cannot be read: %s", PREVIOUS, keys.problems())
          .containsExactly(new Problem(PREVIOUS, "could not be read: unavailable"));
      assertThat(log.lines().filter(l -> l.contains("WARN")))
          .singleElement()
          .asString()
          .contains(PREVIOUS + ": could not be read: unavailable")
          .doesNotContain(NAME + ": could not be read");
      assertNoKeyIn(log);
      assertThat(log).doesNotContain("backend down");

      flaky.down(PREVIOUS, false);
      flaky.set(PREVIOUS, encoded(k1));
      flaky.announce();
      assertThat(keys.current().keyIds()).containsExactly(k2.id(), k1.id());
      assertThat(keys.problems()).isEmpty();
      keys.close();
    }
  }

  /**
   * At start, a variable that cannot be read is thrown as the resolver's own failure, naming it.
   */
  @Test
  void fernet_aVariableUnreadableAtStart_throwsTheResolversFailure() {
    MapProvider flaky = new MapProvider();
    try (SecretResolver flakyResolver = tryingOnce(flaky)) {
      flaky.set(NAME, encoded(FernetKey.generate())).set(PREVIOUS, encoded(FernetKey.generate()));
      flaky.down(PREVIOUS, true);
      assertThatThrownBy(() -> FernetKeyRing.following(flakyResolver, NAME))
          .isInstanceOf(ProviderException.class)
          .hasMessageContaining(PREVIOUS);
    }
  }
}
