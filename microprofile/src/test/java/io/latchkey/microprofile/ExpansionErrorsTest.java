package io.latchkey.microprofile;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.latchkey.ConfigException;
import io.latchkey.Secret;
import io.latchkey.provider.env.EnvSecretProvider;
import io.latchkey.testsupport.Leaks;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.eclipse.microprofile.config.spi.Converter;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No error SmallRye's expression engine raises quotes any part of a value from any layer of
 * Latchkey's source: those served as stored never reach the engine, and a failure to expand one
 * that is expanded (the environment), or one that another property's expression reads, is reported
 * naming the property and the source only.
 */
final class ExpansionErrorsTest {
  private static final String ALNUM =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  private static final int SECRETS_PER_LAYER = 60;

  @TempDir Path dir;
  private final Map<String, String> env = new HashMap<>();

  @BeforeEach
  void setUp() {
    FakeSecrets.reset();
    env.put(EnvSecretProvider.ENV_FILE_VARIABLE, EnvSecretProvider.NO_ENV_FILE);
  }

  @Test
  void randomSecrets_fromEveryLayer_areNeverQuotedInAnError() throws IOException {
    for (long seed = 1; seed <= 3; seed++) {
      checkRound(new SplittableRandom(seed));
    }
  }

  private void checkRound(SplittableRandom random) throws IOException {
    Path round = Files.createTempDirectory(dir, "round");
    Path secretsDir = Files.createDirectory(round.resolve("secrets"));
    Map<String, String> variables = new HashMap<>(env);
    Map<String, String> overrides = new HashMap<>();
    Map<String, String> properties = new HashMap<>();
    StringBuilder dotenv = new StringBuilder();
    List<String> verbatim = new ArrayList<>();
    List<String> expanded = new ArrayList<>();
    Map<String, String> secrets = new HashMap<>();
    for (int i = 0; i < SECRETS_PER_LAYER; i++) {
      String file = "file" + i;
      secrets.put(file, shaped(random));
      Path path = Files.writeString(round.resolve(file), secrets.get(file) + "\n", UTF_8);
      variables.put("FILE" + i + "_FILE", path.toString());
      verbatim.add(file);

      String inDir = "dir" + i;
      secrets.put(inDir, shaped(random));
      Files.writeString(secretsDir.resolve(inDir), secrets.get(inDir), UTF_8);
      verbatim.add(inDir);

      String inDotenv = "dotenv" + i;
      secrets.put(inDotenv, shaped(random));
      dotenv
          .append("DOTENV")
          .append(i)
          .append("=\"")
          .append(secrets.get(inDotenv).replace("\\", "\\\\").replace("\"", "\\\""))
          .append("\"\n");
      verbatim.add(inDotenv);

      String inEnv = "env" + i;
      secrets.put(inEnv, shaped(random));
      variables.put("ENV" + i, secrets.get(inEnv));
      expanded.add(inEnv);

      String override = "override" + i;
      secrets.put(override, shaped(random));
      overrides.put("OVERRIDE" + i, secrets.get(override));
      expanded.add(override);

      // A value of another source whose expression reads a secret file: expanded there.
      String composed = "composed" + i;
      properties.put(composed, "jdbc:postgresql://app:${file" + i + "}@db/app");
      secrets.put(composed, secrets.get(file));
      expanded.add(composed);
    }
    variables.put(
        EnvSecretProvider.ENV_FILE_VARIABLE,
        Files.writeString(round.resolve(".env"), dotenv, UTF_8).toString());
    variables.put(EnvSecretProvider.SECRETS_DIR_VARIABLE, secretsDir.toString());
    EnvSecretProvider withOverrides =
        EnvSecretProvider.builder().environment(Map.of()).noDotenv().overrides(overrides).build();

    SmallRyeConfig config =
        new SmallRyeConfigBuilder()
            .addDefaultInterceptors()
            .withSources(LatchkeyConfigSource.fromEnvironment(variables))
            .withSources(LatchkeyConfigSource.of(withOverrides, 298))
            .withSources(new PropertiesConfigSource(properties, "test.properties", 250))
            .withInterceptorFactories(new SecretReferences(null, env))
            .withConverters(new Converter<?>[] {new SecretConverter()})
            .build();

    for (String property : verbatim) {
      String secret = secrets.get(property);
      assertThat(read(() -> config.getValue(property, String.class), secret))
          .as(property)
          .isEqualTo(secret);
      assertThat(read(() -> config.getValue(property, Secret.class), secret).reveal())
          .isEqualTo(secret);
    }
    for (String property : expanded) {
      String secret = secrets.get(property);
      readOrFail(() -> config.getValue(property, String.class), secret);
      readOrFail(() -> config.getOptionalValue(property, String.class), secret);
      readOrFail(() -> config.getConfigValue(property).getRawValue(), secret);
      readOrFail(() -> config.getValue(property, Secret.class), secret);
    }
  }

