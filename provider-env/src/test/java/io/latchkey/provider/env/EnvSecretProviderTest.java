package io.latchkey.provider.env;

import static io.latchkey.provider.env.Testing.text;
import static io.latchkey.provider.env.Testing.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.latchkey.ConfigException;
import io.latchkey.ConfigException.Problem;
import io.latchkey.config.Origin;
import io.latchkey.spi.SecretProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The builder, {@code fromEnvironment}, {@code names()} and {@code description()}. */
final class EnvSecretProviderTest {
  @TempDir Path dir;

  @Test
  void name_isEnv() {
    try (SecretProvider env =
        EnvSecretProvider.builder().environment(Map.of()).noDotenv().build()) {
      assertThat(env.name()).isEqualTo("env").isEqualTo(EnvSecretProvider.NAME);
    }
  }

  @Test
  void classJavadocExample_works() {
    // Copied into EnvSecretProvider's Javadoc; keep the two in step.
    SecretProvider test =
        EnvSecretProvider.builder()
            .environment(Map.of())
            .noDotenv()
            .override("DB_PASSWORD", "pw")
            .build();
    assertThat(test.get("DB_PASSWORD").orElseThrow().text()).isEqualTo("pw");
    assertThat(test.names()).containsExactly("DB_PASSWORD");
  }

  @Test
  void builder_readsTheProcessEnvironmentByDefault() {
    Map<String, String> process = System.getenv();
    assertThat(process).as("the test JVM's environment").isNotEmpty();
    EnvSecretProvider env = EnvSecretProvider.builder().noDotenv().build();
    Map.Entry<String, String> any =
        process.entrySet().stream()
            .filter(e -> !process.containsKey(e.getKey() + "_FILE"))
            .findFirst()
            .orElseThrow();
    assertThat(value(env, any.getKey()).text()).isEqualTo(any.getValue());
    assertThat(env.names()).containsAll(process.keySet());
  }

  @Test
  void builder_readsDotenvInTheWorkingDirectory_whenThereIsOne() {
    Testing.write(dir.resolve(".env"), "FROM_DEFAULT=yes\n");
    EnvSecretProvider env =
        EnvSecretProvider.builder().workingDirectory(dir).environment(Map.of()).build();
    assertThat(text(env, "FROM_DEFAULT")).isEqualTo("yes");
    assertThat(env.description()).contains(dir.resolve(".env").toString());
  }

  @Test
  void builder_withoutDotenvInTheWorkingDirectory_readsNone() {
    EnvSecretProvider env =
        EnvSecretProvider.builder().workingDirectory(dir).environment(Map.of()).build();
    assertThat(env.names()).isEmpty();
    assertThat(env.description()).isEqualTo("env (0 variables)");
  }

  @Test
  void builder_skipsADotenvDirectory_suchAsAPythonVirtualEnvironment() throws Exception {
    Files.createDirectories(dir.resolve(".env").resolve("bin"));
    EnvSecretProvider env =
        EnvSecretProvider.builder().workingDirectory(dir).environment(Map.of()).build();
    assertThat(env.names()).isEmpty();
  }

  @Test
  void noDotenv_ignoresTheFileInTheWorkingDirectory() {
    Testing.write(dir.resolve(".env"), "FROM_DEFAULT=yes\n");
    EnvSecretProvider env =
        EnvSecretProvider.builder().workingDirectory(dir).environment(Map.of()).noDotenv().build();
    assertThat(env.get("FROM_DEFAULT")).isEmpty();
  }

  @Test
  void namedDotenvFile_thatDoesNotExist_isAnError() {
    Path missing = dir.resolve("missing.env");
    ConfigException e =
        catchThrowableOfType(
            ConfigException.class,
            () -> EnvSecretProvider.builder().environment(Map.of()).dotenvFile(missing).build());
    assertThat(e.problems()).containsExactly(new Problem(".env file", missing + " does not exist"));
  }

  @Test
  void namedDotenvFile_thatIsADirectory_isAnError() throws Exception {
    Path directory = Files.createDirectory(dir.resolve("env-dir"));
    ConfigException e =
        catchThrowableOfType(
            ConfigException.class,
            () -> EnvSecretProvider.builder().environment(Map.of()).dotenvFile(directory).build());
    assertThat(e.problems())
        .containsExactly(new Problem(".env file", directory + " is a directory, not a file"));
  }

