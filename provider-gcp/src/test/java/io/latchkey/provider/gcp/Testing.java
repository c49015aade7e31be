package io.latchkey.provider.gcp;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.google.api.gax.core.NoCredentialsProvider;
import com.google.cloud.secretmanager.v1.SecretManagerServiceSettings;
import io.latchkey.SecretRef;
import io.latchkey.provider.gcp.testing.FakeSecretManager;
import io.latchkey.resolver.SecretResolver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** Small helpers the provider's tests share. */
final class Testing {
  /** A value that must never show up anywhere but in a fetched secret. */
  static final String CANARY = "canary-5e1f0c8a77d24b39";

  private Testing() {}

  static byte[] utf8(String text) {
    return text.getBytes(UTF_8);
  }

  /** Returns a copy of an environment with more settings, given as name, value, name, value... */
  static Map<String, String> with(Map<String, String> environment, String... more) {
    Map<String, String> copy = new HashMap<>(environment);
    for (int i = 0; i < more.length; i += 2) {
      copy.put(more[i], more[i + 1]);
    }
    return copy;
  }

  /**
   * Makes one fetch and one metadata call with the default time-out, so that the first call of a
   * test with a short time-out does not pay for loading the client's classes and connecting.
   */
  static void warmUp() {
    try (FakeSecretManager gcp = FakeSecretManager.start();
        GcpSecretProvider provider = GcpSecretProvider.fromEnvironment(gcp.environment())) {
      gcp.addVersion("warm-up", utf8("{}"));
      provider.fetch(SecretRef.parse("gcp:warm-up"));
      provider.currentVersionId(SecretRef.parse("gcp:warm-up"));
    }
  }

  /**
   * Settings of a client of the caller's own, over plaintext to a loopback server: gRPC's default
   * cap and Secret Manager's default retries, none of the provider's.
   */
  static SecretManagerServiceSettings plaintextClientSettings(String target) {
    try {
      return SecretManagerServiceSettings.newBuilder()
          .setEndpoint(target)
          .setCredentialsProvider(NoCredentialsProvider.create())
          .setTransportChannelProvider(
              SecretManagerServiceSettings.defaultGrpcTransportProviderBuilder()
                  .setChannelConfigurator(b -> b.usePlaintext())
                  .build())
          .build();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A resolver whose values expire after a minute and may be served stale for ten, on a clock the
   * test moves, with {@code attempts} attempts per refresh and no wait between them. A read after
   * expiry does not wait for the refresh; it runs on the reading thread, so that the next read sees
   * what it found.
   */
  static SecretResolver.Builder refreshingOnTheReader(
      GcpSecretProvider provider, Clock clock, int attempts) {
    return SecretResolver.builder()
        .provider(provider)
        .clock(clock)
        .executor(Runnable::run)
        .ttl(Duration.ofMinutes(1))
        .maxStale(Duration.ofMinutes(10))
        .jitter(0)
        .refreshAhead(1)
        .retry(attempts, Duration.ofMillis(1), Duration.ofMillis(1));
  }

  /** Runs an action and returns what it threw, or {@code null}. */
  static Throwable failure(Runnable action) {
    try {
      action.run();
    } catch (RuntimeException e) {
      return e;
    }
    return null;
  }
}
