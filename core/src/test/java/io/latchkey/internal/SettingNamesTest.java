package io.latchkey.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The names loaders are given are shown in their problems, and keys passed where a name belongs are
 * not, over every shape of key the rings and the verifier take, from a seeded source.
 */
final class SettingNamesTest {

  @Test
  void namesOfEveryStyle_areShown() {
    for (String name :
        List.of(
            "APP_ENCRYPTION_KEY",
            "SESSION_SIGNING_KEY",
            "API_KEY",
            "OAUTH2_CLIENT_SECRET_V2",
            "app_encryption_key",
            "databasePasswordFile",
            "jwtSecretKeyV2Id",
            "HTTPServerSigningKey",
            "app.encryption-key",
            "aws:prod/app#APP_ENCRYPTION_KEY",
            "gcp:projects/123456789/secrets/db-password",
            "vault:secret/data/app#session_key",
            "K",
            "")) {
      assertThat(SettingNames.looksLikeValue(name)).as(name).isFalse();
    }
  }

  @Test
  void keysOfEveryShape_areNotShown() {
    SplittableRandom random = new SplittableRandom(7);
    Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
    for (int i = 0; i < 2000; i++) {
      byte[] bytes = new byte[32];
      random.nextBytes(bytes);
      String base64Url = url.encodeToString(bytes);
      String hex = HexFormat.of().formatHex(bytes);
      byte[] half = new byte[16];
      random.nextBytes(half);
      for (String key :
          List.of(
              base64Url, // SigningKeyRing.generateKey
              "acme_" + base64Url, // ApiKeyVerifier.generate
              Base64.getUrlEncoder().encodeToString(bytes), // a Fernet key
              "lkk." + Base64.getUrlEncoder().encodeToString(bytes), // an AES-GCM key
              Base64.getEncoder().encodeToString(bytes), // openssl rand -base64 32
              hex, // openssl rand -hex 32
              hex.toUpperCase(Locale.ROOT),
              HexFormat.of().formatHex(half))) { // a 128-bit key in hex
        assertThat(SettingNames.looksLikeValue(key)).as(key).isTrue();
      }
    }
  }
}
