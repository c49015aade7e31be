package io.latchkey.provider.gcp;

import static java.util.Objects.requireNonNull;

import com.google.api.gax.grpc.GrpcCallContext;
import com.google.api.gax.retrying.RetrySettings;
import com.google.api.gax.rpc.ApiCallContext;
import java.time.Duration;
import java.util.Set;

/**
 * The deadline of each call: the configured time-out, which a resolver's shorter per-attempt
 * time-out replaces for the calls that start after it. Each call also gets one attempt and the
 * answer cap, whoever made the client.
 */
final class CallDeadline {
  /** A time-out and the call context that carries it, read together by each call. */
  record Bound(Duration timeout, GrpcCallContext context) {
    /** Returns the context of one call, whose streams {@code trace} watches. */
    ApiCallContext traced(CallTrace trace) {
      return context.withCallOptions(context.getCallOptions().withStreamTracerFactory(trace));
    }
  }

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

  /** One attempt per call, bounded by the time-out: retries are the resolver's. */
  static RetrySettings oneAttempt(Duration timeout) {
    return RetrySettings.newBuilder()
        .setMaxAttempts(1)
        .setTotalTimeoutDuration(timeout)
        .setInitialRpcTimeoutDuration(timeout)
        .setMaxRpcTimeoutDuration(timeout)
        .setRpcTimeoutMultiplier(1.0)
        .setInitialRetryDelayDuration(Duration.ZERO)
        .setMaxRetryDelayDuration(Duration.ZERO)
        .setRetryDelayMultiplier(1.0)
        .build();
  }

  private static Bound bound(Duration timeout) {
    GrpcCallContext context = GrpcCallContext.createDefault();
    // The cap holds for a client the caller supplied too, whose channel may allow more.
    context =
        context.withCallOptions(
            context.getCallOptions().withMaxInboundMessageSize(GcpErrors.INBOUND_CAP));
    return new Bound(
        timeout,
        context
            .withTimeoutDuration(timeout)
            .withRetrySettings(oneAttempt(timeout))
            .withRetryableCodes(Set.of()));
  }
}
