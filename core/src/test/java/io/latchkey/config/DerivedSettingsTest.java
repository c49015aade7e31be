package io.latchkey.config;

import static io.latchkey.config.SampleSchema.DATABASE_URL;
import static io.latchkey.config.SampleSchema.SCHEMA;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.latchkey.ConfigException;
import io.latchkey.ConfigException.Problem;
import io.latchkey.Secret;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Settings computed from others when no source sets them. */
final class DerivedSettingsTest {

  private static Config load(ConfigSchema schema, Map<String, String> values) {
    return schema.load(ConfigSource.of(values, Origin.Kind.ENV));
  }

  @Test
  void setInASource_winsOverTheDerivation() {
    Config config =
        SCHEMA.load(
            ConfigSchemaTest.minimal(
                Map.of(
                    "DATABASE_URL",
                    "postgresql://ro:other@replica/app",
                    "POSTGRES_PASSWORD",
                    "pw")));
    assertThat(config.get(DATABASE_URL)).isEqualTo(URI.create("postgresql://ro:other@replica/app"));
    assertThat(config.origin("DATABASE_URL")).contains(Origin.of(Origin.Kind.ENV));
    assertThat(row(config, "DATABASE_URL"))
        .isEqualTo(
            new ConfigReport.Row("DATABASE_URL", "env", "postgresql://ro:***@replica/app", "ok"));
  }

  @Test
  void setInASource_needsNoInputs() {
    Map<String, String> values =
        Map.of(
            "DATABASE_URL", "postgresql://app:pw@db/app",
            "LLM_API_KEY", "k",
            "CREDENTIALS_KEY", SampleSchema.fernetKey(1));
    Config config = load(SCHEMA, values);
    assertThat(config.find(SampleSchema.POSTGRES_PASSWORD)).isEmpty();
    assertThat(config.get(DATABASE_URL)).isEqualTo(URI.create("postgresql://app:pw@db/app"));
  }

  @Test
  void unset_isDerivedFromItsInputs() {
    Config config =
        SCHEMA.load(
            ConfigSchemaTest.minimal(Map.of("POSTGRES_PASSWORD", "pw", "POSTGRES_HOST", "pg")));
    assertThat(config.get(DATABASE_URL)).isEqualTo(URI.create("postgresql://app:pw@pg:5432/app"));
    assertThat(row(config, "DATABASE_URL"))
        .isEqualTo(
            new ConfigReport.Row(
                "DATABASE_URL", "derived", "postgresql://app:***@pg:5432/app", "derived"));
  }

  @Test
  void urlFilter_percentEncodesSoAPasswordCannotReshapeTheUrl() {
    Config config =
        SCHEMA.load(ConfigSchemaTest.minimal(Map.of("POSTGRES_PASSWORD", "p@ss/w:rd?#é")));
    URI url = config.get(DATABASE_URL);
    assertThat(url.getHost()).isEqualTo("db");
    assertThat(url.getUserInfo()).isEqualTo("app:p@ss/w:rd?#é");
    assertThat(url.getRawUserInfo()).isEqualTo("app:p%40ss%2Fw%3Ard%3F%23%C3%A9");
    assertThat(row(config, "DATABASE_URL").value()).isEqualTo("postgresql://app:***@db:5432/app");
  }

  @Test
  void inputUnset_isOneProblemOnTheDerivedSetting() {
    ConfigException e =
        catchThrowableOfType(
            ConfigException.class,
            () ->
                load(
                    SCHEMA,
                    Map.of("LLM_API_KEY", "k", "CREDENTIALS_KEY", SampleSchema.fernetKey(1))));
    assertThat(e.problems()).extracting(Problem::setting).containsExactly("DATABASE_URL");
  }

