package io.latchkey.crypto.signing;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.latchkey.ConfigException;
import io.latchkey.ConfigException.Problem;
import io.latchkey.Secret;
import io.latchkey.crypto.FollowingKeys;
import io.latchkey.crypto.MapProvider;
import io.latchkey.resolver.SecretResolver;
import io.latchkey.testsupport.MutableClock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Keys as they reach a {@link SigningKeyRing} from outside (variables, key files, a key passed as a
 * name): every key a ring accepts survives the documented rotation unchanged, a key file reads as
 * the same keys as the variables would, and nothing the ring refuses is shown.
 */
final class SigningKeyRingInputTest {
  private static final String NAME = "SESSION_SIGNING_KEY";
  private static final String PREVIOUS = NAME + "_PREVIOUS";

  /** Two different 41-byte keys whose 32-bit identifiers collide (from SigningKeyRingTest). */
  private static final String COLLIDING_A = "collision-search-signing-key-000000012585";

  private static final String COLLIDING_B = "collision-search-signing-key-000000066998";

  private final MapProvider source = new MapProvider();
  private final SecretResolver resolver =
      SecretResolver.builder()
          .provider(source)
          .clock(new MutableClock())
          .executor(Runnable::run)
          .ttl(Duration.ofHours(1))
          .build();

  @AfterEach
  void close() {
    resolver.close();
  }

