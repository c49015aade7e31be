package io.latchkey.jackson;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.PropertyName;
import com.fasterxml.jackson.databind.SerializationConfig;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.ser.BeanPropertyWriter;
import com.fasterxml.jackson.databind.ser.BeanSerializerModifier;
import io.latchkey.Secret;
import java.util.List;
import java.util.ListIterator;

/**
 * A property writer that refuses a {@link Secret} value, for properties with a serializer of their
 * own ({@code @JsonRawValue}, {@code @JsonSerialize(using = ...)}), which would otherwise write a
 * secret without going through the module's serializer: with {@link
 * LatchkeyModule.SecretOutput#REFUSE}, nothing writes a secret, not even its mask.
 */
final class RefusingSecretWriter extends BeanPropertyWriter {
  private static final long serialVersionUID = 1L;

  private RefusingSecretWriter(BeanPropertyWriter base) {
    super(base);
  }

  private RefusingSecretWriter(BeanPropertyWriter base, PropertyName name) {
    super(base, name);
  }

  // Renaming (an unwrapped bean's properties) copies the writer through here: keep the check.
  @Override
  protected BeanPropertyWriter _new(PropertyName newName) {
    return new RefusingSecretWriter(this, newName);
  }

  @Override
  public void serializeAsField(Object bean, JsonGenerator gen, SerializerProvider prov)
      throws Exception {
    refuseSecret(bean, gen);
    super.serializeAsField(bean, gen, prov);
  }

  @Override
  public void serializeAsElement(Object bean, JsonGenerator gen, SerializerProvider prov)
      throws Exception {
    refuseSecret(bean, gen);
    super.serializeAsElement(bean, gen, prov);
  }

  private void refuseSecret(Object bean, JsonGenerator gen) throws Exception {
    if (get(bean) instanceof Secret) {
      throw JsonMappingException.from(gen, SecretSerializer.REFUSAL);
    }
  }

  /** Wraps the writers that could bypass {@link SecretSerializer} with a Secret value. */
  static final class Modifier extends BeanSerializerModifier {
    private static final long serialVersionUID = 1L;

    @Override
    public List<BeanPropertyWriter> changeProperties(
        SerializationConfig config, BeanDescription beanDesc, List<BeanPropertyWriter> writers) {
      for (ListIterator<BeanPropertyWriter> it = writers.listIterator(); it.hasNext(); ) {
        BeanPropertyWriter w = it.next();
        JsonSerializer<?> own = w.getSerializer();
        Class<?> type = w.getType().getRawClass();
        boolean canHoldSecret = type.isAssignableFrom(Secret.class); // Secret is final
        // A @JsonEncrypted property writes a token, never the value: the one serializer kept.
        if (own != null
            && canHoldSecret
            && !(own instanceof EncryptedProperty.Serializer)
            && !(own instanceof SecretSerializer)
            && !(w instanceof RefusingSecretWriter)) {
          it.set(new RefusingSecretWriter(w));
        }
      }
      return writers;
    }
  }
}
