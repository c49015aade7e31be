package io.latchkey.jackson;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;

/**
 * What a {@link NeverSerialize} member is written with where Jackson writes it outside the bean's
 * properties, which the module drops it from: as the object's whole value ({@code @JsonValue}), as
 * the entries of an {@code @JsonAnyGetter}, as a map key ({@code @JsonKey}). Refuses, naming the
 * member: nothing could stand in for the object's value or its key.
 */
final class NeverWritten extends StdSerializer<Object> {
  private static final long serialVersionUID = 1L;

  private final String member;

  NeverWritten(String member) {
    super(Object.class);
    this.member = member;
  }

  @Override
  public void serialize(Object value, JsonGenerator gen, SerializerProvider provider)
      throws IOException {
    throw JsonMappingException.from(
        gen,
        "member "
            + member
            + " is marked @NeverSerialize, and would be written as the object's value, its"
            + " entries or a key; refused");
  }
}
