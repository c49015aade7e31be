package io.latchkey.jackson;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.latchkey.testsupport.Leaks;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A type whose @JsonValue member is marked @NeverSerialize, written as a map key: Jackson builds
 * the key serializer from the accessor without asking the introspector, and the module refuses it
 * there too.
 */
final class NeverSerializeKeyTest {
  private static final String CANARY = "sk-canary-audit-jsonvalue-key-0123456789";

  static final class Password {
    private final String text;

    Password(String text) {
      this.text = text;
    }

    @NeverSerialize
    @JsonValue
    public String text() {
      return text;
    }
  }

  static final class Holder {
    public Map<Password, String> byPassword = Map.of(new Password(CANARY), "v");
  }

  @Test
  void control_jsonValueMember_asAValue_isRefused() {
    JsonMapper mapper = JsonMapper.builder().addModule(LatchkeyModule.create()).build();
    Throwable thrown = catchThrowable(() -> mapper.writeValueAsString(new Password(CANARY)));
    assertThat(thrown).isNotNull();
    Leaks.assertNoLeak(thrown, CANARY);
  }

  @Test
  void jsonValueMember_asAMapKey_isNotWritten() {
    JsonMapper mapper = JsonMapper.builder().addModule(LatchkeyModule.create()).build();
    String json = null;
    Throwable thrown = null;
    try {
      json = mapper.writeValueAsString(new Holder());
    } catch (Exception e) {
      thrown = e;
    }
    if (thrown != null) {
      Leaks.assertNoLeak(thrown, CANARY);
    }
    Leaks.assertNoLeak("JSON written", String.valueOf(json), CANARY);
  }
}
