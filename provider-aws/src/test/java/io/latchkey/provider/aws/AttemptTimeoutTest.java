package io.latchkey.provider.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.latchkey.ProviderException;
import io.latchkey.SecretRef;
import io.latchkey.config.ConfigValue;
import io.latchkey.provider.aws.testing.FakeSecretsManager;
import io.latchkey.provider.aws.testing.FakeSecretsManager.Fault;
import io.latchkey.resolver.SecretResolver;
import io.latchkey.spi.SecretProvider;
import io.latchkey.spi.SecretVersion;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A resolver's per-attempt time-out, shorter than the provider's own, bounds the provider's
 * request: an attempt the resolver abandoned ends in the provider too, instead of blocking in a
 * socket read for the provider's hour-long time-out.
 *
 * <p>The SDK also gives up a call when the resolver interrupts an abandoned attempt, so through a
 * resolver the two ends race, and either may be the one that ends the call; that the shorter
 * time-out reached the provider is shown without a race, on a call made after a resolver told it.
 */
// A safety net, not a measure: were the wiring broken, a call would wait out the provider's own
// time-out of an hour instead of failing.
@Timeout(value = 5, unit = TimeUnit.MINUTES)
final class AttemptTimeoutTest {
  private final FakeSecretsManager fake = FakeSecretsManager.start();
  private final AwsSecretProvider provider;

  AttemptTimeoutTest() {
    Map<String, String> env = fake.environment();
    env.put("LATCHKEY_AWS_TIMEOUT", "1h");
    provider = AwsSecretProvider.fromEnvironment(env);
    fake.putSecretString("prod/db", "{\"password\":\"one\"}");
  }

  @AfterEach
  void close() {
    provider.close();
    fake.close();
  }

  @Test
  void shortResolverTimeout_hungBackend_providerRequestEndsAsATimeout() throws Exception {
    Observed observed = new Observed(provider);
    fake.fail(Fault.HANG);
    try (SecretResolver resolver =
        SecretResolver.builder()
            .provider(observed)
            .timeout(Duration.ofMillis(200))
            .retry(1, Duration.ofMillis(1), Duration.ofMillis(1))
            .build()) {
      ProviderException e =
          catchThrowableOfType(
              ProviderException.class, () -> resolver.resolve(SecretRef.parse("aws:prod/db")));
      assertThat(e.kind()).isEqualTo(ProviderException.Kind.TIMEOUT);

      // The bound only keeps a broken test from hanging; the provider's own time-out is an hour.
      assertThat(observed.returned.await(60, TimeUnit.SECONDS)).isTrue();
      assertThat(observed.failure.get())
          .isInstanceOfSatisfying(
              ProviderException.class,
              p -> assertThat(p.kind()).isEqualTo(ProviderException.Kind.TIMEOUT));
      assertThat(fake.requests("GetSecretValue")).isEqualTo(1);
    }
  }

  @Test
  void resolverBuilt_hungBackend_callEndsAtTheResolversTimeout_andTheShortestIsKept() {
    SecretResolver.builder().provider(provider).timeout(Duration.ofMillis(200)).build().close();
    provider.attemptTimeout(Duration.ofSeconds(30));
    fake.fail(Fault.HANG);

    ProviderException e =
        catchThrowableOfType(
            ProviderException.class, () -> provider.fetch(SecretRef.parse("aws:prod/db")));

    assertThat(e.kind()).isEqualTo(ProviderException.Kind.TIMEOUT);
    assertThat(e.getMessage()).contains("200ms").doesNotContain("30s");
  }

  /** Passes every call through and records when, and how, the provider's fetch returned. */
  private static final class Observed implements SecretProvider {
    private final SecretProvider delegate;
    final CountDownLatch returned = new CountDownLatch(1);
    final AtomicReference<Throwable> failure = new AtomicReference<>();

    Observed(SecretProvider delegate) {
      this.delegate = delegate;
    }

    @Override
    public String name() {
      return delegate.name();
    }

    @Override
    public SecretVersion fetch(SecretRef ref) {
      try {
        return delegate.fetch(ref);
      } catch (RuntimeException e) {
        failure.set(e);
        throw e;
      } finally {
        returned.countDown();
      }
    }

    @Override
    public Optional<String> currentVersionId(SecretRef ref) {
      return delegate.currentVersionId(ref);
    }

    @Override
    public void attemptTimeout(Duration timeout) {
      delegate.attemptTimeout(timeout);
    }

    @Override
    public Optional<ConfigValue> get(String name) {
      return delegate.get(name);
    }

    @Override
    public String description() {
      return delegate.description();
    }
  }
}
