package io.latchkey.provider.gcp;

import static io.latchkey.provider.gcp.Testing.utf8;
import static io.latchkey.provider.gcp.Testing.with;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.latchkey.ProviderException;
import io.latchkey.SecretRef;
import io.latchkey.provider.gcp.testing.FakeSecretManager;
import io.latchkey.provider.gcp.testing.FakeSecretManager.Failure;
import io.latchkey.resolver.SecretResolver;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A resolver's per-attempt time-out, shorter than the provider's own, becomes the deadline of each
 * call the provider makes.
 *
 * <p>The provider also cancels its call when the resolver interrupts an abandoned attempt, so
 * through a resolver the two ends race; the shorter deadline is therefore shown ending a call the
 * fake never answers on its own, after the resolver told it, and naming the shorter time-out.
 */
// A safety net, not a measure: were the wiring broken, a call would wait out the provider's own
// time-out of an hour instead of failing.
@Timeout(value = 5, unit = TimeUnit.MINUTES)
final class AttemptTimeoutTest {
  private final FakeSecretManager gcp = FakeSecretManager.start();
  // An hour: a call the fake never answers could only end this soon by the shorter deadline.
  private final GcpSecretProvider provider =
      GcpSecretProvider.fromEnvironment(with(gcp.environment(), "LATCHKEY_GCP_TIMEOUT", "1h"));

  AttemptTimeoutTest() {
    gcp.addVersion("db", utf8("{\"password\":\"one\"}"));
  }

  @AfterEach
  void close() {
    provider.close();
    gcp.close();
  }

  @Test
  void resolverBuilt_hungCall_endsAtTheResolversTimeout_andTheShortestIsKept() {
    SecretResolver.builder().provider(provider).timeout(Duration.ofMillis(200)).build().close();
    provider.attemptTimeout(Duration.ofSeconds(30));
    assertThat(provider.callTimeout()).isEqualTo(Duration.ofMillis(200));
    gcp.fail(Failure.HANG);

    ProviderException e =
        catchThrowableOfType(
            ProviderException.class, () -> provider.fetch(SecretRef.parse("gcp:db")));

    assertThat(e.kind()).isEqualTo(ProviderException.Kind.TIMEOUT);
    assertThat(e.getMessage()).contains("no answer within 200ms").contains("DEADLINE_EXCEEDED");
  }

  @Test
  void resolverTimeout_hungCall_isATimeout_andTheCallIsCancelled() throws InterruptedException {
    gcp.fail(Failure.HANG);
    try (SecretResolver resolver =
        SecretResolver.builder()
            .provider(provider)
            .timeout(Duration.ofMillis(200))
            .retry(1, Duration.ofMillis(1), Duration.ofMillis(1))
            .build()) {
      ProviderException e =
          catchThrowableOfType(
              ProviderException.class, () -> resolver.resolve(SecretRef.parse("gcp:db#password")));

      assertThat(e.kind()).isEqualTo(ProviderException.Kind.TIMEOUT);
      assertThat(gcp.requests("AccessSecretVersion")).isEqualTo(1);
      // The call was abandoned on the wire too: the fake sees it cancelled. The bound only keeps
      // a broken test from waiting for ever.
      assertThat(gcp.awaitNoHungCall(Duration.ofSeconds(60))).isTrue();
      assertThat(gcp.hungCalls()).isEqualTo(1);
    }
  }
}
