package io.latchkey.crypto.aead;

import io.latchkey.InvalidTokenException;
import io.latchkey.InvalidTokenException.Reason;
import io.latchkey.crypto.internal.Base64Url;
import io.latchkey.crypto.internal.DefaultRandom;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;

/**
 * The byte layout of an AES-GCM token (docs/encryption.md, "The format"): {@code version (1) ‖ key
 * id (4) ‖ timestamp (8) ‖ nonce (12) ‖ ciphertext ‖ tag (16)}, with {@code version ‖ key id ‖
 * timestamp ‖ encoded associated data} authenticated as GCM's additional data; and its text form,
 * {@code lk.} followed by the bytes in URL-safe base64 with padding.
 */
final class AesGcmFormat {
  static final byte VERSION = 0x01;
  static final int ID_AT = 1;
  static final int TIME_AT = 5;
  static final int NONCE_AT = 13;
  static final int HEADER = 25;
  static final int NONCE_BYTES = 12;
  static final int TAG_BYTES = 16;
  static final int OVERHEAD = HEADER + TAG_BYTES;
  static final String PREFIX = "lk.";

  private static final byte[] PREFIX_BYTES = PREFIX.getBytes(StandardCharsets.US_ASCII);

  private AesGcmFormat() {}

  /**
   * Encrypts into a new token's bytes. The nonce is {@code fixedNonce} when given (generation of
   * test vectors only), else from {@code random}, else from the thread's default DRBG.
   */
  static byte[] seal(
      AesGcmKey key,
      byte[] plaintext,
      long timestamp,
      AssociatedData ad,
      byte[] fixedNonce,
      SecureRandom random) {
    byte[] raw = new byte[OVERHEAD + plaintext.length];
    raw[0] = VERSION;
    writeInt(raw, ID_AT, key.idValue());
    for (int i = 0; i < 8; i++) {
      raw[TIME_AT + i] = (byte) (timestamp >>> (56 - 8 * i));
    }
    Cipher cipher;
    if (fixedNonce != null) {
      System.arraycopy(fixedNonce, 0, raw, NONCE_AT, NONCE_BYTES);
      // A fresh cipher: the JDK refuses to encrypt twice in a row with one key and nonce.
      cipher = newCipher();
    } else {
      if (random != null) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        System.arraycopy(nonce, 0, raw, NONCE_AT, NONCE_BYTES);
      } else {
        DefaultRandom.nextNonce(raw, NONCE_AT);
      }
      cipher = key.cipher();
    }
    try {
      start(cipher, Cipher.ENCRYPT_MODE, key, raw, ad);
      cipher.doFinal(plaintext, 0, plaintext.length, raw, HEADER);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM encryption failed", e);
    }
    return raw;
  }

  /** Checks the length and the version; null when the frame is sound. */
  static Reason frame(byte[] raw, int length) {
    // Length first: a short scrap is not a token of some other version.
    if (length < OVERHEAD) {
      return Reason.MALFORMED;
    }
    return raw[0] == VERSION ? null : Reason.UNSUPPORTED_VERSION;
  }

  static int keyId(byte[] raw) {
    return (raw[ID_AT] & 0xff) << 24
        | (raw[ID_AT + 1] & 0xff) << 16
        | (raw[ID_AT + 2] & 0xff) << 8
        | (raw[ID_AT + 3] & 0xff);
  }

  static long timestamp(byte[] raw) {
    long ts = 0;
    for (int i = 0; i < 8; i++) {
      ts = ts << 8 | (raw[TIME_AT + i] & 0xff);
    }
    return ts;
  }

  /**
   * Authenticates and decrypts a framed token's bytes {@code raw[0, length)} with the key its id
   * names; nothing is returned unless the tag verifies.
   */
  static byte[] open(AesGcmKey key, byte[] raw, int length, AssociatedData ad) {
    Cipher cipher = key.cipher();
    byte[] plaintext = new byte[length - OVERHEAD];
    try {
      start(cipher, Cipher.DECRYPT_MODE, key, raw, ad);
      cipher.doFinal(raw, HEADER, length - HEADER, plaintext, 0);
      return plaintext;
    } catch (AEADBadTagException e) {
      throw new InvalidTokenException(Reason.WRONG_KEY_OR_TAMPERED);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM decryption failed", e);
    }
  }

  /**
   * Keys the cipher with the token's nonce and feeds it the additional data: the header before the
   * nonce, then the encoded associated data.
   */
  private static void start(Cipher cipher, int mode, AesGcmKey key, byte[] raw, AssociatedData ad)
      throws GeneralSecurityException {
    cipher.init(mode, key.spec(), new GCMParameterSpec(TAG_BYTES * 8, raw, NONCE_AT, NONCE_BYTES));
    cipher.updateAAD(raw, 0, NONCE_AT);
    if (!ad.isEmpty()) {
      cipher.updateAAD(ad.bytes());
    }
  }

  /** Writes the text form of a token's bytes. */
  static String toText(byte[] raw) {
    byte[] text = new byte[PREFIX_BYTES.length + Base64Url.encodedLength(raw.length)];
    System.arraycopy(PREFIX_BYTES, 0, text, 0, PREFIX_BYTES.length);
    Base64Url.encode(raw, text, PREFIX_BYTES.length);
    return new String(text, StandardCharsets.ISO_8859_1);
  }

  /** A token's bytes, {@code raw[0, length)}; the array may be longer. */
  record Decoded(byte[] raw, int length) {}

  /** Decodes a token's text form in place; a malformed text is rejected here. */
  static Decoded fromText(String token) {
    if (!token.startsWith(PREFIX)) {
      throw new InvalidTokenException(Reason.MALFORMED);
    }
    byte[] raw = token.getBytes(StandardCharsets.ISO_8859_1);
    int n = Base64Url.decode(raw, PREFIX_BYTES.length, raw);
    if (n < 0) {
      throw new InvalidTokenException(Reason.MALFORMED);
    }
    return new Decoded(raw, n);
  }

  private static void writeInt(byte[] out, int at, int value) {
    out[at] = (byte) (value >>> 24);
    out[at + 1] = (byte) (value >>> 16);
    out[at + 2] = (byte) (value >>> 8);
    out[at + 3] = (byte) value;
  }

  static Cipher newCipher() {
    try {
      return Cipher.getInstance("AES/GCM/NoPadding");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK lacks AES/GCM", e);
    }
  }
}
