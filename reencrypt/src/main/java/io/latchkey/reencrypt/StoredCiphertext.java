package io.latchkey.reencrypt;

import static java.util.Objects.requireNonNull;

/**
 * One stored ciphertext and the key of the row (or entry) that holds it.
 *
 * @param key the row's key, unique within its store
 * @param ciphertext the stored token; the empty string when the stored value is {@code NULL} or
 *     empty, never {@code null}
 * @param <K> the type of row keys
 * @since 0.1
 */
public record StoredCiphertext<K>(K key, String ciphertext) {

  /**
   * Validates the components.
   *
   * @param key the row's key
   * @param ciphertext the stored token, or the empty string for none
   */
  public StoredCiphertext {
    requireNonNull(key, "key");
    requireNonNull(ciphertext, "ciphertext");
  }

  /**
   * Returns the key and the ciphertext's length, not the ciphertext, which keeps reports and logs
   * short.
   */
  @Override
  public String toString() {
    return "StoredCiphertext[key=" + key + ", ciphertext=" + ciphertext.length() + " chars]";
  }
}
