package io.latchkey.provider.vault;

import com.fasterxml.jackson.databind.JsonNode;
import io.latchkey.ProviderException;
import io.latchkey.SecretRef;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A JSON object from one of Vault's answers, read with the type Vault's API defines for each field
 * and no coercion: a version {@code 2.7} or {@code "2"}, a {@code renewable} of {@code "true"}, a
 * token that is a number, are each a {@code MALFORMED_RESPONSE}, never a value. Failures name the
 * field's path and the expected type, never the field's content.
 */
final class StrictJson {
  private final SecretRef ref;
  private final String what;
  private final String path;
  private final JsonNode node;

  private StrictJson(SecretRef ref, String what, String path, JsonNode node) {
    this.ref = ref;
    this.what = what;
    this.path = path;
    this.node = node;
  }

  /**
   * Parses an answer that must be a JSON object.
   *
   * @param what the request it answers, for messages: {@code the KV v2 read}
   */
  static StrictJson parse(SecretRef ref, byte[] body, String what) {
    return new StrictJson(ref, what, "", Json.object(ref, body, what));
  }

  /** The object as a tree, for a secret's data, whose members may be of any type. */
  JsonNode node() {
    return node;
  }

  /** Tells whether the member is absent or JSON {@code null}. */
  boolean isAbsent(String name) {
    JsonNode n = node.get(name);
    return n == null || n.isNull();
  }

  StrictJson object(String name) {
    return optionalObject(name).orElseThrow(() -> wrong(name, "an object"));
  }

  /** An object member; empty when absent or null. */
  Optional<StrictJson> optionalObject(String name) {
    if (isAbsent(name)) {
      return Optional.empty();
    }
    JsonNode n = node.get(name);
    if (!n.isObject()) {
      throw wrong(name, "an object");
    }
    return Optional.of(new StrictJson(ref, what, path + name + ".", n));
  }

  String text(String name) {
    return optionalText(name).orElseThrow(() -> wrong(name, "a string"));
  }

  /** A string member; empty when absent or null. */
  Optional<String> optionalText(String name) {
    if (isAbsent(name)) {
      return Optional.empty();
    }
    JsonNode n = node.get(name);
    if (!n.isTextual()) {
      throw wrong(name, "a string");
    }
    return Optional.of(n.textValue());
  }

  long integer(String name) {
    OptionalLong value = optionalInteger(name);
    if (value.isEmpty()) {
      throw wrong(name, "an integer");
    }
    return value.getAsLong();
  }

  /** An integer member (a JSON number without fraction or exponent); empty when absent or null. */
  OptionalLong optionalInteger(String name) {
    if (isAbsent(name)) {
      return OptionalLong.empty();
    }
    JsonNode n = node.get(name);
    if (!n.isIntegralNumber() || !n.canConvertToLong()) {
      throw wrong(name, "an integer");
    }
    return OptionalLong.of(n.longValue());
  }

  boolean bool(String name) {
    return optionalBool(name).orElseThrow(() -> wrong(name, "a boolean"));
  }

  /** A boolean member; empty when absent or null. */
  Optional<Boolean> optionalBool(String name) {
    if (isAbsent(name)) {
      return Optional.empty();
    }
    JsonNode n = node.get(name);
    if (!n.isBoolean()) {
      throw wrong(name, "a boolean");
    }
    return Optional.of(n.booleanValue());
  }

  /** A failure for a member whose value breaks the answer's documented shape. */
  ProviderException wrong(String name, String expected) {
    return Json.malformed(
        ref, "Vault's answer to " + what + " does not have " + expected + " at " + path + name);
  }

  @Override
  public String toString() {
    // The object may hold a secret: never print it.
    return "StrictJson[" + what + ", " + (path.isEmpty() ? "root" : path) + "]";
  }
}
