package io.latchkey.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.latchkey.ConfigException;
import io.latchkey.Secret;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

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
      SPEC_KEY.substring(0, 42) + "==",
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
