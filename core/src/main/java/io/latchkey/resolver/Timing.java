package io.latchkey.resolver;

import io.latchkey.SecretRef;
import io.latchkey.spi.SecretVersion;
import java.time.Duration;
import java.util.Map;
import java.util.function.DoubleSupplier;

/** The time-to-live policy: per reference, per scheme or the default, with jitter. */
final class Timing {
  private final Duration defaultTtl;
  private final Map<String, Duration> ttlByScheme;
  private final Map<SecretRef, Duration> ttlByRef;
  private final double refreshAhead;
  private final double jitter;
  private final long maxStaleMillis;
  private final DoubleSupplier random;

  Timing(
      Duration defaultTtl,
      Map<String, Duration> ttlByScheme,
      Map<SecretRef, Duration> ttlByRef,
      double refreshAhead,
      double jitter,
      Duration maxStale,
      DoubleSupplier random) {
    this.defaultTtl = defaultTtl;
    this.ttlByScheme = Map.copyOf(ttlByScheme);
    this.ttlByRef = Map.copyOf(ttlByRef);
    this.refreshAhead = refreshAhead;
    this.jitter = jitter;
    this.maxStaleMillis = maxStale.toMillis();
    this.random = random;
  }

  /** The policy a builder describes. */
  static Timing of(SecretResolver.Builder b) {
    return new Timing(
        b.ttl, b.ttlByScheme, b.ttlByRef, b.refreshAhead, b.jitter, b.maxStale, b.random);
  }

  Duration ttl(SecretRef ref) {
    Duration ttl = ttlByRef.get(ref);
    if (ttl == null) {
      ttl = ttlByScheme.getOrDefault(ref.scheme(), defaultTtl);
    }
    return ttl;
  }

  /**
   * Returns a fresh entry for a version loaded at {@code now}. Jitter shortens each entry's life by
   * up to its fraction, so that entries loaded together (at start-up) do not all expire together.
   */
  Entry fresh(SecretRef ref, SecretVersion version, long now) {
    long ttl = ttl(ref).toMillis();
    long life = Math.max(1, ttl - (long) (ttl * jitter * random.getAsDouble()));
    long expiresAt = now + life;
    return new Entry(
        version,
        now + (long) (life * refreshAhead),
        expiresAt,
        saturatedAdd(expiresAt, maxStaleMillis),
        null);
  }

  private static long saturatedAdd(long a, long b) {
    long sum = a + b;
    return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
  }
}
