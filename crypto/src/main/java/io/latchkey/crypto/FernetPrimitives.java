package io.latchkey.crypto;

import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * One thread's initialised Mac and Ciphers for one key, so that the hot path never calls {@code
 * getInstance} or re-keys the Mac.
 */
final class FernetPrimitives {
  final Mac mac;
  final SecretKeySpec aesKey;
  final Cipher encryptor;
  final Cipher decryptor;
  final byte[] tag = new byte[32];
  private byte[] scratch = new byte[256];

  FernetPrimitives(SecretKeySpec macKey, SecretKeySpec aesKey) {
    try {
      this.mac = Mac.getInstance("HmacSHA256");
      this.mac.init(macKey);
      this.aesKey = aesKey;
      this.encryptor = Cipher.getInstance("AES/CBC/PKCS5Padding");
      // Padding is checked by hand, after the HMAC, so the JCE never reports a padding error.
      this.decryptor = Cipher.getInstance("AES/CBC/NoPadding");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK lacks HmacSHA256 or AES/CBC", e);
    }
  }

  /** A per-thread buffer of at least {@code size} bytes; large ones are not kept. */
  byte[] scratch(int size) {
    if (size <= scratch.length) {
      return scratch;
    }
    byte[] big = new byte[size];
    if (size <= 64 * 1024) {
      scratch = big;
    }
    return big;
  }
}
