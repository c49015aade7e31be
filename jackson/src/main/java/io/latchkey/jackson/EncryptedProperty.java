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
import com.fasterxml.jackson.databind.introspect.AnnotatedField;
import com.fasterxml.jackson.databind.introspect.AnnotatedMember;
import com.fasterxml.jackson.databind.introspect.AnnotatedMethod;
import com.fasterxml.jackson.databind.ser.ContextualSerializer;
import io.latchkey.InvalidTokenException;
import io.latchkey.crypto.aead.AeadKeyRing;
import io.latchkey.crypto.aead.AesGcmKeyRing;
import io.latchkey.crypto.aead.AssociatedData;
import io.latchkey.crypto.aead.SwappableAeadKeyRing;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.time.Clock;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/**
 * A {@link JsonEncrypted} property: its serializer and deserializer, made for each property once
 * Jackson tells which property it is (its type, its JSON name and its declaring class, the default
 * purpose).
 */
final class EncryptedProperty {
  private final AeadKeyRing ring;
  private final Clock clock;
  private final AssociatedData associatedData;
  private final Duration ttl; // null: tokens never expire
  private final String name;
  private final Plaintext kind;

  private EncryptedProperty(
      AeadKeyRing ring,
      Clock clock,
      AssociatedData associatedData,
      Duration ttl,
      String name,
      Plaintext kind) {
    this.ring = ring;
    this.clock = clock;
    this.associatedData = associatedData;
    this.ttl = ttl;
    this.name = name;
    this.kind = kind;
  }

