package io.latchkey.crypto;

import java.security.DigestException;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

/**
 * One thread's primitives for one key: HMAC-SHA256 state and AES-CBC ciphers, so that the hot path
 * never calls {@code getInstance} or re-keys anything.
 *
 * <p>HMAC is computed here over a {@link MessageDigest} (RFC 2104: {@code H(K⊕opad ‖ H(K⊕ipad ‖
 * m))}) rather than through {@code javax.crypto.Mac}, whose {@code doFinal(byte[], int)} allocates
 * two arrays per call; the SHA-256 compression underneath is the same intrinsic.
 */
final class FernetPrimitives {
  static final int TAG_BYTES = 32;
  private static final int BLOCK = 64;

  final SecretKeySpec aesKey;
  final Cipher encryptor;
  final Cipher decryptor;
  final byte[] tag = new byte[TAG_BYTES];

  /** Plaintext of small tokens, and the last block of large ones; cleared after each use. */
  final byte[] buffer = new byte[256];

  private final MessageDigest sha256;
  private final byte[] innerPad = new byte[BLOCK];
  private final byte[] outerPad = new byte[BLOCK];
  private final byte[] innerHash = new byte[TAG_BYTES];

  FernetPrimitives(byte[] signingKey, SecretKeySpec aesKey) {
    try {
      this.sha256 = MessageDigest.getInstance("SHA-256");
      this.aesKey = aesKey;
      // Padding is done by hand: added in place before encryption, and checked after the HMAC
      // on decryption, so the JCE never reports a padding error.
      this.encryptor = Cipher.getInstance("AES/CBC/NoPadding");
      this.decryptor = Cipher.getInstance("AES/CBC/NoPadding");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK lacks SHA-256 or AES/CBC", e);
    }
    // Fernet signing keys are 16 bytes, shorter than a block: pad with zeros, never hash.
    Arrays.fill(innerPad, (byte) 0x36);
    Arrays.fill(outerPad, (byte) 0x5c);
    for (int i = 0; i < signingKey.length; i++) {
      innerPad[i] ^= signingKey[i];
      outerPad[i] ^= signingKey[i];
    }
  }

  /** Writes HMAC-SHA256 of {@code data[offset, offset + length)} to {@code out} at {@code at}. */
  void hmac(byte[] data, int offset, int length, byte[] out, int at) {
    MessageDigest md = sha256;
    try {
      md.update(innerPad);
      md.update(data, offset, length);
      md.digest(innerHash, 0, TAG_BYTES);
      md.update(outerPad);
      md.update(innerHash);
      md.digest(out, at, TAG_BYTES);
    } catch (DigestException e) {
      throw new IllegalStateException("SHA-256 failed", e);
    }
  }
}
