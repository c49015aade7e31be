package io.latchkey.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.latchkey.ConfigException;
import io.latchkey.Secret;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Records as schemas: component types give setting types, {@link Env} gives the rest. */
final class RecordBindingTest {
  private static final String CANARY = "CANARY-7f3a9c";

  enum Level {
    DEBUG,
    INFO
  }

  record AppConfig(
      @Env(value = "PORT", type = "port", defaultValue = "8080", group = "Server") int port,
      @Env(value = "LLM_API_KEY", aliases = "OPENAI_API_KEY", description = "LLM key.")
          Secret llmApiKey,
      @Env(defaultValue = "30s") Duration requestTimeout,
      @Env("SENTRY_DSN") Optional<URI> sentryDsn,
      @Env(defaultValue = "false") boolean debug,
      @Env(defaultValue = "info") Level logLevel,
      @Env(defaultValue = "a,b") List<String> tags,
      @Env(type = "port", defaultValue = "9000,9001") List<Integer> extraPorts,
      @Env(type = "fernet-key-list") KeyList credentialsKey,
      Optional<Secret> postgresPassword,
      @Env(
              type = "url",
              schemes = "postgresql",
              derive = "postgresql://app:${POSTGRES_PASSWORD|url}@db/app")
          Secret databaseUrl,
      @Env(min = 1, max = 8, defaultValue = "2") Integer workers,
      @Env(
              type = "enum",
              values = {"eu", "us"},
              defaultValue = "eu")
          String region) {}

  private static Map<String, String> valid() {
    return Map.of(
        "LLM_API_KEY", CANARY,
        "CREDENTIALS_KEY", SampleSchema.fernetKey(1),
        "POSTGRES_PASSWORD", "pw",
        "LOG_LEVEL", "DEBUG",
        "EXTRA_PORTS", "81, 82");
  }

