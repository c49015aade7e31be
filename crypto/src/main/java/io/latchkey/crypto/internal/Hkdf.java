package io.latchkey.crypto.internal;

import static java.util.Objects.requireNonNull;

import io.latchkey.Secret;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HKDF-SHA256 (RFC 5869), and the derivation of a key from a master secret that the Fernet and
 * AES-GCM keys share. Not part of the API: the package is not exported.
 */
public final class Hkdf {
  private Hkdf() {}

  /**
   * Derives key bytes for one purpose from a master secret: HKDF-SHA256 with no salt, the master
   * secret as input keying material, and {@code prefix ‖ UTF-8(label)} as info.
   *
   * @param master the master secret; not empty
   * @param label the purpose; not blank
   * @param prefix bytes that separate one key type from another (empty for Fernet keys)
   * @param length the number of bytes to derive
   * @return the derived bytes; the caller wipes them
   * @throws IllegalArgumentException if the master secret is empty or the label blank
   */
  public static byte[] fromMaster(Secret master, String label, byte[] prefix, int length) {
    requireNonNull(master, "master");
    requireNonNull(label, "label");
    if (label.isBlank()) {
      throw new IllegalArgumentException("label must not be blank");
    }
    byte[] ikm = master.revealBytes();
    try {
      if (ikm.length == 0) {
        throw new IllegalArgumentException("master secret must not be empty");
      }
      byte[] labelBytes = label.getBytes(StandardCharsets.UTF_8);
      byte[] info = Arrays.copyOf(prefix, prefix.length + labelBytes.length);
      System.arraycopy(labelBytes, 0, info, prefix.length, labelBytes.length);
      return sha256(ikm, info, length);
    } finally {
      Arrays.fill(ikm, (byte) 0);
    }
  }

  /**
   * HKDF-SHA256 with an all-zero salt, which is what "no salt" means in RFC 5869.
   *
   * @param ikm the input keying material
   * @param info the context and application specific information
   * @param length the number of bytes of output, at most 8160
   * @return the output keying material
   */
  public static byte[] sha256(byte[] ikm, byte[] info, int length) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(new byte[32], "HmacSHA256"));
      byte[] prk = mac.doFinal(ikm);
      mac.init(new SecretKeySpec(prk, "HmacSHA256"));
      Arrays.fill(prk, (byte) 0);
      byte[] okm = new byte[length];
      byte[] t = new byte[0];
      int done = 0;
      for (int counter = 1; done < length; counter++) {
        mac.update(t);
        mac.update(info);
        mac.update((byte) counter);
        t = mac.doFinal();
        int n = Math.min(t.length, length - done);
        System.arraycopy(t, 0, okm, done, n);
        done += n;
      }
      Arrays.fill(t, (byte) 0);
      return okm;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK lacks HmacSHA256", e);
    }
  }
}
