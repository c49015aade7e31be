package io.latchkey.crypto;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The random sources used when the caller injects none.
 *
 * <p>Keys come from the JDK's default {@link SecureRandom}. IVs come from a per-thread AES-128-CTR
 * keystream with fast key erasure: each refill encrypts zeros under a one-use key, keeps the first
 * 16 bytes as the next key and hands out the remaining 1 KiB as IVs; every 1024 refills the key is
 * replaced by a fresh one from the default {@code SecureRandom}. A shared {@code SecureRandom}
 * would take a lock per 16-byte IV, and the JDK's Hash_DRBG costs about 3 µs per KiB, an eighth of
 * a whole Fernet encryption; the keystream costs under 0.2 µs per KiB.
 */
final class DefaultRandom {
  /** For keys and reseeding: the plain default strong source. */
  static final SecureRandom INSTANCE = new SecureRandom();

  private static final int KEY_BYTES = 16;
  private static final int OUTPUT_BYTES = 1024;
  private static final int RESEED_EVERY = 1024;
  private static final IvParameterSpec ZERO_COUNTER = new IvParameterSpec(new byte[16]);

  private static final ThreadLocal<DefaultRandom> PER_THREAD =
      ThreadLocal.withInitial(DefaultRandom::new);

  private final Cipher keystream;
  private final byte[] zeros = new byte[KEY_BYTES + OUTPUT_BYTES];
  private final byte[] buffer = new byte[KEY_BYTES + OUTPUT_BYTES];
  private final byte[] key = new byte[KEY_BYTES];
  private int position = buffer.length;
  private int refills;

  private DefaultRandom() {
    try {
      keystream = Cipher.getInstance("AES/CTR/NoPadding");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK lacks AES/CTR", e);
    }
  }

  /** Writes 16 fresh random bytes to {@code out} at {@code offset}. */
  static void nextIv(byte[] out, int offset) {
    PER_THREAD.get().next(out, offset, 16);
  }

  private void next(byte[] out, int offset, int length) {
    if (position + length > buffer.length) {
      refill();
    }
    System.arraycopy(buffer, position, out, offset, length);
    // Each byte is handed out once; clear it so that memory never holds IVs yet to come.
    Arrays.fill(buffer, position, position + length, (byte) 0);
    position += length;
  }

  private void refill() {
    if (refills++ % RESEED_EVERY == 0) {
      INSTANCE.nextBytes(key);
    }
    try {
      // Each key encrypts exactly one buffer, so a zero counter never repeats under one key.
      keystream.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), ZERO_COUNTER);
      keystream.doFinal(zeros, 0, zeros.length, buffer, 0);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES/CTR failed", e);
    }
    // Fast key erasure: the key that made this buffer is gone; the next one is not handed out.
    System.arraycopy(buffer, 0, key, 0, KEY_BYTES);
    Arrays.fill(buffer, 0, KEY_BYTES, (byte) 0);
    position = KEY_BYTES;
  }
}
