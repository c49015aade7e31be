package io.latchkey;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.gson.Gson;
import io.latchkey.config.Config;
import io.latchkey.config.ConfigSchema;
import io.latchkey.config.ConfigSource;
import io.latchkey.config.ConfigValue;
import io.latchkey.config.KeyList;
import io.latchkey.config.Origin;
import io.latchkey.config.Setting;
import io.latchkey.redact.Redactor;
import io.latchkey.scan.Sanitizer;
import io.latchkey.spi.Http1Client;
import io.latchkey.spi.JsonSecretView;
import io.latchkey.spi.JsonValue;
import io.latchkey.spi.SecretVersion;
import io.latchkey.testsupport.Serialisers;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Nothing in core that holds a value is written by Jackson, Gson or Java serialisation by accident:
 * Jackson writes the masked {@code toString()}, Gson writes nothing of the value, and {@code
 * ObjectOutputStream} refuses. That includes the SPI's types that hold a secret's text: a parsed
 * JSON secret ({@link JsonValue}), a provider's configuration view once it has read its secret
 * ({@link JsonSecretView}), and an HTTP exchange's request (with its token) and answer (with its
 * body, such as a Vault read) ({@link Http1Client}).
 */
final class SerializationTest {
  static final String CANARY = "CANARY-5b9e2f-s3cr3t-value";
  // A JSON secret, as a provider reads one or a service answers with one.
  static final String JSON = "{\"username\":\"app\",\"password\":\"" + CANARY + "\"}";
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  /**
   * Writes {@code o} every way; only Java serialisation may refuse, and nothing holds the value.
   */
  static void assertNotSerialisable(String what, Object o, String secret) {
    Serialisers.assertWritesNoValue(what, o, secret);
  }

