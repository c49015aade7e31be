package io.latchkey.provider.aws;

import static java.util.Objects.requireNonNull;

import io.latchkey.ProviderException;
import io.latchkey.Secret;
import io.latchkey.SecretNotFoundException;
import io.latchkey.SecretRef;
import io.latchkey.spi.JsonValue;
import io.latchkey.spi.SecretVersion;
import java.time.Clock;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * Turns what an answer carries ({@code SecretString} or {@code SecretBinary}, {@code VersionId},
 * {@code VersionStages}) into the version a reference asks for, and reads fields of JSON secrets
 * with the one rule {@link JsonValue#field} defines, the same from a fetch, from a whole secret
 * fetched before, and for the configuration view.
 */
final class AwsValues {
  private final Clock clock;
  // A value's bytes cannot tell a SecretBinary from a SecretString, and a fetch refuses a field of
  // a binary secret even when its bytes are a JSON object; so binary wholes are remembered by
  // identity (Secret has no content equals), and forgotten when the resolver drops them.
  private final Set<Secret> binary =
      Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

  AwsValues(Clock clock) {
    this.clock = clock;
  }

  /**
   * Builds the version {@code ref} asks for out of one answer (or one entry of a batch answer).
   *
   * @throws SecretNotFoundException if the reference has a field the value does not have
   * @throws ProviderException if the answer has neither a string nor a binary value
   */
  SecretVersion version(
      SecretRef ref, String versionId, List<String> stages, String string, byte[] bytes) {
    Secret value;
    if (string != null) {
      value = ref.field().isPresent() ? field(ref, string) : Secret.of(string);
    } else if (bytes != null) {
      if (ref.field().isPresent()) {
        throw binaryField(ref);
      }
      value = Secret.ofBytes(bytes);
      binary.add(value);
    } else {
      throw new ProviderException(
          ref,
          ProviderException.Kind.MALFORMED_RESPONSE,
          "the answer has neither SecretString nor SecretBinary");
    }
    return new SecretVersion(
        value, Optional.ofNullable(versionId), Set.copyOf(stages), clock.instant());
  }

  /**
   * Returns the field {@code ref} asks for out of a whole version fetched before, with the whole
   * version's id, stages and time, exactly as a fetch of {@code ref} would read it.
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
        field(ref, whole.value().reveal()), whole.versionId(), whole.stages(), whole.fetchedAt());
  }

  private static Secret field(SecretRef ref, String text) {
    String name = ref.field().orElseThrow();
    Optional<String> member;
    try {
      member = JsonValue.field(text, name);
    } catch (IllegalArgumentException e) {
      // Its message gives a position in the value; the reason alone is enough to act on.
      throw new SecretNotFoundException(
          ref, "the secret is not a JSON object, so it has no field '" + name + "'");
    }
    return Secret.of(
        member.orElseThrow(() -> new SecretNotFoundException(ref, "no field '" + name + "'")));
  }

  private static SecretNotFoundException binaryField(SecretRef ref) {
    return new SecretNotFoundException(
        ref,
        "the secret is binary (SecretBinary), so it has no field '"
            + ref.field().orElseThrow()
            + "'");
  }
}
