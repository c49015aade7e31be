package io.latchkey.jackson;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.latchkey.Secret;
import io.latchkey.crypto.aead.AesGcmKey;
import io.latchkey.crypto.aead.AesGcmKeyRing;
import io.latchkey.testsupport.Leaks;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Channels other than a bean's own properties through which a plaintext could leave a mapper: a
 * {@link NeverSerialize} member written as the object's value or as any-getter entries (refused,
 * the message naming the member only), a tree holding a POJO written by the mapper, an unwrapped
 * object, and reading a {@code Secret} (as a value or a map key) with no module registered.
 */
final class JacksonChannelsTest {
  static final String CANARY = "sk-canary-audit-0123456789abcdefghij";
  static final String PASSWORD = "canary-password-audit-hunter2";
  static final String STATE = "canary-oauth-state-audit-42";

  static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .addModule(
              LatchkeyModule.builder().keyRing(AesGcmKeyRing.of(AesGcmKey.generate())).build())
          .build();

  record Connector(String name, @NeverSerialize String password) {}

  record LoginStep(String provider, @JsonEncrypted("oauth-state") String state) {}

  record Login(String user, Secret apiKey) {}

  /** An any-getter marked never to be written. */
  static final class Extras {
    public String name = "acme";

    @NeverSerialize @JsonAnyGetter public Map<String, String> hidden = new LinkedHashMap<>();
  }

  /** A wrapper whose single value is marked never to be written. */
  static final class Password {
    private final String value;

    Password(String value) {
      this.value = value;
    }

    @NeverSerialize
    @JsonValue
    public String value() {
      return value;
    }
  }

  static final class Outer {
    public String id = "o";
    @JsonUnwrapped public Connector connector = new Connector("c", PASSWORD);
  }

  private static List<String> leaks(String output, String canary) {
    List<String> out = new ArrayList<>();
    if (Leaks.findLeak(output, canary) != null) {
      out.add(output.length() > 300 ? output.substring(0, 300) + "…" : output);
    }
    return out;
  }

  private static List<String> thrownLeaks(ThrowingRunnable r, String canary) {
    List<String> out = new ArrayList<>();
    try {
      r.run();
      out.add("(no exception)");
      return out;
    } catch (Exception e) {
      for (String t : Leaks.texts(e)) {
        if (Leaks.findLeak(t, canary) != null) {
          out.add(t.length() > 300 ? t.substring(0, 300) + "…" : t);
        }
      }
    }
    return out;
  }

  @FunctionalInterface
  interface ThrowingRunnable {
    void run() throws Exception;
  }

  // ---- JsonNode.toString(): Jackson writes a POJONode with its own internal mapper ----

  @Test
  void writeValueAsString_ofNodeWithPojo_usesTheModule() throws JsonProcessingException {
    ObjectNode node = MAPPER.createObjectNode();
    node.putPOJO("connector", new Connector("c", PASSWORD));
    assertThat(leaks(MAPPER.writeValueAsString(node), PASSWORD)).isEmpty();
  }

  // ---- @NeverSerialize on accessors Jackson does not treat as bean properties ----

  @Test
  void neverSerialize_onAnyGetter_isRefused_withoutTheValue() {
    Extras e = new Extras();
    e.hidden.put("db", PASSWORD);
    assertThat(thrownLeaks(() -> MAPPER.writeValueAsString(e), PASSWORD)).isEmpty();
    assertThatThrownBy(() -> MAPPER.writeValueAsString(e))
        .hasMessageContaining("member hidden is marked @NeverSerialize");
  }

  @Test
  void neverSerialize_onJsonValue_isRefused_withoutTheValue() {
    assertThat(thrownLeaks(() -> MAPPER.writeValueAsString(new Password(PASSWORD)), PASSWORD))
        .isEmpty();
    assertThat(
            thrownLeaks(
                () -> MAPPER.writeValueAsString(Map.of("p", new Password(PASSWORD))), PASSWORD))
        .isEmpty();
    assertThatThrownBy(() -> MAPPER.writeValueAsString(new Password(PASSWORD)))
        .hasMessageContaining("member value is marked @NeverSerialize");
  }

  @Test
  void neverSerialize_insideJsonUnwrapped_isNotWritten() throws JsonProcessingException {
    assertThat(leaks(MAPPER.writeValueAsString(new Outer()), PASSWORD)).isEmpty();
  }

  // ---- reading a Secret ----

  @Test
  void read_secretWithoutTheModule_failureDoesNotQuoteTheValue() {
    ObjectMapper plain = JsonMapper.builder().build();
    assertThat(
            thrownLeaks(
                () ->
                    plain.readValue("{\"user\":\"u\",\"apiKey\":\"" + CANARY + "\"}", Login.class),
                CANARY))
        .isEmpty();
  }

  @Test
  void read_secretAsMapKey_failureDoesNotQuoteTheValue() {
    assertThat(
            thrownLeaks(
                () ->
                    MAPPER.readValue(
                        "{\"" + CANARY + "\":\"x\"}", new TypeReference<Map<Secret, String>>() {}),
                CANARY))
        .isEmpty();
  }

  @Test
  void withoutTheModule_neverSerializeIsNotWritten_andJsonEncryptedIsRefused() {
    ObjectMapper plain = JsonMapper.builder().build();
    assertThat(leaks(writeOrMessage(plain, new Connector("c", PASSWORD)), PASSWORD)).isEmpty();
    assertThatThrownBy(() -> plain.writeValueAsString(new LoginStep("p", STATE)))
        .hasMessageContaining("only by a mapper with LatchkeyModule registered");
    assertThat(thrownLeaks(() -> plain.writeValueAsString(new LoginStep("p", STATE)), STATE))
        .isEmpty();
    // A token read by such a mapper is refused, not taken for the value.
    assertThatThrownBy(
            () -> plain.readValue("{\"provider\":\"p\",\"state\":\"v1.token\"}", LoginStep.class))
        .hasMessageContaining("only by a mapper with LatchkeyModule registered");
    // Reading is unaffected for @NeverSerialize.
    assertThat(
            readConnector(plain, "{\"name\":\"c\",\"password\":\"" + PASSWORD + "\"}").password())
        .isEqualTo(PASSWORD);
  }

  @Test
  void aJsonNodesOwnToString_withAPojoInside_showsNeitherPlaintext() {
    ObjectNode node = MAPPER.createObjectNode();
    node.putPOJO("connector", new Connector("c", PASSWORD));
    assertThat(leaks(node.toString(), PASSWORD)).isEmpty();
    ObjectNode step = MAPPER.createObjectNode();
    step.putPOJO("step", new LoginStep("p", STATE));
    assertThat(leaks(String.valueOf(safeToString(step)), STATE)).isEmpty();
  }

  private static Connector readConnector(ObjectMapper mapper, String json) {
    try {
      return mapper.readValue(json, Connector.class);
    } catch (JsonProcessingException e) {
      throw new AssertionError(e.getClass().getName());
    }
  }

  private static String writeOrMessage(ObjectMapper mapper, Object value) {
    try {
      return mapper.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      return e.getMessage();
    }
  }

  private static String safeToString(Object o) {
    try {
      return o.toString();
    } catch (RuntimeException e) {
      return e.getMessage();
    }
  }
}
