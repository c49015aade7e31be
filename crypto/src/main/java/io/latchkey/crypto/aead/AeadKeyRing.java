package io.latchkey.crypto.aead;

import io.latchkey.InvalidTokenException;
import io.latchkey.KeyRing;
import io.latchkey.Secret;
import java.time.Duration;
import java.util.Arrays;

/**
 * A {@link KeyRing} whose tokens can be bound to {@linkplain AssociatedData associated data}, such
 * as the table, column and row a value is stored in: a token made with some associated data
 * decrypts only with the same associated data, so a ciphertext copied into another row is rejected
 * there.
 *
 * <p>The {@link KeyRing} methods are the methods here with {@linkplain AssociatedData#empty()
 * empty} associated data. {@link AesGcmKeyRing} implements this interface; {@link MigrationKeyRing}
 * implements it for the time a column moves from Fernet to AES-GCM or back.
 *
 * <h2>Security</h2>
 *
 * <p>A wrong key, an altered token and the wrong associated data are one and the same failure:
 * {@link InvalidTokenException} with reason {@link
 * InvalidTokenException.Reason#WRONG_KEY_OR_TAMPERED}, so the reason tells nothing about which it
 * was. Associated data is authenticated, not encrypted, and is not stored in the token.
 *
 * @since 0.1
 */
public interface AeadKeyRing extends KeyRing {

  /**
   * Encrypts a plaintext with the primary key, bound to the given associated data. Whether the
   * token records the current time depends on the format and the ring: Fernet tokens always do; an
   * {@link AesGcmKeyRing} writes the untimed layout unless it is built with {@link
   * AesGcmKeyRing.Builder#timestamps(boolean) timestamps(true)}.
   *
   * @param plaintext the bytes to protect; not modified
   * @param associatedData what the token is bound to; {@link AssociatedData#empty()} for nothing
   * @return the token, printable ASCII
   * @throws IllegalArgumentException if associated data is given to a ring that writes a format
   *     without it (a {@link MigrationKeyRing} back to Fernet)
   */
  String encrypt(byte[] plaintext, AssociatedData associatedData);

  /**
   * Encrypts a secret's value with the primary key, bound to the given associated data.
   *
   * @param secret the value to protect
   * @param associatedData what the token is bound to
   * @return the token, printable ASCII
   * @throws IllegalStateException if the secret has been wiped
   */
  default String encrypt(Secret secret, AssociatedData associatedData) {
    byte[] plaintext = secret.revealBytes();
    try {
      return encrypt(plaintext, associatedData);
    } finally {
      Arrays.fill(plaintext, (byte) 0);
    }
  }

  /**
   * Decrypts a token made with any key of the ring and the same associated data, whatever its age.
   *
   * @param token the token
   * @param associatedData what the token was bound to when it was made
   * @return the plaintext
   * @throws InvalidTokenException if the token is malformed, made with a key the ring does not
   *     hold, altered, or bound to other associated data
   */
  byte[] decrypt(String token, AssociatedData associatedData);

  /**
   * Decrypts a token that is at most {@code ttl} old, made with the same associated data. A token
   * that records no time (the untimed AES-GCM layout) cannot show its age: once authenticated, it
   * is rejected as {@link InvalidTokenException.Reason#EXPIRED}.
   *
   * @param token the token
   * @param ttl the maximum age, at least one second
   * @param associatedData what the token was bound to when it was made
   * @return the plaintext
   * @throws InvalidTokenException if the token is rejected, expired, untimed or from the future
   * @throws IllegalArgumentException if {@code ttl} is shorter than one second
   */
  byte[] decrypt(String token, Duration ttl, AssociatedData associatedData);

  /**
   * Decrypts a token into a {@link Secret}.
   *
   * @param token the token
   * @param associatedData what the token was bound to when it was made
   * @return the plaintext as a secret
   * @throws InvalidTokenException if the token is rejected
   */
  default Secret decryptSecret(String token, AssociatedData associatedData) {
    byte[] plaintext = decrypt(token, associatedData);
    try {
      return Secret.ofBytes(plaintext);
    } finally {
      Arrays.fill(plaintext, (byte) 0);
    }
  }

  /**
   * Re-encrypts a token under the primary key, keeping its plaintext and its associated data. The
   * ring decides whether the new token records a time: one that writes timed tokens keeps the
   * token's timestamp (or, for a token that has none, stamps the current time); an {@link
   * AesGcmKeyRing} that writes the untimed layout drops it.
   *
   * @param token a token made with any key of the ring
   * @param associatedData what the token is bound to; the new token is bound to it too
   * @return an equivalent token made with the primary key
   * @throws InvalidTokenException if the token is rejected
   */
  String rotate(String token, AssociatedData associatedData);

  /**
   * Tells whether a token is authentic under the primary key with the given associated data, that
   * is, whether {@link #rotate(String, AssociatedData)} has nothing left to do for it. Only the key
   * counts: a token under the primary key in the other AES-GCM layout is primary, so a
   * re-encryption does not rewrite tokens only to change their layout.
   *
   * @param token the token
   * @param associatedData what the token is bound to
   * @return {@code true} if the primary key verifies the token with that associated data
   */
  boolean isPrimary(String token, AssociatedData associatedData);

  /**
   * Returns the format this ring writes.
   *
   * @return the format of the tokens {@link #encrypt(byte[], AssociatedData)} makes
   */
  TokenFormat format();

  @Override
  default String encrypt(byte[] plaintext) {
    return encrypt(plaintext, AssociatedData.empty());
  }

  @Override
  default byte[] decrypt(String token) {
    return decrypt(token, AssociatedData.empty());
  }

  @Override
  default byte[] decrypt(String token, Duration ttl) {
    return decrypt(token, ttl, AssociatedData.empty());
  }

  @Override
  default String rotate(String token) {
    return rotate(token, AssociatedData.empty());
  }

  @Override
  default boolean isPrimary(String token) {
    return isPrimary(token, AssociatedData.empty());
  }
}
