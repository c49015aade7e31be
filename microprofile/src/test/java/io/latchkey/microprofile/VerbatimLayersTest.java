package io.latchkey.microprofile;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.provider.env.EnvSecretProvider;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Which of the Latchkey source's values SmallRye's expression engine reads: files, the secrets
 * directory and {@code .env} are served as stored; the environment is expanded, as MicroProfile's
 * own environment source is; every other source expands as it did without Latchkey.
 */
final class VerbatimLayersTest {
  /** Contents that SmallRye's engine would change or refuse. */
  private static final String[] TRICKY = {
    "Ab$${cd}ef",
    "Kd9\\${mm}Qr",
    "Zq8x${Yt42pLmN0w}Rv",
    "${only.an.expression}",
    "${with:default}",
    "${nested${deeper}}",
    "${aes-gcm-nopadding::c2VjcmV0}",
    "${no.such.handler::payload}",
    "tail$",
    "$$",
    "\\$",
    "a\\\\${b}",
    "}{$",
    "${unclosed",
    "p@ss:w0rd${}",
  };

  @TempDir Path dir;
  private final Map<String, String> env = new HashMap<>();

  @BeforeEach
  void setUp() {
    FakeSecrets.reset();
    env.put(EnvSecretProvider.ENV_FILE_VARIABLE, EnvSecretProvider.NO_ENV_FILE);
  }

  @Test
  void nameFile_servesEveryTrickyContentAsStored() throws IOException {
    for (int i = 0; i < TRICKY.length; i++) {
      Path file = Files.writeString(dir.resolve("secret" + i), TRICKY[i] + "\n", UTF_8);
      env.put("SECRET" + i + "_FILE", file.toString());
    }

    assertServedAsStored(config(LatchkeyConfigSource.fromEnvironment(env)));
  }

  @Test
  void secretsDirectoryFile_servesEveryTrickyContentAsStored() throws IOException {
    Path secrets = Files.createDirectory(dir.resolve("secrets"));
    for (int i = 0; i < TRICKY.length; i++) {
      Files.writeString(secrets.resolve("secret" + i), TRICKY[i], UTF_8);
    }
    env.put(EnvSecretProvider.SECRETS_DIR_VARIABLE, secrets.toString());

    assertServedAsStored(config(LatchkeyConfigSource.fromEnvironment(env)));
  }

  @Test
  void dotenvValue_singleDoubleQuotedOrUnquoted_isServedAsStored() throws IOException {
    StringBuilder dotenv = new StringBuilder();
    for (int i = 0; i < TRICKY.length; i++) {
      String value = TRICKY[i];
      dotenv.append("SECRET").append(i).append("='").append(value).append("'\n");
      dotenv
          .append("DOUBLE")
          .append(i)
          .append("=\"")
          .append(value.replace("\\", "\\\\").replace("\"", "\\\""))
          .append("\"\n");
      if (!value.contains(" ")) {
        dotenv.append("BARE").append(i).append('=').append(value).append('\n');
      }
    }
    env.put(
        EnvSecretProvider.ENV_FILE_VARIABLE,
        Files.writeString(dir.resolve(".env"), dotenv, UTF_8).toString());

    SmallRyeConfig config = config(LatchkeyConfigSource.fromEnvironment(env));

    assertServedAsStored(config);
    for (int i = 0; i < TRICKY.length; i++) {
      assertThat(config.getValue("double" + i, String.class)).isEqualTo(TRICKY[i]);
      assertThat(config.getValue("bare" + i, String.class)).isEqualTo(TRICKY[i]);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"Ab$${cd}ef", "Zq8x${Yt42pLmN0w}Rv", "Kd9\\${mm}Qr"})
  void valueReachedThroughAProfile_isServedAsStored(String content) throws IOException {
    Path file = Files.writeString(dir.resolve("prod-db"), content, UTF_8);
    env.put("_PROD_DB_PASSWORD_FILE", file.toString());
    Path secrets = Files.createDirectory(dir.resolve("secrets"));
    Files.writeString(secrets.resolve("_prod_api_key"), content, UTF_8);
    env.put(EnvSecretProvider.SECRETS_DIR_VARIABLE, secrets.toString());

    SmallRyeConfig prod =
        new SmallRyeConfigBuilder()
            .addDefaultInterceptors()
            .withProfile("prod")
            .withSources(LatchkeyConfigSource.fromEnvironment(env))
            .withInterceptorFactories(new SecretReferences(null, env))
            .build();

    assertThat(prod.getValue("db.password", String.class)).isEqualTo(content);
    assertThat(prod.getValue("api.key", String.class)).isEqualTo(content);
  }

