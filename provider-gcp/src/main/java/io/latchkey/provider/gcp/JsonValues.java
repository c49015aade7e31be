package io.latchkey.provider.gcp;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.latchkey.Secret;
import io.latchkey.SecretNotFoundException;
import io.latchkey.SecretRef;
import io.latchkey.spi.SecretVersion;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a secret's bytes as a JSON object, for {@code #field} references (fetched, or read out of
 * a whole secret fetched before) and the configuration secret.
 *
 * <p>Jackson's parse errors quote the input they choke on, so they are never passed on: a value
 * that is not a JSON object is reported as exactly that, and nothing more.
 */
final class JsonValues {
  private static final ObjectMapper MAPPER =
      JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

  private JsonValues() {}

  /**
   * Parses UTF-8 bytes as a JSON object.
   *
   * @param bytes the secret's value
   * @return its members, each a string member's text or any other value's JSON text (so {@code 5},
   *     {@code true}, {@code null}, {@code {"a":1}}), in the order written; empty if the bytes are
   *     not UTF-8 JSON holding an object
   */
  static Optional<Map<String, String>> object(byte[] bytes) {
    JsonNode root;
    try {
      String text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes))
              .toString();
      root = MAPPER.readTree(text);
    } catch (IOException e) {
      // CharacterCodingException and Jackson's parse errors alike.
      return Optional.empty();
    }
    if (root == null || !root.isObject()) {
      return Optional.empty();
    }
    Map<String, String> members = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> member : root.properties()) {
      members.put(member.getKey(), text(member.getValue()));
    }
    return Optional.of(members);
  }

  /**
   * Returns the field a reference asks for out of a secret's bytes: the one reading of a field, for
   * a fetch and for a field read out of a whole payload fetched before.
   *
   * @throws SecretNotFoundException if the bytes are not a JSON object or have no such field
   */
  static Secret field(SecretRef ref, byte[] data) {
    String field = ref.field().orElseThrow();
    Map<String, String> members =
        object(data)
            .orElseThrow(
                () ->
                    new SecretNotFoundException(
                        ref,
                        "the secret is not a JSON object, so it has no field '" + field + "'"));
    String value = members.get(field);
    if (value == null) {
      throw new SecretNotFoundException(
          ref, "no field '" + field + "' in the secret's JSON object");
    }
    return Secret.of(value);
  }

  /**
   * Reads the field a reference asks for out of a whole version, keeping its id, alias and time.
   *
   * @throws SecretNotFoundException if the value is not a JSON object or has no such field
   */
  static SecretVersion field(SecretRef ref, SecretVersion whole) {
    requireNonNull(whole, "whole");
    if (requireNonNull(ref, "ref").field().isEmpty()) {
      throw new IllegalArgumentException("reference " + ref + " has no field");
    }
    byte[] data = whole.value().revealBytes();
    try {
      return new SecretVersion(
          field(ref, data), whole.versionId(), whole.stages(), whole.fetchedAt());
    } finally {
      Arrays.fill(data, (byte) 0);
    }
  }

  private static String text(JsonNode node) {
    return node.isTextual() ? node.textValue() : node.toString();
  }
}
