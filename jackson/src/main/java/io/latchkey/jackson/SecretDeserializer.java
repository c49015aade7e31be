package io.latchkey.jackson;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import io.latchkey.Secret;
import java.io.IOException;

/** Reads a {@link Secret} from a JSON string; anything else is refused without being quoted. */
final class SecretDeserializer extends StdScalarDeserializer<Secret> {
  private static final long serialVersionUID = 1L;

  SecretDeserializer() {
    super(Secret.class);
  }

  @Override
  public Secret deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
    if (p.currentToken() != JsonToken.VALUE_STRING) {
      return (Secret)
          ctxt.reportInputMismatch(
              this, "a Secret is read from a JSON string, not from another kind of value");
    }
    return Secret.of(p.getText());
  }
}