  private static byte[] hmac(String key, byte[] data) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key.getBytes(UTF_8), "HmacSHA256"));
    return mac.doFinal(data);
  }

  private static String id(String key) {
    return SigningKeyRing.of(Secret.of(key)).currentKeyId();
  }

  private static ConfigException refusal(Runnable r) {
    Throwable t = catchThrowable(r::run);
    assertThat(t).isInstanceOf(ConfigException.class);
    return (ConfigException) t;
  }

  /**
   * A key NAME takes must keep verifying once moved to NAME_PREVIOUS, as the rotation procedure
   * says; a comma would split it there, and every token it signed would be rejected without a word.
   * So the key is refused where it is first given, by setting and reason, never by value.
   */
  @Test
  void currentKeyContainingAComma_isRefusedUpFront_byNameAndReason() {
    String commaKey = "Qm2pLw7rT5yNc4vB1hJ6kD9sF3gAeU0iO8,uY2tR5wE7qP4lK1zX9cV6bN3mA8sD5fG0";

    ConfigException e = refusal(() -> SigningKeyRing.fromEnvironment(NAME, Map.of(NAME, commaKey)));

    assertThat(e.problems())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.setting()).isEqualTo(NAME);
              assertThat(p.reason()).contains("comma").contains("NAME_PREVIOUS");
            });
    assertThat(e.getMessage()).doesNotContain("Qm2pLw7r").doesNotContain("uY2tR5wE");
  }

  /**
   * Bytes given to of() are not text that a rotation moves: any byte is a key byte there, a comma
   * and a leading '#' included (random bytes hold either often enough).
   */
  @Test
  void keyGivenAsBytes_mayHoldACommaOrStartWithHash() {
    String commaKey = "Qm2pLw7rT5yNc4vB1hJ6kD9sF3gAeU0iO8,uY2tR5wE7qP4lK1zX9cV6bN3mA8sD5fG0";
    String hashKey = "#" + SigningKeyRing.generateKey().reveal();

    SigningKeyRing ring = SigningKeyRing.of(Secret.of(commaKey), Secret.of(hashKey));

    assertThat(ring.keyIds()).hasSize(2);
    assertThat(ring.currentKeyId())
        .isEqualTo(SigningKeyRing.of(Secret.of(commaKey)).currentKeyId());
  }

  /**
   * A key file reads '#' as a comment, so a key that starts with one could never be moved there.
   */
  @Test
  void keyStartingWithHash_isRefusedInNameAndInPrevious() {
    String hashKey = "#" + SigningKeyRing.generateKey().reveal();
    String good = SigningKeyRing.generateKey().reveal();

    ConfigException fromName =
        refusal(() -> SigningKeyRing.fromEnvironment(NAME, Map.of(NAME, hashKey)));
    ConfigException fromPrevious =
        refusal(() -> SigningKeyRing.fromEnvironment(NAME, Map.of(NAME, good, PREVIOUS, hashKey)));

    assertThat(fromName.problems()).extracting(Problem::setting).containsExactly(NAME);
    assertThat(fromPrevious.problems())
        .extracting(Problem::setting)
        .containsExactly(PREVIOUS + " entry 1");
    for (ConfigException e : List.of(fromName, fromPrevious)) {
      assertThat(e.problems())
          .allSatisfy(p -> assertThat(p.reason()).startsWith("starts with '#'"));
      assertThat(e.getMessage()).doesNotContain(hashKey.substring(1, 12));
    }
  }

  /**
   * A key file mounted for following, written by an editor that adds a UTF-8 byte-order mark: the
   * ring signs with the key in the file, as KeyLists.read and the CLI read it, not with the mark as
   * three more bytes of the key.
   */
  @Test
  void keyFileWithByteOrderMark_signsWithTheKeyInTheFile() throws Exception {
    String current = SigningKeyRing.generateKey().reveal();
    String previous = SigningKeyRing.generateKey().reveal();
    source.set(NAME, "\uFEFF" + current + "\n" + previous + "\n");
    FollowingKeys<SigningKeyRing> keys = SigningKeyRing.following(resolver, NAME);
    try {
      byte[] data = "session".getBytes(UTF_8);
      assertThat(keys.current().keyIds()).containsExactly(id(current), id(previous));
      assertThat(keys.current().sign(data)).isEqualTo(hmac(current, data));
    } finally {
      keys.close();
    }
  }

  @Test
  void variablesWithByteOrderMark_holdTheKeysWithoutIt() throws Exception {
    String current = SigningKeyRing.generateKey().reveal();
    String previous = SigningKeyRing.generateKey().reveal();

    SigningKeyRing ring =
        SigningKeyRing.fromEnvironment(
            NAME, Map.of(NAME, "\uFEFF" + current + "\n", PREVIOUS, "\uFEFF" + previous));

    byte[] data = "session".getBytes(UTF_8);
    assertThat(ring.keyIds()).containsExactly(id(current), id(previous));
    assertThat(ring.sign(data)).isEqualTo(hmac(current, data));
  }

  /**
   * A line of a key file that starts with '#' but reads as a key is refused with its line number,
   * never skipped: skipping it would make the next key current without a word.
   */
  @Test
  void keyFileWhoseCurrentKeyStartsWithHash_isRefused_notReplacedByThePreviousKey() {
    String current = "#" + SigningKeyRing.generateKey().reveal();
    String previous = SigningKeyRing.generateKey().reveal();
    source.set(NAME, current + "\n" + previous + "\n");

    ConfigException e = refusal(() -> SigningKeyRing.following(resolver, NAME).close());

    assertThat(e.problems())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.setting()).isEqualTo(NAME + " line 1");
              assertThat(p.reason()).contains("reads as a key");
            });
    assertThat(e.getMessage()).doesNotContain(current.substring(1, 12));
  }

  @Test
  void keyFileComments_stillReadAsComments() {
    String current = SigningKeyRing.generateKey().reveal();
    String previous = SigningKeyRing.generateKey().reveal();
    source.set(
        NAME,
        "# rotated on 2026-11-23\n"
            + "#current\n"
            + current
            + "\n"
            + "#".repeat(60)
            + "\n"
            + "#----------------------------------------------------------\n"
            + "#   the previous key, until the sessions it signed expire\n"
            + previous
            + "\n");
    FollowingKeys<SigningKeyRing> keys = SigningKeyRing.following(resolver, NAME);
    try {
      assertThat(keys.current().keyIds()).containsExactly(id(current), id(previous));
      assertThat(keys.problems()).isEmpty();
    } finally {
      keys.close();
    }
  }

  /** Joined into NAME_PREVIOUS, a key line with a comma would load as two keys. */
  @Test
  void keyFileLineWithAComma_isRefusedByLine() {
    String current = SigningKeyRing.generateKey().reveal();
    String halves =
        SigningKeyRing.generateKey().reveal() + "," + SigningKeyRing.generateKey().reveal();
    source.set(NAME, current + "\n" + halves + "\n");

    ConfigException e = refusal(() -> SigningKeyRing.following(resolver, NAME).close());

    assertThat(e.problems())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.setting()).isEqualTo(NAME + " line 2");
              assertThat(p.reason()).contains("comma");
            });
    assertThat(e.getMessage()).doesNotContain(halves.substring(0, 12));
  }

  /**
   * following refuses a new version that drops the current key; a different key with the same
   * 32-bit identifier drops it as surely as any other, and is refused the same way.
   */
  @Test
  void following_newKeyWithTheSameIdButDifferentBytes_isRefusedAsDroppingTheCurrentKey() {
    assertThat(id(COLLIDING_A)).isEqualTo(id(COLLIDING_B));
    source.set(NAME, COLLIDING_A);
    FollowingKeys<SigningKeyRing> keys = SigningKeyRing.following(resolver, NAME);
    try {
      byte[] data = "session".getBytes(UTF_8);
      byte[] signature = keys.current().sign(data);
      source.set(NAME, COLLIDING_B);
      source.announce();

      assertThat(keys.current().verify(data, signature))
          .as("tokens signed by the current key still verify after a followed change")
          .isTrue();
      assertThat(keys.problems())
          .singleElement()
          .satisfies(
              p -> {
                assertThat(p.setting()).isEqualTo(NAME);
                assertThat(p.reason()).contains(id(COLLIDING_A)).contains("same id");
              });
    } finally {
      keys.close();
    }
  }

  /**
   * A key passed where the variable's name belongs (fromEnvironment(System.getenv("KEY"))) is
   * refused without being echoed in the message, and so in the log that reports it.
   */
  @Test
  void keyPassedAsTheVariableName_isRefusedWithoutBeingEchoed() {
    for (int i = 0; i < 20; i++) {
      String key = SigningKeyRing.generateKey().reveal();
      String previous = SigningKeyRing.generateKey().reveal();
      for (Map<String, String> env :
          List.of(Map.<String, String>of(), Map.of(key + "_PREVIOUS", previous + ",,"))) {
        ConfigException e = refusal(() -> SigningKeyRing.fromEnvironment(key, env));
        assertThat(e.problems())
            .singleElement()
            .satisfies(
                p -> {
                  assertThat(p.setting()).isEqualTo("the setting name given");
                  assertThat(p.reason()).contains("not shown, in case it is a key");
                });
        assertThat(e.getMessage()).doesNotContain(key.substring(0, 12));
      }
      Throwable followed = catchThrowable(() -> SigningKeyRing.following(resolver, key).close());
      assertThat(followed).isNotNull();
      assertThat(followed.getMessage()).doesNotContain(key.substring(0, 12));
    }
  }

  /** A name that only looks random, with its variable set, loads as any name does. */
  @Test
  void randomLookingNameWithItsVariableSet_loads() {
    String name = "sessionKeyV2ForTheApiGatewayInEuWest1";
    String key = SigningKeyRing.generateKey().reveal();
    assertThat(SigningKeyRing.fromEnvironment(name, Map.of(name, key)).currentKeyId())
        .isEqualTo(id(key));
    assertThat(refusal(() -> SigningKeyRing.fromEnvironment(name, Map.of())).problems())
        .extracting(Problem::setting)
        .containsExactly("the setting name given");
  }
}
