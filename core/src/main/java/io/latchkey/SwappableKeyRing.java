package io.latchkey;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.time.Duration;
import java.util.List;

/**
 * A {@link KeyRing} whose underlying ring can be replaced at run time, for example when a new key
 * is loaded from a secret manager, while other threads keep encrypting and decrypting.
 *
 * <p>Each call uses exactly one ring: the one current when the call started. A call that has
 * started on the old ring finishes on it; calls that start after {@link #swap(KeyRing)} returns use
 * the new one.
 *
 * <pre>{@code
 * SwappableKeyRing ring = SwappableKeyRing.of(FernetKeyRing.fromEnvironment("APP_KEY"));
 * // later, after the key was rotated:
 * ring.swap(FernetKeyRing.fromEnvironment("APP_KEY"));
 * }</pre>
 *
 * @since 0.1
 */
public final class SwappableKeyRing implements KeyRing {
  private volatile KeyRing current;

  private SwappableKeyRing(KeyRing initial) {
    this.current = initial;
  }

  /**
   * Creates a swappable ring that starts with the given ring.
   *
   * @param initial the ring to use until the first swap
   * @return a new swappable ring
   */
  public static SwappableKeyRing of(KeyRing initial) {
    requireNonNull(initial, "initial");
    return new SwappableKeyRing(unwrap(initial));
  }

  /**
   * Replaces the ring used by calls that start from now on.
   *
   * @param next the new ring
   * @return the ring that was current before
   */
  public synchronized KeyRing swap(KeyRing next) {
    requireNonNull(next, "next");
    KeyRing previous = current;
    current = unwrap(next);
    return previous;
  }

  /**
   * Returns the ring currently in use.
   *
   * @return the current ring; never a {@code SwappableKeyRing}
   */
  public KeyRing current() {
    return current;
  }

  // Nesting swappable rings would make swap() on the outer one silently bypass the inner one.
  private static KeyRing unwrap(KeyRing ring) {
    return ring instanceof SwappableKeyRing s ? s.current() : ring;
  }

  @Override
  public String encrypt(byte[] plaintext) {
    return current.encrypt(plaintext);
  }

  @Override
  public byte[] decrypt(String token) {
    return current.decrypt(token);
  }

  @Override
  public byte[] decrypt(String token, Duration ttl) {
    return current.decrypt(token, ttl);
  }

  @Override
  public String rotate(String token) {
    return current.rotate(token);
  }

  @Override
  public boolean isPrimary(String token) {
    return current.isPrimary(token);
  }

  @Override
  public String primaryKeyId() {
    return current.primaryKeyId();
  }

  @Override
  public List<String> keyIds() {
    return current.keyIds();
  }

  /** Returns a description naming the current ring's primary key, never key material. */
  @Override
  public String toString() {
    return "SwappableKeyRing[" + current + "]";
  }

  /**
   * What Jackson calls to read a {@code SwappableKeyRing}: it refuses, without quoting what it was
   * given. Without a creator, Jackson's own refusal quotes the JSON string, which would be a key.
   */
  @JsonCreator
  @SuppressWarnings("unused")
  private static SwappableKeyRing fromJson(Object ignored) {
    throw new IllegalArgumentException(
        "io.latchkey.SwappableKeyRing is not read from JSON, which would hold a key;"
            + " load keys from the environment, a file or a secret provider");
  }
}