  @Test
  void inputFailing_isReportedOnceUnderTheInput() {
    Setting<Integer> dbPort = Setting.port("DB_PORT").build();
    Setting<URI> url = Setting.uri("DB_URL").derive("postgresql://db:${DB_PORT}/app").build();
    Setting<String> label = Setting.string("DB_LABEL").derive("${DB_URL} (primary)").build();
    ConfigSchema schema = ConfigSchema.builder().add(dbPort).add(url).add(label).build();

    ConfigException e =
        catchThrowableOfType(ConfigException.class, () -> load(schema, Map.of("DB_PORT", "x")));

    assertThat(e.problems())
        .containsExactly(
            new Problem(
                "DB_PORT",
                "'x' is not an integer; expected a port number from 1 to 65535 (from env)"));
    assertThat(load(schema, Map.of("DB_PORT", "6543")).get(label))
        .isEqualTo("postgresql://db:6543/app (primary)");
  }

  @Test
  void derivedValueThatDoesNotParse_isAProblemQuotingItUnlessSensitive() {
    Setting<String> host = Setting.string("HOST").build();
    Setting<URI> plain = Setting.uri("URL").derive("https://${HOST}/x").build();
    ConfigSchema schema = ConfigSchema.builder().add(host).add(plain).build();
    ConfigException e =
        catchThrowableOfType(ConfigException.class, () -> load(schema, Map.of("HOST", "a b")));
    assertThat(e.problems())
        .containsExactly(
            new Problem(
                "URL",
                "is not set, and value 'https://a b/x' derived from HOST is not a valid URI"
                    + " (Illegal character in authority); expected an absolute URI"));

    // Without |url, a space in the password breaks the URL; the message must not show it.
    Setting<Secret> password = Setting.secret("PASSWORD").build();
    Setting<URI> url = Setting.uri("URL").derive("postgresql://app:${PASSWORD}@db/app").build();
    ConfigSchema secretSchema = ConfigSchema.builder().add(password).add(url).build();
    ConfigException f =
        catchThrowableOfType(
            ConfigException.class, () -> load(secretSchema, Map.of("PASSWORD", "CANARY 7f3a9c")));
    assertThat(f.problems())
        .containsExactly(
            new Problem(
                "URL",
                "is not set, and the value derived from PASSWORD is not a valid URI (Illegal"
                    + " character in authority); expected an absolute URI"));
  }

  @Test
  void inputsUnset_fallBackToTheDefaultOrLeaveAnOptionalUnset() {
    Setting<String> host = Setting.string("HOST").optional().build();
    Setting<String> withDefault =
        Setting.string("ORIGIN").derive("https://${HOST}").defaultText("https://localhost").build();
    Setting<String> optional =
        Setting.string("CALLBACK").derive("https://${HOST}/cb").optional().build();
    ConfigSchema schema = ConfigSchema.builder().add(host).add(withDefault).add(optional).build();

    Config unset = load(schema, Map.of());
    assertThat(unset.get(withDefault)).isEqualTo("https://localhost");
    assertThat(unset.find(optional)).isEmpty();
    assertThat(unset.report().rows())
        .extracting(ConfigReport.Row::status)
        .containsExactly("unset (optional)", "default", "unset (optional)");

    Config set = load(schema, Map.of("HOST", "example.com"));
    assertThat(set.get(withDefault)).isEqualTo("https://example.com");
    assertThat(set.get(optional)).isEqualTo("https://example.com/cb");
  }

  @Test
  void function_computesFromDeclaredInputs() {
    Setting<Integer> port = Setting.port("PORT").defaultValue(8080).build();
    Setting<Integer> adminPort =
        Setting.port("ADMIN_PORT").derive(c -> c.get(port) + 1, port).build();
    ConfigSchema schema = ConfigSchema.builder().add(port).add(adminPort).build();

    assertThat(load(schema, Map.of()).get(adminPort)).isEqualTo(8081);
    assertThat(load(schema, Map.of("ADMIN_PORT", "9000")).get(adminPort)).isEqualTo(9000);
    assertThat(adminPort.inputs()).containsExactly("PORT");
    assertThat(adminPort.derivation()).isEmpty();
    // Constraints apply to what a function derives.
    ConfigException e =
        catchThrowableOfType(ConfigException.class, () -> load(schema, Map.of("PORT", "65535")));
    assertThat(e.problems())
        .containsExactly(
            new Problem(
                "ADMIN_PORT",
                "is not set, and value '65536' derived from PORT is greater than 65535; expected a"
                    + " port number from 1 to 65535"));
  }

