package io.latchkey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.google.gson.Gson;
import io.latchkey.config.Config;
import io.latchkey.config.ConfigSchema;
import io.latchkey.config.ConfigSource;
import io.latchkey.config.ConfigValue;
import io.latchkey.config.KeyList;
import io.latchkey.config.Origin;
import io.latchkey.config.Setting;
import io.latchkey.spi.SecretVersion;
import io.latchkey.testsupport.Leaks;
import java.io.ByteArrayOutputStream;
import java.io.NotSerializableException;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Nothing in core that holds a value is written by Jackson, Gson or Java serialisation by accident:
 * Jackson writes the masked {@code toString()}, Gson writes nothing of the value, and {@code
 * ObjectOutputStream} refuses.
 */
final class SerializationTest {
  static final String CANARY = "CANARY-5b9e2f-s3cr3t-value";
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  /** The serialisers an application might point at one of our objects. */
  static Map<String, Function<Object, String>> serialisers() {
    Map<String, Function<Object, String>> all = new LinkedHashMap<>();
    ObjectMapper plain = new ObjectMapper();
    ObjectMapper lenient = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
    ObjectMapper fields =
        new ObjectMapper()
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .setVisibility(PropertyAccessor.FIELD, Visibility.ANY);
    Gson gson = new Gson();
    all.put("Jackson", o -> json(plain, o));
    all.put("Jackson without FAIL_ON_EMPTY_BEANS", o -> json(lenient, o));
    all.put("Jackson with field visibility ANY", o -> json(fields, o));
    all.put("Gson", gson::toJson);
    return all;
  }

  private static String json(ObjectMapper mapper, Object o) {
    try {
      return mapper.writeValueAsString(o);
    } catch (Exception e) {
      throw new IllegalStateException("jackson refused", e);
    }
  }

  /**
   * Serialises {@code o} every way and checks that {@code secret} never appears: not in any output,
   * not in any exception a serialiser threw; and that Java serialisation refuses.
   */
  static void assertNotSerialisable(String what, Object o, String secret) {
    for (Map.Entry<String, Function<Object, String>> s : serialisers().entrySet()) {
      String channel = what + " through " + s.getKey();
      try {
        Leaks.assertNoLeak(channel, s.getValue().apply(o), secret);
      } catch (RuntimeException refused) {
        // Refusing is fine (Jackson has no serialiser for java.time without its module, Gson may
        // not open JDK classes) as long as the refusal does not quote the value.
        Leaks.assertNoLeak(refused, secret);
      }
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    assertThatThrownBy(
            () -> {
              try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
                out.writeObject(o);
              }
            })
        .as(what + " through ObjectOutputStream")
        .isInstanceOf(NotSerializableException.class)
        .satisfies(e -> Leaks.assertNoLeak(e, secret));
    Leaks.assertNoLeak(
        what + " through ObjectOutputStream",
        new String(bytes.toByteArray(), StandardCharsets.ISO_8859_1),
        secret);
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
    return Stream.of(
        Arguments.of("Secret", secret),
        Arguments.of("wiped Secret", wiped),
        Arguments.of("Secret in a map", Map.of("apiKey", secret)),
        Arguments.of("Secret in a list", List.of(secret)),
        Arguments.of("ConfigValue", new ConfigValue("API_KEY", CANARY, Origin.of(Origin.Kind.ENV))),
        Arguments.of("SecretVersion", version),
        Arguments.of("Entry", new Entry(version, 1, 2, 3, null)),
        Arguments.of("KeyList", KeyList.of(Secret.of(CANARY), List.of(Secret.of(CANARY)))),
        Arguments.of("Config", config),
        Arguments.of("ConfigReport", config.report()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("holders")
  void serialise_holderOfAValue_writesNoValueAndJavaSerialisationRefuses(String what, Object o) {
    assertNotSerialisable(what, o, CANARY);
  }

  @Test
  void serialise_resolverAndSourceAfterResolving_writeNoValue() {
    FakeProvider fake = new FakeProvider("fake").put("db", CANARY);
    try (SecretResolver resolver =
        SecretResolver.builder().provider(fake).executor(Runnable::run).build()) {
      resolver.resolve("fake:db");
      assertNotSerialisable("SecretResolver", resolver, CANARY);
      ResolvingConfigSource source =
          new ResolvingConfigSource(
              ConfigSource.of(Map.of("DB", "${ref:fake:db}"), Origin.Kind.ENV), resolver);
      assertNotSerialisable("ResolvingConfigSource", source, CANARY);
      assertNotSerialisable("resolved ConfigValue", source.get("DB").orElseThrow(), CANARY);
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
      assertThat(mapper.writeValueAsString(prefixed)).isEqualTo("\"sk-proj-…***\"");
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
