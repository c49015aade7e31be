package io.latchkey.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.latchkey.ConfigException;
import io.latchkey.Secret;
import io.latchkey.config.KeyList;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class FernetKeyTest {
  private static final String SPEC_KEY = "cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4=";

  @Test
  void parse_specKey_roundTripsThroughEncoded() {
    FernetKey key = FernetKey.parse(SPEC_KEY, "APP_KEY");
    assertThat(key.encoded().reveal()).isEqualTo(SPEC_KEY);
    assertThat(key.id()).hasSize(8).matches("[0-9a-f]{8}");
  }

  @Test
  void parse_surroundingWhitespace_isIgnored() {
    assertThat(FernetKey.parse("  " + SPEC_KEY + "\n").encoded().reveal()).isEqualTo(SPEC_KEY);
  }

  @Test
  void parse_standardAlphabet_isAcceptedLikePyca() {
    String standard = SPEC_KEY.replace('-', '+').replace('_', '/');
    assertThat(FernetKey.parse(standard).matches(FernetKey.parse(SPEC_KEY))).isTrue();
  }

  @Test
  void parse_badKeys_nameTheSourceAndNeverTheValue() {
    String canary = "CANARYKEYVALUE";
    String[] bad = {
      "",
      "   ",
      canary,
      SPEC_KEY.substring(0, 43),
      SPEC_KEY + "A",
      "%" + SPEC_KEY.substring(1),
      canary + "x".repeat(44 - canary.length() - 1) + "=",
    };
    for (String value : bad) {
      assertThatThrownBy(() -> FernetKey.parse(value, "APP_ENCRYPTION_KEY"))
          .as("key of %d characters", value.length())
          .isInstanceOfSatisfying(
              ConfigException.class,
              e -> {
                assertThat(e.problems()).hasSize(1);
                assertThat(e.problems().get(0).setting()).isEqualTo("APP_ENCRYPTION_KEY");
                assertThat(e.getMessage()).contains("APP_ENCRYPTION_KEY").contains("44");
                if (!value.isBlank()) {
                  assertThat(e.getMessage()).doesNotContain(value.strip());
                }
                assertThat(e.getMessage()).doesNotContain(canary);
              });
    }
  }

  /**
   * 44 characters that decode to 31 or 33 bytes, none of them a key: pyca rejects each. A key of 31
   * bytes would leave the AES key's last byte zero, one of 33 would lose its last byte, and either
   * would be a different key from the one its {@code id()} names.
   */
  private static List<String> wrongLengthKeys() {
    byte[] spec = Base64.getUrlDecoder().decode(SPEC_KEY);
    byte[] ascending = new byte[33];
    for (int i = 0; i < ascending.length; i++) {
      ascending[i] = (byte) (7 * i + 1);
    }
    // 31 bytes end in "==": once with the unused low bits of the last character zero (what an
    // encoder writes), once with them set (the spec key cut short).
    String zeroBits31 = Base64.getUrlEncoder().encodeToString(Arrays.copyOf(spec, 31));
    String setBits31 = SPEC_KEY.substring(0, 42) + "==";
    // 33 bytes have no padding ("openssl rand -base64 33"): once a valid key and one byte more.
    String spec33 = Base64.getUrlEncoder().encodeToString(Arrays.copyOf(spec, 33));
    String ascending33 = Base64.getUrlEncoder().encodeToString(ascending);
    String standard33 = Base64.getEncoder().encodeToString(Arrays.copyOf(spec, 33));
    List<String> keys = List.of(zeroBits31, setBits31, spec33, ascending33, standard33);
    assertThat(keys).allSatisfy(k -> assertThat(k).hasSize(44));
    assertThat(zeroBits31).endsWith("==");
    assertThat(zeroBits31.charAt(41)).isNotEqualTo(SPEC_KEY.charAt(41));
    assertThat(spec33).startsWith(SPEC_KEY.substring(0, 42)).doesNotContain("=");
    assertThat(standard33).containsAnyOf("+", "/");
    return keys;
  }

  private static void assertShapeProblem(ConfigException e, String setting, String key) {
    assertThat(e.problems()).extracting(ConfigException.Problem::setting).containsExactly(setting);
    assertThat(e.getMessage())
        .contains(setting)
        .contains("expected a Fernet key (32 bytes of URL-safe base64, 44 characters)")
        .doesNotContain(key)
        .doesNotContain(key.substring(0, 12))
        .doesNotContain(key.substring(30))
        .doesNotContain("31")
        .doesNotContain("33");
  }

  @Test
  void parse_44CharactersOf31Or33Bytes_isRejectedNamingTheSettingOnly() {
    for (String key : wrongLengthKeys()) {
      assertThatThrownBy(() -> FernetKey.parse(key, "APP_KEY"))
          .isInstanceOfSatisfying(
              ConfigException.class, e -> assertShapeProblem(e, "APP_KEY", key));
      assertThatThrownBy(() -> FernetKey.parse(" " + key + "\n"))
          .isInstanceOfSatisfying(ConfigException.class, e -> assertShapeProblem(e, "key", key));
    }
  }

  @Test
  void loaders_44CharactersOf31Or33Bytes_areRejectedAsCurrentOrPrevious(@TempDir Path dir)
      throws IOException {
    String good = SPEC_KEY;
    for (String key : wrongLengthKeys()) {
      assertThatThrownBy(() -> FernetKeyRing.fromEnvironment("APP_KEY", Map.of("APP_KEY", key)))
          .isInstanceOfSatisfying(
              ConfigException.class, e -> assertShapeProblem(e, "APP_KEY", key));
      assertThatThrownBy(
              () ->
                  FernetKeyRing.fromEnvironment(
                      "APP_KEY", Map.of("APP_KEY", good, "APP_KEY_PREVIOUS", good + "," + key)))
          .isInstanceOfSatisfying(
              ConfigException.class, e -> assertShapeProblem(e, "APP_KEY_PREVIOUS entry 2", key));

      assertThatThrownBy(() -> FernetKeyRing.of("APP_KEY", KeyList.of(Secret.of(key), List.of())))
          .isInstanceOfSatisfying(
              ConfigException.class, e -> assertShapeProblem(e, "APP_KEY", key));
      assertThatThrownBy(
              () ->
                  FernetKeyRing.of("APP_KEY", KeyList.of(Secret.of(good), List.of(Secret.of(key)))))
          .isInstanceOfSatisfying(
              ConfigException.class, e -> assertShapeProblem(e, "APP_KEY_PREVIOUS entry 1", key));

      Path file = dir.resolve("keys");
      Files.writeString(file, "# current\n" + key + "\n" + good + "\n");
      assertThatThrownBy(() -> FernetKeyRing.read(file))
          .isInstanceOfSatisfying(
              ConfigException.class,
              e ->
                  assertThat(e.problems())
                      .singleElement()
                      .satisfies(
                          p -> {
                            assertThat(p.setting()).isEqualTo(file + " line 2");
                            assertThat(p.reason()).contains("32 bytes").doesNotContain(key);
                          }));
      Files.writeString(file, good + "\n" + key + "\n");
      assertThatThrownBy(() -> FernetKeyRing.read(file))
          .isInstanceOfSatisfying(
              ConfigException.class,
              e ->
                  assertThat(e.problems())
                      .extracting(ConfigException.Problem::setting)
                      .containsExactly(file + " line 2"));
    }
  }

  @Test
  void parse_theOneSpellingOf32Bytes_isAccepted_andItsIdMatchesItsBytes() {
    // 44 characters with one "=" is the only length that is 32 bytes: what generate() writes.
    FernetKey key = FernetKey.parse(SPEC_KEY);
    byte[] bytes = Base64.getUrlDecoder().decode(SPEC_KEY);
    assertThat(bytes).hasSize(32);
    assertThat(key.encoded().reveal()).isEqualTo(SPEC_KEY);
    assertThat(FernetKey.parse(key.encoded().reveal()).id()).isEqualTo(key.id());
  }

  @Test
  void generate_givesDistinctValidKeys() {
    FernetKey a = FernetKey.generate();
    FernetKey b = FernetKey.generate();
    assertThat(a.matches(b)).isFalse();
    assertThat(a.id()).isNotEqualTo(b.id());
    assertThat(a.encoded().reveal()).hasSize(44).matches("[A-Za-z0-9_-]{43}=");
    assertThat(FernetKey.parse(a.encoded().reveal()).matches(a)).isTrue();
  }

  @Test
  void generate_injectedRandom_givesTheKeyItDraws() {
    SecureRandom fixed =
        new SecureRandom() {
          private static final long serialVersionUID = 1L;

          @Override
          public void nextBytes(byte[] bytes) {
            for (int i = 0; i < bytes.length; i++) {
              bytes[i] = (byte) i;
            }
          }
        };
    byte[] expected = new byte[32];
    for (int i = 0; i < 32; i++) {
      expected[i] = (byte) i;
    }
    assertThat(FernetKey.generate(fixed).encoded().reveal())
        .isEqualTo(Base64.getUrlEncoder().encodeToString(expected));
  }

  @Test
  void toString_showsOnlyTheId() {
    FernetKey key = FernetKey.parse(SPEC_KEY);
    assertThat(key.toString()).isEqualTo("FernetKey[id=" + key.id() + "]").doesNotContain("cw_");
    assertThat(key.encoded().toString()).doesNotContain(SPEC_KEY.substring(0, 8));
  }

  @Test
  void hkdf_matchesRfc5869TestCase3() {
    // RFC 5869 A.3: SHA-256, IKM = 22 bytes of 0x0b, no salt, no info, L = 42.
    byte[] ikm = new byte[22];
    java.util.Arrays.fill(ikm, (byte) 0x0b);
    byte[] okm = io.latchkey.crypto.internal.Hkdf.sha256(ikm, new byte[0], 42);
    assertThat(HexFormat.of().formatHex(okm))
        .isEqualTo(
            "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d"
                + "9d201395faa4b61a96c8");
  }

  @Test
  void derive_differentLabels_giveIndependentKeys() {
    Secret master = Secret.of("a-high-entropy-master-secret-0123456789");
    FernetKey a = FernetKey.derive(master, "credentials-at-rest");
    FernetKey b = FernetKey.derive(master, "session-cookies");
    assertThat(a.matches(b)).isFalse();
    assertThat(FernetKey.derive(master, "credentials-at-rest").matches(a)).isTrue();
  }

  @Test
  void derive_rejectsEmptyMasterAndBlankLabel() {
    assertThatThrownBy(() -> FernetKey.derive(Secret.of(""), "x"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> FernetKey.derive(Secret.of("m"), " "))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> FernetKey.deriveLegacySha256(Secret.of("")))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
