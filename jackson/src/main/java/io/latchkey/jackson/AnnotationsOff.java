package io.latchkey.jackson;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializationConfig;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.ser.BeanSerializerModifier;

/**
 * Refuses the classes whose protection rests on annotations when the mapper reads none ({@code
 * MapperFeature.USE_ANNOTATIONS} disabled): Jackson would then write {@link NeverSerialize}
 * properties and {@link JsonEncrypted} values in plaintext, and read a plaintext where a token
 * belongs. The modifiers still run without annotations; the class is read by reflection.
 */
final class AnnotationsOff {
  private AnnotationsOff() {}

  private static String refusal(JavaType type, String what) {
    return type.getRawClass().getName()
        + " has "
        + what
        + " members, which LatchkeyModule cannot enforce with MapperFeature.USE_ANNOTATIONS"
        + " disabled: enable it on this mapper, or use another mapper for this class";
  }

  /** Refuses to write a class with {@link NeverSerialize} or {@link JsonEncrypted} members. */
  static final class Writes extends BeanSerializerModifier {
    private static final long serialVersionUID = 1L;

    @Override
    public JsonSerializer<?> modifySerializer(
        SerializationConfig config, BeanDescription beanDesc, JsonSerializer<?> serializer) {
      Class<?> type = beanDesc.getBeanClass();
      if (config.isAnnotationProcessingEnabled()
          || !(MarkedMembers.any(type, NeverSerialize.class)
              || MarkedMembers.any(type, JsonEncrypted.class))) {
        return serializer;
      }
      return new Refusing(
          refusal(beanDesc.getType(), "@NeverSerialize or @JsonEncrypted"), beanDesc.getType());
    }
  }

  /** Refuses to read a class with {@link JsonEncrypted} members. */
  static final class Reads extends BeanDeserializerModifier {
    private static final long serialVersionUID = 1L;

    @Override
    public JsonDeserializer<?> modifyDeserializer(
        DeserializationConfig config, BeanDescription beanDesc, JsonDeserializer<?> deserializer) {
      if (config.isAnnotationProcessingEnabled()
          || !MarkedMembers.any(beanDesc.getBeanClass(), JsonEncrypted.class)) {
        return deserializer;
      }
      return new Refusing.Reader(refusal(beanDesc.getType(), "@JsonEncrypted"), beanDesc.getType());
    }
  }
}
