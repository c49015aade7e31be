package io.latchkey.provider.gcp;

import static java.util.Objects.requireNonNull;

import com.google.api.gax.grpc.GrpcCallContext;
import com.google.api.gax.rpc.ApiCallContext;
import java.time.Duration;
import java.util.Set;

/**
 * The deadline of each call: the configured time-out, which a resolver's shorter per-attempt
 * time-out replaces for the calls that start after it.
 */
final class CallDeadline {
  /** A time-out and the call context that carries it, read together by each call. */
  record Bound(Duration timeout, ApiCallContext context) {}

  private volatile Bound current;

  CallDeadline(Duration timeout) {
    current = bound(timeout);
  }

  /** Returns the time-out and call context for a call that starts now. */
  Bound current() {
    return current;
  }

  /** Shortens the deadline of later calls; a longer time-out is ignored, so the shortest wins. */
  synchronized void shorten(Duration shorter) {
    requireNonNull(shorter, "timeout");
    if (shorter.isNegative() || shorter.isZero()) {
      throw new IllegalArgumentException("timeout must be positive");
    }
    if (shorter.compareTo(current.timeout()) < 0) {
      current = bound(shorter);
    }
  }

  private static Bound bound(Duration timeout) {
    return new Bound(
        timeout,
        GrpcCallContext.createDefault()
            .withTimeoutDuration(timeout)
            .withRetrySettings(Settings.oneAttempt(timeout))
            .withRetryableCodes(Set.of()));
  }
}
