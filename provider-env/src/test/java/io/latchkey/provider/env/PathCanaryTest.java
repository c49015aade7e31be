package io.latchkey.provider.env;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.latchkey.ConfigException;
import io.latchkey.ConfigException.Problem;
import io.latchkey.LatchkeyException;
import io.latchkey.SecretRef;
import io.latchkey.testsupport.Leaks;
import io.latchkey.testsupport.LogCapture;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A secret typed into a variable that must hold a path ({@code NAME_FILE} from each layer, {@code
 * LATCHKEY_ENV_FILE}, {@code LATCHKEY_SECRETS_DIR}, and their builder equivalents) never reaches an
 * exception, its causes or a log line: the error says the value is not shown.
 */
final class PathCanaryTest {
  @TempDir Path dir;

  /** Realistic credentials, some with a separator so that only the token rules can hide them. */
  private static List<String> secrets() {
    List<String> values = new ArrayList<>();
    values.add("ghp_R8kz3Qw9Lm2Xv7Tn4Bp6Yc1Hd5Fs0Gj8Ka2W");
    values.add("/ghp_R8kz3Qw9Lm2Xv7Tn4Bp6Yc1Hd5Fs0Gj8Ka2W");
    values.add("github_pat_11AAAAAAA0abcdefghijklmnopqrstuvwxyz");
    values.add("sk-proj-Q2x9vLm4Rt7Zp1Wk8Bn3Yc6Hd0Fs5Gj2Ka9Ue4Mi");
    values.add("./sk-live-Q2x9vLm4Rt7Zp1Wk8Bn3Yc6Hd");
    values.add("xoxb-2048-1024-Q2x9vLm4Rt7Zp1Wk8Bn3Yc6H");
    values.add("AKIAIOSFODNN7EXAMPLE");
    values.add(
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4ifQ"
            + ".SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c");
    values.add("-----BEGIN OPENSSH PRIVATE KEY-----");
    values.add("-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAx4Ypq9Lm2Xv7Tn4Bp6\n");
    values.add("qL8vZ2mX/Tp4wR7kY1nB6cH3dF0sG9jK5aU+eI2oP8=");
    values.add("cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4=");
    values.add("P@ssw0rd!/2024");
    SplittableRandom random = new SplittableRandom(20261206);
    for (int i = 0; i < 40; i++) {
      values.add(Leaks.randomSecret(random, 64));
    }
    return values;
  }

  /** What a variable holding a path can be given through, each ending in one failure. */
  private List<Function<String, Throwable>> channels() {
    return List.of(
        // NAME_FILE in the environment, through get() and through fetch().
        secret -> failure(() -> env(Map.of("API_TOKEN_FILE", secret)).get("API_TOKEN")),
        secret ->
            failure(
                () -> env(Map.of("API_TOKEN_FILE", secret)).fetch(SecretRef.parse("API_TOKEN"))),
        // NAME_FILE in .env, double-quoted so that any character can be written.
        secret -> {
          Path dotenv =
              Testing.write(
                  dir.resolve(".env"), "API_TOKEN_FILE=\"" + dotenvEscape(secret) + "\"\n");
          return failure(
              () ->
                  EnvSecretProvider.builder()
                      .workingDirectory(dir)
                      .environment(Map.of())
                      .dotenvFile(dotenv)
                      .build()
                      .get("API_TOKEN"));
        },
        // NAME_FILE as an override.
        secret ->
            failure(
                () ->
                    EnvSecretProvider.builder()
                        .workingDirectory(dir)
                        .environment(Map.of())
                        .noDotenv()
                        .override("API_TOKEN_FILE", secret)
                        .build()
                        .get("API_TOKEN")),
        // The two settings, from the environment and from the builder.
        secret ->
            failure(
                () -> EnvSecretProvider.fromEnvironment(Map.of("LATCHKEY_ENV_FILE", secret), dir)),
        secret ->
            failure(
                () ->
                    EnvSecretProvider.fromEnvironment(
                        Map.of("LATCHKEY_SECRETS_DIR", secret, "LATCHKEY_ENV_FILE", "none"), dir)),
        secret ->
            failure(
                () ->
                    EnvSecretProvider.builder()
                        .environment(Map.of())
                        .dotenvFile(Path.of(secret))
                        .build()),
        secret ->
            failure(
                () ->
                    EnvSecretProvider.builder()
                        .environment(Map.of())
                        .noDotenv()
                        .secretsDir(Path.of(secret))
                        .build()));
  }

