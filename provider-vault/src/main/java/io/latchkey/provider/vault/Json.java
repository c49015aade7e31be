package io.latchkey.provider.vault;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.latchkey.ProviderException;
import io.latchkey.ProviderException.Kind;
import io.latchkey.SecretRef;
import java.io.IOException;
import java.util.Locale;
import java.util.Optional;

/** Reads and writes Vault's JSON; parse errors never carry the text, which may hold a secret. */
final class Json {
  // Parse errors must not quote the document: it may be a secret.
  static final JsonMapper MAPPER =
      JsonMapper.builder().disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION).build();

  private Json() {}

  /** Parses an answer that must be a JSON object. */
  static JsonNode object(SecretRef ref, byte[] body, String what) {
    Optional<JsonNode> node = tryParse(body);
    if (node.isEmpty()) {
      throw malformed(ref, "Vault's answer to " + what + " is not JSON");
    }
    if (!node.get().isObject()) {
      throw malformed(ref, "Vault's answer to " + what + " is not a JSON object");
    }
    return node.get();
  }

  static Optional<JsonNode> tryParse(byte[] body) {
    if (body.length == 0) {
      return Optional.empty();
    }
    try {
      return Optional.ofNullable(MAPPER.readTree(body));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** Returns a string member as it is and any other JSON value as its JSON text. */
  static String text(JsonNode node) {
    if (node.isTextual()) {
      return node.textValue();
    }
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a parsed JSON tree could not be written", e);
    }
  }

  static ObjectNode newObject() {
    return MAPPER.createObjectNode();
  }

  static byte[] bytes(JsonNode node) {
    try {
      return MAPPER.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree could not be written", e);
    }
  }

  /**
   * Tells whether a 403 answer is Vault's "permission denied", which an expired or revoked token
   * also gets, rather than a refusal that a new token would not change. An answer that is not
   * Vault's JSON (a proxy's page) counts as denied.
   */
  static boolean deniesPermission(byte[] body) {
    Optional<JsonNode> node = tryParse(body);
    if (node.isEmpty() || !node.get().path("errors").isArray()) {
      return true;
    }
    for (JsonNode error : node.get().path("errors")) {
      if (error.isTextual()
          && error.textValue().toLowerCase(Locale.ROOT).contains("permission denied")) {
        return true;
      }
    }
    return false;
  }

  static ProviderException malformed(SecretRef ref, String reason) {
    return new ProviderException(ref, Kind.MALFORMED_RESPONSE, reason);
  }
}
