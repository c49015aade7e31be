package io.latchkey.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.latchkey.ConfigException;
import io.latchkey.Secret;
import io.latchkey.testsupport.CapturingSlf4jProvider;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Secret values never reach an exception message, a report, a toString or a log line, whether the
 * load succeeds or fails.
 */
final class SecretCanaryTest {
  private static final String CANARY = "CANARY-7f3a9c";
  private static final String KEY_CANARY = "CANARY7f3a9c";

  @BeforeEach
  void forgetEarlierLogs() {
    CapturingSlf4jProvider.clear();
  }

  /** Everything a caller or an operator could see, as text. */
  private static List<String> visible(Object... things) {
    List<String> texts = new ArrayList<>();
    for (Object thing : things) {
      texts.add(String.valueOf(thing));
    }
    for (CapturingSlf4jProvider.Event event : CapturingSlf4jProvider.events()) {
      texts.add(event.message());
    }
    return texts;
  }

  private static void assertNoCanary(List<String> texts) {
    assertThat(texts)
        .isNotEmpty()
        .allSatisfy(t -> assertThat(t).doesNotContain(CANARY).doesNotContain(KEY_CANARY));
  }

  @Test
  void successfulLoad_showsNoSecretAnywhere() {
    Map<String, String> values =
        Map.of(
            "OPENAI_API_KEY",
            CANARY,
            "POSTGRES_PASSWORD",
            CANARY,
            "CREDENTIALS_KEY",
            SampleSchema.canaryFernetKey(KEY_CANARY),
            "CREDENTIALS_KEY_PREVIOUS",
            SampleSchema.canaryFernetKey(KEY_CANARY + "old"));
    Config config = SampleSchema.SCHEMA.load(ConfigSource.of(values, Origin.Kind.ENV));

    // The values are there...
    assertThat(config.get(SampleSchema.LLM_API_KEY).reveal()).isEqualTo(CANARY);
    assertThat(config.get(SampleSchema.DATABASE_URL).getUserInfo()).isEqualTo("app:" + CANARY);
    // ...and nowhere to be seen.
    assertNoCanary(
        visible(
            config,
            config.report(),
            config.report().rows(),
            config.report().toTable(),
            config.get(SampleSchema.LLM_API_KEY),
            config.get(SampleSchema.CREDENTIALS_KEY),
            config.origin("LLM_API_KEY"),
            SampleSchema.SCHEMA,
            SampleSchema.LLM_API_KEY));
    assertThat(CapturingSlf4jProvider.events()).hasSize(1);
  }

  @Test
  void failedLoad_quotesNoSecret() {
    Setting<Secret> pin =
        Setting.custom(
                "PIN",
                Secret.class,
                "pin",
                t -> {
                  throw new IllegalArgumentException("bad pin " + t);
                })
            .secret()
            .build();
    Setting<String> token = Setting.string("TOKEN").secret().build();
    Setting<URI> dbUrl = Setting.uri("DB_URL", "postgresql").build();
    Setting<Secret> password = Setting.secret("PASSWORD").build();
    Setting<URI> derived =
        Setting.uri("DERIVED_URL").derive("postgresql://app:${PASSWORD}@db/app").build();
    Setting<KeyList> keys = Setting.fernetKeyList("APP_KEY").aliases("OLD_APP_KEY").build();
    Setting<Secret> fernet = Setting.fernetKey("FERNET_KEY").build();
    Setting<Integer> secretNumber = Setting.integer("SECRET_NUMBER").secret().build();
    ConfigSchema schema =
        ConfigSchema.builder()
            .add(pin)
            .add(token)
            .add(dbUrl)
            .add(password)
            .add(derived)
            .add(keys)
            .add(fernet)
            .add(secretNumber)
            .build();
    Map<String, String> values =
        Map.of(
            "PIN",
            CANARY,
            "TOKEN",
            CANARY,
            "DB_URL",
            "mysql://app:" + CANARY + "@db/app",
            "PASSWORD",
            CANARY + " with spaces",
            "OLD_APP_KEY",
            CANARY,
            "OLD_APP_KEY_PREVIOUS",
            SampleSchema.fernetKey(1) + "," + CANARY + ",,",
            "FERNET_KEY",
            KEY_CANARY + "x".repeat(32),
            "SECRET_NUMBER",
            CANARY);

    ConfigException e =
        catchThrowableOfType(
            ConfigException.class, () -> schema.load(ConfigSource.of(values, Origin.Kind.ENV)));

    assertThat(e.problems())
        .extracting(ConfigException.Problem::setting)
        .containsExactly(
            "PIN",
            "DB_URL",
            "DERIVED_URL",
            "APP_KEY",
            "OLD_APP_KEY_PREVIOUS entry 2",
            "OLD_APP_KEY_PREVIOUS entry 3",
            "OLD_APP_KEY_PREVIOUS entry 4",
            "FERNET_KEY",
            "SECRET_NUMBER");
    assertThat(e.problems().get(1).reason())
        .isEqualTo(
            "'mysql://app:***@db/app' has a scheme that is not allowed; expected an absolute URI"
                + " with scheme postgresql (from env)");
    List<String> texts = visible(e, e.getMessage());
    for (ConfigException.Problem p : e.problems()) {
      texts.add(p.toString());
    }
    assertNoCanary(texts);
    assertThat(CapturingSlf4jProvider.events()).hasSize(2);
  }

  @Test
  void badSecretExampleInTheSchema_isNotQuoted() {
    assertThatThrownBy(() -> Setting.fernetKey("APP_KEY").examples(CANARY))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(
            "APP_KEY: example is not 44 characters of URL-safe base64; expected a Fernet key")
        .message()
        .doesNotContain(CANARY)
        .doesNotContain(String.valueOf(CANARY.length()));
  }

  @Test
  void secretTypes_haveMaskedToStrings() {
    Secret secret = Secret.of(CANARY);
    KeyList keys = KeyList.of(secret, List.of(Secret.of(CANARY)));
    ConfigValue raw = new ConfigValue("X", CANARY, Origin.of(Origin.Kind.ENV));
    assertNoCanary(visible(secret, keys, raw));
  }

  @Test
  void configValue_toString_saysNothingDerivedFromTheText() {
    ConfigValue value = new ConfigValue("APP_KEY", CANARY, Origin.of(Origin.Kind.ENV));
    assertThat(value.toString()).isEqualTo("ConfigValue[name=APP_KEY, origin=env]");
  }
}
