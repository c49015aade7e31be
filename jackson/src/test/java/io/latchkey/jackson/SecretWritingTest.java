package io.latchkey.jackson;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonRawValue;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.jsontype.BasicPolymorphicTypeValidator;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import io.latchkey.Secret;
import io.latchkey.testsupport.Leaks;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
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

  /** A secret behind an Object-typed property: what default typing writes with a type id. */
  static final class Holder {
    public Object value = Secret.of(CANARY);
  }

  /** Properties whose own serializer would skip the module's. */
  static final class Raw {
    @JsonRawValue public Secret raw = Secret.of(CANARY);
  }

  static final class ToString {
    @JsonSerialize(using = ToStringSerializer.class)
    public Object secret = Secret.of(CANARY);

    @JsonRawValue public String plain = "{\"a\":1}";
  }

  private static ObjectMapper typed(
      LatchkeyModule.SecretOutput output, ObjectMapper.DefaultTyping typing) {
    return JsonMapper.builder()
        .addModule(LatchkeyModule.builder().secrets(output).build())
        .activateDefaultTyping(
            BasicPolymorphicTypeValidator.builder().allowIfBaseType(Object.class).build(), typing)
        .build();
  }

  @Test
  @SuppressWarnings("deprecation") // EVERYTHING: deprecated, still what applications enable
  void write_defaultTyping_writesTheMaskWithItsTypeId() throws Exception {
    ObjectMapper everything =
        typed(LatchkeyModule.SecretOutput.MASK, ObjectMapper.DefaultTyping.EVERYTHING);
    ObjectMapper objects =
        typed(LatchkeyModule.SecretOutput.MASK, ObjectMapper.DefaultTyping.OBJECT_AND_NON_CONCRETE);

    String connector =
        everything.writeValueAsString(new Connector("c", Secret.of(CANARY), PASSWORD));
    String holder = objects.writeValueAsString(new Holder());

    assertThat(holder).isEqualTo("{\"value\":[\"io.latchkey.Secret\",\"sk-...***\"]}");
    assertThat(connector).contains("[\"io.latchkey.Secret\",\"sk-...***\"]");
    Leaks.assertNoLeak("typed connector", connector, CANARY);
    Leaks.assertNoLeak("typed connector", connector, PASSWORD);
  }

  @Test
  @SuppressWarnings("deprecation") // EVERYTHING: deprecated, still what applications enable
  void write_defaultTypingRefusing_refusesBeforeTheTypeId() {
    for (ObjectMapper.DefaultTyping typing :
        List.of(
            ObjectMapper.DefaultTyping.EVERYTHING,
            ObjectMapper.DefaultTyping.OBJECT_AND_NON_CONCRETE)) {
      ObjectMapper mapper = typed(LatchkeyModule.SecretOutput.REFUSE, typing);
      assertThatThrownBy(() -> mapper.writeValueAsString(new Holder()))
          .isInstanceOf(JsonMappingException.class)
          .hasMessageContaining(SecretSerializer.REFUSAL)
          .satisfies(t -> Leaks.assertNoLeak(t, CANARY));
    }
  }

  @Test
  void write_refusing_propertyWithItsOwnSerializer_isRefusedToo() throws Exception {
    ObjectMapper refusing =
        JsonMapper.builder()
            .addModule(LatchkeyModule.builder().secrets(LatchkeyModule.SecretOutput.REFUSE).build())
            .build();

    for (Object value : List.of(new Raw(), new ToString())) {
      assertThatThrownBy(() -> refusing.writeValueAsString(value))
          .as(value.getClass().getSimpleName())
          .isInstanceOf(JsonMappingException.class)
          .hasMessageContaining(SecretSerializer.REFUSAL)
          .satisfies(t -> Leaks.assertNoLeak(t, CANARY));
    }
    ToString notASecret = new ToString();
    notASecret.secret = "visible";
    assertThat(refusing.writeValueAsString(notASecret))
        .isEqualTo("{\"secret\":\"visible\",\"plain\":{\"a\":1}}");
  }

  /** Writes any key as its {@code toString()}: a key serializer of the application's own. */
  static final class ToStringKey extends JsonSerializer<Object> {
    @Override
    public void serialize(Object value, JsonGenerator gen, SerializerProvider provider)
        throws IOException {
      gen.writeFieldName(String.valueOf(value));
    }
  }

  /** Containers of secrets whose content, keys or whole value have a serializer of their own. */
  static final class ContentList {
    @JsonSerialize(contentUsing = ToStringSerializer.class)
    public List<Secret> v = List.of(Secret.of(CANARY));
  }

  static final class ContentObjects {
    @JsonSerialize(contentUsing = ToStringSerializer.class)
    public List<Object> v = List.of("plain", Secret.of(CANARY));
  }

  static final class ContentArray {
    @JsonSerialize(contentUsing = ToStringSerializer.class)
    public Secret[] v = {Secret.of(CANARY)};
  }

  static final class ContentMap {
    @JsonSerialize(contentUsing = ToStringSerializer.class)
    public Map<String, Secret> v = Map.of("k", Secret.of(CANARY));
  }

  static final class KeyMap {
    @JsonSerialize(keyUsing = ToStringKey.class)
    public Map<Secret, String> v = Map.of(Secret.of(CANARY), "x");
  }

  static final class UsingList {
    @JsonSerialize(using = ToStringSerializer.class)
    public List<Secret> v = List.of(Secret.of(CANARY));
  }

  static final class NestedContent {
    @JsonSerialize(contentUsing = ToStringSerializer.class)
    public List<List<Secret>> v = List.of(List.of(Secret.of(CANARY)));
  }

  static final class ContentReference {
    @JsonSerialize(contentUsing = ToStringSerializer.class)
    public AtomicReference<Secret> v = new AtomicReference<>(Secret.of(CANARY));
  }

  static final class RawList {
    @JsonRawValue public List<Secret> v = List.of(Secret.of(CANARY));
  }

  /**
   * Each shape with a secret in it, and the same shape emptied of it: the first must be refused,
   * the second written, so the refusal is the secret's and not the shape's.
   */
  static Stream<Arguments> ownSerializerShapes() {
    return Stream.of(
        Arguments.of(
            "@JsonRawValue Secret",
            (Supplier<Object>) Raw::new,
            empty(Raw::new, r -> r.raw = null)),
        Arguments.of(
            "using on Object",
            (Supplier<Object>) ToString::new,
            empty(ToString::new, t -> t.secret = "plain")),
        Arguments.of(
            "contentUsing on List<Secret>",
            (Supplier<Object>) ContentList::new,
            empty(ContentList::new, c -> c.v = List.of())),
        Arguments.of(
            "contentUsing on List<Object>",
            (Supplier<Object>) ContentObjects::new,
            empty(ContentObjects::new, c -> c.v = List.of("plain"))),
        Arguments.of(
            "contentUsing on Secret[]",
            (Supplier<Object>) ContentArray::new,
            empty(ContentArray::new, c -> c.v = new Secret[0])),
        Arguments.of(
            "contentUsing on Map values",
            (Supplier<Object>) ContentMap::new,
            empty(ContentMap::new, c -> c.v = Map.of())),
        Arguments.of(
            "keyUsing on Map keys",
            (Supplier<Object>) KeyMap::new,
            empty(KeyMap::new, k -> k.v = Map.of())),
        Arguments.of(
            "using on List<Secret>",
            (Supplier<Object>) UsingList::new,
            empty(UsingList::new, u -> u.v = List.of())),
        Arguments.of(
            "contentUsing on List<List<Secret>>",
            (Supplier<Object>) NestedContent::new,
            empty(NestedContent::new, n -> n.v = List.of(List.of()))),
        Arguments.of(
            "contentUsing on AtomicReference<Secret>",
            (Supplier<Object>) ContentReference::new,
            empty(ContentReference::new, c -> c.v = new AtomicReference<>())),
        Arguments.of(
            "@JsonRawValue List<Secret>",
            (Supplier<Object>) RawList::new,
            empty(RawList::new, r -> r.v = List.of())));
  }

  private static <T> Supplier<Object> empty(Supplier<T> make, Consumer<T> emptying) {
    return () -> {
      T value = make.get();
      emptying.accept(value);
      return value;
    };
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("ownSerializerShapes")
  void write_refusing_ownSerializerOfAnyShape_isRefusedWhenItHoldsASecret(
      String shape, Supplier<Object> withSecret, Supplier<Object> without) throws Exception {
    ObjectMapper refusing =
        JsonMapper.builder()
            .addModule(LatchkeyModule.builder().secrets(LatchkeyModule.SecretOutput.REFUSE).build())
            .build();

    assertThatThrownBy(() -> refusing.writeValueAsString(withSecret.get()))
        .isInstanceOf(JsonMappingException.class)
        .hasMessageContaining(SecretSerializer.REFUSAL)
        .satisfies(t -> Leaks.assertNoLeak(t, CANARY));
    assertThatThrownBy(() -> refusing.valueToTree(withSecret.get()))
        .hasMessageContaining(SecretSerializer.REFUSAL);
    String json = refusing.writeValueAsString(without.get());
    Leaks.assertNoLeak(shape, json, CANARY);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("ownSerializerShapes")
  void write_masking_ownSerializerOfAnyShape_writesValidJsonWithoutTheSecret(
      String shape, Supplier<Object> withSecret, Supplier<Object> without) throws Exception {
    ObjectMapper masking = JsonMapper.builder().addModule(LatchkeyModule.create()).build();

    String json = masking.writeValueAsString(withSecret.get());

    Leaks.assertNoLeak(shape, json, CANARY);
    assertThat(json).contains("sk-...***");
    assertThatCode(() -> masking.readTree(json)).as(json).doesNotThrowAnyException();
  }

  @Test
  void write_masking_rawSecret_isAJsonString() throws Exception {
    ObjectMapper masking = JsonMapper.builder().addModule(LatchkeyModule.create()).build();

    assertThat(masking.writeValueAsString(new Raw())).isEqualTo("{\"raw\":\"sk-...***\"}");
    assertThat(masking.writeValueAsString(new RawList())).isEqualTo("{\"v\":[\"sk-...***\"]}");
    // Raw text that is not a secret stays raw.
    ToString plain = new ToString();
    plain.secret = "visible";
    assertThat(masking.writeValueAsString(plain))
        .isEqualTo("{\"secret\":\"visible\",\"plain\":{\"a\":1}}");
  }

  /** Getters that count their calls: a guarded property is read once a write. */
  static final class CountingRaw {
    final AtomicInteger reads = new AtomicInteger();

    @JsonRawValue
    public Object getRaw() {
      reads.incrementAndGet();
      return "{\"a\":1}";
    }
  }

  static final class CountingOwn {
    final AtomicInteger reads = new AtomicInteger();

    @JsonSerialize(using = ToStringSerializer.class)
    public Object getValue() {
      reads.incrementAndGet();
      return "visible";
    }
  }

  static final class CountingContent {
    final AtomicInteger reads = new AtomicInteger();

    @JsonSerialize(contentUsing = ToStringSerializer.class)
    public List<Object> getItems() {
      reads.incrementAndGet();
      return List.of("a", 1);
    }
  }

  @Test
  void write_guardedPropertyWithItsOwnSerializer_readsItsGetterOnce() throws Exception {
    ObjectMapper masking = JsonMapper.builder().addModule(LatchkeyModule.create()).build();
    ObjectMapper refusing =
        JsonMapper.builder()
            .addModule(LatchkeyModule.builder().secrets(LatchkeyModule.SecretOutput.REFUSE).build())
            .build();
    CountingRaw raw = new CountingRaw();
    CountingOwn own = new CountingOwn();
    CountingContent content = new CountingContent();

    assertThat(masking.writeValueAsString(raw)).isEqualTo("{\"raw\":{\"a\":1}}");
    assertThat(refusing.writeValueAsString(own)).isEqualTo("{\"value\":\"visible\"}");
    assertThat(refusing.writeValueAsString(content)).isEqualTo("{\"items\":[\"a\",\"1\"]}");
    assertThat(refusing.writeValueAsString(content)).as("again, the serializer kept").contains("a");

    assertThat(raw.reads).hasValue(1);
    assertThat(own.reads).hasValue(1);
    assertThat(content.reads).hasValue(2);
  }
}
