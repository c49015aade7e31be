package io.latchkey.jackson;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.exc.InvalidDefinitionException;
import com.fasterxml.jackson.databind.jsontype.TypeDeserializer;
import com.fasterxml.jackson.databind.jsontype.TypeSerializer;
import java.io.IOException;

/**
 * A serializer that writes nothing and fails with its message, which names what is refused and
 * never a value; and its {@link Reader}. For a class the module cannot protect ({@link
 * AnnotationsOff}, which names its type), a {@link NeverSerialize} member that Jackson would write
 * outside the bean's properties, and a {@link JsonEncrypted} property met by a mapper without the
 * module ({@link WithoutModule}).
 */
class Refusing extends JsonSerializer<Object> {
  private final String message;
  // The class whose definition is refused, or null when the refusal is of a value's use.
  private final JavaType type;

  Refusing(String message, JavaType type) {
    this.message = message;
    this.type = type;
  }

  /**
   * Refuses a {@link NeverSerialize} member written as the object's value, its entries or a key.
   */
  static Refusing neverSerialize(String member) {
    return new Refusing(
        "member "
            + member
            + " is marked @NeverSerialize, and would be written as the object's value, its"
            + " entries or a key; refused",
        null);
  }

  @Override
  public void serialize(Object value, JsonGenerator gen, SerializerProvider serializers)
      throws IOException {
    throw type == null
        ? JsonMappingException.from(gen, message)
        : InvalidDefinitionException.from(gen, message, type);
  }

  @Override
  public void serializeWithType(
      Object value, JsonGenerator gen, SerializerProvider serializers, TypeSerializer typeSer)
      throws IOException {
    serialize(value, gen, serializers);
  }

  /** Reads nothing and fails with its message, without quoting what it was given. */
  static class Reader extends JsonDeserializer<Object> {
    private final String message;
    private final JavaType type;

    Reader(String message, JavaType type) {
      this.message = message;
      this.type = type;
    }

    @Override
    public Object deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      throw type == null
          ? JsonMappingException.from(p, message)
          : InvalidDefinitionException.from(p, message, type);
    }

    @Override
    public Object deserializeWithType(
        JsonParser p, DeserializationContext ctxt, TypeDeserializer typeDeserializer)
        throws IOException {
      return deserialize(p, ctxt);
    }
  }
}
