package io.latchkey.jackson;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.BeanProperty;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.deser.ContextualDeserializer;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import io.latchkey.Secret;
import java.io.IOException;

/**
 * Reads a {@link Secret} from a JSON string; anything else, and a string that is a secret's mask,
 * is refused without being quoted.
 */
final class SecretDeserializer extends StdScalarDeserializer<Secret>
    implements ContextualDeserializer {
  private static final long serialVersionUID = 1L;

  private final String property; // null: not a bean property (a root value, an element)

  SecretDeserializer() {
    this(null);
  }

  private SecretDeserializer(String property) {
    super(Secret.class);
    this.property = property;
  }

  @Override
  public JsonDeserializer<?> createContextual(DeserializationContext ctxt, BeanProperty p) {
    return p == null ? this : new SecretDeserializer(p.getName());
  }

  @Override
  public Secret deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
    if (p.currentToken() != JsonToken.VALUE_STRING) {
      return (Secret)
          ctxt.reportInputMismatch(
              this, "a Secret is read from a JSON string, not from another kind of value");
    }
    String text = p.getText();
    if (isMask(text)) {
      // A mask read back (a GET's body sent back as a PUT, convertValue) would replace a stored
      // credential with its own mask, silently.
      return (Secret)
          ctxt.reportInputMismatch(
              this,
              "%s is a Secret's mask (as toString() and LatchkeyModule write it), not a value:"
                  + " read back, it would replace the secret with its mask; leave the property"
                  + " out of the JSON, or send the value",
              property == null ? "the string read as a Secret" : "property " + property);
    }
    return Secret.of(text);
  }

  /** Tells whether {@code text} is what {@link Secret#toString()} returns for some value. */
  static boolean isMask(String text) {
    return Secret.isMask(text);
  }
}
