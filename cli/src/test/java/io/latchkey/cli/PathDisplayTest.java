package io.latchkey.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.crypto.FernetKey;
import io.latchkey.crypto.FernetKeyRing;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

final class PathDisplayTest {
  private static final String NOT_SHOWN = "--env-file " + PathDisplay.NOT_SHOWN;

  @Test
  void of_pathsAsPeopleTypeThem_shown() {
    for (String path :
        List.of(
            "/etc/app/.env",
            "./staging.env",
            "../config/schema.json",
            "~/keys/app.keys",
            "config/schema.json",
            "deploy/prod/.env",
            "/tmp/junit1234567890123/app.env",
            "/home/Ana María/app config/.env",
            "./Config/App2.keys")) {
      assertThat(PathDisplay.of("--env-file", path, List.of())).as(path).isEqualTo(path);
    }
  }

  @Test
  void of_valuesThatDoNotLookLikePaths_notShown() {
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
            "/x/" + "a".repeat(PathDisplay.MAX_LENGTH),
            "sk-live/abcDEF1234567890",
            "/run/secrets/Zx9kQ2mN7pLw",
            "ghp_16C7e42F292c6912E7710c838347Ae178B4a",
            "a/b:c@host",
            "./pass=word",
            "./a$b",
            "Config/schema.json",
            key,
            "./" + key,
            token,
            "postgres://user:pw@db/app")) {
      assertThat(PathDisplay.of("--env-file", value, List.of())).as(value).isEqualTo(NOT_SHOWN);
    }
  }

  @Test
  void of_pathContainingAKnownSecret_notShown() {
    assertThat(PathDisplay.of("--env-file", "/srv/app/s3cr3t-value.env", List.of("s3cr3t-value")))
        .isEqualTo(NOT_SHOWN);
    assertThat(PathDisplay.of("--env-file", Path.of("/srv/app/.env"), List.of("abc")))
        .as("secrets too short to mean anything are ignored")
        .isEqualTo("/srv/app/.env");
  }
}