  /** Resolves a property once Jackson knows it; the ring may be absent until a value is written. */
  static EncryptedProperty of(
      AeadKeyRing ring, Clock clock, JsonEncrypted annotation, BeanProperty property)
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
    // By default a token names the class as well as the property: a "state" token of one class
    // must not be accepted by every other class's "state". An explicit purpose stays as given
    // (the 0.1 binding), so that properties can share tokens on purpose.
    AssociatedData associatedData;
    if (annotation.value().isEmpty()) {
      associatedData = AssociatedData.of("json", owner(property).getName(), name);
    } else {
      associatedData = AssociatedData.of("json", annotation.value());
    }
    Duration ttl = ttl(annotation.ttl(), name);
    return new EncryptedProperty(ring, clock, associatedData, ttl, name, kind);
  }

  /**
   * The class a default purpose names: the one that declares the property's field, found from the
   * accessor Jackson chose upwards, or the accessor's own class when there is no field. The writer
   * and the reader may each choose another accessor (a getter in a base class, a creator in a
   * subclass); the field is where they meet, so that a service reads back the tokens it wrote.
   */
  static Class<?> owner(BeanProperty property) {
    AnnotatedMember member = property == null ? null : property.getMember();
    if (member == null) {
      return Object.class;
    }
    Set<String> names = new HashSet<>();
    names.add(property.getName());
    if (member instanceof AnnotatedField) {
      names.add(member.getName());
    } else if (member instanceof AnnotatedMethod) {
      MarkedMembers.accessorNames(member.getName(), names);
    }
    Class<?> declaring = member.getDeclaringClass();
    for (Class<?> c = declaring; c != null && c != Object.class; c = c.getSuperclass()) {
      for (Field f : c.getDeclaredFields()) {
        if (!Modifier.isStatic(f.getModifiers()) && names.contains(f.getName())) {
          return c;
        }
      }
    }
    return declaring;
  }

  private static Duration ttl(String text, String name) throws JsonMappingException {
    if (text.isEmpty()) {
      return null;
    }
    Duration ttl;
    try {
      ttl =
          text.chars().allMatch(c -> c >= '0' && c <= '9')
              ? Duration.ofSeconds(Long.parseLong(text))
              : Duration.parse(text);
    } catch (DateTimeParseException | ArithmeticException | NumberFormatException e) {
      ttl = null;
    }
    if (ttl == null || ttl.toSeconds() < 1) {
      throw new JsonMappingException(
          null,
          "@JsonEncrypted property "
              + name
              + ": ttl \""
              + text
              + "\" is not a time-to-live of at least one second; give an ISO-8601 duration"
              + " (PT10M) or whole seconds (600)");
    }
    return ttl;
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

  private String encrypt(byte[] plaintext) throws JsonMappingException {
    if (ttl == null) {
      return ring().encrypt(plaintext, associatedData);
    }
    return timed().encrypt(plaintext, clock.instant(), associatedData);
  }

  private byte[] decrypt(String token) throws JsonMappingException {
    if (ttl == null) {
      return ring().decrypt(token, associatedData);
    }
    return timed().decrypt(token, ttl, clock.instant(), associatedData);
  }

  // The module's clock, not the ring's, stamps and checks tokens: one clock for every property,
  // and a ring built with the untimed layout still writes timed tokens for a property that
  // needs them. Only AesGcmKeyRing takes the time from its caller.
  private AesGcmKeyRing timed() throws JsonMappingException {
    AeadKeyRing r = ring();
    AeadKeyRing current = r instanceof SwappableAeadKeyRing s ? s.current() : r;
    if (current instanceof AesGcmKeyRing aes) {
      return aes;
    }
    throw new JsonMappingException(
        null,
        "@JsonEncrypted property "
            + name
            + " has a ttl, which needs an AesGcmKeyRing (or a SwappableAeadKeyRing holding one),"
            + " not a "
            + current.getClass().getSimpleName());
  }

  /** The serializer that {@link LatchkeyModule}'s introspector names; it resolves per property. */
  static final class Serializer extends JsonSerializer<Object> implements ContextualSerializer {
    private final AeadKeyRing ring;
    private final Clock clock;
    private final JsonEncrypted annotation;
    private final EncryptedProperty property;

    Serializer(AeadKeyRing ring, Clock clock, JsonEncrypted annotation) {
      this(ring, clock, annotation, null);
    }

    private Serializer(
        AeadKeyRing ring, Clock clock, JsonEncrypted annotation, EncryptedProperty property) {
      this.ring = ring;
      this.clock = clock;
      this.annotation = annotation;
      this.property = property;
    }

    @Override
    public JsonSerializer<?> createContextual(SerializerProvider prov, BeanProperty p)
        throws JsonMappingException {
      return new Serializer(
          ring, clock, annotation, EncryptedProperty.of(ring, clock, annotation, p));
    }

    @Override
    public void serialize(Object value, JsonGenerator gen, SerializerProvider serializers)
        throws IOException {
      byte[] plaintext = property.kind.toBytes(value);
      try {
        gen.writeString(property.encrypt(plaintext));
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
    private final Clock clock;
    private final JsonEncrypted annotation;
    private final EncryptedProperty property;

    Deserializer(AeadKeyRing ring, Clock clock, JsonEncrypted annotation) {
      this(ring, clock, annotation, null);
    }

    private Deserializer(
        AeadKeyRing ring, Clock clock, JsonEncrypted annotation, EncryptedProperty property) {
      this.ring = ring;
      this.clock = clock;
      this.annotation = annotation;
      this.property = property;
    }

    @Override
    public JsonDeserializer<?> createContextual(DeserializationContext ctxt, BeanProperty p)
        throws JsonMappingException {
      return new Deserializer(
          ring, clock, annotation, EncryptedProperty.of(ring, clock, annotation, p));
    }

    @Override
    public Object deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      if (p.currentToken() != JsonToken.VALUE_STRING) {
        return ctxt.reportInputMismatch(
            this, "@JsonEncrypted property %s is read from a token, a JSON string", property.name);
      }
      try {
        return property.kind.fromBytes(property.decrypt(p.getText()));
      } catch (InvalidTokenException e) {
        throw JsonMappingException.from(
            p,
            "@JsonEncrypted property "
                + property.name
                + ": the token was rejected ("
                + e.getMessage()
                + (e.reason() == InvalidTokenException.Reason.WRONG_KEY_OR_TAMPERED
                    ? "); a token made for another purpose is rejected too"
                    : ")"),
            e);
      }
    }
  }
}
