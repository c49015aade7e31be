package io.latchkey.crypto.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.DrbgParameters;
import java.security.DrbgParameters.Capability;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/**
 * The random sources used when the caller injects none: instances of the JDK's SP 800-90A {@code
 * DRBG} (by default Hash_DRBG over SHA-256), asked for 256-bit security strength.
 *
 * <p>Keys come from one shared DRBG instantiated with prediction resistance: every key generated
 * draws fresh entropy from the operating system first, so no earlier state of the process tells
 * anything about a key. Key generation is rare, so the cost does not matter.
 *
 * <p>IVs (and AES-GCM nonces) come from one DRBG per thread, without prediction resistance on each
 * request, read in {@value #BUFFER_BYTES}-byte requests into a per-thread buffer from which each
 * 16-byte IV (or 12-byte nonce) is copied once. A shared {@code SecureRandom} would take a lock per
 * IV, and a request per IV would pay the DRBG's fixed cost per request (several SHA-256
 * compressions and a lock) for 16 bytes. Every {@value #RESEED_EVERY} refills the thread's DRBG is
 * reseeded with prediction resistance, that is with fresh entropy from the operating system. See
 * docs/security.md, "Randomness", for why buffering IVs is sound.
 *
 * <p>Only JDK types ({@link SecureRandom}, {@link ByteBuffer}, {@code int[]}) are held per thread,
 * so a thread pool that outlives the class loader that loaded this class (an application server
 * undeploying a web application) keeps none of its classes reachable.
 *
 * <p>Not part of the API: the package is not exported.
 */
public final class DefaultRandom {
  /** Bytes per DRBG request for IVs: 256 IVs per request. */
  static final int BUFFER_BYTES = 4096;

  /** Refills between reseeds from the operating system: 256 KiB of output, 16,384 IVs. */
  static final int RESEED_EVERY = 64;

  private static final int IV_BYTES = 16;
  private static final int NONCE_BYTES = 12;
  private static final int STRENGTH = 256;

  /** Refills ask for no prediction resistance; the periodic reseed supplies fresh entropy. */
  private static final DrbgParameters.NextBytes REFILL =
      DrbgParameters.nextBytes(STRENGTH, false, null);

  private static final DrbgParameters.Reseed FRESH_ENTROPY = DrbgParameters.reseed(true, null);

  private static final ThreadLocal<SecureRandom> IV_DRBG =
      ThreadLocal.withInitial(() -> drbg("io.latchkey.crypto IVs, thread "));

  /** Unread IVs: position is the next unread byte; empty at first, so the first use refills. */
  private static final ThreadLocal<ByteBuffer> IV_BUFFER =
      ThreadLocal.withInitial(() -> ByteBuffer.allocate(BUFFER_BYTES).position(BUFFER_BYTES));

  /** Refills since the last reseed, one counter per thread. */
  private static final ThreadLocal<int[]> REFILLS = ThreadLocal.withInitial(() -> new int[1]);

  /** Created on first use, so a program that makes no key never seeds it; guarded by the class. */
  private static SecureRandom keys;

  private DefaultRandom() {}

  /**
   * Returns the shared source of keys: a DRBG whose every request is prediction-resistant.
   * Thread-safe. Created here rather than in a class initializer so that a JDK without a usable
   * DRBG gets the same {@link IllegalStateException} on every call, not an initializer error once
   * and {@link NoClassDefFoundError} after.
   *
   * @return the source of keys
   * @throws IllegalStateException if the JDK's DRBG cannot be instantiated as required
   */
  public static synchronized SecureRandom forKeys() {
    if (keys == null) {
      keys = drbg("io.latchkey.crypto keys, first used on thread ");
    }
    return keys;
  }

  /**
   * Writes 16 fresh random bytes, an IV, from the calling thread's DRBG.
   *
   * @param out where to write them
   * @param offset the index of the first byte to write
   * @throws IllegalStateException if the JDK's DRBG cannot be instantiated as required
   */
  public static void nextIv(byte[] out, int offset) {
    next(out, offset, IV_BYTES);
  }

  /**
   * Writes 12 fresh random bytes, an AES-GCM nonce, from the calling thread's DRBG, the same source
   * as {@link #nextIv(byte[], int)}.
   *
   * @param out where to write them
   * @param offset the index of the first byte to write
   * @throws IllegalStateException if the JDK's DRBG cannot be instantiated as required
   */
  public static void nextNonce(byte[] out, int offset) {
    next(out, offset, NONCE_BYTES);
  }

  private static void next(byte[] out, int offset, int length) {
    ByteBuffer buffer = IV_BUFFER.get();
    if (buffer.remaining() < length) {
      refill(buffer);
    }
    buffer.get(out, offset, length);
  }

  /** The calling thread's IV generator, for tests. */
  static SecureRandom ivDrbg() {
    return IV_DRBG.get();
  }

  @SuppressWarnings("ByteBufferBackingArray")
  private static void refill(ByteBuffer buffer) {
    SecureRandom drbg = IV_DRBG.get();
    int[] refills = REFILLS.get();
    if (++refills[0] >= RESEED_EVERY) {
      drbg.reseed(FRESH_ENTROPY);
      refills[0] = 0;
    }
    // The buffer is this class's own heap buffer: its array starts at offset 0.
    drbg.nextBytes(buffer.array(), REFILL);
    buffer.clear();
  }

  /**
   * Instantiates the JDK's DRBG at 256-bit strength, able to reseed with prediction resistance. The
   * personalization string (not secret) names the purpose and the thread, so that no two instances
   * start from the same inputs even if their entropy were to repeat.
   */
  private static SecureRandom drbg(String purpose) {
    Thread thread = Thread.currentThread();
    byte[] personalization =
        (purpose + thread.getId() + " at " + System.nanoTime()).getBytes(StandardCharsets.UTF_8);
    try {
      return SecureRandom.getInstance(
          "DRBG",
          DrbgParameters.instantiation(STRENGTH, Capability.PR_AND_RESEED, personalization));
    } catch (NoSuchAlgorithmException | IllegalArgumentException e) {
      throw new IllegalStateException(
          "the JDK's DRBG cannot be instantiated at 256-bit strength with prediction resistance;"
              + " check the securerandom.drbg.config security property",
          e);
    }
  }
}
