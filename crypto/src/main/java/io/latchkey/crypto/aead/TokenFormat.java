package io.latchkey.crypto.aead;

import static java.util.Objects.requireNonNull;

import io.latchkey.crypto.internal.Base64Url;
import java.util.Locale;
import java.util.Optional;

/**
 * The token formats Latchkey reads and writes, and how to tell them apart from each other and from
 * a plaintext.
 *
 * @since 0.1
 */
public enum TokenFormat {
  /**
   * Fernet (AES-128-CBC and HMAC-SHA256), byte-compatible with pyca/cryptography; no key id, no
   * associated data. See docs/fernet.md.
   */
  FERNET("fernet"),
  /**
   * Latchkey's keyed AES-256-GCM format: a key id in every token, optional associated data. See
   * docs/encryption.md.
   */
  AES_GCM("aes-gcm");

  /** The fewest bytes a Fernet token holds: header, one block, HMAC. */
  private static final int FERNET_MIN_BYTES = 1 + 8 + 16 + 16 + 32;

  private final String id;

  TokenFormat(String id) {
    this.id = id;
  }

  /**
   * Returns the format's name on the command line and in configuration: {@code fernet} or {@code
   * aes-gcm}.
   *
   * @return the name
   */
  public String id() {
    return id;
  }

  /**
   * Returns the format of the given name.
   *
   * @param name {@code fernet} or {@code aes-gcm}, in any case
   * @return the format
   * @throws IllegalArgumentException for any other name
   */
  public static TokenFormat of(String name) {
    requireNonNull(name, "name");
    String n = name.strip().toLowerCase(Locale.ROOT);
    for (TokenFormat f : values()) {
      if (f.id.equals(n)) {
        return f;
      }
    }
    throw new IllegalArgumentException("unknown token format; expected fernet or aes-gcm");
  }

  /**
   * Tells which format a stored value is framed as, without any key: an AES-GCM token starts with
   * {@value AesGcmKeyRing#TOKEN_PREFIX}; a Fernet token is canonical URL-safe base64 of at least 73
   * bytes starting with the version byte {@code 0x80}, whose length fits the format's blocks.
   *
   * <p>This says what a value looks like, not that it is authentic; it is how a migration tells
   * tokens apart from plaintexts left from before encryption was turned on. A value that looks like
   * a token is never taken for a plaintext.
   *
   * @param value a stored value
   * @return the format the value is framed as, or empty when it looks like no token
   */
  public static Optional<TokenFormat> detect(String value) {
    requireNonNull(value, "value");
    if (value.startsWith(AesGcmKeyRing.TOKEN_PREFIX)) {
      return Optional.of(AES_GCM);
    }
    if (value.isEmpty() || value.charAt(0) != 'g') {
      // Every Fernet token starts with 'g': the base64 of the version byte 0x80.
      return Optional.empty();
    }
    byte[] raw = Base64Url.decode(value);
    boolean fernet =
        raw != null
            && raw.length >= FERNET_MIN_BYTES
            && raw[0] == (byte) 0x80
            && (raw.length - FERNET_MIN_BYTES) % 16 == 0;
    return fernet ? Optional.of(FERNET) : Optional.empty();
  }
}
