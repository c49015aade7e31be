package io.latchkey.jackson;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.type.WritableTypeId;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.jsontype.TypeSerializer;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import io.latchkey.Secret;
import java.io.IOException;

/**
 * Writes a {@link Secret} as its mask, or refuses to, as a value or as a map key; never through its
 * methods.
 */
final class SecretSerializer extends StdSerializer<Secret> {
  private static final long serialVersionUID = 1L;

  static final String REFUSAL =
      "a Secret is not written to JSON (LatchkeyModule refuses secrets): leave it out of the"
          + " object, mark it @NeverSerialize, or write it as a @JsonEncrypted token";

  private final boolean refuse;
  private final boolean asKey;

  SecretSerializer(boolean refuse, boolean asKey) {
    super(Secret.class);
    this.refuse = refuse;
    this.asKey = asKey;
  }

  @Override
  public void serialize(Secret value, JsonGenerator gen, SerializerProvider provider)
      throws IOException {
    if (refuse) {
      throw JsonMappingException.from(gen, REFUSAL);
    }
    if (asKey) {
      gen.writeFieldName(value.toString());
    } else {
      gen.writeString(value.toString());
    }
  }

  // With default typing (or @JsonTypeInfo on an Object property) the mask is written with its
  // type id, as any scalar; refusing comes first, so that not even the type id is written.
  @Override
  public void serializeWithType(
      Secret value, JsonGenerator gen, SerializerProvider provider, TypeSerializer typeSer)
      throws IOException {
    if (refuse) {
      throw JsonMappingException.from(gen, REFUSAL);
    }
    WritableTypeId typeId =
        typeSer.writeTypePrefix(gen, typeSer.typeId(value, JsonToken.VALUE_STRING));
    serialize(value, gen, provider);
    typeSer.writeTypeSuffix(gen, typeId);
  }
}
