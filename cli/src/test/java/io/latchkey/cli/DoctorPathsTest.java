package io.latchkey.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.testsupport.Leaks;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How {@code doctor} names the files it is given when they are missing or unusable. */
final class DoctorPathsTest {
  private static final String PASSWORD = "CANARY-db/pass-4e1b";

  @TempDir Path dir;

  private String schema;

  @BeforeEach
  void schema() throws URISyntaxException {
    schema = DoctorCommandTest.schemaPath().toString();
  }

  private static Map<String, String> env() {
    Map<String, String> env = new HashMap<>();
    env.put("POSTGRES_PASSWORD", PASSWORD);
    return env;
  }

  @Test
  void envFile_isTheValueOfASecretSetting_notShown() {
    for (String path : List.of(PASSWORD, "./" + PASSWORD, "/srv/" + PASSWORD + ".env")) {
      Cli.Result r = Cli.run(env(), "", "doctor", "--schema", schema, "--env-file", path);

      assertThat(r.exitCode()).as(path).isEqualTo(1);
      assertThat(r.stderr())
          .as(path)
          .isEqualTo(
              "latchkey doctor: invalid configuration (1 problem):\n"
                  + "  .env file: --env-file (value not shown: it does not look like a path)"
                  + " does not exist\n");
      Leaks.assertNoLeak(path, r.stderr() + r.stdout(), PASSWORD);
    }
  }

  @Test
  void secretsDir_missingOrAFile_namedWhenItLooksLikeAPath() throws IOException {
    Path file = Files.writeString(dir.resolve("not-a-dir"), "x");
    Path missing = dir.resolve("missing");

    Cli.Result r =
        Cli.run(
            env(),
            "",
            "doctor",
            "--schema",
            schema,
            "--no-env-file",
            "--secrets-dir",
            file.toString());
    Cli.Result m =
        Cli.run(
            env(),
            "",
            "doctor",
            "--schema",
            schema,
            "--no-env-file",
            "--secrets-dir",
            missing.toString());

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stderr()).contains("  secrets directory: " + file + " is not a directory\n");
    assertThat(m.stderr()).contains("  secrets directory: " + missing + " does not exist\n");
  }

  @Test
  void schema_tokenLikeName_notShown() {
    Cli.Result r = Cli.run(env(), "", "doctor", "--schema", "./sk_live_Zx9kQ2mN7pLw4");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stderr())
        .isEqualTo(
            "latchkey doctor: --schema (value not shown: it does not look like a path):"
                + " does not exist\n");
  }

  @Test
  void envFile_nulCharacter_usageErrorWithoutTheValue() {
    Cli.Result r = Cli.run(env(), "", "doctor", "--schema", schema, "--env-file", "a\0" + PASSWORD);

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.stderr()).contains("expected a path").doesNotContain(PASSWORD);
  }
}