  @Test
  void environmentValue_isExpanded_exactlyAsMicroProfilesEnvironmentSourceExpandsIt() {
    Map<String, String> variables =
        Map.of(
            "DB_URL", "jdbc:postgresql://${db.host}/app",
            "DB_NAME", "${db.missing:fallback}",
            "ESCAPED", "Ab$${cd}ef",
            "BACKSLASHED", "Kd9\\${mm}Qr");
    env.putAll(variables);
    Map<String, String> properties = Map.of("db.host", "db.internal");

    SmallRyeConfig latchkey =
        Configs.builder(properties)
            .withSources(LatchkeyConfigSource.fromEnvironment(env))
            .withInterceptorFactories(new SecretReferences(null, env))
            .build();
    SmallRyeConfig smallRye =
        Configs.builder(properties).withSources(new EnvConfigSource(variables, 300)).build();

    for (String property : Set.of("db.url", "db.name", "escaped", "backslashed")) {
      assertThat(latchkey.getValue(property, String.class))
          .as(property)
          .isEqualTo(smallRye.getValue(property, String.class));
    }
    assertThat(latchkey.getValue("db.url", String.class))
        .isEqualTo("jdbc:postgresql://db.internal/app");
    assertThat(latchkey.getValue("escaped", String.class)).isEqualTo("Ab${cd}ef");
  }

  @Test
  void smallRyesOwnSources_expandAsTheyDoWithoutLatchkey() {
    Map<String, String> properties =
        Map.of(
            "db.host", "db.internal",
            "db.url", "jdbc:postgresql://${db.host}/app",
            "with.default", "${no.such:fallback}",
            "escaped", "Ab$${cd}ef",
            "backslashed", "Kd9\\${mm}Qr",
            "plain", "no dollar here");

    SmallRyeConfig plain = Configs.plain(properties);
    SmallRyeConfig with =
        Configs.builder(properties)
            .withSources(LatchkeyConfigSource.fromEnvironment(env))
            .withInterceptorFactories(new SecretReferences(null, env))
            .build();

    for (String property : properties.keySet()) {
      assertThat(with.getValue(property, String.class))
          .as(property)
          .isEqualTo(plain.getValue(property, String.class));
    }
    assertThat(with.getValue("db.url", String.class))
        .isEqualTo("jdbc:postgresql://db.internal/app");
  }

