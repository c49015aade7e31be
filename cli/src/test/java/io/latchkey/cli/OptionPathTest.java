package io.latchkey.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.crypto.FernetKey;
import io.latchkey.crypto.FernetKeyRing;
import io.latchkey.crypto.aead.AesGcmKey;
import io.latchkey.crypto.aead.AesGcmKeyRing;
import io.latchkey.internal.PathText;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The command line's options name a path by the env provider's rule ({@link PathText}): these are
 * the values people type after {@code --env-file}, {@code --key-file} and the rest, and the keys
 * and tokens this tool handles, which must never be quoted.
 */
final class OptionPathTest {
  private static final String NOT_SHOWN = "--env-file (" + PathText.NOT_SHOWN + ")";

  @Test
  void name_pathsAsPeopleTypeThem_shown() {
    for (String path :
        List.of(
            "/etc/app/.env",
            "./staging.env",
            "../config/schema.json",
            "~/keys/app.keys",
            "config/schema.json",
            "Config/schema.json",
            "deploy/prod/.env",
            "/tmp/junit1234567890123/app.env",
            "/home/Ana María/app config/.env",
            "./Config/App2.keys")) {
      assertThat(PathText.name("--env-file", path, List.of())).as(path).isEqualTo(path);
    }
  }

  @Test
  void name_valuesThatDoNotLookLikePaths_notShown() {
    String key = MainTest.encoded(FernetKey.generate());
    String token = FernetKeyRing.of(FernetKey.generate()).encrypt(new byte[] {1});
    for (String value :
        List.of(
            "staging.env", // a bare word: as likely a password
            "hunter2",
            " ./app.env",
            "./app.env ",
            "./app\n.env",
            "./app\u200b.env",
            "/x/" + "a".repeat(PathText.MAX_LENGTH),
            "sk-live/abcDEF1234567890",
            "/run/secrets/Zx9kQ2mN7pLw",
            "ghp_16C7e42F292c6912E7710c838347Ae178B4a",
            "a/b:c@host",
            "./pass=word",
            "./a$b",
            key,
            "./" + key,
            token,
            "postgres://user:pw@db/app")) {
      assertThat(PathText.name("--env-file", value, List.of())).as(value).isEqualTo(NOT_SHOWN);
    }
  }

  @Test
  void name_pathContainingAKnownSecret_notShown() {
    assertThat(PathText.name("--env-file", "/srv/app/s3cr3t-value.env", List.of("s3cr3t-value")))
        .isEqualTo(NOT_SHOWN);
    assertThat(PathText.name("--env-file", "/srv/app/.env", List.of("abc")))
        .as("a secret that is not part of the path does not hide it")
        .isEqualTo("/srv/app/.env");
  }

  @Test
  void keyFileOption_keysAndTokensGivenInsteadOfAPath_areRecognised() {
    String key = MainTest.encoded(FernetKey.generate());
    String token = FernetKeyRing.of(FernetKey.generate()).encrypt(new byte[] {1});
    assertThat(Converters.KeyFile.isKeyMaterial(key)).isTrue();
    assertThat(Converters.KeyFile.isKeyMaterial("./" + key)).isTrue();
    assertThat(Converters.KeyFile.isKeyMaterial(token)).isTrue();
    assertThat(Converters.KeyFile.isKeyMaterial("./keys/app.keys")).isFalse();
    AesGcmKey aesKey = AesGcmKey.generate();
    String shortest = AesGcmKeyRing.of(aesKey).encrypt(new byte[0]);
    assertThat(shortest).hasSize(47);
    assertThat(Converters.KeyFile.isKeyMaterial(shortest)).isTrue();
    assertThat(Converters.KeyFile.isKeyMaterial(aesKey.encoded().reveal())).isTrue();
  }
}
