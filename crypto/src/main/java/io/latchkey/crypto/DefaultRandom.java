package io.latchkey.crypto;

import java.security.DrbgParameters;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/**
 * The random sources used when the caller injects none.
 *
 * <p>IVs are drawn from a per-thread NIST DRBG (Hash_DRBG, SHA-256, seeded by the operating
 * system) in 1 KiB refills: a shared {@code SecureRandom} takes a lock and, on Linux, reads
 * {@code /dev/urandom} for every 16-byte IV, which would cost more than the rest of an
 * encryption.
 */
final class DefaultRandom {
  /** For keys: drawn rarely, so the plain default source is best. */
  static final SecureRandom INSTANCE = new SecureRandom();

  private static final int REFILL_BYTES = 1024;

  private static final ThreadLocal<DefaultRandom> PER_THREAD =
      ThreadLocal.withInitial(DefaultRandom::new);

  private final SecureRandom drbg;
  private final byte[] buffer = new byte[REFILL_BYTES];
  private int position = REFILL_BYTES;

  private DefaultRandom() {
    SecureRandom random;
    try {
      random =
          SecureRandom.getInstance(
              "DRBG",
              DrbgParameters.instantiation(256, DrbgParameters.Capability.RESEED_ONLY, null));
    } catch (NoSuchAlgorithmException e) {
      random = new SecureRandom();
    }
    this.drbg = random;
  }

  /** Writes 16 fresh random bytes to {@code out} at {@code offset}. */
  static void nextIv(byte[] out, int offset) {
    PER_THREAD.get().next(out, offset, 16);
  }

  private void next(byte[] out, int offset, int length) {
    if (position + length > buffer.length) {
      drbg.nextBytes(buffer);
      position = 0;
    }
    System.arraycopy(buffer, position, out, offset, length);
    // Each byte is handed out once; clear it so a later heap dump cannot link IVs to threads.
    java.util.Arrays.fill(buffer, position, position + length, (byte) 0);
    position += length;
  }
}