  @Test
  void secretGivenToAPathVariable_neverAppearsInTheErrorOrTheLog() {
    List<String> secrets = secrets();
    String log;
    List<Throwable> failures = new ArrayList<>();
    try (LogCapture capture = LogCapture.startAtEveryLevel()) {
      for (String secret : secrets) {
        for (Function<String, Throwable> channel : channels()) {
          Throwable thrown = channel.apply(secret);
          assertThat(thrown).as("an error for a value that names no file").isNotNull();
          assertThat(thrown).isInstanceOf(LatchkeyException.class);
          Leaks.assertNoLeak(thrown, secret);
          failures.add(thrown);
        }
      }
      log = capture.text();
    }
    for (String secret : secrets) {
      Leaks.assertNoLeak("the log", log, secret);
    }
    // Every error says why it shows no value.
    assertThat(failures).allSatisfy(t -> assertThat(t.getMessage()).contains("value not shown"));
  }

  @Test
  void secretInNameFile_isReportedAsNotAReadableFile() {
    String token = "ghp_R8kz3Qw9Lm2Xv7Tn4Bp6Yc1Hd5Fs0Gj8Ka2W";
    Throwable thrown = failure(() -> env(Map.of("API_TOKEN_FILE", token)).get("API_TOKEN"));
    assertThat(((ConfigException) thrown).problems())
        .containsExactly(
            new Problem(
                "API_TOKEN_FILE",
                "is not a readable file (named in the environment;"
                    + " value not shown: it does not look like a path)"));
  }

  @Test
  void pathThatIsAlsoTheSecretsValue_isNotShown() {
    // The secret itself looks like a path, and was typed into both variables.
    String secret = dir.resolve("not-a-file").toString();
    Path dotenv = Testing.write(dir.resolve(".env"), "API_TOKEN=" + secret + "\n");
    EnvSecretProvider env =
        EnvSecretProvider.builder()
            .environment(Map.of("API_TOKEN_FILE", secret))
            .dotenvFile(dotenv)
            .build();
    Throwable thrown = failure(() -> env.get("API_TOKEN"));
    Leaks.assertNoLeak(thrown, secret);
    assertThat(((ConfigException) thrown).problems())
        .containsExactly(
            new Problem(
                "API_TOKEN_FILE",
                "is not a readable file (named in the environment;"
                    + " value not shown: it does not look like a path)"));
  }

  @Test
  void settingsThatDoNotLookLikePaths_sayWhatIsWrongWithoutTheValue() {
    ConfigException e =
        (ConfigException)
            failure(
                () ->
                    EnvSecretProvider.fromEnvironment(
                        Map.of("LATCHKEY_ENV_FILE", "prod.env", "LATCHKEY_SECRETS_DIR", "secrets"),
                        dir));
    assertThat(e.problems())
        .containsExactly(
            new Problem(
                "LATCHKEY_ENV_FILE",
                "is not a readable file (value not shown: it does not look like a path)"),
            new Problem(
                "LATCHKEY_SECRETS_DIR",
                "is not an existing directory (value not shown: it does not look like a path)"));
  }

  @Test
  void settingsThatLookLikePaths_areQuoted() {
    ConfigException e =
        (ConfigException)
            failure(
                () ->
                    EnvSecretProvider.fromEnvironment(
                        Map.of(
                            "LATCHKEY_ENV_FILE", "./prod.env", "LATCHKEY_SECRETS_DIR", "./secrets"),
                        dir));
    assertThat(e.problems())
        .containsExactly(
            new Problem("LATCHKEY_ENV_FILE", dir.resolve("./prod.env") + " does not exist"),
            new Problem("LATCHKEY_SECRETS_DIR", dir.resolve("./secrets") + " does not exist"));
  }

  @Test
  void dotenvFileLargerThanTheCap_isAProblemNotAnOutOfMemoryError() throws IOException {
    Path huge = dir.resolve("huge.env");
    try (var out = Files.newOutputStream(huge)) {
      byte[] line = "A=1\n".getBytes(StandardCharsets.UTF_8);
      byte[] block = new byte[1 << 16];
      for (int i = 0; i < block.length; i++) {
        block[i] = line[i % line.length];
      }
      for (int written = 0; written <= DotenvFile.MAX_BYTES; written += block.length) {
        out.write(block);
      }
    }
    ConfigException e =
        (ConfigException)
            failure(
                () ->
                    EnvSecretProvider.fromEnvironment(
                        Map.of("LATCHKEY_ENV_FILE", "./huge.env"), dir));
    assertThat(e.problems())
        .containsExactly(
            new Problem(
                "LATCHKEY_ENV_FILE",
                dir.resolve("./huge.env") + " is larger than 16 MiB; expected a .env file"));
  }

  private EnvSecretProvider env(Map<String, String> environment) {
    return EnvSecretProvider.builder()
        .workingDirectory(dir)
        .environment(environment)
        .noDotenv()
        .build();
  }

  private static String dotenvEscape(String value) {
    return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }

  private static Throwable failure(Runnable action) {
    return catchThrowable(action::run);
  }
}