  @Test
  void fromEnvironment_readsItsSettingsFromTheEnvironment() throws Exception {
    Path dotenv = Testing.write(dir.resolve("app.env"), "FROM_DOTENV=1\n");
    Path secrets = Files.createDirectory(dir.resolve("secrets"));
    Testing.write(secrets.resolve("db_password"), "from-secrets\n");
    EnvSecretProvider env =
        EnvSecretProvider.fromEnvironment(
            Map.of(
                "LATCHKEY_ENV_FILE", dotenv.toString(),
                "LATCHKEY_SECRETS_DIR", secrets.toString(),
                "FROM_ENV", "2"));
    assertThat(text(env, "FROM_DOTENV")).isEqualTo("1");
    assertThat(value(env, "FROM_DOTENV").origin().detail()).isEqualTo("app.env line 1");
    assertThat(text(env, "FROM_ENV")).isEqualTo("2");
    assertThat(text(env, "DB_PASSWORD")).isEqualTo("from-secrets");
    assertThat(env.description())
        .isEqualTo(
            "env (3 variables) + .env (" + dotenv + ", 1 entry) + secrets dir (" + secrets + ")");
  }

  @Test
  void fromEnvironment_resolvesRelativePathsAgainstTheWorkingDirectory() throws Exception {
    Testing.write(dir.resolve("conf").resolve("dev.env"), "A=1\n");
    Files.createDirectories(dir.resolve("run").resolve("secrets"));
    EnvSecretProvider env =
        EnvSecretProvider.fromEnvironment(
            Map.of("LATCHKEY_ENV_FILE", "conf/dev.env", "LATCHKEY_SECRETS_DIR", " run/secrets "),
            dir);
    assertThat(text(env, "A")).isEqualTo("1");
    assertThat(env.description()).contains(dir.resolve("run/secrets").toString());
  }

  @Test
  void fromEnvironment_withoutSettings_readsDotenvInTheWorkingDirectory() {
    Testing.write(dir.resolve(".env"), "A=default\n");
    assertThat(text(EnvSecretProvider.fromEnvironment(Map.of(), dir), "A")).isEqualTo("default");
    assertThat(text(EnvSecretProvider.fromEnvironment(Map.of("LATCHKEY_ENV_FILE", "  "), dir), "A"))
        .isEqualTo("default");
  }

  @Test
  void fromEnvironment_none_turnsDotenvOff() {
    Testing.write(dir.resolve(".env"), "A=default\n");
    EnvSecretProvider env =
        EnvSecretProvider.fromEnvironment(Map.of("LATCHKEY_ENV_FILE", "none"), dir);
    assertThat(env.get("A")).isEmpty();
    assertThat(env.description()).isEqualTo("env (1 variable)");
  }

  @Test
  void fromEnvironment_reportsEveryProblemAtOnce() {
    Path dotenv = Testing.write(dir.resolve(".env"), "GOOD=1\nbad line\n=x\n");
    Path missingDir = dir.resolve("no-secrets");
    ConfigException e =
        catchThrowableOfType(
            ConfigException.class,
            () ->
                EnvSecretProvider.fromEnvironment(
                    Map.of(
                        "LATCHKEY_ENV_FILE", dotenv.toString(),
                        "LATCHKEY_SECRETS_DIR", missingDir.toString())));
    assertThat(e.problems())
        .containsExactly(
            new Problem(".env line 2", "missing '=' (expected KEY=value)"),
            new Problem(".env line 3", "missing the name before '='"),
            new Problem("LATCHKEY_SECRETS_DIR", missingDir + " does not exist"));
  }

  @Test
  void fromEnvironment_missingFiles_nameTheirVariables() {
    Path missing = dir.resolve("nope.env");
    ConfigException e =
        catchThrowableOfType(
            ConfigException.class,
            () ->
                EnvSecretProvider.fromEnvironment(
                    Map.of(
                        "LATCHKEY_ENV_FILE",
                        missing.toString(),
                        "LATCHKEY_SECRETS_DIR",
                        "bad\0path")));
    assertThat(e.problems())
        .containsExactlyInAnyOrder(
            new Problem("LATCHKEY_ENV_FILE", missing + " does not exist"),
            new Problem("LATCHKEY_SECRETS_DIR", "is not a valid path"));
  }

