package io.latchkey.config;

import static io.latchkey.config.SampleSchema.ALLOWED_ORIGINS;
import static io.latchkey.config.SampleSchema.CREDENTIALS_KEY;
import static io.latchkey.config.SampleSchema.DATABASE_URL;
import static io.latchkey.config.SampleSchema.DEBUG;
import static io.latchkey.config.SampleSchema.HOST;
import static io.latchkey.config.SampleSchema.LLM_API_KEY;
import static io.latchkey.config.SampleSchema.LOG_LEVEL;
import static io.latchkey.config.SampleSchema.PORT;
import static io.latchkey.config.SampleSchema.REQUEST_TIMEOUT;
import static io.latchkey.config.SampleSchema.SCHEMA;
import static io.latchkey.config.SampleSchema.WORKERS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.latchkey.ConfigException;
import io.latchkey.ConfigException.Problem;
import io.latchkey.Secret;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class ConfigSchemaTest {
  private static final String KEY = SampleSchema.fernetKey(1);
  private static final String OLD_KEY = SampleSchema.fernetKey(2);

  @TempDir Path dir;

  @Test
  void load_validDotenvFile_returnsTypedValues() throws Exception {
    ConfigSource source =
        EnvFileSource.write(
            dir,
            "# a real file, read line by line",
            "PORT=9090",
            "REQUEST_TIMEOUT=2m",
            "DEBUG=yes",
            "LOG_LEVEL=WARN",
            "ALLOWED_ORIGINS=https://a.example, https://b.example",
            "POSTGRES_PASSWORD=pw",
            "LLM_API_KEY=sk-test",
            "CREDENTIALS_KEY=" + KEY,
            "CREDENTIALS_KEY_PREVIOUS=" + OLD_KEY);

    Config config = SCHEMA.load(source);

    assertThat(config.get(PORT)).isEqualTo(9090);
    assertThat(config.get(HOST)).isEqualTo("0.0.0.0");
    assertThat(config.get(REQUEST_TIMEOUT)).isEqualTo(Duration.ofMinutes(2));
    assertThat(config.get(WORKERS)).isEqualTo(4);
    assertThat(config.get(DEBUG)).isTrue();
    assertThat(config.get(LOG_LEVEL)).isEqualTo(SampleSchema.LogLevel.WARN);
    assertThat(config.get(ALLOWED_ORIGINS))
        .containsExactly("https://a.example", "https://b.example");
    assertThat(config.get(DATABASE_URL)).isEqualTo(URI.create("postgresql://app:pw@db:5432/app"));
    assertThat(config.get(LLM_API_KEY).reveal()).isEqualTo("sk-test");
    assertThat(config.get(CREDENTIALS_KEY).current().reveal()).isEqualTo(KEY);
    assertThat(config.get(CREDENTIALS_KEY).previous()).hasSize(1);
    assertThat(config.origin("PORT")).contains(Origin.of(Origin.Kind.DOTENV, ".env line 2"));
    assertThat(config.origin("HOST")).contains(Origin.of(Origin.Kind.DEFAULT));
    assertThat(config.origin("DATABASE_URL")).contains(Origin.of(Origin.Kind.DERIVED));
    assertThat(config.schema()).isSameAs(SCHEMA);
  }

  @Test
  void load_unsetOptional_isEmptyAndGetSaysToUseFind() {
    Config config = SCHEMA.load(minimal(Map.of()));
    assertThat(config.find(ALLOWED_ORIGINS)).isEmpty();
    assertThat(config.origin("ALLOWED_ORIGINS")).isEmpty();
    assertThatThrownBy(() -> config.get(ALLOWED_ORIGINS))
        .isInstanceOf(NoSuchElementException.class)
        .hasMessage("ALLOWED_ORIGINS is optional and not set; read it with find()");
    assertThat(config.find(PORT)).contains(8080);
  }

  @Test
  void load_manyBadSettings_reportsEveryProblemAtOnceInDeclarationOrder() throws Exception {
    ConfigSource source =
        EnvFileSource.write(
            dir,
            "PORT=eighty",
            "REQUEST_TIMEOUT=30",
            "WORKERS=0",
            "DEBUG=maybe",
            "ALLOWED_ORIGINS=https://a.example,,https://b.example",
            "LOG_LEVEL=verbose",
            "LLM_BASE_URL=http://api.example.com",
            "CREDENTIALS_KEY=too-short",
            "CREDENTIALS_KEY_PREVIOUS=" + OLD_KEY + ",");

    ConfigException e = catchThrowableOfType(ConfigException.class, () -> SCHEMA.load(source));

    assertThat(e.problems())
        .containsExactly(
            new Problem(
                "PORT",
                "'eighty' is not an integer; expected a port number from 1 to 65535"
                    + " (from .env (.env line 1))"),
            new Problem(
                "REQUEST_TIMEOUT",
                "'30' has no unit; expected a duration such as 500ms, 30s, 5m, 2h, 1d, or"
                    + " ISO-8601 such as PT30S (from .env (.env line 2))"),
            new Problem(
                "WORKERS",
                "'0' is less than 1; expected an integer from 1 to 64 (from .env (.env line 3))"),
            new Problem(
                "DEBUG",
                "'maybe' is not a boolean; expected one of true, false, yes, no, 1, 0 (any case)"
                    + " (from .env (.env line 4))"),
            new Problem(
                "ALLOWED_ORIGINS",
                "'https://a.example,,https://b.example' has an empty entry (entry 2); expected a"
                    + " comma-separated list whose entries are each a string"
                    + " (from .env (.env line 5))"),
            new Problem(
                "LOG_LEVEL",
                "'verbose' is not an allowed value; expected one of debug, info, warn, error"
                    + " (any case) (from .env (.env line 6))"),
            new Problem(
                "DATABASE_URL",
                "is not set, and cannot be derived because POSTGRES_PASSWORD is not set; set"
                    + " DATABASE_URL, or the settings it is derived from (POSTGRES_PASSWORD,"
                    + " POSTGRES_HOST); expected an absolute URI with scheme postgresql or"
                    + " postgres"),
            new Problem(
                "LLM_API_KEY",
                "is not set (nor is its deprecated name OPENAI_API_KEY); expected a secret"),
            new Problem(
                "LLM_BASE_URL",
                "'http://api.example.com' has a scheme that is not allowed; expected an absolute"
                    + " URI with scheme https (from .env (.env line 7))"),
            new Problem(
                "CREDENTIALS_KEY",
                "is not 44 characters of URL-safe base64; expected a Fernet key (32 bytes of URL-safe base64, 44"
                    + " characters), such as one printed by 'latchkey keygen'"
                    + " (from .env (.env line 8))"),
            new Problem(
                "CREDENTIALS_KEY_PREVIOUS entry 2",
                "is blank; remove the extra comma, or restore the key that was there"
                    + " (from .env (.env line 9))"));
    assertThat(e.getMessage())
        .startsWith("invalid configuration (11 problems):\n  - PORT: 'eighty' is not an integer");
  }

  @Test
  void load_sourceThatFails_reportsItsProblemOnce() {
    ConfigSource failing =
        new ConfigSource() {
          @Override
          public Optional<ConfigValue> get(String name) {
            if (name.equals("LLM_API_KEY")) {
              throw new ConfigException("LLM_API_KEY_FILE", "names a file that does not exist");
            }
            return minimal(Map.of()).get(name);
          }

          @Override
          public String description() {
            return "failing";
          }
        };
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> SCHEMA.load(failing));
    assertThat(e.problems())
        .containsExactly(new Problem("LLM_API_KEY_FILE", "names a file that does not exist"));
  }

  @Test
  void get_byNameAndClass_checksTheType() {
    Config config = SCHEMA.load(minimal(Map.of("PORT", "81")));
    assertThat(config.get("PORT", Integer.class)).isEqualTo(81);
    assertThat(config.get("PORT", int.class)).isEqualTo(81);
    assertThat(config.get("DEBUG", boolean.class)).isFalse();
    assertThat(config.get("PORT", Object.class)).isEqualTo(81);
    assertThat(config.get("LLM_API_KEY", Secret.class).reveal()).isEqualTo("sk-test");
    assertThat(config.get("HOST", String.class)).isEqualTo("0.0.0.0");
    assertThat(config.find("ALLOWED_ORIGINS", List.class)).isEmpty();
    assertThatThrownBy(() -> config.get("ALLOWED_ORIGINS", List.class))
        .isInstanceOf(NoSuchElementException.class);
    assertThatThrownBy(() -> config.get("PORT", String.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("PORT holds Integer values, not String");
    assertThatThrownBy(() -> config.get("PORT", long.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("no setting holds long values");
    assertThatThrownBy(() -> config.get("NOPE", String.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("NOPE is not a setting of this configuration's schema");
    assertThatThrownBy(() -> config.origin("NOPE")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void get_settingOfAnotherSchema_isRejected() {
    Config config = SCHEMA.load(minimal(Map.of()));
    Setting<Integer> samePortOtherKey = Setting.port("PORT").build();
    assertThatThrownBy(() -> config.get(samePortOtherKey))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("PORT is not a setting of this configuration's schema");
  }

  @Test
  void schema_listsItsSettingsAndGroups() {
    assertThat(SCHEMA.settings()).hasSize(13).first().isSameAs(PORT);
    assertThat(SCHEMA.setting("PORT")).containsSame(PORT);
    assertThat(SCHEMA.setting("HTTP_PORT")).isEmpty();
    assertThat(SCHEMA.groups()).containsExactly("Server", "Database", "LLM", "Encryption");
    assertThat(SCHEMA).hasToString("ConfigSchema[13 settings]");
    assertThat(ConfigSchema.builder().add(PORT).build()).hasToString("ConfigSchema[1 setting]");
    assertThat(ConfigSchema.builder().build().load(minimal(Map.of())).report().rows()).isEmpty();
  }

  @Test
  void build_duplicateName_isRejected() {
    assertThatThrownBy(
            () -> ConfigSchema.builder().add(PORT).add(Setting.port("PORT").build()).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("setting PORT is declared twice");
  }

  @Test
  void build_aliasThatIsAlsoASettingOrAnotherAlias_isRejected() {
    Setting<Integer> httpPort = Setting.port("HTTP_PORT").build();
    assertThatThrownBy(() -> ConfigSchema.builder().add(PORT).add(httpPort).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("HTTP_PORT is both a setting and an alias of PORT");
    Setting<Integer> other = Setting.port("ADMIN_PORT").aliases("HTTP_PORT").build();
    assertThatThrownBy(() -> ConfigSchema.builder().add(PORT).add(other).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("HTTP_PORT is both an alias of PORT and an alias of ADMIN_PORT");
    Setting<String> previous = Setting.string("CREDENTIALS_KEY_PREVIOUS").build();
    assertThatThrownBy(() -> ConfigSchema.builder().add(CREDENTIALS_KEY).add(previous).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "CREDENTIALS_KEY_PREVIOUS is both a setting and the older keys of key list"
                + " CREDENTIALS_KEY");
  }

  @Test
  void build_derivedFromAnUndeclaredSetting_isRejected_namingEveryMissingInput() {
    assertThatThrownBy(() -> ConfigSchema.builder().add(DATABASE_URL).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "DATABASE_URL is derived from POSTGRES_PASSWORD, which the schema does not declare;"
                + " DATABASE_URL is derived from POSTGRES_HOST, which the schema does not declare");
  }

  @Test
  void build_cycle_isRejectedNamingIt() {
    Setting<String> a = Setting.string("A").derive("${B}-a").build();
    Setting<String> b = Setting.string("B").derive("${C}-b").build();
    Setting<String> c = Setting.string("C").derive("${A}-c").build();
    Setting<String> d = Setting.string("D").build();
    assertThatThrownBy(() -> ConfigSchema.builder().add(d).add(a).add(b).add(c).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("derived settings form a cycle: A -> B -> C -> A");
    assertThatThrownBy(() -> Setting.string("A").derive("${A}").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("A: a setting cannot be derived from itself");
  }

  /** The sample's required settings, valid, plus the given values. */
  static ConfigSource minimal(Map<String, String> extra) {
    Map<String, String> values = new java.util.HashMap<>(extra);
    values.putIfAbsent("LLM_API_KEY", "sk-test");
    values.putIfAbsent("CREDENTIALS_KEY", KEY);
    values.putIfAbsent("POSTGRES_PASSWORD", "pw");
    return ConfigSource.of(values, Origin.Kind.ENV);
  }
}
