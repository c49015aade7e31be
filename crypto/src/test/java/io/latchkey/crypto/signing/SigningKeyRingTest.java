package io.latchkey.crypto.signing;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.latchkey.ConfigException;
import io.latchkey.ConfigException.Problem;
import io.latchkey.Secret;
import io.latchkey.crypto.FernetKey;
import io.latchkey.crypto.internal.EnvironmentKeys;
import java.io.ByteArrayOutputStream;
import java.io.NotSerializableException;
import java.io.ObjectOutputStream;
import java.io.PrintStream;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

final class SigningKeyRingTest {
  private static final String NAME = "SESSION_SIGNING_KEY";
  private static final String PREVIOUS = NAME + "_PREVIOUS";

  /** A key that must never show up in any message, string or log line. */
  private static final String CANARY = "CANARY-7f3a9c-signing-key-0123456789abcdef";

  private static final String SHORT_CANARY = "CANARY-7f3a9c";

  /**
   * Two different keys whose identifiers collide. The identifier is 32 bits, so a birthday search
   * over "collision-search-signing-key-%012d" found this pair after 67 thousand candidates; the
   * test recomputes the identifiers rather than trusting this comment.
   */
  private static final String COLLIDING_A = "collision-search-signing-key-000000012585";

  private static final String COLLIDING_B = "collision-search-signing-key-000000066998";

  private final String k1 = SigningKeyRing.generateKey().reveal();
  private final String k2 = SigningKeyRing.generateKey().reveal();
  private final String k3 = SigningKeyRing.generateKey().reveal();
  private final String outsider = SigningKeyRing.generateKey().reveal();

  private static SigningKeyRing ring(String current, String... previous) {
    return SigningKeyRing.of(
        Secret.of(current), Arrays.stream(previous).map(Secret::of).toArray(Secret[]::new));
  }

  private static String id(String key) {
    return ring(key).currentKeyId();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(UTF_8);
  }

  private static List<Problem> problems(Runnable r) {
    try {
      r.run();
    } catch (ConfigException e) {
      return e.problems();
    }
    throw new AssertionError("no ConfigException");
  }

