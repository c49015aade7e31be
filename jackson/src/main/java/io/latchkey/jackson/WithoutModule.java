package io.latchkey.jackson;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;

/**
 * What a {@link JsonEncrypted} property is written and read with by a mapper that {@link
 * LatchkeyModule} is not registered with (a mapper of a library's own, the one behind a {@code
 * JsonNode}'s {@code toString()}): refusal, naming the module. Without it such a mapper would write
 * the plaintext where a token belongs, and read a token as if it were the value. The module's own
 * serializer and deserializer take precedence wherever it is registered.
 */
final class WithoutModule {
  private WithoutModule() {}

  static final String REFUSAL =
      "a @JsonEncrypted property is written and read only by a mapper with LatchkeyModule"
          + " registered (and a key ring given to it)";

  /** Refuses to write. */
  static final class Writer extends StdSerializer<Object> {
    private static final long serialVersionUID = 1L;

    /** Created by Jackson, from the annotation. */
    Writer() {
      super(Object.class);
    }

    @Override
    public void serialize(Object value, JsonGenerator gen, SerializerProvider provider)
        throws IOException {
      throw JsonMappingException.from(gen, REFUSAL);
    }
  }

  /** Refuses to read, without quoting what it was given. */
  static final class Reader extends StdDeserializer<Object> {
    private static final long serialVersionUID = 1L;

    /** Created by Jackson, from the annotation. */
    Reader() {
      super(Object.class);
    }

    @Override
    public Object deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      p.skipChildren();
      throw JsonMappingException.from(p, REFUSAL);
    }
  }
}
