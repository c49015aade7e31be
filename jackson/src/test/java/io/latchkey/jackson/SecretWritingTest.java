package io.latchkey.jackson;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.latchkey.Secret;
import io.latchkey.testsupport.Leaks;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Canary values pushed through an {@code ObjectMapper} with the module in every shape a secret
 * takes in an application's objects, under default and field visibility: none comes out.
 */
final class SecretWritingTest {
  static final String CANARY = "sk-canary-0123456789abcdefghij";
  static final String PASSWORD = "canary-password-hunter2";

  /** A bean with a secret, a never-written password exposed through an annotated getter. */
  static final class Account {
    private final Secret apiKey = Secret.of(CANARY);
    @NeverSerialize private final String password = PASSWORD;
    private final String name = "acme";

    public Secret getApiKey() {
      return apiKey;
    }

    @JsonProperty
    String getPassword() {
      return password;
    }

    public String getName() {
      return name;
    }
  }

  /** The same, with nothing but fields: seen under field visibility ANY. */
  static final class Fields {
    @SuppressWarnings("unused")
    private final Secret apiKey = Secret.of(CANARY);

    @NeverSerialize
    @SuppressWarnings("unused")
    private final String password = PASSWORD;

    private final String name = "acme";

    public String getName() {
      return name;
    }
  }

  record Connector(String name, Secret token, @NeverSerialize String password) {}

  /** An explicit @JsonProperty on the field itself does not bring it back either. */
  static final class Explicit {
    @JsonProperty @NeverSerialize public String password = PASSWORD;
    @JsonProperty public String name = "acme";
  }

  static Stream<ObjectMapper> mappers() {
    return Stream.of(
        JsonMapper.builder().addModule(LatchkeyModule.create()).build(),
        JsonMapper.builder()
            .addModule(LatchkeyModule.create())
            .visibility(PropertyAccessor.ALL, Visibility.NONE)
            .visibility(PropertyAccessor.FIELD, Visibility.ANY)
            .build());
  }

  static Stream<Object> values() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("key", Secret.of(CANARY));
    map.put("connector", new Connector("c", Secret.of(CANARY), PASSWORD));
    Map<Secret, String> keyedBySecret = Map.of(Secret.of(CANARY), "v");
    return Stream.of(
        Secret.of(CANARY),
        new Account(),
        new Fields(),
        new Connector("c", Secret.of(CANARY), PASSWORD),
        new Explicit(),
        List.of(Secret.of(CANARY), new Connector("d", Secret.of(CANARY), PASSWORD)),
        map,
        keyedBySecret,
        new Object[] {Secret.of(CANARY)});
  }

  static Stream<org.junit.jupiter.params.provider.Arguments> everyMapperAndValue() {
    return mappers()
        .flatMap(m -> values().map(v -> org.junit.jupiter.params.provider.Arguments.of(m, v)));
  }

  @ParameterizedTest
  @MethodSource("everyMapperAndValue")
  void write_anyShape_writesNeitherTheSecretNorTheNeverSerializedPassword(
      ObjectMapper mapper, Object value) throws Exception {
    String json = mapper.writeValueAsString(value);

    Leaks.assertNoLeak("JSON of " + value.getClass().getSimpleName(), json, CANARY);
    Leaks.assertNoLeak("JSON of " + value.getClass().getSimpleName(), json, PASSWORD);
    assertThat(json).doesNotContain("password");
    Leaks.assertNoLeak("tree", mapper.valueToTree(value).toString(), CANARY);
  }

  @Test
  void write_defaultMapper_writesTheMaskWhereTheSecretWas() throws Exception {
    ObjectMapper mapper = JsonMapper.builder().addModule(LatchkeyModule.create()).build();

    assertThat(mapper.writeValueAsString(new Account()))
        .isEqualTo("{\"apiKey\":\"sk-...***\",\"name\":\"acme\"}");
    assertThat(mapper.writeValueAsString(new Connector("c", Secret.of(CANARY), PASSWORD)))
        .isEqualTo("{\"name\":\"c\",\"token\":\"sk-...***\"}");
    assertThat(mapper.writeValueAsString(Map.of(Secret.of(CANARY), 1)))
        .isEqualTo("{\"sk-...***\":1}");
  }

  @Test
  void write_refusing_failsForEveryShapeAndSaysWhy() {
    ObjectMapper mapper =
        JsonMapper.builder()
            .addModule(LatchkeyModule.builder().secrets(LatchkeyModule.SecretOutput.REFUSE).build())
            .build();
    List<Function<ObjectMapper, Object>> shapes =
        List.of(
            m -> Secret.of(CANARY),
            m -> new Account(),
            m -> new Connector("c", Secret.of(CANARY), PASSWORD),
            m -> List.of(Secret.of(CANARY)),
            m -> Map.of("k", Secret.of(CANARY)),
            m -> Map.of(Secret.of(CANARY), "v"));

    for (Function<ObjectMapper, Object> shape : shapes) {
      Object value = shape.apply(mapper);
      assertThatThrownBy(() -> mapper.writeValueAsString(value))
          .isInstanceOf(JsonMappingException.class)
          .hasMessageContaining(SecretSerializer.REFUSAL)
          .satisfies(t -> Leaks.assertNoLeak(t, CANARY));
    }
    // Objects without secrets are written as usual; a @NeverSerialize field is simply absent.
    assertThatCode(() -> mapper.writeValueAsString(new Explicit())).doesNotThrowAnyException();
  }

  @Test
  void read_secretFromAJsonString() throws Exception {
    ObjectMapper mapper = JsonMapper.builder().addModule(LatchkeyModule.create()).build();

    Connector c =
        mapper.readValue(
            "{\"name\":\"c\",\"token\":\"" + CANARY + "\",\"password\":\"" + PASSWORD + "\"}",
            Connector.class);
    Map<String, Secret> map =
        mapper.readValue("{\"a\":\"" + CANARY + "\"}", new TypeReference<Map<String, Secret>>() {});

    assertThat(c.token().reveal()).isEqualTo(CANARY);
    assertThat(c.password()).isEqualTo(PASSWORD);
    assertThat(map.get("a").reveal()).isEqualTo(CANARY);
    assertThat(c.toString()).doesNotContain(CANARY);
  }

  @Test
  void read_secretFromAnotherKindOfValue_isRefusedWithoutTheValue() {
    ObjectMapper mapper = JsonMapper.builder().addModule(LatchkeyModule.create()).build();

    assertThatThrownBy(
            () ->
                mapper.readValue(
                    "{\"name\":\"c\",\"token\":{\"v\":\"" + CANARY + "\"}}", Connector.class))
        .isInstanceOf(JsonMappingException.class)
        .hasMessageContaining("a Secret is read from a JSON string")
        .satisfies(t -> Leaks.assertNoLeak(t, CANARY));
  }
}
