package io.latchkey.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.latchkey.ConfigException;
import io.latchkey.Secret;
import io.latchkey.SecretRef;
import io.latchkey.resolver.ResolvingConfigSource;
import io.latchkey.resolver.SecretResolver;
import io.latchkey.spi.SecretProvider;
import io.latchkey.spi.SecretVersion;
import io.latchkey.testsupport.Leaks;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Sensitivity follows the data: a setting derived from a secret, or holding what a secret reference
 * resolved to, is masked by construction in the report and {@code toString()}, never quoted in
 * errors, and refused by record components that would print it.
 */
final class SensitivityTest {
  private static final String PASSWORD = "app:7f3a/9c:SECRET#x?y=1@pw";
  private static final String TOKEN = "ghp_CANARYtok3n/with@shape?and=more";

  private static final Setting<Secret> GITHUB_TOKEN = Setting.secret("GITHUB_TOKEN").build();
  private static final Setting<Secret> API_TOKEN = Setting.secret("API_TOKEN").build();
  private static final Setting<Secret> DB_PASSWORD = Setting.secret("DB_PASSWORD").build();
  private static final Setting<String> HOST = Setting.string("HOST").defaultText("db").build();

  private static Config load(ConfigSchema schema, Map<String, String> values) {
    return schema.load(ConfigSource.of(values, Origin.Kind.ENV));
  }

  private static String value(Config config, String name) {
    return config.report().rows().stream()
        .filter(r -> r.setting().equals(name))
        .findFirst()
        .orElseThrow()
        .value();
  }

  private static void assertNoLeak(Config config, String secret) {
    Leaks.assertNoLeak("report", config.report().toTable(), secret);
    Leaks.assertNoLeak("toString", config.toString(), secret);
  }

  @Test
  void report_secretInUserInfoPathQueryAndFragment_isMaskedWhereverItSits() {
    ConfigSchema schema =
        ConfigSchema.builder()
            .add(GITHUB_TOKEN)
            .add(API_TOKEN)
            .add(
                Setting.uri("GIT_URL")
                    .derive("https://${GITHUB_TOKEN|url}@github.com/org/repo.git")
                    .build())
            .add(
                Setting.uri("HOOK_URL")
                    .derive("https://hooks.example.com/services/${API_TOKEN|url}")
                    .build())
            .add(
                Setting.uri("QUERY_URL")
                    .derive("https://api.example.com/v1?auth=${API_TOKEN|url}&page=1")
                    .build())
            .add(Setting.uri("FRAG_URL").derive("https://example.com/#${API_TOKEN|url}").build())
            .add(Setting.string("RAW").derive("token ${API_TOKEN} raw").build())
            .build();

    Config config = load(schema, Map.of("GITHUB_TOKEN", TOKEN, "API_TOKEN", TOKEN));

    assertThat(value(config, "GIT_URL")).isEqualTo("https://***@github.com/org/repo.git");
    assertThat(value(config, "HOOK_URL")).isEqualTo("https://hooks.example.com/services/***");
    assertThat(value(config, "QUERY_URL")).isEqualTo("https://api.example.com/v1?auth=***&page=1");
    assertThat(value(config, "FRAG_URL")).isEqualTo("https://example.com/#***");
    assertThat(value(config, "RAW")).isEqualTo("token *** raw");
    assertNoLeak(config, TOKEN);
  }

  @Test
  void report_passwordWithAtAndSlashWithoutUrlFunction_leaksNoTail() {
    ConfigSchema schema =
        ConfigSchema.builder()
            .add(DB_PASSWORD)
            .add(HOST)
            .add(
                Setting.string("DATABASE_URL")
                    .derive("postgresql://app:${DB_PASSWORD}@${HOST}:5432/app")
                    .build())
            .build();

    Config config = load(schema, Map.of("DB_PASSWORD", PASSWORD));

    assertThat(value(config, "DATABASE_URL")).isEqualTo("postgresql://app:***@db:5432/app");
    assertNoLeak(config, PASSWORD);
  }

  @Test
  void report_derivedOfDerived_rendersTheInnerTemplateMasked() {
    ConfigSchema schema =
        ConfigSchema.builder()
            .add(API_TOKEN)
            .add(Setting.string("BASE").derive("https://${API_TOKEN|url}@api.example.com").build())
            .add(Setting.uri("USERS").derive("${BASE}/users").build())
            .add(Setting.uri("ENCODED").derive("https://x.example/?next=${BASE|url}").build())
            .build();

    Config config = load(schema, Map.of("API_TOKEN", TOKEN));

    assertThat(value(config, "USERS")).isEqualTo("https://***@api.example.com/users");
    assertThat(value(config, "ENCODED")).isEqualTo("https://x.example/?next=***");
    assertNoLeak(config, TOKEN);
  }