  private static byte[] hmac(byte[] key, byte[] data) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key, "HmacSHA256"));
    return mac.doFinal(data);
  }

  // ---- signing and verifying -----------------------------------------------------------------

  @Test
  void sign_thenVerify_roundTripsEveryLength() {
    SigningKeyRing ring = ring(k1, k2);
    SecureRandom random = new SecureRandom();
    for (int len = 0; len <= 130; len++) {
      byte[] data = new byte[len];
      random.nextBytes(data);
      byte[] signature = ring.sign(data);
      assertThat(signature).hasSize(SigningKeyRing.SIGNATURE_BYTES);
      assertThat(ring.verify(data, signature)).isTrue();
      assertThat(ring.verify(data, signature, ring.currentKeyId())).isTrue();
      assertThat(ring.verifyingKeyId(data, signature)).contains(ring.currentKeyId());
    }
    byte[] big = new byte[1 << 20];
    random.nextBytes(big);
    assertThat(ring.verify(big, ring.sign(big))).isTrue();
  }

  @Test
  void sign_isDeterministicAndLeavesTheDataAlone() {
    SigningKeyRing ring = ring(k1);
    byte[] data = bytes("header.payload");
    byte[] copy = data.clone();
    assertThat(ring.sign(data)).isEqualTo(ring.sign(data));
    assertThat(data).isEqualTo(copy);
    assertThat(ring.sign(data)).isNotEqualTo(ring.sign(bytes("header.payloaD")));
  }

  @Test
  void sign_matchesJcaMacComputedIndependently() throws Exception {
    // 32 bytes (the minimum), 64 (one SHA-256 block) and 100 (hashed first, as HMAC does with
    // keys longer than a block).
    for (int length : new int[] {32, 33, 64, 65, 100}) {
      byte[] key = new byte[length];
      for (int i = 0; i < length; i++) {
        key[i] = (byte) (i * 7 + length);
      }
      SigningKeyRing ring = SigningKeyRing.of(Secret.ofBytes(key));
      for (String data : List.of("", "a", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9")) {
        assertThat(ring.sign(bytes(data))).isEqualTo(hmac(key, bytes(data)));
      }
    }
    // A key string from the environment is used as its UTF-8 bytes, as JWT libraries do.
    String text = "päss-wörd-ключ-0123456789-abcdefgh";
    SigningKeyRing fromEnv = SigningKeyRing.fromEnvironment(NAME, Map.of(NAME, text));
    assertThat(fromEnv.sign(bytes("data"))).isEqualTo(hmac(bytes(text), bytes("data")));
  }

  @Test
  void sign_matchesRfc4231TestCases6And7() {
    // Cases 1 to 5 of RFC 4231 use keys of 4 to 25 bytes, which the ring rejects; cases 6 and 7
    // use a 131-byte key, long enough to check against the published values directly.
    byte[] key = new byte[131];
    Arrays.fill(key, (byte) 0xaa);
    SigningKeyRing ring = SigningKeyRing.of(Secret.ofBytes(key));
    assertThat(
            HexFormat.of()
                .formatHex(
                    ring.sign(bytes("Test Using Larger Than Block-Size Key - Hash Key First"))))
        .isEqualTo("60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
    String case7 =
        "This is a test using a larger than block-size key and a larger than block-size data."
            + " The key needs to be hashed before being used by the HMAC algorithm.";
    assertThat(HexFormat.of().formatHex(ring.sign(bytes(case7))))
        .isEqualTo("9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2");
  }

  @Test
  void verify_signatureOfPreviousKey_succeedsAndNamesThatKey() {
    byte[] data = bytes("session for alice");
    byte[] byOld = ring(k2).sign(data);
    byte[] byOlder = ring(k3).sign(data);
    SigningKeyRing ring = ring(k1, k2, k3);
    assertThat(ring.verify(data, byOld)).isTrue();
    assertThat(ring.verify(data, byOlder)).isTrue();
    assertThat(ring.verifyingKeyId(data, byOld)).contains(id(k2));
    assertThat(ring.verifyingKeyId(data, byOlder)).contains(id(k3));
    assertThat(ring.verifyingKeyId(data, ring.sign(data))).contains(id(k1));
    // The ring signs with the current key only.
    assertThat(ring.sign(data)).isNotEqualTo(byOld).isEqualTo(ring(k1).sign(data));
  }

  @Test
  void verify_signatureOfKeyNotInRing_fails() {
    byte[] data = bytes("session for mallory");
    byte[] forged = ring(outsider).sign(data);
    SigningKeyRing ring = ring(k1, k2);
    assertThat(ring.verify(data, forged)).isFalse();
    assertThat(ring.verifyingKeyId(data, forged)).isEmpty();
    for (String kid : List.of(id(k1), id(k2), id(outsider), "00000000", "")) {
      assertThat(ring.verify(data, forged, kid)).as("kid %s", kid).isFalse();
    }
    // A retired key: once k2 leaves the ring, its signatures stop verifying.
    byte[] byRetired = ring(k2).sign(data);
    assertThat(ring.verify(data, byRetired)).isTrue();
    assertThat(ring(k1).verify(data, byRetired)).isFalse();
  }

  @Test
  void verify_withKeyId_isOnlyAHintNeverAFalseRejection() {
    byte[] data = bytes("payload");
    SigningKeyRing ring = ring(k1, k2, k3);
    byte[] byK2 = ring(k2).sign(data);
    // The right kid.
    assertThat(ring.verify(data, byK2, id(k2))).isTrue();
    // A wrong kid that names another key of the ring, and an unknown one: still verified.
    assertThat(ring.verify(data, byK2, id(k1))).isTrue();
    assertThat(ring.verify(data, byK2, id(k3))).isTrue();
    assertThat(ring.verify(data, byK2, "ffffffff")).isTrue();
    assertThat(ring.verify(data, byK2, "not a kid at all")).isTrue();
    // The kid never makes a bad signature good, nor a signature over other data.
    assertThat(ring.verify(bytes("payloaD"), byK2, id(k2))).isFalse();
    byte[] tampered = byK2.clone();
    tampered[0] ^= 1;
    assertThat(ring.verify(data, tampered, id(k2))).isFalse();
  }

  @Test
  void verify_wrongLengthSignature_isRejected() {
    byte[] data = bytes("payload");
    SigningKeyRing ring = ring(k1, k2);
    byte[] good = ring.sign(data);
    for (int length : new int[] {0, 1, 16, 31, 33, 48, 64}) {
      byte[] resized = Arrays.copyOf(good, length);
      assertThat(ring.verify(data, resized)).as("length %d", length).isFalse();
      assertThat(ring.verify(data, resized, ring.currentKeyId())).isFalse();
      assertThat(ring.verifyingKeyId(data, resized)).isEmpty();
    }
    // A valid signature followed by its own bytes again: a prefix match is not a match.
    byte[] doubled = new byte[64];
    System.arraycopy(good, 0, doubled, 0, 32);
    System.arraycopy(good, 0, doubled, 32, 32);
    assertThat(ring.verify(data, doubled)).isFalse();
  }

  @Test
  void verify_anyFlippedBitInSignatureOrData_isRejected() {
    SigningKeyRing ring = ring(k1, k2);
    byte[] data = bytes("{\"sub\":\"alice\",\"exp\":1790000000,\"role\":\"admin\"}");
    for (byte[] signature : List.of(ring.sign(data), ring(k2).sign(data))) {
      assertThat(ring.verify(data, signature)).isTrue();
      for (int i = 0; i < signature.length; i++) {
        for (int bit = 0; bit < 8; bit++) {
          byte[] tampered = signature.clone();
          tampered[i] ^= (byte) (1 << bit);
          assertThat(ring.verify(data, tampered)).as("signature byte %d bit %d", i, bit).isFalse();
        }
      }
      for (int i = 0; i < data.length; i++) {
        for (int bit = 0; bit < 8; bit++) {
          byte[] tampered = data.clone();
          tampered[i] ^= (byte) (1 << bit);
          assertThat(ring.verify(tampered, signature)).as("data byte %d bit %d", i, bit).isFalse();
        }
      }
      // Data one byte shorter or longer.
      assertThat(ring.verify(Arrays.copyOf(data, data.length - 1), signature)).isFalse();
      assertThat(ring.verify(Arrays.copyOf(data, data.length + 1), signature)).isFalse();
    }
  }

  @Test
  void nullArguments_areRejectedByName() {
    SigningKeyRing ring = ring(k1);
    byte[] data = bytes("x");
    byte[] sig = ring.sign(data);
    assertThatThrownBy(() -> ring.sign(null)).hasMessage("data");
    assertThatThrownBy(() -> ring.verify(null, sig)).hasMessage("data");
    assertThatThrownBy(() -> ring.verify(data, null)).hasMessage("signature");
    assertThatThrownBy(() -> ring.verify(data, sig, null)).hasMessage("keyId");
    assertThatThrownBy(() -> ring.verificationKey(null)).hasMessage("keyId");
    assertThatThrownBy(() -> SigningKeyRing.of(null)).hasMessage("current");
    assertThatThrownBy(() -> SigningKeyRing.of(Secret.of(k1), (Secret) null))
        .hasMessage("previous key");
    assertThatThrownBy(() -> SigningKeyRing.fromEnvironment(null, Map.of())).hasMessage("name");
    assertThatThrownBy(() -> SigningKeyRing.fromEnvironment(NAME, null)).hasMessage("env");
  }

  // ---- building a ring -----------------------------------------------------------------------

  @Test
  void of_shortKeys_areListedTogetherByPositionAndLength() {
    List<Problem> found =
        problems(
            () ->
                SigningKeyRing.of(
                    Secret.of("x".repeat(31)), Secret.of(k2), Secret.of("y"), Secret.of("")));
    assertThat(found)
        .extracting(Problem::setting)
        .containsExactly("current key", "previous key 2", "previous key 3");
    assertThat(found.get(0).reason()).startsWith("is 31 bytes long;").contains("at least 32 bytes");
    assertThat(found.get(1).reason()).startsWith("is 1 byte long;");
    assertThat(found.get(2).reason()).startsWith("is 0 bytes long;");
  }

  @Test
  void of_exactlyThirtyTwoBytes_isAccepted_andBinaryKeysAreUsedAsGiven() throws Exception {
    assertThat(ring("k".repeat(32)).keyIds()).hasSize(1);
    byte[] binary = new byte[32]; // all zeros: length is all the ring can check
    assertThat(SigningKeyRing.of(Secret.ofBytes(binary)).sign(bytes("d")))
        .isEqualTo(hmac(binary, bytes("d")));
  }

  @Test
  void of_leavesTheCallersSecretsUsable_butRefusesWipedOnes() {
    Secret current = Secret.of(k1);
    Secret previous = Secret.of(k2);
    SigningKeyRing ring = SigningKeyRing.of(current, previous);
    assertThat(current.isWiped()).isFalse();
    assertThat(current.reveal()).isEqualTo(k1);
    assertThat(ring.keyIds()).containsExactly(id(k1), id(k2));

    Secret wiped = Secret.of(k3);
    wiped.wipe();
    assertThatThrownBy(() -> SigningKeyRing.of(wiped)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> SigningKeyRing.of(Secret.of(k1), wiped))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void of_duplicateKey_keepsItsFirstPlace() {
    SigningKeyRing ring = ring(k1, k2, k1, k3, k2);
    assertThat(ring.keyIds()).containsExactly(id(k1), id(k2), id(k3));
    assertThat(ring.verificationKeys()).hasSize(3);
  }

  @Test
  void of_twoKeysSharingAKeyId_isRejectedNamingBoth() throws Exception {
    // Precondition, computed independently: the two keys differ but their identifiers do not.
    assertThat(COLLIDING_A).isNotEqualTo(COLLIDING_B);
    assertThat(independentKeyId(bytes(COLLIDING_A)))
        .isEqualTo(independentKeyId(bytes(COLLIDING_B)));

    assertThat(problems(() -> ring(k1, COLLIDING_A, COLLIDING_B)))
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.setting()).isEqualTo("previous key 2");
              assertThat(p.reason())
                  .contains("same key id as previous key 1")
                  .contains("different key")
                  .doesNotContain(COLLIDING_A)
                  .doesNotContain(COLLIDING_B);
            });
    assertThat(
            problems(
                () ->
                    SigningKeyRing.fromEnvironment(
                        NAME, Map.of(NAME, COLLIDING_B, PREVIOUS, k2 + "," + COLLIDING_A))))
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.setting()).isEqualTo(PREVIOUS + " entry 2");
              assertThat(p.reason()).contains("same key id as " + NAME);
            });
  }

  // ---- loading from the environment ----------------------------------------------------------

  @Test
  void fromEnvironment_currentOnly() {
    SigningKeyRing ring = SigningKeyRing.fromEnvironment(NAME, Map.of(NAME, k1));
    assertThat(ring.keyIds()).containsExactly(id(k1));
    assertThat(ring.currentKeyId()).isEqualTo(id(k1));
  }

  @Test
  void fromEnvironment_previousList_inOrder_ignoringWhitespace() {
    SigningKeyRing ring =
        SigningKeyRing.fromEnvironment(
            NAME, Map.of(NAME, "  " + k1 + "\n", PREVIOUS, " " + k2 + " ,\t" + k3 + "\r\n"));
    assertThat(ring.keyIds()).containsExactly(id(k1), id(k2), id(k3));
    // The stripped string is the key: a signature by the bare key verifies.
    byte[] data = bytes("x");
    assertThat(ring.verifyingKeyId(data, ring(k3).sign(data))).contains(id(k3));
    assertThat(ring.sign(data)).isEqualTo(ring(k1).sign(data));
  }

  @Test
  void fromEnvironment_emptyOrBlankPrevious_meansNone() {
    for (String blank : List.of("", " ", "\t\n")) {
      assertThat(SigningKeyRing.fromEnvironment(NAME, Map.of(NAME, k1, PREVIOUS, blank)).keyIds())
          .containsExactly(id(k1));
    }
  }

  @Test
  void fromEnvironment_blankEntryInsideList_isAnError() {
    assertThat(
            problems(
                () -> SigningKeyRing.fromEnvironment(NAME, Map.of(NAME, k1, PREVIOUS, k2 + ",,"))))
        .extracting(Problem::setting)
        .containsExactly(PREVIOUS + " entry 2", PREVIOUS + " entry 3");
    assertThat(
            problems(
                () -> SigningKeyRing.fromEnvironment(NAME, Map.of(NAME, k1, PREVIOUS, " , " + k2))))
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.setting()).isEqualTo(PREVIOUS + " entry 1");
              assertThat(p.reason()).isEqualTo(EnvironmentKeys.BLANK_ENTRY);
            });
  }

  @Test
  void fromEnvironment_missingOrBlankCurrent_namesTheVariable() {
    for (Map<String, String> env :
        List.of(Map.<String, String>of(), Map.of(NAME, ""), Map.of(NAME, "   "))) {
      assertThat(problems(() -> SigningKeyRing.fromEnvironment(NAME, env)))
          .singleElement()
          .satisfies(
              p -> {
                assertThat(p.setting()).isEqualTo(NAME);
                assertThat(p.reason()).startsWith("is not set;").contains("openssl rand");
              });
    }
    // Previous keys without a current one do not make a ring.
    assertThat(problems(() -> SigningKeyRing.fromEnvironment(NAME, Map.of(PREVIOUS, k2))))
        .extracting(Problem::setting)
        .containsExactly(NAME);
  }

  @Test
  void fromEnvironment_shortKey_namesTheVariableAndTheLength() {
    assertThat(problems(() -> SigningKeyRing.fromEnvironment(NAME, Map.of(NAME, "hunter2"))))
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.setting()).isEqualTo(NAME);
              assertThat(p.reason())
                  .startsWith("is 7 bytes long;")
                  .contains("RFC 7518")
                  .doesNotContain("hunter2");
            });
    // Length is counted in UTF-8 bytes: 16 two-byte characters make a 32-byte key.
    assertThat(SigningKeyRing.fromEnvironment(NAME, Map.of(NAME, "é".repeat(16))).keyIds())
        .hasSize(1);
    assertThat(
            problems(
                () -> SigningKeyRing.fromEnvironment(NAME, Map.of(NAME, "é".repeat(15) + "a"))))
        .singleElement()
        .satisfies(p -> assertThat(p.reason()).startsWith("is 31 bytes long;"));
  }

  @Test
  void fromEnvironment_everyProblemAtOnce_withoutValues() {
    ConfigException e =
        (ConfigException)
            catchThrowable(
                () ->
                    SigningKeyRing.fromEnvironment(
                        NAME,
                        Map.of(
                            NAME,
                            SHORT_CANARY,
                            PREVIOUS,
                            k2 + ",, " + SHORT_CANARY + "-2 ," + CANARY + ",")));
    // In the order of the settings, as an operator reads them.
    assertThat(e.problems())
        .extracting(Problem::setting)
        .containsExactly(NAME, PREVIOUS + " entry 2", PREVIOUS + " entry 3", PREVIOUS + " entry 5");
    assertThat(e.problems())
        .extracting(Problem::reason)
        .satisfiesExactly(
            r -> assertThat(r).startsWith("is 13 bytes long;"),
            r -> assertThat(r).isEqualTo(EnvironmentKeys.BLANK_ENTRY),
            r -> assertThat(r).startsWith("is 15 bytes long;"),
            r -> assertThat(r).isEqualTo(EnvironmentKeys.BLANK_ENTRY));
    assertThat(e.getMessage())
        .contains("4 problems")
        .doesNotContain("CANARY")
        .doesNotContain("7f3a9c")
        .doesNotContain(k2);
  }

  @Test
  void fromEnvironment_duplicateKey_isKeptOnceAndLoggedById() {
    PrintStream original = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, UTF_8));
    SigningKeyRing ring;
    try {
      ring =
          SigningKeyRing.fromEnvironment(
              NAME, Map.of(NAME, CANARY, PREVIOUS, k2 + "," + CANARY + "," + k2));
    } finally {
      System.setErr(original);
    }
    assertThat(ring.keyIds()).containsExactly(id(CANARY), id(k2));
    String log = captured.toString(UTF_8);
    assertThat(log)
        .contains("WARN")
        .contains(id(CANARY))
        .contains(id(k2))
        .doesNotContain("CANARY")
        .doesNotContain(k2);
  }

  // ---- keys and their identifiers ------------------------------------------------------------

  @Test
  void generateKey_gives43UrlSafeCharactersOf32RandomBytes_distinctEachCall() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 200; i++) {
      Secret key = SigningKeyRing.generateKey();
      String text = key.reveal();
      assertThat(text).hasSize(43).matches("[A-Za-z0-9_-]{43}");
      assertThat(Base64.getUrlDecoder().decode(text)).hasSize(32);
      assertThat(key.toString()).isEqualTo("***");
      assertThat(seen.add(text)).as("a repeated key").isTrue();
      assertThat(SigningKeyRing.of(key).keyIds()).hasSize(1);
    }
  }

  @Test
  void generateKey_usesTheInjectedRandomSource() {
    byte[] fixed = new byte[32];
    for (int i = 0; i < fixed.length; i++) {
      fixed[i] = (byte) (0xf0 + i);
    }
    SecureRandom replay =
        new SecureRandom() {
          private static final long serialVersionUID = 1L;

          @Override
          public void nextBytes(byte[] bytes) {
            System.arraycopy(fixed, 0, bytes, 0, bytes.length);
          }
        };
    assertThat(SigningKeyRing.generateKey(replay).reveal())
        .isEqualTo(Base64.getUrlEncoder().withoutPadding().encodeToString(fixed));
    assertThatThrownBy(() -> SigningKeyRing.generateKey(null)).hasMessage("random");
  }

  private static String independentKeyId(byte[] key) throws Exception {
    MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
    sha256.update("latchkey-signing-key-id:".getBytes(UTF_8));
    return HexFormat.of().formatHex(sha256.digest(key)).substring(0, 8);
  }

  @Test
  void keyIds_areStable_documented_andDistinctFromFernetIds() throws Exception {
    assertThat(id(k1)).matches("[0-9a-f]{8}").isEqualTo(id(k1)).isNotEqualTo(id(k2));
    assertThat(id(k1)).isEqualTo(independentKeyId(bytes(k1)));
    assertThat(SigningKeyRing.fromEnvironment(NAME, Map.of(NAME, k1)).currentKeyId())
        .isEqualTo(id(k1));
    // A fixed key, so that a change to the identifier breaks this test and not just tokens.
    assertThat(id("0123456789abcdef0123456789abcdef"))
        .isEqualTo(independentKeyId(bytes("0123456789abcdef0123456789abcdef")));

    // The same 32 bytes as a Fernet key get another identifier.
    byte[] raw = new byte[32];
    new SecureRandom().nextBytes(raw);
    FernetKey fernet = FernetKey.parse(Base64.getUrlEncoder().encodeToString(raw));
    SigningKeyRing signing = SigningKeyRing.of(Secret.ofBytes(raw));
    assertThat(fernet.id())
        .isEqualTo(
            HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(raw))
                .substring(0, 8));
    assertThat(signing.currentKeyId()).isEqualTo(independentKeyId(raw)).isNotEqualTo(fernet.id());
  }

  @Test
  void keyIds_listIsOrderedAndUnmodifiable() {
    SigningKeyRing ring = ring(k1, k2, k3);
    assertThat(ring.keyIds()).containsExactly(id(k1), id(k2), id(k3));
    assertThat(ring.currentKeyId()).isEqualTo(id(k1));
    assertThatThrownBy(() -> ring.keyIds().add("x"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> ring.verificationKeys().clear())
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void jcaKeys_areHmacSha256KeysThatWorkWithMac() throws Exception {
    SigningKeyRing ring = ring(k1, k2);
    SecretKey signing = ring.signingKey();
    assertThat(signing.getAlgorithm()).isEqualTo("HmacSHA256").isEqualTo(SigningKeyRing.ALGORITHM);
    assertThat(signing.getFormat()).isEqualTo("RAW");
    assertThat(signing.getEncoded()).isEqualTo(bytes(k1));
    // getEncoded hands out a copy.
    signing.getEncoded()[0] ^= 1;
    assertThat(signing.getEncoded()).isEqualTo(bytes(k1));

    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(signing);
    assertThat(mac.doFinal(bytes("d"))).isEqualTo(ring.sign(bytes("d")));

    assertThat(ring.verificationKey(id(k1))).containsSame(signing);
    Optional<SecretKey> previous = ring.verificationKey(id(k2));
    assertThat(previous).isPresent();
    assertThat(previous.get().getAlgorithm()).isEqualTo("HmacSHA256");
    assertThat(previous.get().getEncoded()).isEqualTo(bytes(k2));
    mac.init(previous.get());
    assertThat(ring.verifyingKeyId(bytes("d"), mac.doFinal(bytes("d")))).contains(id(k2));

    assertThat(ring.verificationKey(id(k3))).isEmpty();
    assertThat(ring.verificationKey("")).isEmpty();
    assertThat(ring.verificationKeys()).containsExactly(signing, previous.get());
  }

  @Test
  void jcaKeys_toStringHoldsNoKeyMaterial_andSerialisationIsRefused() throws Exception {
    SigningKeyRing ring =
        SigningKeyRing.of(Secret.of(CANARY), Secret.of(k2), Secret.ofBytes(new byte[40]));
    for (SecretKey key : ring.verificationKeys()) {
      String kid = ring.keyIds().get(ring.verificationKeys().indexOf(key));
      String hex = HexFormat.of().formatHex(key.getEncoded());
      String b64 = Base64.getEncoder().encodeToString(key.getEncoded());
      assertThat(key.toString())
          .isEqualTo("SigningKey[kid=" + kid + ", algorithm=HmacSHA256]")
          .doesNotContain("CANARY")
          .doesNotContain(k2)
          .doesNotContain(hex.substring(0, 16))
          .doesNotContain(b64.substring(0, 16));

      ByteArrayOutputStream sink = new ByteArrayOutputStream();
      try (ObjectOutputStream out = new ObjectOutputStream(sink)) {
        assertThatThrownBy(() -> out.writeObject(key))
            .isInstanceOf(NotSerializableException.class)
            .hasMessageNotContaining("CANARY");
      }
      assertThat(sink.toString(UTF_8)).doesNotContain("CANARY").doesNotContain(k2);
    }
  }

  @Test
  void toString_showsKeyIdsOnly() {
    SigningKeyRing ring = ring(CANARY, k2, k3);
    assertThat(ring.toString())
        .isEqualTo(
            "SigningKeyRing[current=" + id(CANARY) + ", previous=[" + id(k2) + ", " + id(k3) + "]]")
        .doesNotContain("CANARY")
        .doesNotContain(k2);
    assertThat(ring(k1).toString())
        .isEqualTo("SigningKeyRing[current=" + id(k1) + ", previous=[]]");
  }

  @Test
  void canaryKey_appearsInNoStringAndNoMessage() {
    List<String> texts = new ArrayList<>();
    SigningKeyRing ring = SigningKeyRing.fromEnvironment(NAME, Map.of(NAME, CANARY, PREVIOUS, k2));
    texts.add(ring.toString());
    texts.add(ring.keyIds().toString());
    texts.add(ring.verificationKeys().toString());
    texts.add(ring.signingKey().toString());
    texts.add(ring.verificationKey(ring.currentKeyId()).toString());
    for (Runnable failing :
        List.<Runnable>of(
            () -> SigningKeyRing.fromEnvironment(NAME, Map.of(NAME, SHORT_CANARY)),
            () -> SigningKeyRing.fromEnvironment(NAME, Map.of(NAME, k1, PREVIOUS, SHORT_CANARY)),
            () -> SigningKeyRing.fromEnvironment(NAME, Map.of(PREVIOUS, CANARY + ",")),
            () -> SigningKeyRing.of(Secret.of(SHORT_CANARY), Secret.of(CANARY)))) {
      Throwable t = catchThrowable(failing::run);
      assertThat(t).isInstanceOf(ConfigException.class);
      texts.add(t.getMessage());
      texts.add(t.toString());
      texts.add(((ConfigException) t).problems().toString());
    }
    assertThat(texts)
        .allSatisfy(s -> assertThat(s).doesNotContain("CANARY").doesNotContain("7f3a9c"));
  }

  // ---- concurrency ---------------------------------------------------------------------------

  @Test
  void concurrentSignAndVerify_giveCorrectResults() throws Exception {
    SigningKeyRing ring = ring(k1, k2, k3);
    SigningKeyRing byK2 = ring(k2);
    int threads = 8;
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<Integer>> workers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int worker = t;
        Callable<Integer> work =
            () -> {
              // Each worker checks against its own independently keyed Mac.
              Mac current = Mac.getInstance("HmacSHA256");
              current.init(new SecretKeySpec(bytes(k1), "HmacSHA256"));
              start.await();
              int checked = 0;
              for (int i = 0; i < 3000; i++) {
                byte[] data = bytes("worker " + worker + " message " + i);
                byte[] signature = ring.sign(data);
                assertThat(signature).isEqualTo(current.doFinal(data));
                assertThat(ring.verifyingKeyId(data, signature)).contains(id(k1));
                byte[] old = byK2.sign(data);
                assertThat(ring.verify(data, old, id(k2))).isTrue();
                assertThat(ring.verifyingKeyId(data, old)).contains(id(k2));
                old[i % 32] ^= 1;
                assertThat(ring.verify(data, old)).isFalse();
                checked++;
              }
              return checked;
            };
        workers.add(pool.submit(work));
      }
      start.countDown();
      for (Future<Integer> f : workers) {
        assertThat(f.get()).isEqualTo(3000);
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
