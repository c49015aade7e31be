package io.latchkey;

import java.time.Duration;
import java.util.List;

/**
 * Encrypts with one primary key and decrypts with the primary key or any previous key, so that keys
 * can be rotated without losing a single stored value.
 *
 * <p>The rotation procedure this supports: generate a new key, make it primary and keep the old one
 * as previous (the dual-key window), {@linkplain #rotate(String) rotate} every stored token to the
 * new key, then retire the old key once no token needs it.
 *
 * <p>Implementations are immutable and thread-safe. To replace a ring while other threads use it,
 * hold it in a {@link SwappableKeyRing}.
 *
 * <h2>Security</h2>
 *
 * <p>Tokens are authenticated: a token made with another key or altered in any bit is rejected with
 * {@link InvalidTokenException} before anything is decrypted. Tokens are not secret, but they
 * reveal the plaintext's length (to a block) and the time they were made.
 *
 * @since 0.1
 */
public interface KeyRing {

  /**
   * Encrypts a plaintext with the primary key, stamped with the current time.
   *
   * @param plaintext the bytes to protect; not modified
   * @return the token, printable ASCII
   */
  String encrypt(byte[] plaintext);

  /**
   * Encrypts a secret's value with the primary key.
   *
   * @param secret the value to protect
   * @return the token, printable ASCII
   * @throws IllegalStateException if the secret has been wiped
   */
  default String encrypt(Secret secret) {
    byte[] plaintext = secret.revealBytes();
    try {
      return encrypt(plaintext);
    } finally {
      java.util.Arrays.fill(plaintext, (byte) 0);
    }
  }

  /**
   * Decrypts a token made with any key of the ring, whatever its age.
   *
   * @param token a token made by {@link #encrypt(byte[])} or any compatible implementation
   * @return the plaintext
   * @throws InvalidTokenException if the token is malformed, made with a key the ring does not
   *     hold, or altered
   */
  byte[] decrypt(String token);

  /**
   * Decrypts a token that is at most {@code ttl} old.
   *
   * <p>A token stamped further in the future than the implementation's allowed clock skew is
   * rejected too.
   *
   * @param token the token
   * @param ttl the maximum age; positive
   * @return the plaintext
   * @throws InvalidTokenException if the token is invalid, {@linkplain
   *     InvalidTokenException.Reason#EXPIRED expired} or {@linkplain
   *     InvalidTokenException.Reason#FROM_THE_FUTURE from the future}
   * @throws IllegalArgumentException if {@code ttl} is zero or negative
   */
  byte[] decrypt(String token, Duration ttl);

  /**
   * Decrypts a token into a {@link Secret}, so that the plaintext is masked wherever it is printed.
   *
   * @param token the token
   * @return the plaintext as a secret, decoded as UTF-8
   * @throws InvalidTokenException if the token is rejected
   */
  default Secret decryptSecret(String token) {
    byte[] plaintext = decrypt(token);
    try {
      return Secret.ofBytes(plaintext);
    } finally {
      java.util.Arrays.fill(plaintext, (byte) 0);
    }
  }

  /**
   * Re-encrypts a token under the primary key, keeping its original timestamp.
   *
   * <p>Keeping the timestamp means a rotated token expires when the original would have.
   *
   * @param token a token made with any key of the ring
   * @return an equivalent token made with the primary key
   * @throws InvalidTokenException if the token is rejected
   */
  String rotate(String token);

  /**
   * Tells whether a token is authentic under the primary key, that is, whether {@link
   * #rotate(String)} has nothing left to do for it.
   *
   * @param token the token
   * @return {@code true} if the primary key verifies the token; {@code false} for any other token,
   *     malformed ones included
   */
  boolean isPrimary(String token);

  /**
   * Returns the identifier of the primary key.
   *
   * <p>An identifier is a short fingerprint that tells keys apart in logs and reports without
   * revealing anything about the key.
   *
   * @return the primary key's identifier
   */
  String primaryKeyId();

  /**
   * Returns the identifiers of every key in the ring, the primary first, then the previous keys in
   * the order they were given.
   *
   * @return an unmodifiable list with at least one element
   */
  List<String> keyIds();
}
