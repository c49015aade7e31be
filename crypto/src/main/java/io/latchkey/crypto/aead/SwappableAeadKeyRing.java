package io.latchkey.crypto.aead;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.time.Duration;
import java.util.List;

/**
 * An {@link AeadKeyRing} whose underlying ring can be replaced at run time, as {@link
 * io.latchkey.SwappableKeyRing} does for rings without associated data: each call uses exactly the
 * ring that was current when it started.
 *
 * <pre>{@code
 * SwappableAeadKeyRing ring =
 *     SwappableAeadKeyRing.of(AesGcmKeyRing.fromEnvironment("APP_DATA_KEY"));
 * // later, after the key was rotated:
 * ring.swap(AesGcmKeyRing.fromEnvironment("APP_DATA_KEY"));
 * }</pre>
 *
 * @since 0.1
 */
public final class SwappableAeadKeyRing implements AeadKeyRing {
  private volatile AeadKeyRing current;

  private SwappableAeadKeyRing(AeadKeyRing initial) {
    this.current = initial;
  }

  /**
   * Creates a swappable ring that starts with the given ring.
   *
   * @param initial the ring to use until the first swap
   * @return a new swappable ring
   */
  public static SwappableAeadKeyRing of(AeadKeyRing initial) {
    return new SwappableAeadKeyRing(unwrap(requireNonNull(initial, "initial")));
  }

  /**
   * Replaces the ring used by calls that start from now on.
   *
   * @param next the new ring
   * @return the ring that was current before
   */
  public synchronized AeadKeyRing swap(AeadKeyRing next) {
    requireNonNull(next, "next");
    AeadKeyRing previous = current;
    current = unwrap(next);
    return previous;
  }

  /**
   * Returns the ring currently in use.
   *
   * @return the current ring; never a {@code SwappableAeadKeyRing}
   */
  public AeadKeyRing current() {
    return current;
  }

  // Nesting swappable rings would make swap() on the outer one silently bypass the inner one.
  private static AeadKeyRing unwrap(AeadKeyRing ring) {
    return ring instanceof SwappableAeadKeyRing s ? s.current() : ring;
  }

  @Override
  public String encrypt(byte[] plaintext, AssociatedData associatedData) {
    return current.encrypt(plaintext, associatedData);
  }

  @Override
  public byte[] decrypt(String token, AssociatedData associatedData) {
    return current.decrypt(token, associatedData);
  }

  @Override
  public byte[] decrypt(String token, Duration ttl, AssociatedData associatedData) {
    return current.decrypt(token, ttl, associatedData);
  }

  @Override
  public String rotate(String token, AssociatedData associatedData) {
    return current.rotate(token, associatedData);
  }

  @Override
  public boolean isPrimary(String token, AssociatedData associatedData) {
    return current.isPrimary(token, associatedData);
  }

  @Override
  public TokenFormat format() {
    return current.format();
  }

  @Override
  public String primaryKeyId() {
    return current.primaryKeyId();
  }

  @Override
  public List<String> keyIds() {
    return current.keyIds();
  }

  /**
   * Returns a description naming the current ring, never key material.
   *
   * @return the description
   */
  @Override
  public String toString() {
    return "SwappableAeadKeyRing[" + current + "]";
  }

  /**
   * What Jackson calls to read a {@code SwappableAeadKeyRing}: it refuses, without quoting what it
   * was given. Without a creator, Jackson's own refusal quotes the JSON string, which would be a
   * key.
   */
  @JsonCreator
  @SuppressWarnings("unused")
  private static SwappableAeadKeyRing fromJson(Object ignored) {
    throw new IllegalArgumentException(
        "io.latchkey.crypto.aead.SwappableAeadKeyRing is not read from JSON, which would hold a key;"
            + " load keys from the environment, a file or a secret provider");
  }
}