  @Test
  void environmentValue_withAnExpressionThatCannotExpand_failsNamingThePropertyAndTheSource() {
    String secret = "Zq8x${Yt42pLmN0w}Rv";
    env.put("DB_PASSWORD", secret);
    SmallRyeConfig config = config(Map.of());

    for (Supplier<?> read :
        List.<Supplier<?>>of(
            () -> config.getValue("db.password", String.class),
            () -> config.getOptionalValue("db.password", String.class),
            () -> config.getConfigValue("db.password"))) {
      ConfigException e = catchThrowableOfType(ConfigException.class, read::get);
      assertThat(e.getMessage()).contains("db.password").contains("LatchkeyConfigSource[");
      Leaks.assertNoLeak(e, secret);
    }
  }

  @Test
  void environmentValue_withAnUnknownSecretHandler_failsWithoutQuotingTheHandlerName() {
    String secret = "Kd9${Yt42pLmN0wQ::payload}";
    env.put("API_KEY", secret);

    ConfigException e =
        catchThrowableOfType(
            ConfigException.class, () -> config(Map.of()).getValue("api.key", String.class));

    assertThat(e.getMessage()).contains("api.key");
    Leaks.assertNoLeak(e, secret);
  }

  @Test
  void propertyComposedFromASecretFile_thatCannotExpand_failsWithoutQuotingTheFile()
      throws IOException {
    String secret = "Ab3${Yt42pLmN0w}Rv";
    Path file = Files.writeString(dir.resolve("db"), secret + "\n", UTF_8);
    env.put("DB_PASSWORD_FILE", file.toString());
    SmallRyeConfig config = config(Map.of("db.url", "jdbc:postgresql://app:${db.password}@db/app"));

    assertThat(config.getValue("db.password", String.class)).isEqualTo(secret);
    ConfigException e =
        catchThrowableOfType(ConfigException.class, () -> config.getValue("db.url", String.class));
    assertThat(e.getMessage()).contains("db.url").contains("LatchkeyConfigSource[");
    Leaks.assertNoLeak(e, secret);
  }

  @Test
  void otherSourcesExpansionErrors_areSmallRyesOwn() {
    SmallRyeConfig config = config(Map.of("app.url", "https://${app.host}/"));

    Throwable e = catchThrowable(() -> config.getValue("app.url", String.class));

    assertThat(e).isInstanceOf(java.util.NoSuchElementException.class);
    assertThat(e.getMessage()).contains("SRCFG00011").contains("app.host");
  }

  private SmallRyeConfig config(Map<String, String> properties) {
    return Configs.builder(properties)
        .withSources(LatchkeyConfigSource.fromEnvironment(env))
        .withInterceptorFactories(new SecretReferences(null, env))
        .build();
  }

  /** A read that must succeed; its failure is checked for the secret before it fails the test. */
  private static <T> T read(Supplier<T> read, String secret) {
    try {
      return read.get();
    } catch (RuntimeException e) {
      Leaks.assertNoLeak(e, secret);
      throw e;
    }
  }

  /** A read that may fail, as an expanded value may, but never with the secret in its message. */
  private static void readOrFail(Supplier<?> read, String secret) {
    try {
      Object unused = read.get();
    } catch (RuntimeException e) {
      Leaks.assertNoLeak(e, secret);
    }
  }

  /**
   * A random secret with the shapes SmallRye's engine reads: an expression whose key is long enough
   * for a quoted key to count as a leak, sometimes a handler ({@code ::}), a default, an escape.
   */
  private static String shaped(SplittableRandom random) {
    StringBuilder secret = new StringBuilder(Leaks.randomSecret(random, 40));
    String key = alnum(random, 10);
    String expression =
        switch (random.nextInt(6)) {
          case 0 -> "${" + key + "}";
          case 1 -> "${" + key + "::" + alnum(random, 4) + "}";
          case 2 -> "${" + key + ":" + alnum(random, 4) + "}";
          case 3 -> "$${" + key + "}";
          case 4 -> "\\${" + key + "}";
          default -> "${" + key + ":${" + alnum(random, 10) + "}}";
        };
    secret.insert(position(random, secret), expression);
    secret.insert(position(random, secret), random.nextBoolean() ? "\\$" : "$:");
    return secret.toString();
  }

  /** A place to insert at that does not split a surrogate pair. */
  private static int position(SplittableRandom random, StringBuilder text) {
    int at = random.nextInt(text.length() + 1);
    return at > 0 && Character.isHighSurrogate(text.charAt(at - 1)) ? at - 1 : at;
  }

  private static String alnum(SplittableRandom random, int length) {
    StringBuilder out = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      out.append(ALNUM.charAt(random.nextInt(ALNUM.length())));
    }
    return out.toString();
  }
}
