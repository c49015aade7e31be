package io.latchkey.jackson;

import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.latchkey.testsupport.Leaks;
import org.junit.jupiter.api.Test;

/**
 * A property marked @NeverSerialize on its field and written through its getter's @JsonValue is
 * refused, as a marked @JsonValue member is: the mark holds on any of the property's members.
 */
final class NeverSerializeFieldJsonValueTest {
  private static final String CANARY = "sk-canary-audit-field-jsonvalue-0123456789";

  static final class ApiKey {
    @NeverSerialize private final String value;

    ApiKey(String value) {
      this.value = value;
    }

    @JsonValue
    public String getValue() {
      return value;
    }
  }

  @Test
  void markedField_writtenThroughItsGettersJsonValue_isNotWritten() {
    JsonMapper mapper = JsonMapper.builder().addModule(LatchkeyModule.create()).build();
    String json = null;
    try {
      json = mapper.writeValueAsString(new ApiKey(CANARY));
    } catch (Exception e) {
      Leaks.assertNoLeak(e, CANARY);
    }
    Leaks.assertNoLeak("JSON written", String.valueOf(json), CANARY);
  }
}