  @Test
  void names_coverEveryLayer_andTheNameOfEachFileVariable() throws Exception {
    Path dotenv = Testing.write(dir.resolve(".env"), "FROM_DOTENV=1\nCERT_FILE=/x\n");
    Path secrets = Files.createDirectory(dir.resolve("secrets"));
    Testing.write(secrets.resolve("db_password"), "x");
    EnvSecretProvider env =
        EnvSecretProvider.builder()
            .environment(Map.of("FROM_ENV", "1", "TOKEN_FILE", "/t", "BLANK_FILE", ""))
            .dotenvFile(dotenv)
            .secretsDir(secrets)
            .override("FROM_OVERRIDE", "1")
            .build();
    assertThat(env.names())
        .containsExactly(
            "BLANK_FILE",
            "CERT",
            "CERT_FILE",
            "DB_PASSWORD",
            "FROM_DOTENV",
            "FROM_ENV",
            "FROM_OVERRIDE",
            "TOKEN",
            "TOKEN_FILE");
    assertThatThrownBy(() -> env.names().add("X"))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void overrides_winAndReplaceEachOther() {
    EnvSecretProvider env =
        EnvSecretProvider.builder()
            .environment(Map.of("A", "env", "B", "env"))
            .noDotenv()
            .overrides(Map.of("A", "first", "C", "only-override"))
            .override("A", "second")
            .override("B", "")
            .build();
    assertThat(text(env, "A")).isEqualTo("second");
    assertThat(value(env, "A").origin()).isEqualTo(Origin.of(Origin.Kind.OVERRIDE));
    assertThat(text(env, "B")).isEmpty();
    assertThat(text(env, "C")).isEqualTo("only-override");
    assertThat(env.description()).isEqualTo("env (2 variables) + 3 overrides");
  }

  @Test
  void override_rejectsEmptyAndNullNames() {
    EnvSecretProvider.Builder builder = EnvSecretProvider.builder();
    assertThatThrownBy(() -> builder.override("", "x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("an override needs a name");
    assertThatThrownBy(() -> builder.override(null, "x"))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("name");
    assertThatThrownBy(() -> builder.override("A", null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("value");
    Map<String, String> withNull = new HashMap<>();
    withNull.put("A", null);
    assertThatThrownBy(() -> builder.environment(withNull))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("environment holds a null value");
    assertThatThrownBy(() -> builder.dotenvFile(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> builder.secretsDir(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void provider_isASnapshot_unaffectedByLaterChangesToItsInputs() {
    Map<String, String> environment = new HashMap<>(Map.of("A", "before"));
    EnvSecretProvider.Builder builder =
        EnvSecretProvider.builder().environment(environment).noDotenv();
    EnvSecretProvider env = builder.build();
    environment.put("A", "after");
    environment.put("B", "added");
    builder.override("A", "override");
    assertThat(text(env, "A")).isEqualTo("before");
    assertThat(env.get("B")).isEmpty();
    assertThat(text(builder.build(), "A")).isEqualTo("override");
  }

  @Test
  void dotenv_isParsedOnceAtBuild() throws Exception {
    Path dotenv = Testing.write(dir.resolve(".env"), "A=at-build\n");
    EnvSecretProvider env =
        EnvSecretProvider.builder().environment(Map.of()).dotenvFile(dotenv).build();
    Files.writeString(dotenv, "A=changed\n");
    assertThat(text(env, "A")).isEqualTo("at-build");
  }

  @Test
  void nullArguments_areRejectedWithTheirNames() {
    EnvSecretProvider env = EnvSecretProvider.builder().environment(Map.of()).noDotenv().build();
    assertThatThrownBy(() -> env.get(null)).hasMessage("reference");
    assertThatThrownBy(() -> EnvSecretProvider.environmentName(null)).hasMessage("reference");
    assertThatThrownBy(() -> EnvSecretProvider.fromEnvironment(null)).hasMessage("environment");
  }
}
