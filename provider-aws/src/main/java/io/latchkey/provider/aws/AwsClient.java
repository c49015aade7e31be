package io.latchkey.provider.aws;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The client the provider calls ({@link OwnSecretsApi} or {@link SdkSecretsApi}), with the per-call
 * time-out every request carries and the backend's description. {@link AwsClientFactory} builds it.
 */
final class AwsClient {
  private final SecretsApi api;
  private final String description;
  // The one place the per-call time-out lives, read on every call: a resolver that tells the
  // provider its per-attempt time-out shortens it here, without rebuilding the client.
  private volatile Duration timeout;

  /**
   * @param api builds the client, given how to read the per-call time-out
   * @param description the backend, as {@link AwsSecretProvider#description()} gives it
   * @param timeout the per-call time-out
   */
  AwsClient(Function<Supplier<Duration>, SecretsApi> api, String description, Duration timeout) {
    this.timeout = timeout;
    this.description = description;
    this.api = api.apply(this::timeout);
  }

  SecretsApi api() {
    return api;
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

  /** Closes the client if the provider owns it, which aborts its calls in flight. */
  void close() {
    api.close();
  }

  /** Waits a bounded time for the client's threads to end, after {@link #close()}. */
  void join(Duration bound) {
    api.join(bound);
  }
}
