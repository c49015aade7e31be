package io.latchkey.provider.aws;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.latchkey.Secret;
import io.latchkey.SecretNotFoundException;
import io.latchkey.SecretRef;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Reads JSON secrets: a field of a JSON object, or every member of the configuration secret.
 *
 * <p>Jackson's parse errors quote the input around the error, so they are caught here and never
 * passed on, as a message or as a cause.
 */
final class JsonFields {
  private static final JsonMapper MAPPER =
      JsonMapper.builder()
          .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  private JsonFields() {}

  /**
   * Parses a value as a JSON object.
   *
   * @return the object, or empty if the value is not JSON or not an object
   */
  static Optional<ObjectNode> object(String value) {
    try {
      JsonNode node = MAPPER.readTree(value);
      return node != null && node.isObject() ? Optional.of((ObjectNode) node) : Optional.empty();
    } catch (JsonProcessingException e) {
      return Optional.empty();
    }
  }

  /**
   * Returns the field the reference asks for: a string member as it is, any other value as its JSON
   * text.
   *
   * @throws SecretNotFoundException if the value is not a JSON object or has no such field
   */
  static Secret field(SecretRef ref, String value) {
    String field = ref.field().orElseThrow();
    ObjectNode object =
        object(value)
            .orElseThrow(
                () ->
                    new SecretNotFoundException(
                        ref,
                        "the secret is not a JSON object, so it has no field '" + field + "'"));
    JsonNode member = object.get(field);
    if (member == null) {
      throw new SecretNotFoundException(ref, "no field '" + field + "'");
    }
    return Secret.of(text(member));
  }

  /** Returns the members of an object by name: strings as they are, other values as JSON text. */
  static Map<String, String> members(ObjectNode object) {
    Map<String, String> members = new TreeMap<>();
    for (Map.Entry<String, JsonNode> e : object.properties()) {
      if (!e.getValue().isNull()) {
        members.put(e.getKey(), text(e.getValue()));
      }
    }
    return members;
  }

  private static String text(JsonNode node) {
    return node.isTextual() ? node.textValue() : node.toString();
  }
}
