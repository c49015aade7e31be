package io.latchkey.crypto.aead;

import io.latchkey.InvalidTokenException;
import io.latchkey.InvalidTokenException.Reason;
import io.latchkey.crypto.internal.Base64Url;
import io.latchkey.crypto.internal.DefaultRandom;
import io.latchkey.crypto.internal.TokenTimes;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;

/**
 * The byte layouts of an AES-GCM token (docs/encryption.md, "The format") and their text form,
 * {@code lk.} followed by the bytes in URL-safe base64 with padding.
 *
 * <ul>
 *   <li>{@code 0x02}, untimed: {@code version (1) ‖ key id (4) ‖ nonce (12) ‖ ciphertext ‖ tag
 *       (16)}, with the encoded associated data alone as GCM's additional data;
 *   <li>{@code 0x01}, timed: {@code version (1) ‖ key id (4) ‖ timestamp (8) ‖ nonce (12) ‖
 *       ciphertext ‖ tag (16)}, with {@code version ‖ key id ‖ timestamp ‖ encoded associated data}
 *       as GCM's additional data.
 * </ul>
 */
final class AesGcmFormat {
  static final byte TIMED = 0x01;
  static final byte UNTIMED = 0x02;
  static final int ID_AT = 1;
  static final int TIME_AT = 5;

  /** The header a timed token authenticates: version, key id, timestamp. */
  static final int TIMED_HEADER = 13;

  static final int NONCE_BYTES = 12;
  static final int TAG_BYTES = 16;
  static final int UNTIMED_OVERHEAD = 5 + NONCE_BYTES + TAG_BYTES;
  static final int TIMED_OVERHEAD = TIMED_HEADER + NONCE_BYTES + TAG_BYTES;
  static final String PREFIX = "lk.";

  private static final byte[] PREFIX_BYTES = PREFIX.getBytes(StandardCharsets.US_ASCII);

  private AesGcmFormat() {}

  /** Where the nonce of a framed token of this version starts. */
  static int nonceAt(byte version) {
    return version == TIMED ? TIMED_HEADER : ID_AT + 4;
  }

  /** How many bytes a token of this version adds to its plaintext. */
  static int overhead(byte version) {
    return nonceAt(version) + NONCE_BYTES + TAG_BYTES;
  }

  /**
   * Encrypts into a new timed ({@code 0x01}) token's bytes. The nonce is {@code fixedNonce} when
   * given (generation of test vectors only), else from {@code random}, else from the thread's
   * default DRBG.
   */
  static byte[] sealTimed(
      AesGcmKey key,
      byte[] plaintext,
      long timestamp,
      AssociatedData ad,
      byte[] fixedNonce,
      SecureRandom random) {
    byte[] raw = new byte[TIMED_OVERHEAD + plaintext.length];
    for (int i = 0; i < 8; i++) {
      raw[TIME_AT + i] = (byte) (timestamp >>> (56 - 8 * i));
    }
    return seal(key, TIMED, raw, plaintext, ad, fixedNonce, random);
  }

  /** Encrypts into a new untimed ({@code 0x02}) token's bytes; the nonce as for a timed one. */
  static byte[] sealUntimed(
      AesGcmKey key, byte[] plaintext, AssociatedData ad, byte[] fixedNonce, SecureRandom random) {
    byte[] raw = new byte[UNTIMED_OVERHEAD + plaintext.length];
    return seal(key, UNTIMED, raw, plaintext, ad, fixedNonce, random);
  }

