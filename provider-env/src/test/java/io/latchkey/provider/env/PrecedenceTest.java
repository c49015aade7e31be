package io.latchkey.provider.env;

import static io.latchkey.provider.env.Testing.CANARY;
import static io.latchkey.provider.env.Testing.text;
import static io.latchkey.provider.env.Testing.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.latchkey.ConfigException;
import io.latchkey.config.Origin;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Overrides > process environment > {@code .env} > secrets directory, and {@code NAME_FILE} at each
 * level.
 */
final class PrecedenceTest {
  @TempDir Path dir;

  private EnvSecretProvider.Builder layers(
      Map<String, String> overrides, Map<String, String> environment, String dotenv) {
    Path secrets = dir.resolve("secrets");
    return EnvSecretProvider.builder()
        .workingDirectory(dir)
        .overrides(overrides)
        .environment(environment)
        .dotenvFile(Testing.write(dir.resolve(".env"), dotenv))
        .secretsDir(secrets);
  }

  private Path secret(String fileName, String content) {
    return Testing.write(dir.resolve("secrets").resolve(fileName), content);
  }

  @Test
  void eachLayer_winsOverTheOnesBelowIt() throws Exception {
    Files.createDirectories(dir.resolve("secrets"));
    secret("A", "a-secrets\n");
    secret("B", "b-secrets\n");
    secret("C", "c-secrets\n");
    secret("D", "d-secrets\n");
    EnvSecretProvider env =
        layers(
                Map.of("A", "a-override"),
                Map.of("A", "a-env", "B", "b-env"),
                "A=a-dotenv\nB=b-dotenv\nC=c-dotenv\n")
            .build();

    assertThat(value(env, "A").text()).isEqualTo("a-override");
    assertThat(value(env, "A").origin()).isEqualTo(Origin.of(Origin.Kind.OVERRIDE));
    assertThat(value(env, "B").text()).isEqualTo("b-env");
    assertThat(value(env, "B").origin()).isEqualTo(Origin.of(Origin.Kind.ENV));
    assertThat(value(env, "C").text()).isEqualTo("c-dotenv");
    assertThat(value(env, "C").origin()).isEqualTo(Origin.of(Origin.Kind.DOTENV, ".env line 3"));
    assertThat(value(env, "D").text()).isEqualTo("d-secrets");
    assertThat(value(env, "D").origin()).isEqualTo(Origin.of(Origin.Kind.SECRETS_DIR, "D"));
    assertThat(env.get("E")).isEmpty();
  }

  @Test
  void realEnvironment_winsOverDotenv_evenWhenEmpty() throws Exception {
    Files.createDirectories(dir.resolve("secrets"));
    EnvSecretProvider env = layers(Map.of(), Map.of("EMPTY", ""), "EMPTY=from-dotenv\n").build();
    assertThat(value(env, "EMPTY").text()).isEmpty();
    assertThat(value(env, "EMPTY").origin().kind()).isEqualTo(Origin.Kind.ENV);
  }

  @Test
  void fileInTheEnvironment_winsOverNameInDotenv() throws Exception {
    Files.createDirectories(dir.resolve("secrets"));
    Path file = Testing.write(dir.resolve("db_password.txt"), "from-file\n");
    EnvSecretProvider env =
        layers(Map.of(), Map.of("DB_PASSWORD_FILE", file.toString()), "DB_PASSWORD=from-dotenv\n")
            .build();
    assertThat(value(env, "DB_PASSWORD").text()).isEqualTo("from-file");
    assertThat(value(env, "DB_PASSWORD").origin())
        .isEqualTo(Origin.of(Origin.Kind.FILE, file.toString()));
  }

  @Test
  void nameInTheEnvironment_winsOverFileInDotenv() throws Exception {
    Files.createDirectories(dir.resolve("secrets"));
    Path file = Testing.write(dir.resolve("db_password.txt"), "from-file\n");
    EnvSecretProvider env =
        layers(Map.of(), Map.of("DB_PASSWORD", "from-env"), "DB_PASSWORD_FILE=" + file + "\n")
            .build();
    assertThat(value(env, "DB_PASSWORD").text()).isEqualTo("from-env");
    assertThat(value(env, "DB_PASSWORD").origin().kind()).isEqualTo(Origin.Kind.ENV);
  }

