package io.latchkey.provider.gcp;

import static java.util.Objects.requireNonNull;

import io.latchkey.Secret;
import io.latchkey.SecretNotFoundException;
import io.latchkey.SecretRef;
import io.latchkey.spi.JsonValue;
import io.latchkey.spi.SecretVersion;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * Reads a payload as a JSON object through core's {@link JsonValue}, whose rule every provider
 * shares: a string member decoded, any other value as its JSON text, a {@code null} member absent.
 * Used for {@code #field} references (fetched, or read out of a whole payload fetched before) and
 * for the configuration secret.
 *
 * <p>A payload is bytes: one that is not UTF-8 is no JSON object either. {@link JsonValue}'s errors
 * give a position and never the text, but a field that cannot be read is reported only as that.
 */
final class PayloadFields {
  private PayloadFields() {}

  /**
   * Returns the field a reference asks for out of a payload: the one reading of a field, for a
   * fetch and for a field read out of a whole payload fetched before.
   *
   * @throws SecretNotFoundException if the payload is not a JSON object or has no such field, or
   *     the field is {@code null}
   */
  static Secret field(SecretRef ref, byte[] data) {
    String field = ref.field().orElseThrow();
    Optional<String> value;
    try {
      value = JsonValue.field(text(data).orElseThrow(IllegalArgumentException::new), field);
    } catch (IllegalArgumentException e) {
      throw new SecretNotFoundException(
          ref, "the secret is not a JSON object, so it has no field '" + field + "'");
    }
    return Secret.of(
        value.orElseThrow(
            () ->
                new SecretNotFoundException(
                    ref, "no field '" + field + "' in the secret's JSON object")));
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

  /** Decodes UTF-8 strictly: a malformed byte makes the payload no text at all. */
  private static Optional<String> text(byte[] data) {
    try {
      return Optional.of(
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(data))
              .toString());
    } catch (CharacterCodingException e) {
      return Optional.empty();
    }
  }
}