  private static byte[] seal(
      AesGcmKey key,
      byte version,
      byte[] raw,
      byte[] plaintext,
      AssociatedData ad,
      byte[] fixedNonce,
      SecureRandom random) {
    raw[0] = version;
    writeInt(raw, ID_AT, key.idValue());
    int nonceAt = nonceAt(version);
    Cipher cipher;
    if (fixedNonce != null) {
      System.arraycopy(fixedNonce, 0, raw, nonceAt, NONCE_BYTES);
      // A fresh cipher: the JDK refuses to encrypt twice in a row with one key and nonce.
      cipher = newCipher();
    } else {
      if (random != null) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        System.arraycopy(nonce, 0, raw, nonceAt, NONCE_BYTES);
      } else {
        DefaultRandom.nextNonce(raw, nonceAt);
      }
      cipher = key.cipher();
    }
    try {
      start(cipher, Cipher.ENCRYPT_MODE, key, raw, ad);
      cipher.doFinal(plaintext, 0, plaintext.length, raw, nonceAt + NONCE_BYTES);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM encryption failed", e);
    }
    if (fixedNonce == null) {
      key.countEncryption(raw, nonceAt);
    }
    return raw;
  }

  /**
   * Checks the length and the version, in the order of docs/encryption.md ("Decrypting"); null when
   * the frame is sound.
   */
  static Reason frame(byte[] raw, int length) {
    // Length first: a short scrap is not a token of some other version.
    if (length < UNTIMED_OVERHEAD) {
      return Reason.MALFORMED;
    }
    byte version = raw[0];
    if (version == UNTIMED) {
      return null;
    }
    if (version != TIMED) {
      return Reason.UNSUPPORTED_VERSION;
    }
    return length < TIMED_OVERHEAD ? Reason.MALFORMED : null;
  }

  static int keyId(byte[] raw) {
    return (raw[ID_AT] & 0xff) << 24
        | (raw[ID_AT + 1] & 0xff) << 16
        | (raw[ID_AT + 2] & 0xff) << 8
        | (raw[ID_AT + 3] & 0xff);
  }

  /** Tells whether a framed token records the time it was made. */
  static boolean isTimed(byte[] raw) {
    return raw[0] == TIMED;
  }

  /** The timestamp of a framed timed token. */
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
    int bodyAt = nonceAt(raw[0]) + NONCE_BYTES;
    byte[] plaintext = new byte[length - bodyAt - TAG_BYTES];
    try {
      start(cipher, Cipher.DECRYPT_MODE, key, raw, ad);
      cipher.doFinal(raw, bodyAt, length - bodyAt, plaintext, 0);
      return plaintext;
    } catch (AEADBadTagException e) {
      throw new InvalidTokenException(Reason.WRONG_KEY_OR_TAMPERED);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM decryption failed", e);
    }
  }

  /**
   * Keys the cipher with the token's nonce and feeds it the additional data in at most one call,
   * none for an untimed token without associated data: the JDK buffers each {@code updateAAD} call
   * through a stream, a cost that shows at short values.
   */
  static void start(Cipher cipher, int mode, AesGcmKey key, byte[] raw, AssociatedData ad)
      throws GeneralSecurityException {
    byte version = raw[0];
    cipher.init(
        mode, key.spec(), new GCMParameterSpec(TAG_BYTES * 8, raw, nonceAt(version), NONCE_BYTES));
    if (version == TIMED) {
      if (ad.isEmpty()) {
        cipher.updateAAD(raw, 0, TIMED_HEADER);
      } else {
        cipher.updateAAD(timedAdditionalData(raw, ad));
      }
    } else if (!ad.isEmpty()) {
      cipher.updateAAD(ad.bytes());
    }
  }

  /** The additional data of a timed token: its header, then the encoded associated data. */
  static byte[] timedAdditionalData(byte[] raw, AssociatedData ad) {
    byte[] encoded = ad.bytes();
    byte[] aad = new byte[TIMED_HEADER + encoded.length];
    System.arraycopy(raw, 0, aad, 0, TIMED_HEADER);
    System.arraycopy(encoded, 0, aad, TIMED_HEADER, encoded.length);
    return aad;
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

  /** A verified token's plaintext, and the timestamp it records if its layout records one. */
  record Opened(byte[] plaintext, OptionalLong timestamp) {
    Optional<Instant> madeAt() {
      return timestamp.isPresent()
          ? Optional.of(TokenTimes.toInstant(timestamp.getAsLong()))
          : Optional.empty();
    }
  }

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
