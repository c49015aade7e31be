package io.latchkey.jackson;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.AnnotationIntrospector;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.PropertyName;
import com.fasterxml.jackson.databind.SerializationConfig;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.introspect.AnnotatedMember;
import com.fasterxml.jackson.databind.jsonFormatVisitors.JsonFormatVisitorWrapper;
import com.fasterxml.jackson.databind.jsontype.TypeSerializer;
import com.fasterxml.jackson.databind.ser.BeanPropertyWriter;
import com.fasterxml.jackson.databind.ser.BeanSerializerModifier;
import com.fasterxml.jackson.databind.ser.impl.PropertySerializerMap;
import com.fasterxml.jackson.databind.ser.std.RawSerializer;
import io.latchkey.Secret;
import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.ListIterator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A property writer for properties with a serializer of their own, for the property itself
 * ({@code @JsonRawValue}, {@code @JsonSerialize(using = ...)}), for its content ({@code
 * contentUsing}) or for its keys ({@code keyUsing}), whose type may hold a {@link Secret} at any
 * depth of arrays, collections, maps and references: such a serializer would write the secret
 * without going through the module's. When the value holds one, the property is refused (with
 * {@link LatchkeyModule.SecretOutput#REFUSE}, nothing writes a secret, not even its mask), or, for
 * {@code @JsonRawValue} when masking, written with Jackson's own serializers, so the mask is a JSON
 * string rather than bare text that breaks the document.
 *
 * <p>The check wraps the serializer the property is written with, whenever Jackson settles on one
 * (at the writer's creation, when the bean's serializer resolves it, or per runtime type at the
 * write), so the value is read once, by Jackson, and checked as it is written.
 */
final class SecretGuardWriter extends BeanPropertyWriter {
  private static final long serialVersionUID = 1L;

  /** How deep a value's arrays, collections, maps and references are searched for a secret. */
  private static final int DEPTH = 8;

  private final boolean refuse;

  private SecretGuardWriter(BeanPropertyWriter base, boolean refuse) {
    super(base);
    this.refuse = refuse;
    if (_serializer != null) {
      _serializer = new Guard(_serializer, refuse);
    }
  }

  private SecretGuardWriter(SecretGuardWriter base, PropertyName name) {
    super(base, name);
    this.refuse = base.refuse;
  }

  // Renaming (an unwrapped bean's properties) copies the writer through here: keep the check.
  @Override
  protected BeanPropertyWriter _new(PropertyName newName) {
    return new SecretGuardWriter(this, newName);
  }

  // A serializer found once the bean's serializer resolves its properties (a final type's, such
  // as an array with contentUsing) is guarded as it is assigned.
  @Override
  public void assignSerializer(JsonSerializer<Object> ser) {
    super.assignSerializer(ser == null || ser instanceof Guard ? ser : new Guard(ser, refuse));
  }

  // One found for each runtime type at the write (a collection, a map, a reference with
  // contentUsing or keyUsing) is guarded before it is kept: what Jackson's own lookup does, with
  // the check around the serializer it finds.
  @Override
  protected JsonSerializer<Object> _findAndAddDynamic(
      PropertySerializerMap map, Class<?> type, SerializerProvider provider)
      throws JsonMappingException {
    JsonSerializer<Object> found =
        _nonTrivialBaseType != null
            ? provider.findPrimaryPropertySerializer(
                provider.constructSpecializedType(_nonTrivialBaseType, type), this)
            : provider.findPrimaryPropertySerializer(type, this);
    JsonSerializer<Object> guarded = new Guard(found, refuse);
    _dynamicSerializers = map.newWith(type, guarded);
    return guarded;
  }

  /**
   * The property's own serializer, behind the check: a value that holds a secret is refused, or
   * written through Jackson's own serializers (and so the module's) instead.
   */
  private static final class Guard extends JsonSerializer<Object> {
    private final JsonSerializer<Object> delegate;
    private final boolean refuse;

    Guard(JsonSerializer<Object> delegate, boolean refuse) {
      this.delegate = delegate;
      this.refuse = refuse;
    }

    @Override
    public void serialize(Object value, JsonGenerator gen, SerializerProvider prov)
        throws IOException {
      if (guarded(value, gen)) {
        prov.defaultSerializeValue(value, gen);
      } else {
        delegate.serialize(value, gen, prov);
      }
    }

    @Override
    public void serializeWithType(
        Object value, JsonGenerator gen, SerializerProvider prov, TypeSerializer typeSer)
        throws IOException {
      if (guarded(value, gen)) {
        prov.findValueSerializer(value.getClass()).serializeWithType(value, gen, prov, typeSer);
      } else {
        delegate.serializeWithType(value, gen, prov, typeSer);
      }
    }

    private boolean guarded(Object value, JsonGenerator gen) throws JsonMappingException {
      if (!holdsSecret(value, DEPTH)) {
        return false;
      }
      if (refuse) {
        throw JsonMappingException.from(gen, SecretSerializer.REFUSAL);
      }
      return true;
    }

    @Override
    public boolean isEmpty(SerializerProvider provider, Object value) {
      return delegate.isEmpty(provider, value);
    }

    @Override
    public boolean usesObjectId() {
      return delegate.usesObjectId();
    }

    @Override
    public Class<Object> handledType() {
      return delegate.handledType();
    }

    @Override
    public JsonSerializer<?> getDelegatee() {
      return delegate;
    }

    @Override
    public void acceptJsonFormatVisitor(JsonFormatVisitorWrapper visitor, JavaType type)
        throws JsonMappingException {
      delegate.acceptJsonFormatVisitor(visitor, type);
    }
  }

  /** Tells whether the value is a secret or holds one in its arrays, collections, maps, refs. */
  static boolean holdsSecret(Object value, int depth) {
    if (value instanceof Secret) {
      return true;
    }
    if (value == null || depth == 0) {
      return false;
    }
    if (value instanceof Map<?, ?> map) {
      for (Map.Entry<?, ?> e : map.entrySet()) {
        if (holdsSecret(e.getKey(), depth - 1) || holdsSecret(e.getValue(), depth - 1)) {
          return true;
        }
      }
    } else if (value instanceof Collection<?> collection) {
      for (Object element : collection) {
        if (holdsSecret(element, depth - 1)) {
          return true;
        }
      }
    } else if (value instanceof Object[] array) {
      for (Object element : array) {
        if (holdsSecret(element, depth - 1)) {
          return true;
        }
      }
    } else if (value instanceof Optional<?> optional) {
      return holdsSecret(optional.orElse(null), depth - 1);
    } else if (value instanceof AtomicReference<?> reference) {
      return holdsSecret(reference.get(), depth - 1);
    }
    return false;
  }

  /** Tells whether a value of the type may be a secret or hold one (see {@link #holdsSecret}). */
  static boolean mayHoldSecret(JavaType type, int depth) {
    if (type == null) {
      return false;
    }
    if (type.getRawClass().isAssignableFrom(Secret.class)) {
      return true; // Secret itself, Object, or an interface it implements
    }
    if (depth == 0 || !(type.isContainerType() || type.isReferenceType())) {
      return false;
    }
    return mayHoldSecret(type.getContentType(), depth - 1)
        || mayHoldSecret(type.getKeyType(), depth - 1);
  }

  /** Wraps the writers whose own serializers could bypass {@link SecretSerializer}. */
  static final class Modifier extends BeanSerializerModifier {
    private static final long serialVersionUID = 1L;

    private final boolean refuse;

    Modifier(boolean refuse) {
      this.refuse = refuse;
    }

    @Override
    public List<BeanPropertyWriter> changeProperties(
        SerializationConfig config, BeanDescription beanDesc, List<BeanPropertyWriter> writers) {
      AnnotationIntrospector introspector = config.getAnnotationIntrospector();
      for (ListIterator<BeanPropertyWriter> it = writers.listIterator(); it.hasNext(); ) {
        BeanPropertyWriter w = it.next();
        JsonSerializer<?> own = w.getSerializer();
        // A @JsonEncrypted property writes a token, never the value: the one serializer kept.
        if (w instanceof SecretGuardWriter
            || own instanceof EncryptedProperty.Serializer
            || own instanceof SecretSerializer) {
          continue;
        }
        boolean guarded =
            refuse
                ? own != null || ownContentOrKeySerializer(introspector, w.getMember())
                : own instanceof RawSerializer;
        if (guarded && mayHoldSecret(w.getType(), DEPTH)) {
          it.set(new SecretGuardWriter(w, refuse));
        }
      }
      return writers;
    }

    private static boolean ownContentOrKeySerializer(
        AnnotationIntrospector introspector, AnnotatedMember member) {
      return introspector != null
          && member != null
          && (introspector.findContentSerializer(member) != null
              || introspector.findKeySerializer(member) != null);
    }
  }
}
