package io.latchkey.microprofile;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.latchkey.ConfigException;
import io.latchkey.provider.env.EnvSecretProvider;
import io.latchkey.testsupport.Leaks;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The env provider's layers as a MicroProfile source, read through SmallRye Config. */
final class LatchkeyConfigSourceTest {
  private static final String CANARY = "pw-Zt8Lm4Xw9pRk2v7Q";

  @TempDir Path dir;
  private final Map<String, String> env = new HashMap<>();

  @BeforeEach
  void setUp() {
    FakeSecrets.reset();
    env.put(EnvSecretProvider.ENV_FILE_VARIABLE, EnvSecretProvider.NO_ENV_FILE);
  }

  @Test
  void propertyName_findsTheVariableInMicroProfilesEnvironmentForm() {
    env.put("DB_URL", "jdbc:postgresql://db/app");
    env.put("_PROD_DB_URL", "jdbc:postgresql://prod-db/app");
    env.put("QUARKUS_DATASOURCE__PG__USERNAME", "app");

    SmallRyeConfig config = config(LatchkeyConfigSource.fromEnvironment(env));

    assertThat(config.getValue("db.url", String.class)).isEqualTo("jdbc:postgresql://db/app");
    assertThat(config.getValue("quarkus.datasource.\"pg\".username", String.class))
        .isEqualTo("app");
    assertThat(config.getOptionalValue("no.such.property", String.class)).isEmpty();
    SmallRyeConfig prod =
        new SmallRyeConfigBuilder()
            .addDefaultInterceptors()
            .withProfile("prod")
            .withSources(LatchkeyConfigSource.fromEnvironment(env))
            .build();
    assertThat(prod.getValue("db.url", String.class)).isEqualTo("jdbc:postgresql://prod-db/app");
  }

  @Test
  void nameFile_dotenvAndSecretsDirectory_areServed() throws IOException {
    Path password = Files.writeString(dir.resolve("db_password"), CANARY + "\n", UTF_8);
    Path secrets = Files.createDirectory(dir.resolve("secrets"));
    Files.writeString(secrets.resolve("smtp_password"), "smtp-secret", UTF_8);
    Path dotenv =
        Files.writeString(
            dir.resolve(".env"), "export APP_NAME=\"billing api\"\nAPP_MOTTO='a # b'\n", UTF_8);
    env.put("DB_PASSWORD_FILE", password.toString());
    env.put(EnvSecretProvider.ENV_FILE_VARIABLE, dotenv.toString());
    env.put(EnvSecretProvider.SECRETS_DIR_VARIABLE, secrets.toString());

    LatchkeyConfigSource source = LatchkeyConfigSource.fromEnvironment(env);
    SmallRyeConfig config = config(source);

    assertThat(config.getValue("db.password", String.class)).isEqualTo(CANARY);
    assertThat(config.getValue("app.name", String.class)).isEqualTo("billing api");
    assertThat(config.getValue("app.motto", String.class)).isEqualTo("a # b");
    assertThat(config.getValue("smtp.password", String.class)).isEqualTo("smtp-secret");
    assertThat(source.getPropertyNames()).contains("DB_PASSWORD", "APP_NAME", "SMTP_PASSWORD");
    Leaks.assertNoLeak("the source's name", source.getName(), CANARY);
    Leaks.assertNoLeak("the source's toString()", source.toString(), CANARY);
  }

  @Test
  void referenceInADotenvFile_isResolvedByTheInterceptor() throws IOException {
    FakeSecrets.put("prod/db", CANARY);
    Path dotenv = Files.writeString(dir.resolve(".env"), "DB_PASSWORD=ref+aws:prod/db\n", UTF_8);
    env.put(EnvSecretProvider.ENV_FILE_VARIABLE, dotenv.toString());

    try (SecretReferences references = new SecretReferences(null, Map.of())) {
      SmallRyeConfig config =
          new SmallRyeConfigBuilder()
              .addDefaultInterceptors()
              .withSources(LatchkeyConfigSource.fromEnvironment(env))
              .withInterceptorFactories(references)
              .build();

      assertThat(config.getValue("db.password", String.class)).isEqualTo(CANARY);
    }
  }

  @Test
  void ordinal_isJustBelowTheEnvironment_unlessSetOtherwise() {
    assertThat(LatchkeyConfigSource.fromEnvironment(env).getOrdinal()).isEqualTo(299);

    env.put(LatchkeyConfigSource.ORDINAL_VARIABLE, " 320 ");
    assertThat(LatchkeyConfigSource.fromEnvironment(env).getOrdinal()).isEqualTo(320);

    env.put(LatchkeyConfigSource.ORDINAL_VARIABLE, "high");
    assertThatThrownBy(() -> LatchkeyConfigSource.fromEnvironment(env))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(LatchkeyConfigSource.ORDINAL_VARIABLE)
        .hasMessageNotContaining("high");
  }

  @Test
  void ordinal_placesTheSourceBetweenTheEnvironmentAndApplicationProperties() {
    env.put("DB_USER", "from-latchkey");
    SmallRyeConfig config =
        new SmallRyeConfigBuilder()
            .addDefaultInterceptors()
            .withSources(LatchkeyConfigSource.fromEnvironment(env))
            .withSources(new PropertiesConfigSource(Map.of("db.user", "packaged"), "app", 250))
            .build();
    assertThat(config.getValue("db.user", String.class)).isEqualTo("from-latchkey");

    SmallRyeConfig withEnvironment =
        new SmallRyeConfigBuilder()
            .addDefaultInterceptors()
            .withSources(LatchkeyConfigSource.fromEnvironment(env))
            // MicroProfile's environment source, over a map, at its default ordinal.
            .withSources(new EnvConfigSource(Map.of("DB_USER", "from-env"), 300))
            .build();
    assertThat(withEnvironment.getValue("db.user", String.class)).isEqualTo("from-env");
  }

  @Test
  void nameAndNameFileBothSet_failsNamingTheVariableWithoutTheValue() throws IOException {
    Path password = Files.writeString(dir.resolve("db_password"), "file-value", UTF_8);
    env.put("DB_PASSWORD", CANARY);
    env.put("DB_PASSWORD_FILE", password.toString());
    SmallRyeConfig config = config(LatchkeyConfigSource.fromEnvironment(env));

    ConfigException e =
        catchThrowableOfType(
            ConfigException.class, () -> config.getValue("db.password", String.class));

    assertThat(e.getMessage()).contains("DB_PASSWORD").contains("DB_PASSWORD_FILE");
    Leaks.assertNoLeak(e, CANARY);
  }

  @Test
  void malformedDotenv_failsWithEveryProblemByLine() throws IOException {
    Path dotenv =
        Files.writeString(
            dir.resolve(".env"), "GOOD=1\n" + CANARY + "\nQUOTED=\"" + CANARY + "\n", UTF_8);
    env.put(EnvSecretProvider.ENV_FILE_VARIABLE, dotenv.toString());

    ConfigException e =
        catchThrowableOfType(
            ConfigException.class, () -> LatchkeyConfigSource.fromEnvironment(env));

    assertThat(e.problems()).hasSize(2);
    assertThat(e.getMessage()).contains(".env line 2").contains(".env line 3");
    Leaks.assertNoLeak(e, CANARY);
  }

  private static SmallRyeConfig config(ConfigSource source) {
    return new SmallRyeConfigBuilder().addDefaultInterceptors().withSources(source).build();
  }
}