  @Test
  void references_resolveFromEveryLayerAndFromOtherSources() throws IOException {
    env.put("TARGET_SECRET", "resolved-Xk4pQ9");
    Path file = Files.writeString(dir.resolve("db"), "ref+env:TARGET_SECRET\n", UTF_8);
    env.put("FROM_FILE_FILE", file.toString());
    Path secrets = Files.createDirectory(dir.resolve("secrets"));
    Files.writeString(secrets.resolve("from_dir"), "ref+env:TARGET_SECRET", UTF_8);
    env.put(EnvSecretProvider.SECRETS_DIR_VARIABLE, secrets.toString());
    Path dotenv =
        Files.writeString(
            dir.resolve(".env"),
            "FROM_DOTENV='ref+env:TARGET_SECRET'\n"
                + "FROM_DOTENV_PLACEHOLDER='${ref:env:TARGET_SECRET}'\n"
                + "LITERAL=ref++x\n",
            UTF_8);
    env.put(EnvSecretProvider.ENV_FILE_VARIABLE, dotenv.toString());
    env.put("FROM_ENV", "ref+env:TARGET_SECRET");
    env.put("FROM_ENV_EXPRESSION", "${reference.text}");
    Map<String, String> properties =
        Map.of(
            "reference.text", "ref+env:TARGET_SECRET",
            "from.properties", "ref+env:TARGET_SECRET",
            "from.expression", "${reference.text}");

    SmallRyeConfig config =
        Configs.builder(properties)
            .withSources(LatchkeyConfigSource.fromEnvironment(env))
            .withInterceptorFactories(new SecretReferences(null, env))
            .build();

    for (String property :
        Set.of(
            "from.file",
            "from.dir",
            "from.dotenv",
            "from.dotenv.placeholder",
            "from.env",
            "from.env.expression",
            "from.properties",
            "from.expression")) {
      assertThat(config.getValue(property, String.class)).as(property).isEqualTo("resolved-Xk4pQ9");
    }
    assertThat(config.getValue("literal", String.class)).isEqualTo("ref+x");
  }

  @Test
  void lookups_aValueWithoutDollarAsManyAsWithoutLatchkey_anExpressionOneMore() {
    Map<String, String> values = Map.of("plain", "no dollar", "expr", "${plain}!", "esc", "a$$b");
    Counting counting = new Counting(values);
    SmallRyeConfig config =
        new SmallRyeConfigBuilder()
            .addDefaultInterceptors()
            .withSources(counting, LatchkeyConfigSource.fromEnvironment(env))
            .withInterceptorFactories(new SecretReferences(null, env))
            .build();
    Counting alone = new Counting(values);
    SmallRyeConfig without =
        new SmallRyeConfigBuilder().addDefaultInterceptors().withSources(alone).build();

    assertThat(lookups(config, counting, "plain")).isEqualTo(lookups(without, alone, "plain"));
    assertThat(lookups(config, counting, "esc")).isEqualTo(lookups(without, alone, "esc") + 1);
    // One more for where the value comes from, and one, older, that looks in what an expanded
    // value's expressions read for a ${ref:…}.
    assertThat(lookups(config, counting, "expr")).isEqualTo(lookups(without, alone, "expr") + 2);
    assertThat(config.getValue("expr", String.class)).isEqualTo("no dollar!");
  }

  private static int lookups(SmallRyeConfig config, Counting source, String property) {
    source.reads.set(0);
    config.getValue(property, String.class);
    return source.reads.get();
  }

  private void assertServedAsStored(SmallRyeConfig config) {
    for (int i = 0; i < TRICKY.length; i++) {
      assertThat(config.getValue("secret" + i, String.class))
          .as("content %d", i)
          .isEqualTo(TRICKY[i]);
    }
  }

  private SmallRyeConfig config(ConfigSource source) {
    return new SmallRyeConfigBuilder()
        .addDefaultInterceptors()
        .withSources(source)
        .withInterceptorFactories(new SecretReferences(null, env))
        .build();
  }

  /** A plain MicroProfile source that counts the reads that find one of its properties. */
  private static final class Counting implements ConfigSource {
    final Map<String, String> values;
    final AtomicInteger reads = new AtomicInteger();

    Counting(Map<String, String> values) {
      this.values = values;
    }

    @Override
    public Set<String> getPropertyNames() {
      return values.keySet();
    }

    @Override
    public String getValue(String propertyName) {
      String value = values.get(propertyName);
      if (value != null) {
        reads.incrementAndGet();
      }
      return value;
    }

    @Override
    public String getName() {
      return "counting";
    }

    @Override
    public int getOrdinal() {
      return 250;
    }
  }
}
