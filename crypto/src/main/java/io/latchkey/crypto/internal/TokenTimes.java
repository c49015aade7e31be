package io.latchkey.crypto.internal;

import io.latchkey.InvalidTokenException;
import io.latchkey.InvalidTokenException.Reason;
import java.time.Duration;
import java.time.Instant;

/**
 * The time checks the Fernet and AES-GCM rings share: a token's age against a time-to-live, and its
 * timestamp against the clock. Not part of the API: the package is not exported.
 */
public final class TokenTimes {
  /** Tokens stamped up to this far in the future are accepted when a TTL is checked. */
  public static final Duration MAX_CLOCK_SKEW = Duration.ofSeconds(60);

  private TokenTimes() {}

  /**
   * Returns a time-to-live in whole seconds.
   *
   * @param ttl the maximum age
   * @return its seconds
   * @throws IllegalArgumentException if {@code ttl} is shorter than one second
   */
  public static long ttlSeconds(Duration ttl) {
    long seconds = ttl.toSeconds();
    if (seconds < 1) {
      throw new IllegalArgumentException("ttl must be at least one second");
    }
    return seconds;
  }

  /**
   * Checks an authentic token's timestamp, as the Fernet specification does: expired when its
   * timestamp plus the time-to-live is before {@code now}, from the future when it is more than
   * {@link #MAX_CLOCK_SKEW} after {@code now}.
   *
   * @param timestamp the token's timestamp, seconds since the epoch, unsigned
   * @param ttlSeconds the maximum age in seconds
   * @param now the current time, seconds since the epoch
   * @throws InvalidTokenException if the token is expired or from the future
   */
  public static void check(long timestamp, long ttlSeconds, long now) {
    // Timestamps are unsigned 64-bit; one past Long.MAX_VALUE is far in the future.
    if (timestamp < 0 || timestamp > now + MAX_CLOCK_SKEW.toSeconds()) {
      throw new InvalidTokenException(Reason.FROM_THE_FUTURE);
    }
    // Written as a difference: timestamp + ttl could overflow for a huge ttl.
    if (now - timestamp > ttlSeconds) {
      throw new InvalidTokenException(Reason.EXPIRED);
    }
  }

  /**
   * Returns a token's timestamp as an instant, {@link Instant#MAX} for one beyond it.
   *
   * @param timestamp seconds since the epoch, unsigned
   * @return the instant
   */
  public static Instant toInstant(long timestamp) {
    if (timestamp < 0 || timestamp > Instant.MAX.getEpochSecond()) {
      return Instant.MAX;
    }
    return Instant.ofEpochSecond(timestamp);
  }
}
