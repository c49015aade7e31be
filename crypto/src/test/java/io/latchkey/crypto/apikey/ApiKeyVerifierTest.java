package io.latchkey.crypto.apikey;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.latchkey.ConfigException;
import io.latchkey.ConfigException.Problem;
import io.latchkey.Secret;
import io.latchkey.crypto.apikey.ApiKeyVerifier.Verdict;
import io.latchkey.testsupport.MutableClock;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

final class ApiKeyVerifierTest {
  private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");

  /** The resolution of the hand-moved clock: the smallest step past a boundary. */
  private static final Duration TICK = Duration.ofMillis(1);

  private static final String NAME = "API_KEY";
  private static final String CURRENT_VAR = "API_KEY_SHA256";
  private static final String PREVIOUS_VAR = "API_KEY_PREVIOUS_SHA256";
  private static final String ROTATED_AT_VAR = "API_KEY_ROTATED_AT";
  private static final String OVERLAP_VAR = "API_KEY_OVERLAP";

  /** An API key that must never show up in any message or string. */
  private static final String CANARY = "acme_CANARY-7f3a9c-0123456789abcdefghijklmnopqrstu";

  private final Secret newKey = ApiKeyVerifier.generate("acme");
  private final Secret oldKey = ApiKeyVerifier.generate("acme");
  private final Secret otherKey = ApiKeyVerifier.generate("acme");
  private final String newHash = ApiKeyVerifier.hash(newKey);
  private final String oldHash = ApiKeyVerifier.hash(oldKey);

  /** Starts at T0, and moves only when a test moves it. */
  private final MutableClock clock = new MutableClock();

