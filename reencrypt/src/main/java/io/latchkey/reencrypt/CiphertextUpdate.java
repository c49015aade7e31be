package io.latchkey.reencrypt;

import static java.util.Objects.requireNonNull;

/**
 * A conditional write: store {@code replacement} in the row with this key only if the row still
 * holds {@code expected}.
 *
 * @param key the row's key
 * @param expected the ciphertext read from the row; the empty string stands for {@code NULL} or
 *     empty
 * @param replacement the ciphertext to write
 * @param <K> the type of row keys
 * @since 0.1
 */
public record CiphertextUpdate<K>(K key, String expected, String replacement) {

  /**
   * Validates the components.
   *
   * @param key the row's key
   * @param expected the ciphertext the row must still hold
   * @param replacement the ciphertext to write
   */
  public CiphertextUpdate {
    requireNonNull(key, "key");
    requireNonNull(expected, "expected");
    requireNonNull(replacement, "replacement");
  }

  /** Returns the key and the tokens' lengths, not the tokens. */
  @Override
  public String toString() {
    return "CiphertextUpdate[key="
        + key
        + ", expected="
        + expected.length()
        + " chars, replacement="
        + replacement.length()
        + " chars]";
  }
}
