package io.latchkey.resolver;

import io.latchkey.ProviderException;
import io.latchkey.SecretRef;
import java.util.function.DoubleSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retries throttling, unavailability and time-outs with exponential back-off and full jitter (each
 * wait is uniform between zero and the capped exponential), so that many callers throttled together
 * do not retry together. Not-found, access denied and every other kind fail at once.
 */
final class RetryLink implements Link {
  private static final Logger LOG = LoggerFactory.getLogger(SecretResolver.class);

  /** Waits between attempts; tests record the waits instead of sleeping. */
  @FunctionalInterface
  interface Sleeper {
    void sleep(long millis) throws InterruptedException;
  }

  private final Link next;
  private final int maxAttempts;
  private final long baseMillis;
  private final long maxMillis;
  private final DoubleSupplier random;
  private final Sleeper sleeper;

  RetryLink(
      Link next,
      int maxAttempts,
      long baseMillis,
      long maxMillis,
      DoubleSupplier random,
      Sleeper sleeper) {
    this.next = next;
    this.maxAttempts = maxAttempts;
    this.baseMillis = baseMillis;
    this.maxMillis = maxMillis;
    this.random = random;
    this.sleeper = sleeper;
  }

  /** The retry policy a builder describes, around {@code next}. */
  static RetryLink of(Link next, SecretResolver.Builder b) {
    return new RetryLink(
        next,
        b.maxAttempts,
        b.baseBackoff.toMillis(),
        b.maxBackoff.toMillis(),
        b.random,
        b.sleeper);
  }

  @Override
  public Entry proceed(SecretRef ref, Entry cached) {
    for (int attempt = 1; ; attempt++) {
      try {
        return next.proceed(ref, cached);
      } catch (ProviderException e) {
        if (!e.isRetryable() || attempt >= maxAttempts) {
          throw e;
        }
        long wait = (long) (random.getAsDouble() * cap(attempt));
        LOG.debug(
            "secret {}: {}; attempt {} of {} in {} ms",
            ref,
            e.kind().label(),
            attempt + 1,
            maxAttempts,
            wait);
        try {
          sleeper.sleep(wait);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }

  /** The capped exponential for the wait after {@code attempt}: base, 2 base, 4 base, ... */
  long cap(int attempt) {
    int shift = Math.min(attempt - 1, 62);
    long exponential =
        baseMillis > (Long.MAX_VALUE >> shift) ? Long.MAX_VALUE : baseMillis << shift;
    return Math.min(maxMillis, exponential);
  }
}