  @Test
  void report_derivedByAFunctionFromASecret_isMaskedWhole() {
    Setting<String> header =
        Setting.string("AUTH_HEADER")
            .derive(c -> "Bearer " + c.get(API_TOKEN).reveal(), API_TOKEN)
            .build();
    Setting<String> after = Setting.string("AFTER").derive("x-${AUTH_HEADER}").build();
    ConfigSchema schema = ConfigSchema.builder().add(API_TOKEN).add(header).add(after).build();

    Config config = load(schema, Map.of("API_TOKEN", TOKEN));

    assertThat(value(config, "AUTH_HEADER")).isEqualTo("***");
    assertThat(value(config, "AFTER")).isEqualTo("x-***");
    assertNoLeak(config, TOKEN);
  }

  @Test
  void report_sensitiveSettingSetDirectly_showsItWithUrlMasking() {
    ConfigSchema schema =
        ConfigSchema.builder()
            .add(DB_PASSWORD)
            .add(
                Setting.uri("DATABASE_URL")
                    .derive("postgresql://app:${DB_PASSWORD|url}@db/app")
                    .build())
            .build();

    Config config =
        load(schema, Map.of("DB_PASSWORD", PASSWORD, "DATABASE_URL", "postgresql://u:p@h/app"));

    assertThat(value(config, "DATABASE_URL")).isEqualTo("postgresql://u:***@h/app");
  }

  @Test
  void report_keyListAndSecretListAsInputs_areMasked() {
    Setting<KeyList> keys = Setting.keyList("KEYS").build();
    Setting<List<String>> list = Setting.list("HOSTS").secret().build();
    ConfigSchema schema =
        ConfigSchema.builder()
            .add(keys)
            .add(list)
            .add(Setting.string("K").derive("k=${KEYS}").build())
            .add(Setting.list("L").derive("a,${HOSTS},b").build())
            .build();

    Config config = load(schema, Map.of("KEYS", TOKEN, "HOSTS", "one," + TOKEN));

    assertThat(value(config, "K")).isEqualTo("k=***");
    assertThat(value(config, "L")).isEqualTo("a,***,b");
    assertNoLeak(config, TOKEN);
  }

  @Test
  void errors_derivedFromASecret_neverQuoteTheValue() {
    ConfigSchema schema =
        ConfigSchema.builder()
            .add(API_TOKEN)
            .add(Setting.uri("HOOK").derive("${API_TOKEN}").build())
            .add(
                Setting.port("PORT")
                    .derive(c -> Integer.parseInt(c.get(API_TOKEN).reveal()), API_TOKEN)
                    .build())
            .add(
                Setting.integer("N")
                    .derive(
                        c -> {
                          throw new IllegalStateException("bad " + c.get(API_TOKEN).reveal());
                        },
                        API_TOKEN)
                    .build())
            .add(
                Setting.integer("M")
                    .derive(
                        c -> {
                          throw new AssertionError("bad " + c.get(API_TOKEN).reveal());
                        },
                        API_TOKEN)
                    .build())
            .add(
                Setting.integer("PLAIN")
                    .derive(
                        c -> {
                          throw new AssertionError("bad " + c.get(HOST));
                        },
                        HOST)
                    .build())
            .add(HOST)
            .build();

    ConfigException e =
        catchThrowableOfType(
            ConfigException.class, () -> load(schema, Map.of("API_TOKEN", "CANARY tok3n%%")));

    assertThat(e.problems()).hasSize(5);
    // An Error from the application's function is one more problem, named by class only.
    assertThat(e.getMessage()).contains("M: is not set").contains("AssertionError)");
    assertThat(e.getMessage()).doesNotContain("bad db");
    Leaks.assertNoLeak(e, "CANARY tok3n%%");
  }

  @Test
  void reference_resolvedIntoANonSecretSetting_isTreatedAsASecret() {
    String secretUrl = "https://user:" + TOKEN + "@api.example.com/v1?k=" + TOKEN;
    Setting<URI> api = Setting.uri("API_URL").build();
    Setting<URI> derived = Setting.uri("USERS_URL").derive("${API_URL}/users").build();
    Setting<Integer> port = Setting.port("PORT").build();
    ConfigSchema schema = ConfigSchema.builder().add(api).add(derived).add(port).build();
    SecretProvider provider = provider(Map.of("url", secretUrl, "port", "not-a-port-" + TOKEN));
    try (SecretResolver resolver =
        SecretResolver.builder().provider(provider).executor(Runnable::run).build()) {
      ConfigSource env =
          ConfigSource.of(
              Map.of("API_URL", "${ref:fake:url}", "PORT", "${ref:fake:port}"), Origin.Kind.ENV);
      ConfigException e =
          catchThrowableOfType(
              ConfigException.class, () -> schema.load(new ResolvingConfigSource(env, resolver)));
      assertThat(e.problems()).extracting(ConfigException.Problem::setting).containsExactly("PORT");
      Leaks.assertNoLeak(e, TOKEN);

      ConfigSource good =
          ConfigSource.of(Map.of("API_URL", "${ref:fake:url}", "PORT", "80"), Origin.Kind.ENV);
      Config config = schema.load(new ResolvingConfigSource(good, resolver));
      assertThat(value(config, "API_URL")).isEqualTo("***");
      assertThat(value(config, "USERS_URL")).isEqualTo("***/users");
      assertNoLeak(config, TOKEN);
      assertThatThrownBy(() -> config.bind(ApiRecord.class))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("API_URL holds the value of a secret reference");
    }
  }