  static Stream<Arguments> holders() {
    Secret secret = Secret.of(CANARY);
    SecretVersion version = SecretVersion.of(Secret.of(CANARY), "v1", T0);
    Setting<Secret> apiKey = Setting.secret("API_KEY").build();
    Setting<String> token = Setting.string("TOKEN").secret().build();
    Setting<java.net.URI> url = Setting.uri("DATABASE_URL").build();
    Setting<KeyList> keys = Setting.keyList("KEYS").build();
    ConfigSchema schema = ConfigSchema.builder().add(apiKey).add(token).add(url).add(keys).build();
    Config config =
        schema.load(
            ConfigSource.of(
                Map.of(
                    "API_KEY", CANARY,
                    "TOKEN", CANARY,
                    "DATABASE_URL", "postgres://app:" + CANARY + "@db:5432/app",
                    "KEYS", CANARY,
                    "KEYS_PREVIOUS", CANARY + "-old"),
                Origin.Kind.ENV));
    Secret wiped = Secret.of(CANARY);
    wiped.wipe();
    // A provider's configuration view once it has read its secret: its members are the secret's.
    JsonSecretView view =
        new JsonSecretView(
            "LATCHKEY_X_CONFIG_SECRET",
            SecretRef.parse("fake:config"),
            ref -> SecretVersion.of(Secret.of(JSON), T0));
    assertThat(view.get("password")).isPresent();
    Http1Client client =
        new Http1Client(
            URI.create("http://127.0.0.1:1"), null, Duration.ofSeconds(1), 1024, () -> 0);
    Http1Client.Request request =
        client.request(
            "GET",
            "/v1/secret/data/app",
            List.<String[]>of(new String[] {"X-Vault-Token", CANARY}),
            null);
    client.close();
    Redactor redactor = Redactor.builder().value("API_KEY", Secret.of(CANARY)).build();
    return Stream.of(
        Arguments.of("Secret", secret),
        Arguments.of("wiped Secret", wiped),
        Arguments.of("Secret in a map", Map.of("apiKey", secret)),
        Arguments.of("Secret in a list", List.of(secret)),
        Arguments.of("ConfigValue", new ConfigValue("API_KEY", CANARY, Origin.of(Origin.Kind.ENV))),
        Arguments.of("SecretVersion", version),
        Arguments.of("KeyList", KeyList.of(Secret.of(CANARY), List.of(Secret.of(CANARY)))),
        Arguments.of("Config", config),
        Arguments.of("ConfigReport", config.report()),
        Arguments.of("JsonValue", JsonValue.parse(JSON)),
        Arguments.of("JsonSecretView, after reading", view),
        Arguments.of(
            "Http1Client.Response",
            new Http1Client.Response(200, JSON.getBytes(StandardCharsets.UTF_8))),
        Arguments.of("Http1Client.Request", request),
        Arguments.of("Redactor", redactor),
        Arguments.of("Sanitizer", Sanitizer.of(redactor)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("holders")
  void serialise_holderOfAValue_writesNoValueAndJavaSerialisationRefuses(String what, Object o) {
    assertNotSerialisable(what, o, CANARY);
  }

  @Test
  void jsonValue_toString_showsTheTypeAndLengthOnly() {
    assertThat(JsonValue.parse(JSON).toString())
        .doesNotContain(CANARY)
        .isEqualTo("JsonValue[object, " + JSON.length() + " chars]");
  }

  @Test
  void jackson_spiHolders_writeTheirToString() throws Exception {
    ObjectMapper mapper = new ObjectMapper();
    for (Object o :
        List.of(
            JsonValue.parse(JSON),
            new Http1Client.Response(200, JSON.getBytes(StandardCharsets.UTF_8)),
            new JsonSecretView("LATCHKEY_X_CONFIG_SECRET", null, ref -> null))) {
      assertThat(mapper.writeValueAsString(o)).isEqualTo("\"" + o + "\"");
    }
  }

  @Test
  void jackson_secret_writesTheMask() throws Exception {
    Secret prefixed = Secret.of("sk-proj-" + CANARY);
    for (ObjectMapper mapper :
        List.of(
            new ObjectMapper(),
            new ObjectMapper().setVisibility(PropertyAccessor.FIELD, Visibility.ANY))) {
      assertThat(mapper.writeValueAsString(Secret.of(CANARY))).isEqualTo("\"***\"");
      assertThat(mapper.writeValueAsString(prefixed)).isEqualTo("\"sk-proj-...***\"");
      assertThat(mapper.writeValueAsString(Map.of("key", Secret.of(CANARY))))
          .isEqualTo("{\"key\":\"***\"}");
    }
  }

  @Test
  void jackson_configValueAndVersion_writeTheirToString() throws Exception {
    ConfigValue value = new ConfigValue("API_KEY", CANARY, Origin.of(Origin.Kind.ENV));
    SecretVersion version = SecretVersion.of(Secret.of(CANARY), "v1", T0);
    ObjectMapper mapper = new ObjectMapper();
    assertThat(mapper.writeValueAsString(value)).isEqualTo("\"" + value + "\"");
    assertThat(mapper.writeValueAsString(version)).isEqualTo("\"" + version + "\"");
  }

  @Test
  void gson_secretAndConfigValue_writeAnEmptyObject() {
    Gson gson = new Gson();
    assertThat(gson.toJson(Secret.of(CANARY))).isEqualTo("{}");
    assertThat(gson.toJson(new ConfigValue("API_KEY", CANARY, Origin.of(Origin.Kind.ENV))))
        .isEqualTo("{}");
    assertThat(gson.toJson(Map.of("key", Secret.of(CANARY)))).isEqualTo("{\"key\":{}}");
  }

  @Test
  void configValue_isAValueClass_equalByNameTextAndOrigin() {
    Origin env = Origin.of(Origin.Kind.ENV);
    assertThat(new ConfigValue("A", "x", env))
        .isEqualTo(new ConfigValue("A", "x", env))
        .hasSameHashCodeAs(new ConfigValue("A", "x", env))
        .isNotEqualTo(new ConfigValue("A", "y", env))
        .isNotEqualTo(new ConfigValue("B", "x", env));
  }
}
