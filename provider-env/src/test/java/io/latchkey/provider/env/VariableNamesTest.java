package io.latchkey.provider.env;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import java.util.HexFormat;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Names as people write them, against values pasted where a name belongs. */
final class VariableNamesTest {
  @ParameterizedTest
  @ValueSource(
      strings = {
        "APP_ENCRYPTION_KEY",
        "SPRING_DATASOURCE_HIKARI_CONNECTION_TIMEOUT",
        "PRIVATE_KEY",
        "ASIA_REGION",
        "npm_config_registry",
        "myApiKey",
        "thisIsMyVeryLongVariableName",
        "HTTPServerURL",
        "OAuth2ClientId",
        "jwtSecretKeyV2Id",
        "AzureAdB2cTenant",
        "log4j2Level",
        "x509Cert",
        "spring.datasource.url",
        "AWS_S3_BUCKET_V2",
        "A_B_C_D_E_F_G_H",
        "x",
      })
  void realNames_areNames(String name) {
    assertThat(VariableNames.looksLikeValue(name)).isFalse();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "Zm9vYmFyYmF6cXV4cXV1eHh5enp5enp5enp5enp5enA",
        "cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4",
        "ghp_R2d2C3poK9xLm4Qw7eTy1UiOpAsDfGhJkL8z",
        "AKIAJ3MZ5QF7EXAMPLE2",
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9",
      })
  void pastedValues_areNotNames(String value) {
    assertThat(VariableNames.looksLikeValue(value)).isTrue();
  }

  @Test
  void randomFernetKeys_areNeverNames() {
    SplittableRandom random = new SplittableRandom(20260515);
    for (int i = 0; i < 500; i++) {
      byte[] bytes = new byte[32];
      for (int b = 0; b < bytes.length; b++) {
        bytes[b] = (byte) random.nextInt(256);
      }
      String key = Base64.getUrlEncoder().encodeToString(bytes);
      // The text before the '=' padding is what a .env line makes a name of.
      String name = key.substring(0, 43);
      assertThat(VariableNames.looksLikeValue(name)).as("key #%d", i).isTrue();
    }
  }

  @Test
  void randomHexKeys_ofSixtyFourDigits_areNeverNames() {
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 0; i < 200; i++) {
      byte[] bytes = new byte[32];
      for (int b = 0; b < bytes.length; b++) {
        bytes[b] = (byte) random.nextInt(256);
      }
      String hex = HexFormat.of().formatHex(bytes);
      assertThat(VariableNames.looksLikeValue(hex)).as("hex #%d", i).isTrue();
    }
  }
}