  private static String sha256Hex(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  private static List<Problem> problems(Runnable r) {
    try {
      r.run();
    } catch (ConfigException e) {
      return e.problems();
    }
    throw new AssertionError("no ConfigException");
  }

  /** Moves the clock to an instant, backwards too (another host's clock may lag this one's). */
  private void moveClockTo(Instant instant) {
    clock.advance(Duration.between(clock.instant(), instant));
  }

  private ApiKeyVerifier rotated(Duration overlap) {
    return ApiKeyVerifier.builder()
        .current(newHash)
        .previous(oldHash, T0)
        .overlap(overlap)
        .clock(clock)
        .build();
  }

  private ApiKeyVerifier load(Map<String, String> env) {
    return ApiKeyVerifier.fromEnvironment(NAME, env, clock);
  }

  // ---- hashes and generated keys -------------------------------------------------------------

  @Test
  void hash_isSha256OfTheUtf8Bytes_withPrefix() throws Exception {
    for (String key :
        List.of(
            "acme_0123456789abcdefghijklmnopqrstuv",
            "clé-ключ-🔑-clé-ключ-🔑",
            "x".repeat(10_000),
            CANARY)) {
      String hash = ApiKeyVerifier.hash(Secret.of(key));
      assertThat(hash)
          .isEqualTo("sha256:" + sha256Hex(key.getBytes(UTF_8)))
          .hasSize(71)
          .matches("sha256:[0-9a-f]{64}");
    }
    // FIPS 180-2 appendix B.2 (56 characters): what `printf %s "$KEY" | sha256sum` prints.
    assertThat(
            ApiKeyVerifier.hash(
                Secret.of("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")))
        .isEqualTo("sha256:248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    // Hashing reads the key without consuming it.
    Secret key = Secret.of("acme_still-here-0123456789abcdef");
    ApiKeyVerifier.hash(key);
    assertThat(key.reveal()).isEqualTo("acme_still-here-0123456789abcdef");
  }

  @Test
  void hash_keyShorterThanTheMinimum_throwsWithoutEchoingIt() {
    // An unsalted hash of a short key is reversed by trying every key of its length.
    String shortKey = "CANARY-" + "k".repeat(ApiKeyVerifier.MIN_KEY_BYTES - 8);
    for (String key : List.of("a", "abc", "acme_0123456789", shortKey, "ключ-ключ-ключ")) {
      assertThatThrownBy(() -> ApiKeyVerifier.hash(Secret.of(key)))
          .as("a key of %d UTF-8 bytes", key.getBytes(UTF_8).length)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("too short");
    }
    for (String key : List.of("acme_0123456789", shortKey, "ключ-ключ-ключ")) {
      assertThatThrownBy(() -> ApiKeyVerifier.hash(Secret.of(key)))
          .hasMessageContaining("at least " + ApiKeyVerifier.MIN_KEY_BYTES + " characters")
          .hasMessageNotContaining(key)
          .hasMessageNotContaining("CANARY");
    }
    // Nor its length: the 31-character canary is not "31" anywhere in the message.
    assertThatThrownBy(() -> ApiKeyVerifier.hash(Secret.of(shortKey)))
        .hasMessageNotContaining(String.valueOf(shortKey.length()));
  }

  @Test
  void hash_keyOfTheMinimumLength_isHashed_andGeneratedKeysAreLonger() {
    assertThat(ApiKeyVerifier.MIN_KEY_BYTES).isEqualTo(32);
    // A 128-bit key in hex, and 16 two-byte characters: 32 bytes each.
    assertThat(ApiKeyVerifier.hash(Secret.of("0123456789abcdef0123456789abcdef"))).hasSize(71);
    assertThat(ApiKeyVerifier.hash(Secret.of("ключ".repeat(4)))).hasSize(71);
    assertThat(ApiKeyVerifier.generate("ab").reveal().length())
        .isGreaterThan(ApiKeyVerifier.MIN_KEY_BYTES);
  }

  @Test
  void hash_emptyOrWipedKey_throws() {
    assertThatThrownBy(() -> ApiKeyVerifier.hash(Secret.of("")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("api key must not be empty");
    Secret wiped = Secret.of(CANARY);
    wiped.wipe();
    assertThatThrownBy(() -> ApiKeyVerifier.hash(wiped))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageNotContaining("CANARY");
    assertThatThrownBy(() -> ApiKeyVerifier.hash(null)).hasMessage("apiKey");
  }

  @Test
  void generate_givesPrefixUnderscoreAnd43RandomCharacters_distinctEachCall() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 200; i++) {
      Secret key = ApiKeyVerifier.generate("acme");
      String text = key.reveal();
      assertThat(text).hasSize(48).matches("acme_[A-Za-z0-9_-]{43}");
      assertThat(Base64.getUrlDecoder().decode(text.substring(5))).hasSize(32);
      assertThat(key.toString()).doesNotContain(text.substring(5));
      assertThat(seen.add(text)).as("a repeated key").isTrue();
    }
    assertThat(ApiKeyVerifier.generate("ab").reveal()).matches("ab_[A-Za-z0-9_-]{43}");
    assertThat(ApiKeyVerifier.generate("p0123456789abcde").reveal())
        .matches("p0123456789abcde_[A-Za-z0-9_-]{43}");
  }

  @Test
  void generate_usesTheInjectedRandomSource() {
    byte[] fixed = new byte[32];
    for (int i = 0; i < fixed.length; i++) {
      fixed[i] = (byte) (0x80 + 3 * i);
    }
    SecureRandom replay =
        new SecureRandom() {
          private static final long serialVersionUID = 1L;

          @Override
          public void nextBytes(byte[] bytes) {
            System.arraycopy(fixed, 0, bytes, 0, bytes.length);
          }
        };
    assertThat(ApiKeyVerifier.generate("svc1", replay).reveal())
        .isEqualTo("svc1_" + Base64.getUrlEncoder().withoutPadding().encodeToString(fixed));
  }

  @Test
  void generate_badPrefix_isRejected() {
    for (String prefix :
        List.of(
            "",
            "a",
            "A",
            "Acme",
            "ACME",
            "1abc",
            "_acme",
            "ac-me",
            "ac_me",
            "ac me",
            " acme",
            "acme ",
            "acmé",
            "p0123456789abcdef",
            "acme\n")) {
      assertThatThrownBy(() -> ApiKeyVerifier.generate(prefix))
          .as("prefix '%s'", prefix)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("prefix must be 2 to 16 characters");
    }
    assertThatThrownBy(() -> ApiKeyVerifier.generate(null)).hasMessage("prefix");
    assertThatThrownBy(() -> ApiKeyVerifier.generate("acme", null)).hasMessage("random");
  }

  // ---- verdicts ------------------------------------------------------------------------------

  @Test
  void verify_currentPreviousAndOther() {
    ApiKeyVerifier verifier = rotated(Duration.ofHours(24));
    assertThat(verifier.verify(newKey)).isEqualTo(Verdict.CURRENT);
    assertThat(verifier.verify(oldKey)).isEqualTo(Verdict.PREVIOUS);
    assertThat(verifier.verify(otherKey)).isEqualTo(Verdict.REJECTED);
    assertThat(verifier.verify(Secret.of(newKey.reveal() + "x"))).isEqualTo(Verdict.REJECTED);
    assertThat(verifier.verify(Secret.of(newKey.reveal().substring(1))))
        .isEqualTo(Verdict.REJECTED);
    // The hash itself is not the key.
    assertThat(verifier.verify(Secret.of(newHash))).isEqualTo(Verdict.REJECTED);

    assertThat(Verdict.CURRENT.isAccepted()).isTrue();
    assertThat(Verdict.PREVIOUS.isAccepted()).isTrue();
    assertThat(Verdict.REJECTED.isAccepted()).isFalse();
  }

  @Test
  void verify_withoutPreviousKey_acceptsOnlyTheCurrent() {
    ApiKeyVerifier verifier = ApiKeyVerifier.of(newHash);
    assertThat(verifier.verify(newKey)).isEqualTo(Verdict.CURRENT);
    assertThat(verifier.verify(oldKey)).isEqualTo(Verdict.REJECTED);
    assertThat(verifier.isPreviousAccepted()).isFalse();
    assertThat(verifier.previousExpiresAt()).isEmpty();
  }

  @Test
  void verify_emptyKey_isRejected_andAWipedKeyThrows() {
    ApiKeyVerifier verifier = rotated(Duration.ofHours(24));
    assertThat(verifier.verify(Secret.of(""))).isEqualTo(Verdict.REJECTED);
    Secret wiped = Secret.of(newKey.reveal());
    wiped.wipe();
    assertThatThrownBy(() -> verifier.verify(wiped))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("secret has been wiped");
    assertThatThrownBy(() -> verifier.verify(null)).hasMessage("presented");
  }

  @Test
  void previousKey_isRejectedByItselfWhenTheOverlapEnds() {
    ApiKeyVerifier verifier = rotated(Duration.ofHours(24));
    Instant end = T0.plus(Duration.ofHours(24));
    assertThat(verifier.previousExpiresAt()).contains(end);

    for (Instant inside : List.of(T0, T0.plusSeconds(3600), end.minus(TICK))) {
      moveClockTo(inside);
      assertThat(verifier.verify(oldKey)).as("at %s", inside).isEqualTo(Verdict.PREVIOUS);
      assertThat(verifier.isPreviousAccepted()).isTrue();
    }
    // The same instance, no reload: the window closes at rotatedAt + overlap exactly.
    for (Instant after : List.of(end, end.plus(TICK), end.plus(Duration.ofDays(400)))) {
      moveClockTo(after);
      assertThat(verifier.verify(oldKey)).as("at %s", after).isEqualTo(Verdict.REJECTED);
      assertThat(verifier.isPreviousAccepted()).isFalse();
      assertThat(verifier.verify(newKey)).isEqualTo(Verdict.CURRENT);
    }
  }

  @Test
  void previousKey_isAcceptedJustBeforeTheRotationWithinClockSkew() {
    // Built by a host whose clock is at T0; another host's clock may lag a little.
    ApiKeyVerifier verifier = rotated(Duration.ofHours(2));
    Instant earliest = T0.minus(ApiKeyVerifier.MAX_CLOCK_SKEW);
    moveClockTo(earliest);
    assertThat(verifier.verify(oldKey)).isEqualTo(Verdict.PREVIOUS);
    moveClockTo(T0.minusSeconds(1));
    assertThat(verifier.verify(oldKey)).isEqualTo(Verdict.PREVIOUS);
    moveClockTo(earliest.minus(TICK));
    assertThat(verifier.verify(oldKey)).isEqualTo(Verdict.REJECTED);
    assertThat(verifier.isPreviousAccepted()).isFalse();
    moveClockTo(T0.minus(Duration.ofDays(1)));
    assertThat(verifier.verify(oldKey)).isEqualTo(Verdict.REJECTED);
    assertThat(verifier.verify(newKey)).isEqualTo(Verdict.CURRENT);
  }

  @Test
  void rotatedAt_tooFarInTheFuture_isRejected() {
    Instant latest = T0.plus(ApiKeyVerifier.MAX_CLOCK_SKEW);
    ApiKeyVerifier ok =
        ApiKeyVerifier.builder().current(newHash).previous(oldHash, latest).clock(clock).build();
    assertThat(ok.verify(oldKey)).isEqualTo(Verdict.PREVIOUS);
    assertThat(ok.previousExpiresAt()).contains(latest.plus(ApiKeyVerifier.DEFAULT_OVERLAP));

    assertThatThrownBy(
            () ->
                ApiKeyVerifier.builder()
                    .current(newHash)
                    .previous(oldHash, latest.plusSeconds(1))
                    .clock(clock)
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("rotatedAt is 2026-11-23T10:05:01Z, more than PT5M after");
    // A mistyped year is caught at start-up, not honoured for a year.
    assertThat(
            problems(
                () ->
                    load(
                        Map.of(
                            CURRENT_VAR, newHash,
                            PREVIOUS_VAR, oldHash,
                            ROTATED_AT_VAR, "2027-11-23T10:00:00Z"))))
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.setting()).isEqualTo(ROTATED_AT_VAR);
              assertThat(p.reason()).contains("more than PT5M after the current time");
            });
  }

