package io.latchkey.examples;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.latchkey.ConfigException;
import io.latchkey.Secret;
import io.latchkey.config.Config;
import io.latchkey.config.ConfigDocs;
import io.latchkey.config.ConfigSchema;
import io.latchkey.config.ConfigSource;
import io.latchkey.config.KeyList;
import io.latchkey.config.Origin;
import io.latchkey.config.Setting;
import io.latchkey.crypto.FernetKey;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code quickstart-schema.json} declares exactly the settings {@link QuickstartSettings} declares
 * in Java: the same docs, and the same values and problems from the same sources.
 */
final class QuickstartSchemaJsonTest {
  private static final ConfigSchema JAVA = QuickstartSettings.SCHEMA;
  private static final ConfigSchema JSON = readJsonSchema();

  private static ConfigSchema readJsonSchema() {
    try (InputStream in = Quickstart.class.getResourceAsStream("/quickstart-schema.json")) {
      assertThat(in).as("quickstart-schema.json on the class path").isNotNull();
      return ConfigSchema.fromJson(new String(in.readAllBytes(), UTF_8));
    } catch (IOException e) {
      throw new AssertionError("cannot read quickstart-schema.json", e);
    }
  }

  private static final String KEY = FernetKey.generate().encoded().reveal();
  private static final String OLD_KEY = FernetKey.generate().encoded().reveal();

  @Test
  void docs_areTheSame() {
    assertThat(ConfigDocs.markdown(JSON, "Quickstart settings"))
        .isEqualTo(ConfigDocs.markdown(JAVA, "Quickstart settings"));
    assertThat(ConfigDocs.dotenv(JSON)).isEqualTo(ConfigDocs.dotenv(JAVA));
  }

  @Test
  void settings_areTheSameOneByOne() {
    assertThat(names(JSON)).containsExactlyElementsOf(names(JAVA));
    for (Setting<?> java : JAVA.settings()) {
      Setting<?> json = JSON.setting(java.name()).orElseThrow();
      assertThat(json.type()).as(java.name()).isEqualTo(java.type());
      assertThat(json.typeDescription()).as(java.name()).isEqualTo(java.typeDescription());
      assertThat(json.group()).as(java.name()).isEqualTo(java.group());
      assertThat(json.description()).as(java.name()).isEqualTo(java.description());
      assertThat(json.isRequired()).as(java.name()).isEqualTo(java.isRequired());
      assertThat(json.isSecret()).as(java.name()).isEqualTo(java.isSecret());
      assertThat(json.defaultText()).as(java.name()).isEqualTo(java.defaultText());
      assertThat(json.examples()).as(java.name()).isEqualTo(java.examples());
      assertThat(json.aliases()).as(java.name()).isEqualTo(java.aliases());
      assertThat(json.inputs()).as(java.name()).isEqualTo(java.inputs());
      assertThat(json.derivation()).as(java.name()).isEqualTo(java.derivation());
    }
  }

  @Test
  void load_minimalSource_givesTheSameValues() {
    assertSameLoad(
        Map.of(
            "APP_ENCRYPTION_KEY", KEY,
            "JWT_SECRET_KEY", "CANARY-7f3a9c-jwt",
            "POSTGRES_PASSWORD", "p@ss word/1"));
  }

  @Test
  void load_everySettingSet_givesTheSameValues() {
    Map<String, String> values = new HashMap<>();
    values.put("APP_ENCRYPTION_KEY", KEY);
    values.put("APP_ENCRYPTION_KEY_PREVIOUS", OLD_KEY);
    values.put("JWT_SECRET", "CANARY-7f3a9c-old-name");
    values.put("SESSION_TTL", "1h30m");
    values.put("POSTGRES_PASSWORD", "pw");
    values.put("POSTGRES_HOST", "db.internal");
    values.put("POSTGRES_PORT", "6543");
    values.put("POSTGRES_USER", "svc");
    values.put("POSTGRES_DB", "main");
    values.put("DATABASE_URL", "postgres://svc:other@replica:5432/main");
    values.put("HTTP_PORT", "9000");
    values.put("CORS_ORIGINS", "https://a.example.com, https://b.example.com");
    values.put("LOG_FORMAT", "JSON");
    values.put("FEATURE_SIGNUP", "no");
    values.put("FEATURE_AUDIT_LOG", "YES");
    assertSameLoad(values);
  }

  @Test
  void load_brokenSource_givesTheSameProblems() {
    Map<String, String> values = new HashMap<>();
    values.put("APP_ENCRYPTION_KEY", "short");
    values.put("APP_ENCRYPTION_KEY_PREVIOUS", OLD_KEY + ",,");
    values.put("HTTP_PORT", "0");
    values.put("POSTGRES_PORT", "5432x");
    values.put("DATABASE_URL", "mysql://db/app");
    values.put("CORS_ORIGINS", "not a url");
    values.put("LOG_FORMAT", "yaml");
    values.put("FEATURE_SIGNUP", "2");
    values.put("SESSION_TTL", "-5m");
    ConfigSource source = ConfigSource.of(values, Origin.Kind.ENV);

    ConfigException java = catchThrowableOfType(ConfigException.class, () -> JAVA.load(source));
    ConfigException json = catchThrowableOfType(ConfigException.class, () -> JSON.load(source));

    assertThat(java).isNotNull();
    assertThat(json).isNotNull();
    assertThat(json.problems()).isEqualTo(java.problems());
    assertThat(java.problems()).hasSizeGreaterThanOrEqualTo(10);
  }

  private static void assertSameLoad(Map<String, String> values) {
    ConfigSource source = ConfigSource.of(values, Origin.Kind.ENV);
    Config java = JAVA.load(source);
    Config json = JSON.load(source);

    assertThat(json.report()).isEqualTo(java.report());
    for (Setting<?> setting : JAVA.settings()) {
      String name = setting.name();
      Class<?> jsonType = JSON.setting(name).orElseThrow().javaType();
      assertThat(comparable(json.find(name, jsonType).orElse(null)))
          .as(name)
          .isEqualTo(comparable(java.find(setting).orElse(null)));
      assertThat(json.origin(name)).as(name).isEqualTo(java.origin(name));
    }
  }

  /** Values as text: secrets revealed, and a Java enum as the JSON schema's allowed value. */
  private static Object comparable(Object value) {
    if (value instanceof Secret secret) {
      return "secret:" + secret.reveal();
    } else if (value instanceof KeyList keys) {
      List<String> all = new ArrayList<>();
      keys.all().forEach(k -> all.add(k.reveal()));
      return all;
    } else if (value instanceof Enum<?> e) {
      return e.name().toLowerCase(Locale.ROOT);
    }
    return value;
  }

  private static List<String> names(ConfigSchema schema) {
    return schema.settings().stream().map(Setting::name).toList();
  }
}