  record ApiRecord(@Env("API_URL") URI apiUrl) {}

  record DerivedUrlRecord(@Env("HOOK_URL") URI hookUrl) {}

  record DerivedUrlAsSecret(@Env(value = "HOOK_URL", type = "url") Secret hookUrl) {}

  record SecretString(@Env("TOKEN") String token) {}

  record SecretStringAsSecret(@Env("TOKEN") Secret token) {}

  @Test
  void bind_secretDerivedUri_isRefusedAsLoadRefusesIt() {
    ConfigSchema schema =
        ConfigSchema.builder()
            .add(API_TOKEN)
            .add(Setting.uri("HOOK_URL").derive("https://h.example/${API_TOKEN|url}").build())
            .build();
    Config config = load(schema, Map.of("API_TOKEN", TOKEN));

    assertThatThrownBy(() -> config.bind(DerivedUrlRecord.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "DerivedUrlRecord.hookUrl: HOOK_URL is derived from a secret, and the record's"
                + " toString() would print it; declare it as Secret (with type = \"uri\" to keep"
                + " the check)");
    DerivedUrlAsSecret bound = config.bind(DerivedUrlAsSecret.class);
    assertThat(bound.hookUrl().reveal()).startsWith("https://h.example/ghp_CANARYtok3n%2F");
    Leaks.assertNoLeak("record", bound.toString(), TOKEN);
  }

  @Test
  void bind_secretMarkedString_isRefused() {
    ConfigSchema schema =
        ConfigSchema.builder().add(Setting.string("TOKEN").secret().build()).build();
    Config config = load(schema, Map.of("TOKEN", TOKEN));

    assertThatThrownBy(() -> config.bind(SecretString.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("SecretString.token: TOKEN is secret, and the record's toString()");
    SecretStringAsSecret bound = config.bind(SecretStringAsSecret.class);
    assertThat(bound.token().reveal()).isEqualTo(TOKEN);
    Leaks.assertNoLeak("record", bound.toString(), TOKEN);
  }

  @Test
  void defaults_badDefaultOfASecret_isNotQuotedWhateverTheOrder() {
    String canary = "CANARY-default-7f3a9c";
    assertThatThrownBy(() -> Setting.integer("N").defaultText(canary).secret().build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("N: default is not an integer; expected an integer")
        .message()
        .doesNotContain(canary);
    assertThatThrownBy(() -> Setting.integer("N").secret().defaultText(canary).build())
        .hasMessage("N: default is not an integer; expected an integer");
    assertThatThrownBy(() -> Setting.integer("N").examples(canary).secret())
        .message()
        .doesNotContain(canary);
    String json =
        "{\"settings\": [{\"name\": \"N\", \"type\": \"integer\", \"default\": \""
            + canary
            + "\", \"secret\": true}]}";
    ConfigException e =
        catchThrowableOfType(ConfigException.class, () -> ConfigSchema.fromJson(json));
    Leaks.assertNoLeak(e, canary);
    String good =
        "{\"settings\": [{\"name\": \"N\", \"type\": \"integer\", \"default\": \"5\","
            + " \"secret\": true}]}";
    assertThatThrownBy(() -> ConfigSchema.fromJson(good))
        .hasMessageContaining("N: a secret cannot have a default");
  }

  /** A provider named {@code fake} that answers references {@code fake:NAME} from a map. */
  private static SecretProvider provider(Map<String, String> secrets) {
    return new SecretProvider() {
      @Override
      public String name() {
        return "fake";
      }

      @Override
      public SecretVersion fetch(SecretRef ref) {
        String value = secrets.get(ref.path());
        if (value == null) {
          throw new io.latchkey.SecretNotFoundException(ref, "no such secret");
        }
        return SecretVersion.of(Secret.of(value), Instant.EPOCH);
      }

      @Override
      public Optional<ConfigValue> get(String name) {
        return Optional.empty();
      }

      @Override
      public String description() {
        return "fake";
      }

      @Override
      public void close() {}
    };
  }
}
