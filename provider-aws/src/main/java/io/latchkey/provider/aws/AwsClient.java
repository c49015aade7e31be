package io.latchkey.provider.aws;

import static java.util.Objects.requireNonNull;

import io.latchkey.spi.ProviderThreads;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The SDK client the provider calls, with the per-call time-out every request carries and what the
 * provider owns of it: the client itself unless it was supplied, and the timer thread the SDK
 * abandons calls with. {@link AwsClientFactory} builds it.
 */
final class AwsClient {
  private final SecretsManagerClient sdk;
  private final boolean owned;
  private final ScheduledExecutorService timer;
  private final ProviderThreads timerThreads;
  private final String description;
  // The one place the per-call time-out lives, read on every call: a resolver that tells the
  // provider its per-attempt time-out shortens it here, without rebuilding the client.
  private volatile Duration timeout;

  AwsClient(
      SecretsManagerClient sdk,
      boolean owned,
      ScheduledExecutorService timer,
      ProviderThreads timerThreads,
      String description,
      Duration timeout) {
    this.sdk = sdk;
    this.owned = owned;
    this.timer = timer;
    this.timerThreads = timerThreads;
    this.description = description;
    this.timeout = timeout;
  }

  SecretsManagerClient sdk() {
    return sdk;
  }

  /** The backend, as {@link AwsSecretProvider#description()} gives it. */
  String description() {
    return description;
  }

  Duration timeout() {
    return timeout;
  }

  /** Sets the per-call time-out of the calls that start from now on. */
  void timeout(Duration timeout) {
    this.timeout = requireNonNull(timeout, "timeout");
  }

  /** Shortens the time-out to {@code timeout} if it is shorter, keeping the shortest told. */
  synchronized void shortenTimeout(Duration timeout) {
    if (timeout.compareTo(this.timeout) < 0) {
      this.timeout = timeout;
    }
  }

  /** The time-out, set on every request, so that a supplied client honours it as well. */
  AwsRequestOverrideConfiguration callConfig() {
    Duration t = timeout;
    return AwsRequestOverrideConfiguration.builder()
        .apiCallTimeout(t)
        .apiCallAttemptTimeout(t)
        .build();
  }

  /**
   * Closes the client if the provider built it, which aborts its calls in flight, and stops the
   * timer; a supplied client is left open.
   */
  void close() {
    if (owned) {
      sdk.close();
    }
    if (timer != null) {
      timer.shutdownNow();
    }
  }

  /** Waits a bounded time for the timer thread to end, after {@link #close()}. */
  void join(Duration bound) {
    if (timerThreads != null) {
      timerThreads.join(bound);
    }
  }
}
