package io.latchkey.jackson;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.BeanProperty;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.ContextualDeserializer;
import com.fasterxml.jackson.databind.ser.ContextualSerializer;
import io.latchkey.InvalidTokenException;
import io.latchkey.crypto.aead.AeadKeyRing;
import io.latchkey.crypto.aead.AssociatedData;
import java.io.IOException;
import java.util.Arrays;

/**
 * A {@link JsonEncrypted} property: its serializer and deserializer, made for each property once
 * Jackson tells which property it is (its type and its JSON name, the default purpose).
 */
final class EncryptedProperty {
  private final AeadKeyRing ring;
  private final String purpose;
  private final String name;
  private final Plaintext kind;

  private EncryptedProperty(AeadKeyRing ring, String purpose, String name, Plaintext kind) {
    this.ring = ring;
    this.purpose = purpose;
    this.name = name;
    this.kind = kind;
  }

  /** Resolves a property once Jackson knows it; the ring may be absent until a value is written. */
  static EncryptedProperty of(AeadKeyRing ring, JsonEncrypted annotation, BeanProperty property)
      throws JsonMappingException {
    String name = property == null ? "?" : property.getName();
    Class<?> type = property == null ? Object.class : property.getType().getRawClass();
    Plaintext kind = Plaintext.of(type);
    if (kind == null) {
      throw new JsonMappingException(
          null,
          "@JsonEncrypted property "
              + name
              + " is a "
              + type.getName()
              + "; only String, byte[] and io.latchkey.Secret properties are encrypted");
    }
    String purpose = annotation.value().isEmpty() ? name : annotation.value();
    return new EncryptedProperty(ring, purpose, name, kind);
  }

  private AeadKeyRing ring() throws JsonMappingException {
    if (ring == null) {
      throw new JsonMappingException(
          null,
          "@JsonEncrypted property "
              + name
              + " needs a key ring: register LatchkeyModule.builder().keyRing(ring).build()");
    }
    return ring;
  }

  private AssociatedData associatedData() {
    return AssociatedData.of("json", purpose);
  }

  /** The serializer that {@link LatchkeyModule}'s introspector names; it resolves per property. */
  static final class Serializer extends JsonSerializer<Object> implements ContextualSerializer {
    private final AeadKeyRing ring;
    private final JsonEncrypted annotation;
    private final EncryptedProperty property;

    Serializer(AeadKeyRing ring, JsonEncrypted annotation) {
      this(ring, annotation, null);
    }

    private Serializer(AeadKeyRing ring, JsonEncrypted annotation, EncryptedProperty property) {
      this.ring = ring;
      this.annotation = annotation;
      this.property = property;
    }

    @Override
    public JsonSerializer<?> createContextual(SerializerProvider prov, BeanProperty p)
        throws JsonMappingException {
      return new Serializer(ring, annotation, EncryptedProperty.of(ring, annotation, p));
    }

    @Override
    public void serialize(Object value, JsonGenerator gen, SerializerProvider serializers)
        throws IOException {
      byte[] plaintext = property.kind.toBytes(value);
      try {
        gen.writeString(property.ring().encrypt(plaintext, property.associatedData()));
      } finally {
        Arrays.fill(plaintext, (byte) 0);
      }
    }
  }

  /**
   * The deserializer that {@link LatchkeyModule}'s introspector names; it resolves per property.
   */
  static final class Deserializer extends JsonDeserializer<Object>
      implements ContextualDeserializer {
    private final AeadKeyRing ring;
    private final JsonEncrypted annotation;
    private final EncryptedProperty property;

    Deserializer(AeadKeyRing ring, JsonEncrypted annotation) {
      this(ring, annotation, null);
    }

    private Deserializer(AeadKeyRing ring, JsonEncrypted annotation, EncryptedProperty property) {
      this.ring = ring;
      this.annotation = annotation;
      this.property = property;
    }

    @Override
    public JsonDeserializer<?> createContextual(DeserializationContext ctxt, BeanProperty p)
        throws JsonMappingException {
      return new Deserializer(ring, annotation, EncryptedProperty.of(ring, annotation, p));
    }

    @Override
    public Object deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      if (p.currentToken() != JsonToken.VALUE_STRING) {
        return ctxt.reportInputMismatch(
            this, "@JsonEncrypted property %s is read from a token, a JSON string", property.name);
      }
      try {
        return property.kind.fromBytes(
            property.ring().decrypt(p.getText(), property.associatedData()));
      } catch (InvalidTokenException e) {
        throw JsonMappingException.from(
            p,
            "@JsonEncrypted property "
                + property.name
                + ": the token was rejected ("
                + e.getMessage()
                + "); a token made for another purpose is rejected too",
            e);
      }
    }
  }
}
