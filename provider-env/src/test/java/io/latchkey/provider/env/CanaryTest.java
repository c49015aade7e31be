package io.latchkey.provider.env;

import static io.latchkey.provider.env.Testing.CANARY;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.config.ConfigValue;
import io.latchkey.testsupport.Leaks;
import io.latchkey.testsupport.LogCapture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A secret from any layer never shows up in a {@code toString()}, a description, an exception
 * message or a log line (captured at DEBUG through the tests' capturing SLF4J backend).
 */
final class CanaryTest {
  @TempDir Path dir;

  @Test
  void canaryFromEveryLayer_appearsNowhereButInTheValue() throws Exception {
    List<String> texts = new ArrayList<>();
    String log;
    try (LogCapture capture = LogCapture.startAtEveryLevel()) {
      Path secrets = Files.createDirectory(dir.resolve("secrets"));
      Testing.write(secrets.resolve("from_dir"), CANARY + "-dir\n");
      Path file = Testing.write(dir.resolve("file"), CANARY + "-file\n");
      Path dotenv =
          Testing.write(
              dir.resolve(".env"),
              "FROM_DOTENV="
                  + CANARY
                  + "-dotenv\n"
                  + "DUP='"
                  + CANARY
                  + "-first'\n"
                  + "DUP=\""
                  + CANARY
                  + "-second\"\n"
                  + "INTERPOLATED=${"
                  + CANARY
                  + "}\n");
      EnvSecretProvider env =
          EnvSecretProvider.builder()
              .environment(Map.of("FROM_ENV", CANARY + "-env", "FROM_FILE_FILE", file.toString()))
              .dotenvFile(dotenv)
              .secretsDir(secrets)
              .override("FROM_OVERRIDE", CANARY + "-override")
              .build();
      for (String name :
          List.of(
              "FROM_ENV",
              "FROM_FILE",
              "FROM_DOTENV",
              "DUP",
              "INTERPOLATED",
              "FROM_DIR",
              "FROM_OVERRIDE")) {
        ConfigValue value = env.get(name).orElseThrow();
        assertThat(value.text()).as(name).contains(CANARY);
        texts.add(value.toString());
        texts.add(value.origin().toString());
      }
      texts.add(env.toString());
      texts.add(env.description());
      texts.add(env.names().toString());
      log = capture.text();
    }
    assertThat(texts).allSatisfy(t -> assertThat(t).doesNotContain(CANARY));
    // The capture works: the build and the duplicate and interpolation notes were logged.
    assertThat(log).contains("DEBUG").contains("WARN").contains("DUP was already set");
    assertThat(log).doesNotContain(CANARY).doesNotContain("7f3a9c");
  }

  @Test
  void exceptionMessages_neverHoldAValue() throws Exception {
    List<Throwable> failures = new ArrayList<>();
    String log;
    try (LogCapture capture = LogCapture.startAtEveryLevel()) {
      // Malformed .env lines, each holding the canary.
      failures.add(
          failure(
              () ->
                  Testing.dotenv(
                      dir,
                      CANARY + "\n" + CANARY + "=x\n" + "K='" + CANARY + "'" + CANARY + "\n"
                          + "U=\"" + CANARY + "\n")));
      // NAME and NAME_FILE both set, both holding the canary.
      Path file = Testing.write(dir.resolve("pw"), CANARY + "\n");
      EnvSecretProvider both =
          EnvSecretProvider.builder()
              .environment(Map.of("PW", CANARY, "PW_FILE", file.toString()))
              .noDotenv()
              .build();
      failures.add(failure(() -> both.get("PW")));
      // A file that is not UTF-8, and one that is too large, both starting with the canary.
      byte[] content = (CANARY + "\u00e9").getBytes(UTF_8);
      Path broken =
          Testing.write(dir.resolve("broken"), Arrays.copyOf(content, content.length - 1));
      byte[] big = Arrays.copyOf(CANARY.getBytes(UTF_8), SecretFiles.MAX_BYTES + 1);
      Path large = Testing.write(dir.resolve("large"), big);
      EnvSecretProvider files =
          EnvSecretProvider.builder()
              .environment(Map.of("B_FILE", broken.toString(), "L_FILE", large.toString()))
              .noDotenv()
              .build();
      failures.add(failure(() -> files.get("B")));
      failures.add(failure(() -> files.get("L")));
      // A value passed where a reference belongs.
      failures.add(failure(() -> files.get(CANARY + ":oops")));
      failures.add(failure(() -> EnvSecretProvider.environmentName("x/" + CANARY + " y")));
      log = capture.text();
    }
    assertThat(failures).hasSize(6).doesNotContainNull();
    Leaks.assertNoLeak(failures, CANARY);
    Leaks.assertNoLeak("the log", log, CANARY);
  }

  private static Throwable failure(Runnable action) {
    try {
      action.run();
    } catch (RuntimeException e) {
      return e;
    }
    return null;
  }

  @Test
  void keyPastedOnTheLineAfterItsName_isRefused_andNoPartOfItShowsAnywhere() {
    // An editor wrapped APP_ENCRYPTION_KEY=: the key's '=' padding makes its line read KEY=value.
    String key = "Zm9vYmFyYmF6cXV4cXV1eHh5enp5enp5enp5enp5enA=";
    Path dotenv = Testing.write(dir.resolve(".env"), "APP_ENCRYPTION_KEY=\n" + key + "\nOTHER=1\n");
    io.latchkey.ConfigException e;
    String log;
    try (LogCapture capture = LogCapture.startAtEveryLevel()) {
      e =
          org.assertj.core.api.Assertions.catchThrowableOfType(
              io.latchkey.ConfigException.class,
              () -> EnvSecretProvider.builder().environment(Map.of()).dotenvFile(dotenv).build());
      log = capture.text();
    }
    assertThat(e.problems())
        .containsExactly(
            new io.latchkey.ConfigException.Problem(
                ".env line 2", "looks like a pasted value, not a variable name"));
    Leaks.assertNoLeak(e, key);
    Leaks.assertNoLeak("the log", log, key);
  }

  @Test
  void pastedValueInAFileThatChanges_isHeldBack_neverListedNorLogged() {
    String key = "Zm9vYmFyYmF6cXV4cXV1eHh5enp5enp5enp5enp5enA=";
    Path dotenv = Testing.write(dir.resolve(".env"), "APP_ENCRYPTION_KEY=old\n");
    String log;
    List<String> texts = new ArrayList<>();
    try (LogCapture capture = LogCapture.startAtEveryLevel()) {
      EnvSecretProvider env =
          EnvSecretProvider.builder()
              .environment(Map.of())
              .dotenvFile(dotenv)
              .pollInterval(java.time.Duration.ZERO)
              .build();
      env.fetch(io.latchkey.SecretRef.parse("APP_ENCRYPTION_KEY"));
      Testing.write(dotenv, "APP_ENCRYPTION_KEY=\n" + key + "\n" + key + "\n");
      env.poll();
      env.poll();
      env.poll();
      texts.add(env.names().toString());
      texts.add(env.sourceProblems().toString());
      texts.add(env.toString());
      log = capture.text();
    }
    assertThat(texts.get(0)).isEqualTo("[APP_ENCRYPTION_KEY]");
    assertThat(texts.get(1)).contains("looks like a pasted value");
    for (String text : texts) {
      Leaks.assertNoLeak("output", text, key);
    }
    Leaks.assertNoLeak("the log", log, key);
  }
}