  @Test
  void function_thatThrowsOrReturnsNull_isAProblem() {
    Setting<String> name = Setting.string("NAME").build();
    Setting<Integer> length =
        Setting.integer("LENGTH").derive(c -> Integer.parseInt(c.get(name)), name).build();
    Setting<String> nothing = Setting.string("NOTHING").derive(c -> null, name).build();
    ConfigSchema schema = ConfigSchema.builder().add(name).add(length).add(nothing).build();

    ConfigException e =
        catchThrowableOfType(ConfigException.class, () -> load(schema, Map.of("NAME", "abc")));
    assertThat(e.problems())
        .containsExactly(
            new Problem(
                "LENGTH",
                "is not set, and deriving it from NAME failed (NumberFormatException: For input"
                    + " string: \"abc\")"),
            new Problem("NOTHING", "is not set, and deriving it from NAME gave no value"));
  }

  @Test
  void function_readingAnUndeclaredSetting_isABugInTheSchema() {
    Setting<String> a = Setting.string("A").build();
    Setting<String> b = Setting.string("B").build();
    Setting<String> c = Setting.string("C").derive(config -> config.get(b), a).build();
    ConfigSchema schema = ConfigSchema.builder().add(a).add(b).add(c).build();
    assertThatThrownBy(() -> load(schema, Map.of("A", "a", "B", "b")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("C: a derivation read B, which it does not declare as an input");
  }

  @Test
  void derivedFromASecret_showsItsTemplateWithTheSecretMasked() {
    Setting<Secret> token = Setting.secret("TOKEN").build();
    Setting<String> header = Setting.string("AUTH_HEADER").derive("Bearer ${TOKEN}").build();
    Setting<URI> inPath = Setting.uri("HOOK_URL").derive("https://hooks.example/${TOKEN}").build();
    Setting<URI> inQuery =
        Setting.uri("API_URL").derive("https://api.example/v1?api_key=${TOKEN}").build();
    ConfigSchema schema =
        ConfigSchema.builder().add(token).add(header).add(inPath).add(inQuery).build();

    Config config = load(schema, Map.of("TOKEN", "tok3n"));

    assertThat(config.get(header)).isEqualTo("Bearer tok3n");
    assertThat(config.report().rows())
        .extracting(ConfigReport.Row::value)
        .containsExactly(
            "***", "Bearer ***", "https://hooks.example/***", "https://api.example/v1?api_key=***");
    assertThat(config.toString()).doesNotContain("tok3n");
  }

  @Test
  void template_malformed_isRejectedWhenDeclared() {
    assertThatThrownBy(() -> Setting.string("X").derive("${A"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("X: template has an unterminated ${ at position 1");
    assertThatThrownBy(() -> Setting.string("X").derive("${a-b}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("X: template placeholder ${a-b} does not name a setting");
    assertThatThrownBy(() -> Setting.string("X").derive("no placeholder"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("X: template has no ${NAME} placeholder");
    assertThatThrownBy(() -> Setting.string("X").derive(c -> "x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("X: a derived setting needs at least one input");
    assertThatThrownBy(() -> Setting.keyList("K").derive("${A}").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("K: a key list cannot be derived");
  }

  @Test
  void template_dollarDollar_isALiteralDollar() {
    Setting<String> a = Setting.string("A").build();
    Setting<String> b = Setting.string("B").derive("$$${A}$x").build();
    ConfigSchema schema = ConfigSchema.builder().add(a).add(b).build();
    assertThat(load(schema, Map.of("A", "1")).get(b)).isEqualTo("$1$x");
    assertThat(b.derivation()).contains("$$${A}$x");
    assertThat(b.inputs()).containsExactly("A");
  }

  private static ConfigReport.Row row(Config config, String name) {
    return config.report().rows().stream()
        .filter(r -> r.setting().equals(name))
        .findFirst()
        .orElseThrow();
  }
}