  // ---- overlap bounds and the builder --------------------------------------------------------

  @Test
  void overlap_defaultBounds_areInclusive() {
    assertThat(rotated(ApiKeyVerifier.DEFAULT_MIN_OVERLAP).previousExpiresAt())
        .contains(T0.plus(Duration.ofHours(1)));
    assertThat(rotated(ApiKeyVerifier.DEFAULT_MAX_OVERLAP).previousExpiresAt())
        .contains(T0.plus(Duration.ofDays(30)));
    assertThatThrownBy(() -> rotated(Duration.ofMinutes(59)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("overlap is PT59M, shorter than the minimum overlap PT1H");
    assertThatThrownBy(() -> rotated(Duration.ofDays(30).plusSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("overlap is PT720H1S, longer than the maximum overlap PT720H");
  }

  @Test
  void overlap_zeroOrNegative_isRejectedBySetter() {
    for (Duration bad : List.of(Duration.ZERO, Duration.ofHours(-1), Duration.ofNanos(-1))) {
      assertThatThrownBy(() -> ApiKeyVerifier.builder().overlap(bad))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("overlap must be positive");
      assertThatThrownBy(() -> ApiKeyVerifier.builder().minOverlap(bad))
          .hasMessage("minOverlap must be positive");
      assertThatThrownBy(() -> ApiKeyVerifier.builder().maxOverlap(bad))
          .hasMessage("maxOverlap must be positive");
    }
    assertThatThrownBy(() -> ApiKeyVerifier.builder().overlap(null)).hasMessage("overlap");
    assertThatThrownBy(() -> ApiKeyVerifier.builder().clock(null)).hasMessage("clock");
  }

  @Test
  void overlap_customBounds() {
    ApiKeyVerifier shortWindow =
        ApiKeyVerifier.builder()
            .current(newHash)
            .previous(oldHash, T0)
            .minOverlap(Duration.ofMinutes(5))
            .maxOverlap(Duration.ofHours(2))
            .overlap(Duration.ofMinutes(10))
            .clock(clock)
            .build();
    assertThat(shortWindow.previousExpiresAt()).contains(T0.plus(Duration.ofMinutes(10)));
    moveClockTo(T0.plus(Duration.ofMinutes(9)));
    assertThat(shortWindow.verify(oldKey)).isEqualTo(Verdict.PREVIOUS);
    moveClockTo(T0.plus(Duration.ofMinutes(10)));
    assertThat(shortWindow.verify(oldKey)).isEqualTo(Verdict.REJECTED);
    moveClockTo(T0);

    ApiKeyVerifier.Builder strict =
        ApiKeyVerifier.builder()
            .current(newHash)
            .minOverlap(Duration.ofHours(4))
            .maxOverlap(Duration.ofHours(12))
            .clock(clock);
    // Without a previous key the default overlap is not checked against the bounds...
    assertThat(strict.build().verify(newKey)).isEqualTo(Verdict.CURRENT);
    // ...with one, it is, and the message says it was the default.
    strict.previous(oldHash, T0);
    assertThatThrownBy(strict::build)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("overlap (by default) is PT24H, longer than the maximum overlap PT12H");
    assertThatThrownBy(() -> strict.overlap(Duration.ofHours(3)).build())
        .hasMessage("overlap is PT3H, shorter than the minimum overlap PT4H");
    assertThat(strict.overlap(Duration.ofHours(4)).build().previousExpiresAt())
        .contains(T0.plus(Duration.ofHours(4)));

    // A longer maximum than the default is allowed when a policy says so.
    assertThat(
            ApiKeyVerifier.builder()
                .current(newHash)
                .previous(oldHash, T0)
                .maxOverlap(Duration.ofDays(90))
                .overlap(Duration.ofDays(60))
                .clock(clock)
                .build()
                .previousExpiresAt())
        .contains(T0.plus(Duration.ofDays(60)));
  }

  @Test
  void overlap_minAboveMax_isRejected() {
    assertThatThrownBy(
            () ->
                ApiKeyVerifier.builder()
                    .current(newHash)
                    .minOverlap(Duration.ofHours(3))
                    .maxOverlap(Duration.ofHours(2))
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("minOverlap PT3H exceeds maxOverlap PT2H");
    // Equal bounds leave exactly one permitted overlap.
    assertThat(
            ApiKeyVerifier.builder()
                .current(newHash)
                .previous(oldHash, T0)
                .minOverlap(Duration.ofHours(2))
                .maxOverlap(Duration.ofHours(2))
                .overlap(Duration.ofHours(2))
                .clock(clock)
                .build()
                .previousExpiresAt())
        .contains(T0.plus(Duration.ofHours(2)));
  }

  @Test
  void builder_severalProblems_areListedInOneException() {
    assertThatThrownBy(
            () ->
                ApiKeyVerifier.builder()
                    .current(newHash)
                    .previous(newHash, T0.plus(Duration.ofDays(1)))
                    .overlap(Duration.ofMinutes(5))
                    .clock(clock)
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "3 problems:\n"
                + "  - previous is the same hash as current; set current to the new key's hash\n"
                + "  - overlap is PT5M, shorter than the minimum overlap PT1H\n"
                + "  - rotatedAt is 2026-11-24T10:00:00Z, more than PT5M after the current time"
                + " 2026-11-23T10:00:00Z; expected the time of the rotation");
  }

  @Test
  void builder_previousHashEqualToCurrent_isRejected() {
    assertThatThrownBy(
            () ->
                ApiKeyVerifier.builder()
                    .current(newHash)
                    .previous(newHash, T0)
                    .clock(clock)
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("previous is the same hash as current; set current to the new key's hash");
    // Upper-case hex is the same hash.
    assertThatThrownBy(
            () ->
                ApiKeyVerifier.builder()
                    .current(newHash)
                    .previous("sha256:" + newHash.substring(7).toUpperCase(Locale.ROOT), T0)
                    .clock(clock)
                    .build())
        .hasMessageStartingWith("previous is the same hash as current");
  }

  @Test
  void builder_missingOrMalformedHash_isRejectedWithoutTheValue() {
    assertThatThrownBy(() -> ApiKeyVerifier.builder().build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("a current hash is required");
    assertThatThrownBy(() -> ApiKeyVerifier.builder().previous(oldHash, T0).build())
        .isInstanceOf(IllegalStateException.class);
    for (String bad : List.of(CANARY, "", newHash.substring(7), newHash + "0", "x" + newHash)) {
      assertThatThrownBy(() -> ApiKeyVerifier.builder().current(bad))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("current is not a SHA-256 hash;")
          .hasMessageNotContaining("CANARY");
      assertThatThrownBy(() -> ApiKeyVerifier.builder().previous(bad, T0))
          .hasMessageStartingWith("previous is not a SHA-256 hash;");
      assertThatThrownBy(() -> ApiKeyVerifier.of(bad)).isInstanceOf(IllegalArgumentException.class);
    }
    assertThatThrownBy(() -> ApiKeyVerifier.builder().current(null)).hasMessage("current");
    assertThatThrownBy(() -> ApiKeyVerifier.builder().previous(oldHash, null))
        .hasMessage("rotatedAt");
  }

  // ---- loading from the environment ----------------------------------------------------------

  @Test
  void fromEnvironment_everyVariable() {
    ApiKeyVerifier verifier =
        load(
            Map.of(
                CURRENT_VAR,
                " " + newHash + "\n",
                PREVIOUS_VAR,
                oldHash,
                ROTATED_AT_VAR,
                " 2026-11-23T09:00:00Z ",
                OVERLAP_VAR,
                "7d"));
    assertThat(verifier.verify(newKey)).isEqualTo(Verdict.CURRENT);
    assertThat(verifier.verify(oldKey)).isEqualTo(Verdict.PREVIOUS);
    assertThat(verifier.verify(otherKey)).isEqualTo(Verdict.REJECTED);
    assertThat(verifier.previousExpiresAt()).contains(Instant.parse("2026-11-30T09:00:00Z"));
    moveClockTo(Instant.parse("2026-11-30T09:00:00Z"));
    assertThat(verifier.verify(oldKey)).isEqualTo(Verdict.REJECTED);
  }

  @Test
  void fromEnvironment_currentOnly_andLeftoverRotationVariablesAreIgnored() {
    ApiKeyVerifier only = load(Map.of(CURRENT_VAR, newHash));
    assertThat(only.verify(newKey)).isEqualTo(Verdict.CURRENT);
    assertThat(only.verify(oldKey)).isEqualTo(Verdict.REJECTED);
    assertThat(only.previousExpiresAt()).isEmpty();

    // After a rotation the previous hash is removed; the other two may stay.
    ApiKeyVerifier after =
        load(
            Map.of(
                CURRENT_VAR, newHash,
                PREVIOUS_VAR, "  ",
                ROTATED_AT_VAR, "2026-11-01T00:00:00Z",
                OVERLAP_VAR, "24h"));
    assertThat(after.verify(oldKey)).isEqualTo(Verdict.REJECTED);
    assertThat(after.previousExpiresAt()).isEmpty();
    assertThat(after.toString()).doesNotContain("previous");
  }

  @Test
  void fromEnvironment_defaultOverlapIs24Hours() {
    ApiKeyVerifier verifier =
        load(Map.of(CURRENT_VAR, newHash, PREVIOUS_VAR, oldHash, ROTATED_AT_VAR, T0.toString()));
    assertThat(verifier.previousExpiresAt()).contains(T0.plus(Duration.ofHours(24)));
  }

  @Test
  void fromEnvironment_overlapForms() {
    Map<String, Duration> forms =
        Map.of(
            "90m", Duration.ofMinutes(90),
            "24h", Duration.ofHours(24),
            "7d", Duration.ofDays(7),
            "PT36H", Duration.ofHours(36),
            "P7D", Duration.ofDays(7),
            "30d", Duration.ofDays(30),
            // Core's duration syntax, as every duration setting reads it:
            "1h30m", Duration.ofMinutes(90),
            "86400s", Duration.ofDays(1),
            "P1DT12H", Duration.ofHours(36),
            " 24H ", Duration.ofHours(24));
    forms.forEach(
        (text, expected) ->
            assertThat(
                    load(Map.of(
                            CURRENT_VAR, newHash,
                            PREVIOUS_VAR, oldHash,
                            ROTATED_AT_VAR, T0.toString(),
                            OVERLAP_VAR, text))
                        .previousExpiresAt())
                .as(text)
                .contains(T0.plus(expected)));
    Map<String, String> outOfBounds =
        Map.of(
            "30m", "is PT30M, shorter than the minimum overlap PT1H",
            "31d", "is PT744H, longer than the maximum overlap PT720H",
            "0m", "must be positive",
            "PT-2H", "is negative; expected a duration such as 500ms, 30s, 5m, 2h, 1d",
            "1w", "has an unknown unit (use ms, s, m, h or d); expected a duration",
            "24", "has no unit; expected a duration",
            "1.5h", "is not a duration; expected a duration");
    outOfBounds.forEach(
        (text, reason) ->
            assertThat(
                    problems(
                        () ->
                            load(
                                Map.of(
                                    CURRENT_VAR, newHash,
                                    PREVIOUS_VAR, oldHash,
                                    ROTATED_AT_VAR, T0.toString(),
                                    OVERLAP_VAR, text))))
                .as(text)
                .singleElement()
                .satisfies(
                    p -> {
                      assertThat(p.setting()).isEqualTo(OVERLAP_VAR);
                      assertThat(p.reason()).startsWith(reason);
                    }));
  }

  @Test
  void fromEnvironment_everyMalformedValueAtOnce_byNameOnly() {
    ConfigException e =
        (ConfigException)
            catchThrowable(
                () ->
                    load(
                        Map.of(
                            CURRENT_VAR, CANARY,
                            PREVIOUS_VAR, "sha256:CANARY-7f3a9c",
                            ROTATED_AT_VAR, "CANARY-7f3a9c yesterday",
                            OVERLAP_VAR, "CANARY-7f3a9c")));
    assertThat(e.problems())
        .extracting(Problem::setting)
        .containsExactly(CURRENT_VAR, PREVIOUS_VAR, ROTATED_AT_VAR, OVERLAP_VAR);
    assertThat(e.problems())
        .extracting(Problem::reason)
        .satisfiesExactly(
            r -> assertThat(r).startsWith("is not a SHA-256 hash;").contains("never the key"),
            r -> assertThat(r).startsWith("is not a SHA-256 hash;"),
            r -> assertThat(r).startsWith("is not an ISO-8601 instant;"),
            r -> assertThat(r).startsWith("is not a duration;"));
    assertThat(e.getMessage())
        .contains("4 problems")
        .doesNotContain("CANARY")
        .doesNotContain("7f3a9c");
  }

  @Test
  void fromEnvironment_everyMissingOrInconsistentValueAtOnce() {
    // No current hash, a previous one without its rotation time, an overlap past the maximum.
    assertThat(problems(() -> load(Map.of(PREVIOUS_VAR, oldHash, OVERLAP_VAR, "60d"))))
        .satisfiesExactly(
            p -> {
              assertThat(p.setting()).isEqualTo(CURRENT_VAR);
              assertThat(p.reason()).startsWith("is not set;");
            },
            p -> {
              assertThat(p.setting()).isEqualTo(ROTATED_AT_VAR);
              assertThat(p.reason()).startsWith("is not set; " + PREVIOUS_VAR + " needs");
            },
            p -> {
              assertThat(p.setting()).isEqualTo(OVERLAP_VAR);
              assertThat(p.reason()).contains("longer than the maximum overlap");
            });
    // The previous hash equal to the current, a rotation in the future, a negative overlap.
    ConfigException e =
        (ConfigException)
            catchThrowable(
                () ->
                    load(
                        Map.of(
                            CURRENT_VAR,
                            newHash,
                            PREVIOUS_VAR,
                            newHash,
                            ROTATED_AT_VAR,
                            "2026-11-23T11:00:00Z",
                            OVERLAP_VAR,
                            "-PT1H")));
    assertThat(e.problems())
        .satisfiesExactly(
            p -> {
              assertThat(p.setting()).isEqualTo(PREVIOUS_VAR);
              assertThat(p.reason()).startsWith("is the same hash as " + CURRENT_VAR);
            },
            p -> {
              assertThat(p.setting()).isEqualTo(ROTATED_AT_VAR);
              assertThat(p.reason()).contains("more than PT5M after the current time");
            },
            p -> {
              assertThat(p.setting()).isEqualTo(OVERLAP_VAR);
              assertThat(p.reason()).startsWith("is negative;");
            });
    assertThat(e.getMessage()).contains("3 problems").doesNotContain(newHash);
    // Blank is the same as unset.
    assertThat(problems(() -> load(Map.of(CURRENT_VAR, " \t"))))
        .singleElement()
        .satisfies(p -> assertThat(p.reason()).startsWith("is not set;"));
  }

  @Test
  void fromEnvironment_valuesThatDoNotParse_andValuesOutOfRange_areReportedTogether() {
    // The overlap fails as the schema reads it, the hashes and the rotation time as the builder
    // checks them: one exception all the same, in the order of the variables.
    assertThat(
            problems(
                () ->
                    load(
                        Map.of(
                            PREVIOUS_VAR, "sha256:CANARY-7f3a9c",
                            ROTATED_AT_VAR, "2099-01-01T00:00:00Z",
                            OVERLAP_VAR, "1w"))))
        .satisfiesExactly(
            p -> {
              assertThat(p.setting()).isEqualTo(CURRENT_VAR);
              assertThat(p.reason()).startsWith("is not set;");
            },
            p -> {
              assertThat(p.setting()).isEqualTo(PREVIOUS_VAR);
              assertThat(p.reason()).startsWith("is not a SHA-256 hash;");
            },
            p -> {
              assertThat(p.setting()).isEqualTo(ROTATED_AT_VAR);
              assertThat(p.reason()).startsWith("is 2099-01-01T00:00:00Z, more than PT5M after");
            },
            p -> {
              assertThat(p.setting()).isEqualTo(OVERLAP_VAR);
              assertThat(p.reason()).startsWith("has an unknown unit");
            });
    // A rotation time left in place without a previous hash is checked all the same.
    assertThat(problems(() -> load(Map.of(CURRENT_VAR, newHash, ROTATED_AT_VAR, "2099-01-01Z"))))
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.setting()).isEqualTo(ROTATED_AT_VAR);
              assertThat(p.reason()).startsWith("is not an ISO-8601 instant;");
            });
    assertThat(
            problems(
                () -> load(Map.of(CURRENT_VAR, newHash, ROTATED_AT_VAR, "2099-01-01T00:00:00Z"))))
        .singleElement()
        .satisfies(p -> assertThat(p.setting()).isEqualTo(ROTATED_AT_VAR));
  }

  @Test
  void fromEnvironment_valuesThatAreNotHashes_areReportedByNameOnly() {
    String pastedKey = ApiKeyVerifier.generate("acme").reveal();
    String hex = newHash.substring(7);
    List<String> notHashes =
        List.of(
            pastedKey,
            CANARY,
            hex,
            "sha256:" + hex.substring(1),
            "sha256:" + hex + "0",
            "SHA256:" + hex,
            "sha256:" + hex.substring(1) + "g",
            "sha256: " + hex,
            "sha1:" + hex.substring(0, 40),
            "md5:" + hex.substring(0, 32));
    for (String value : notHashes) {
      List<Problem> found = problems(() -> load(Map.of(CURRENT_VAR, value)));
      assertThat(found)
          .as("value #%d", notHashes.indexOf(value))
          .singleElement()
          .satisfies(p -> assertThat(p.setting()).isEqualTo(CURRENT_VAR));
      String text = found.toString();
      assertThat(text).doesNotContain(value).doesNotContain("CANARY");
      if (value.length() > 20) {
        assertThat(text).doesNotContain(value.substring(value.length() - 20));
      }
    }
    // Upper-case hex digits are the same hash.
    ApiKeyVerifier upper = load(Map.of(CURRENT_VAR, "sha256:" + hex.toUpperCase(Locale.ROOT)));
    assertThat(upper.verify(newKey)).isEqualTo(Verdict.CURRENT);
  }

  @Test
  void fromEnvironment_nullArguments_areRejectedByName() {
    assertThatThrownBy(() -> ApiKeyVerifier.fromEnvironment(null, Map.of(), clock))
        .hasMessage("name");
    assertThatThrownBy(() -> ApiKeyVerifier.fromEnvironment(NAME, null, clock)).hasMessage("env");
    assertThatThrownBy(() -> ApiKeyVerifier.fromEnvironment(NAME, Map.of(), null))
        .hasMessage("clock");
  }

  // ---- what it prints ------------------------------------------------------------------------

  @Test
  void toString_showsOnlyShortHashPrefixes() {
    Secret canaryKey = Secret.of(CANARY);
    String canaryHash = ApiKeyVerifier.hash(canaryKey);
    ApiKeyVerifier verifier =
        ApiKeyVerifier.builder()
            .current(canaryHash)
            .previous(oldHash, T0)
            .overlap(Duration.ofHours(6))
            .clock(clock)
            .build();
    assertThat(verifier.toString())
        .isEqualTo(
            "ApiKeyVerifier[current="
                + canaryHash.substring(0, 15)
                + "..., previous="
                + oldHash.substring(0, 15)
                + "..., previousExpiresAt=2026-11-23T16:00:00Z]")
        .doesNotContain(canaryHash)
        .doesNotContain(canaryHash.substring(15, 30))
        .doesNotContain(oldHash.substring(15))
        .doesNotContain("CANARY")
        .doesNotContain(oldKey.reveal());
    assertThat(ApiKeyVerifier.of(newHash).toString())
        .isEqualTo("ApiKeyVerifier[current=" + newHash.substring(0, 15) + "...]");
  }

  // ---- concurrency ---------------------------------------------------------------------------

  @Test
  void concurrentVerify_givesCorrectVerdicts() throws Exception {
    ApiKeyVerifier verifier = rotated(Duration.ofHours(24));
    int threads = 8;
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<Map<Verdict, Integer>>> workers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        Callable<Map<Verdict, Integer>> work =
            () -> {
              start.await();
              Map<Verdict, Integer> counts = new HashMap<>();
              for (int i = 0; i < 3000; i++) {
                Secret presented = i % 3 == 0 ? newKey : i % 3 == 1 ? oldKey : otherKey;
                counts.merge(verifier.verify(presented), 1, Integer::sum);
              }
              return counts;
            };
        workers.add(pool.submit(work));
      }
      start.countDown();
      for (Future<Map<Verdict, Integer>> f : workers) {
        assertThat(f.get())
            .containsOnly(
                Map.entry(Verdict.CURRENT, 1000),
                Map.entry(Verdict.PREVIOUS, 1000),
                Map.entry(Verdict.REJECTED, 1000));
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** A fixed clock that counts how often it is read. */
  private static final class CountingClock extends Clock {
    private final Instant now;
    final AtomicInteger reads = new AtomicInteger();

    CountingClock(Instant now) {
      this.now = now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      reads.incrementAndGet();
      return now;
    }
  }

  /**
   * The class documentation: "the time taken does not depend on which hash matched". After the
   * overlap the retired key and an unknown key are both rejected; were only the retired key to make
   * verify read the clock and compute the window, the difference in time would tell the holder of a
   * candidate key that it is the retired one. Every key presented reads the clock once.
   */
  @Test
  void verify_readsTheClockOnceForEveryKey_whicheverHashMatches() {
    CountingClock counting = new CountingClock(T0.plus(Duration.ofDays(2)));
    ApiKeyVerifier verifier =
        ApiKeyVerifier.builder()
            .current(newHash)
            .previous(oldHash, T0)
            .overlap(Duration.ofHours(24))
            .clock(counting)
            .build();
    Map<String, Integer> reads = new LinkedHashMap<>();
    Map<String, Verdict> verdicts = new LinkedHashMap<>();
    Map<String, Secret> presented =
        Map.of("current", newKey, "retired", oldKey, "unknown", otherKey, "empty", Secret.of(""));
    for (Map.Entry<String, Secret> e : presented.entrySet()) {
      counting.reads.set(0);
      verdicts.put(e.getKey(), verifier.verify(e.getValue()));
      reads.put(e.getKey(), counting.reads.get());
    }

    assertThat(verdicts)
        .containsEntry("current", Verdict.CURRENT)
        .containsEntry("retired", Verdict.REJECTED)
        .containsEntry("unknown", Verdict.REJECTED)
        .containsEntry("empty", Verdict.REJECTED);
    assertThat(reads).as("clock reads per verify").containsOnlyKeys(presented.keySet());
    assertThat(reads.values()).containsOnly(1);
  }

  /** The same verifier inside the window: the verdicts the single clock read now decides. */
  @Test
  void verify_insideTheWindow_stillTellsTheKeysApart_onOneClockRead() {
    CountingClock counting = new CountingClock(T0.plus(Duration.ofHours(23)));
    ApiKeyVerifier verifier =
        ApiKeyVerifier.builder()
            .current(newHash)
            .previous(oldHash, T0)
            .overlap(Duration.ofHours(24))
            .clock(counting)
            .build();
    counting.reads.set(0);

    assertThat(verifier.verify(newKey)).isEqualTo(Verdict.CURRENT);
    assertThat(verifier.verify(oldKey)).isEqualTo(Verdict.PREVIOUS);
    assertThat(verifier.verify(otherKey)).isEqualTo(Verdict.REJECTED);
    assertThat(counting.reads).hasValue(3);
  }

  /**
   * An API key passed where the variables' prefix belongs is refused without being echoed: it would
   * otherwise be quoted whole in an IllegalArgumentException ("'acme_..._SHA256' is not a valid
   * setting name") or, when its characters make a valid name, in a ConfigException
   * ("acme_..._SHA256: is not set").
   */
  @Test
  void keyPassedAsThePrefix_isRefusedWithoutBeingEchoed() {
    for (int i = 0; i < 20; i++) {
      String key = ApiKeyVerifier.generate("acme").reveal();
      String random = key.substring("acme_".length());
      // Generated keys make valid variable names unless they hold a '-': both kinds, every time.
      String nameChars = key.replace('-', 'Q');
      String withDash = nameChars.substring(0, 20) + "-" + nameChars.substring(21);

      Throwable asName = catchThrowable(() -> ApiKeyVerifier.fromEnvironment(nameChars, Map.of()));
      assertThat(asName).isInstanceOf(ConfigException.class);
      assertThat(((ConfigException) asName).problems())
          .singleElement()
          .satisfies(
              p -> {
                assertThat(p.setting()).isEqualTo("the setting name given");
                assertThat(p.reason()).contains("not shown, in case it is a key");
              });
      Throwable notAName = catchThrowable(() -> ApiKeyVerifier.fromEnvironment(withDash, Map.of()));
      assertThat(notAName)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("not shown, in case it is a key")
          .hasNoCause();
      Throwable asGenerated = catchThrowable(() -> ApiKeyVerifier.fromEnvironment(key, Map.of()));
      assertThat(asGenerated).isNotNull();

      for (Throwable t : List.of(asName, notAName, asGenerated)) {
        assertThat(t.getMessage())
            .doesNotContain(random.substring(0, 12))
            .doesNotContain(nameChars.substring(5, 17));
      }
    }
  }

  @Test
  void prefixThatIsNoVariableName_isRefusedWithoutBeingEchoed() {
    String prefix = "api-key$CANARY";
    Throwable t = catchThrowable(() -> ApiKeyVerifier.fromEnvironment(prefix, Map.of()));
    assertThat(t)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a valid setting name (not shown, in case it is a key)")
        .hasMessageNotContaining("CANARY")
        .hasNoCause();
  }

  /**
   * docs/rotation.md, section 3: problems are reported by variable name, never quoting a value that
   * could be a key; a parsed rotation time and overlap are shown, since no key parses as either.
   */
  @Test
  void problems_showParsedTimesAndDurations_neverAValueThatCouldBeAKey() {
    Throwable t =
        catchThrowable(
            () ->
                ApiKeyVerifier.fromEnvironment(
                    NAME,
                    Map.of(
                        CURRENT_VAR,
                        CANARY,
                        PREVIOUS_VAR,
                        oldHash,
                        ROTATED_AT_VAR,
                        "2027-01-01T00:00:00Z",
                        OVERLAP_VAR,
                        "45d"),
                    Clock.fixed(T0, ZoneOffset.UTC)));
    assertThat(t).isInstanceOf(ConfigException.class);
    assertThat(((ConfigException) t).problems())
        .extracting(Problem::setting)
        .containsExactly(CURRENT_VAR, ROTATED_AT_VAR, OVERLAP_VAR);
    assertThat(t.getMessage())
        .doesNotContain("CANARY")
        .contains("2027-01-01T00:00:00Z")
        .contains("PT1080H");
  }
}
