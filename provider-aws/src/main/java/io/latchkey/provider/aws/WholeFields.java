package io.latchkey.provider.aws;

import static java.util.Objects.requireNonNull;

import io.latchkey.Secret;
import io.latchkey.SecretNotFoundException;
import io.latchkey.SecretRef;
import io.latchkey.spi.SecretVersion;
import java.util.Collections;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * Reads a field out of a whole secret the provider fetched, exactly as a fetch of the reference
 * with the field reads it, so that the resolver fetches a secret once for all its fields.
 */
final class WholeFields {
  // A value's bytes cannot tell a SecretBinary from a SecretString, and a fetch refuses a field of
  // a binary secret even when its bytes are a JSON object; so binary wholes are remembered by
  // identity (Secret has no content equals), and forgotten when the resolver drops them.
  private final Set<Secret> binary =
      Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

  /** Remembers a whole value fetched from {@code SecretBinary}. */
  void binary(Secret whole) {
    binary.add(whole);
  }

  /** The failure of a field asked of a binary secret, the same from a fetch and from here. */
  static SecretNotFoundException binaryField(SecretRef ref) {
    return new SecretNotFoundException(
        ref,
        "the secret is binary (SecretBinary), so it has no field '" + ref.field().orElseThrow() + "'");
  }

  /**
   * Returns the field {@code ref} asks for, with the whole version's id, stages and time.
   *
   * @throws SecretNotFoundException if the whole secret is binary, not a JSON object, or has no
   *     such field
   */
  SecretVersion field(SecretRef ref, SecretVersion whole) {
    requireNonNull(ref, "ref");
    requireNonNull(whole, "whole");
    if (ref.field().isEmpty()) {
      throw new IllegalArgumentException("reference " + ref + " has no field");
    }
    if (binary.contains(whole.value())) {
      throw binaryField(ref);
    }
    return new SecretVersion(
        JsonFields.field(ref, whole.value().reveal()),
        whole.versionId(),
        whole.stages(),
        whole.fetchedAt());
  }
}