  @Test
  void load_createsTheRecordFromTheSource() {
    AppConfig config =
        ConfigSchema.load(AppConfig.class, ConfigSource.of(valid(), Origin.Kind.ENV));

    assertThat(config.port()).isEqualTo(8080);
    assertThat(config.llmApiKey().reveal()).isEqualTo(CANARY);
    assertThat(config.requestTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(config.sentryDsn()).isEmpty();
    assertThat(config.debug()).isFalse();
    assertThat(config.logLevel()).isEqualTo(Level.DEBUG);
    assertThat(config.tags()).containsExactly("a", "b");
    assertThat(config.extraPorts()).containsExactly(81, 82);
    assertThat(config.credentialsKey().previous()).isEmpty();
    assertThat(config.postgresPassword())
        .hasValueSatisfying(p -> assertThat(p.reveal()).isEqualTo("pw"));
    assertThat(config.databaseUrl().reveal()).isEqualTo("postgresql://app:pw@db/app");
    assertThat(config.workers()).isEqualTo(2);
    assertThat(config.region()).isEqualTo("eu");
    // The record's own toString prints every component: secrets are Secret, so it is masked.
    assertThat(config.toString()).doesNotContain(CANARY).doesNotContain("pw@");
  }

  @Test
  void forRecord_declaresOneSettingPerComponent() {
    ConfigSchema schema = ConfigSchema.forRecord(AppConfig.class);

    assertThat(schema.settings())
        .extracting(Setting::name)
        .containsExactly(
            "PORT",
            "LLM_API_KEY",
            "REQUEST_TIMEOUT",
            "SENTRY_DSN",
            "DEBUG",
            "LOG_LEVEL",
            "TAGS",
            "EXTRA_PORTS",
            "CREDENTIALS_KEY",
            "POSTGRES_PASSWORD",
            "DATABASE_URL",
            "WORKERS",
            "REGION");
    assertThat(schema.settings())
        .extracting(Setting::type)
        .containsExactly(
            "port",
            "secret",
            "duration",
            "uri",
            "boolean",
            "enum",
            "list",
            "list",
            "fernet-key-list",
            "secret",
            "uri",
            "integer",
            "enum");
    Setting<?> key = schema.setting("LLM_API_KEY").orElseThrow();
    assertThat(key.aliases()).containsExactly("OPENAI_API_KEY");
    assertThat(key.description()).isEqualTo("LLM key.");
    assertThat(key.isRequired()).isTrue();
    assertThat(schema.setting("SENTRY_DSN").orElseThrow().isRequired()).isFalse();
    assertThat(schema.setting("PORT").orElseThrow().group()).isEqualTo("Server");
    assertThat(schema.setting("WORKERS").orElseThrow().typeDescription())
        .isEqualTo("integer (1 to 8)");
    assertThat(schema.setting("EXTRA_PORTS").orElseThrow().typeDescription())
        .isEqualTo("comma-separated list of port (1 to 65535)");
    assertThat(schema.setting("DATABASE_URL").orElseThrow().inputs())
        .containsExactly("POSTGRES_PASSWORD");
    // Worked out once per class.
    assertThat(ConfigSchema.forRecord(AppConfig.class)).isSameAs(schema);
  }

  @Test
  void load_badValues_reportsEveryProblem() {
    Map<String, String> values =
        Map.of("PORT", "x", "LOG_LEVEL", "loud", "WORKERS", "9", "REGION", "mars");
    ConfigException e =
        catchThrowableOfType(
            ConfigException.class,
            () -> ConfigSchema.load(AppConfig.class, ConfigSource.of(values, Origin.Kind.ENV)));
    assertThat(e.problems())
        .extracting(ConfigException.Problem::setting)
        .containsExactly(
            "PORT",
            "LLM_API_KEY",
            "LOG_LEVEL",
            "CREDENTIALS_KEY",
            "DATABASE_URL",
            "WORKERS",
            "REGION");
  }

  record Narrow(@Env("PORT") int port, @Env("MODE") Level mode) {}

  @Test
  void bind_takesValuesFromAnyFittingConfiguration() {
    // A JSON-style schema holds enums as strings; binding matches them to the record's enum.
    ConfigSchema schema =
        ConfigSchema.builder()
            .add(Setting.integer("PORT").build())
            .add(Setting.oneOf("MODE", "debug", "info").build())
            .add(Setting.string("OTHER").optional().build())
            .build();
    Config config =
        schema.load(ConfigSource.of(Map.of("PORT", "1", "MODE", "INFO"), Origin.Kind.ENV));
    assertThat(config.bind(Narrow.class)).isEqualTo(new Narrow(1, Level.INFO));
  }

  @Test
  void bind_missingOrMismatchedSetting_isRejected() {
    Config noMode =
        ConfigSchema.builder()
            .add(Setting.integer("PORT").build())
            .build()
            .load(ConfigSource.of(Map.of("PORT", "1"), Origin.Kind.ENV));
    assertThatThrownBy(() -> noMode.bind(Narrow.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Narrow needs MODE, which the configuration does not declare");

    Config stringPort =
        ConfigSchema.builder()
            .add(Setting.string("PORT").build())
            .add(Setting.oneOf("MODE", "debug").build())
            .build()
            .load(ConfigSource.of(Map.of("PORT", "1", "MODE", "debug"), Origin.Kind.ENV));
    assertThatThrownBy(() -> stringPort.bind(Narrow.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Narrow reads PORT as integer, but the configuration holds it as string");

    Config unsetPort =
        ConfigSchema.builder()
            .add(Setting.integer("PORT").optional().build())
            .add(Setting.oneOf("MODE", "debug").build())
            .build()
            .load(ConfigSource.of(Map.of("MODE", "debug"), Origin.Kind.ENV));
    assertThatThrownBy(() -> unsetPort.bind(Narrow.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Narrow needs a value for PORT, which is optional and not set; declare the component"
                + " as Optional");
  }

  record LeakyUrl(
      Optional<Secret> password, @Env(derive = "postgresql://app:${PASSWORD}@db/app") URI url) {}

  record UrlCheckedAsSecret(
      @Env(type = "url", schemes = "https") Secret webhook,
      @Env(type = "port") Optional<Secret> hiddenPort) {}

  @Test
  void secretComponentWithAType_isCheckedAsThatTypeAndHeldAsSecret() {
    Map<String, String> ok = Map.of("WEBHOOK", "https://hooks.example/" + CANARY);
    UrlCheckedAsSecret config =
        ConfigSchema.load(UrlCheckedAsSecret.class, ConfigSource.of(ok, Origin.Kind.ENV));
    assertThat(config.webhook().reveal()).isEqualTo("https://hooks.example/" + CANARY);
    assertThat(config.hiddenPort()).isEmpty();
    assertThat(config.toString()).doesNotContain(CANARY);

    Map<String, String> bad =
        Map.of("WEBHOOK", "http://hooks.example/" + CANARY, "HIDDEN_PORT", "0");
    ConfigException e =
        catchThrowableOfType(
            ConfigException.class,
            () ->
                ConfigSchema.load(UrlCheckedAsSecret.class, ConfigSource.of(bad, Origin.Kind.ENV)));
    assertThat(e.problems())
        .extracting(ConfigException.Problem::reason)
        .containsExactly(
            "has a scheme that is not allowed; expected an absolute URI with scheme https (from"
                + " env)",
            "is less than 1; expected a port number from 1 to 65535 (from env)");
  }

  record SecretString(@Env(secret = true) String token) {}

  record Unsupported(long size) {}

  record Mismatch(@Env(type = "port") String port) {}

  record SecretList(List<Secret> keys) {}

  record UnknownType(@Env(type = "money") String price) {}

  record Duplicate(@Env("A") String a, @Env("A") String b) {}

  record Wildcard(List<?> items) {}

  @Test
  void forRecord_badDeclarations_sayWhatToChange() {
    assertThatThrownBy(() -> ConfigSchema.forRecord(SecretString.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "SecretString.token: a secret must be declared as Secret (or KeyList), not String,"
                + " or the record's toString() prints it");
    assertThatThrownBy(() -> ConfigSchema.forRecord(Unsupported.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Unsupported.size: long is not a supported setting type; use int or boolean");
    assertThatThrownBy(() -> ConfigSchema.forRecord(Mismatch.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Mismatch.port: type 'port' holds Integer values, not String");
    assertThatThrownBy(() -> ConfigSchema.forRecord(SecretList.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("SecretList.keys: a list cannot hold secret entries");
    assertThatThrownBy(() -> ConfigSchema.forRecord(UnknownType.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(
            "UnknownType.price: type 'money' is unknown; expected one of string,");
    assertThatThrownBy(() -> ConfigSchema.forRecord(Duplicate.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Duplicate: setting A is declared twice");
    assertThatThrownBy(() -> ConfigSchema.forRecord(LeakyUrl.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "LeakyUrl.url: URL is derived from a secret, and the record's toString() would print"
                + " it; declare it as Secret (with type = \"uri\" to keep the check)");
    assertThatThrownBy(() -> ConfigSchema.forRecord(Wildcard.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Wildcard.items: List needs a concrete type argument");
  }

  @Test
  void upperSnake_convertsComponentNames() {
    assertThat(RecordBinding.upperSnake("port")).isEqualTo("PORT");
    assertThat(RecordBinding.upperSnake("requestTimeout")).isEqualTo("REQUEST_TIMEOUT");
    assertThat(RecordBinding.upperSnake("llmApiKey")).isEqualTo("LLM_API_KEY");
    assertThat(RecordBinding.upperSnake("databaseURL")).isEqualTo("DATABASE_URL");
    assertThat(RecordBinding.upperSnake("httpURLPrefix")).isEqualTo("HTTP_URL_PREFIX");
    assertThat(RecordBinding.upperSnake("http2Port")).isEqualTo("HTTP2_PORT");
  }
}