  @Test
  void fileInAnOverride_winsOverTheEnvironment() throws Exception {
    Files.createDirectories(dir.resolve("secrets"));
    Path file = Testing.write(dir.resolve("override.txt"), "from-override-file\n");
    EnvSecretProvider env =
        layers(Map.of("TOKEN_FILE", file.toString()), Map.of("TOKEN", "from-env"), "").build();
    assertThat(value(env, "TOKEN").text()).isEqualTo("from-override-file");
    assertThat(value(env, "TOKEN").origin().kind()).isEqualTo(Origin.Kind.FILE);
  }

  @Test
  void fileInDotenv_winsOverTheSecretsDirectory() throws Exception {
    secret("api_key", "from-secrets-dir\n");
    Path file = Testing.write(dir.resolve("api.txt"), "from-dotenv-file\n");
    EnvSecretProvider env = layers(Map.of(), Map.of(), "API_KEY_FILE=" + file + "\n").build();
    assertThat(value(env, "API_KEY").text()).isEqualTo("from-dotenv-file");
  }

  @Test
  void nameAndFileInDifferentLayers_isNotAnError() throws Exception {
    Files.createDirectories(dir.resolve("secrets"));
    Path file = Testing.write(dir.resolve("x.txt"), "from-file");
    EnvSecretProvider env = layers(Map.of(), Map.of("X", "env"), "X_FILE=" + file + "\n").build();
    assertThat(text(env, "X")).isEqualTo("env");
  }

  @Test
  void nameAndFileInTheEnvironment_isAnErrorNamingBoth_andNeitherValue() throws Exception {
    Files.createDirectories(dir.resolve("secrets"));
    Path file = Testing.write(dir.resolve("pw.txt"), CANARY + "-file");
    EnvSecretProvider env =
        layers(
                Map.of(),
                Map.of("DB_PASSWORD", CANARY, "DB_PASSWORD_FILE", file.toString()),
                "DB_PASSWORD=lower-layer\n")
            .build();
    assertThatThrownBy(() -> env.get("DB_PASSWORD"))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "invalid configuration: DB_PASSWORD: is set together with DB_PASSWORD_FILE in the"
                + " environment; set one or the other")
        .hasMessageNotContaining(CANARY);
  }

  @Test
  void nameAndFileInDotenv_isAnErrorNamingBothLines() throws Exception {
    Files.createDirectories(dir.resolve("secrets"));
    Path file = Testing.write(dir.resolve("pw.txt"), "x");
    EnvSecretProvider env =
        layers(Map.of(), Map.of(), "DB_PASSWORD=" + CANARY + "\nDB_PASSWORD_FILE=" + file + "\n")
            .build();
    assertThatThrownBy(() -> env.get("DB_PASSWORD"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(
            "DB_PASSWORD: is set together with DB_PASSWORD_FILE in .env line 1 and .env line 2")
        .hasMessageNotContaining(CANARY);
  }

  @Test
  void nameAndFileInTheOverrides_isAnError() throws Exception {
    Files.createDirectories(dir.resolve("secrets"));
    Path file = Testing.write(dir.resolve("pw.txt"), "x");
    Map<String, String> overrides = new HashMap<>();
    overrides.put("PW", CANARY);
    overrides.put("PW_FILE", file.toString());
    EnvSecretProvider env = layers(overrides, Map.of(), "").build();
    assertThatThrownBy(() -> env.get("PW"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("PW: is set together with PW_FILE in the overrides")
        .hasMessageNotContaining(CANARY);
  }

  @Test
  void emptyNameBesideAFile_countsAsUnset_asInDockerFileEnv() throws Exception {
    Files.createDirectories(dir.resolve("secrets"));
    Path file = Testing.write(dir.resolve("pw.txt"), "from-file\n");
    EnvSecretProvider env =
        layers(Map.of(), Map.of("PW", "", "PW_FILE", file.toString()), "").build();
    assertThat(text(env, "PW")).isEqualTo("from-file");
  }

  @Test
  void emptyFileVariable_countsAsUnset() throws Exception {
    Files.createDirectories(dir.resolve("secrets"));
    EnvSecretProvider env =
        layers(Map.of(), Map.of("PW_FILE", "", "USER", "env-user", "USER_FILE", ""), "PW=dotenv\n")
            .build();
    assertThat(text(env, "PW")).isEqualTo("dotenv");
    assertThat(value(env, "PW").origin().kind()).isEqualTo(Origin.Kind.DOTENV);
    assertThat(text(env, "USER")).isEqualTo("env-user");
    assertThat(env.names()).contains("PW_FILE", "USER_FILE", "PW", "USER");
  }
}
