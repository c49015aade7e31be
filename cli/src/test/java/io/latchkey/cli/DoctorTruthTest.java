package io.latchkey.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.latchkey.SecretRef;
import io.latchkey.provider.env.EnvSecretProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code latchkey doctor} over a secrets directory whose file for a secret is empty (a mount
 * created before its content was written). docs/configuration.md: a file that is empty (or holds
 * only a line break) is an error, not an empty value; the provider's fetch refuses it, and so does
 * the configuration load doctor checks: the setting is reported with "is empty" and a non-zero exit
 * status, never as "unset (optional)" with no warnings.
 */
final class DoctorTruthTest {
  @TempDir Path dir;

  @Test
  void doctor_anEmptySecretFile_isNotReportedAsUnsetWithNoWarnings() throws Exception {
    Path schema =
        Files.writeString(
            dir.resolve("schema.json"),
            "{\"settings\": [{\"name\": \"API_KEY\", \"type\": \"secret\", \"required\": false}]}",
            UTF_8);
    Path secrets = Files.createDirectories(dir.resolve("secrets"));
    Files.writeString(secrets.resolve("API_KEY"), "", UTF_8);

    // The provider itself refuses the empty file when the value is fetched.
    try (EnvSecretProvider provider =
        EnvSecretProvider.builder()
            .environment(new HashMap<>())
            .noDotenv()
            .secretsDir(secrets)
            .build()) {
      Throwable fetched = catchThrowable(() -> provider.fetch(SecretRef.parse("env:API_KEY")));
      assertThat(fetched).as("fetch of env:API_KEY").isNotNull();
      assertThat(fetched.getMessage()).contains("empty");
    }

    Cli.Result r =
        Cli.run(
            new HashMap<>(),
            "",
            "doctor",
            "--schema",
            schema.toString(),
            "--no-env-file",
            "--secrets-dir",
            secrets.toString());

    String all = r.stdout() + r.stderr();
    assertThat(all).as("doctor's output while secrets/API_KEY is an empty file").contains("empty");
    assertThat(r.exitCode()).as("doctor's exit status; output: %s", all).isNotZero();
    assertThat(all)
        .contains("API_KEY: " + secrets.resolve("API_KEY") + " is empty (in the secrets directory)")
        .doesNotContain("unset (optional)");
    assertThat(r.exitCode()).isEqualTo(1);
  }
}
