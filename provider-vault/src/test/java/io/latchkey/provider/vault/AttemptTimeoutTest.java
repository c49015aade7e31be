package io.latchkey.provider.vault;

import static io.latchkey.provider.vault.Testing.provider;
import static io.latchkey.provider.vault.Testing.ref;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.latchkey.ProviderException;
import io.latchkey.provider.vault.testing.FakeVault;
import io.latchkey.resolver.SecretResolver;
import io.latchkey.testsupport.Waiting;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A resolver's per-attempt time-out, shorter than the provider's own, bounds each request the
 * provider sends.
 *
 * <p>The provider also cancels its exchange when the resolver interrupts an abandoned attempt, so
 * through a resolver the two ends race; the shorter time-out is therefore shown reaching the HTTP
 * layer, and ending a held request on its own, without a resolver.
 */
// A safety net, not a measure: were the wiring broken, a call would wait out the provider's own
// time-out of an hour instead of failing.
@Timeout(value = 5, unit = TimeUnit.MINUTES)
final class AttemptTimeoutTest {
  private final FakeVault vault = FakeVault.start();
  // Longer than the fake holds a request (60 s): only the short time-out can end one first.
  private final VaultSecretProvider provider =
      provider(vault, Map.of("LATCHKEY_VAULT_TIMEOUT", "1h"));

  AttemptTimeoutTest() {
    vault.putKv2("secret", "db", Map.of("password", "one"));
  }

  @AfterEach
  void close() {
    vault.release();
    provider.close();
    vault.close();
  }

  @Test
  void resolverBuilt_shorterTimeout_reachesTheHttpLayer_andTheShortestIsKept() {
    SecretResolver.builder().provider(provider).timeout(Duration.ofMillis(200)).build().close();
    assertThat(provider.http().timeout()).isEqualTo(Duration.ofMillis(200));

    provider.attemptTimeout(Duration.ofSeconds(30));

    assertThat(provider.http().timeout()).isEqualTo(Duration.ofMillis(200));
  }

  @Test
  void shorterTimeout_heldRequest_endsAsATimeout_andLeavesNoneInFlightOnTheClient() {
    provider.fetch(ref("vault:secret/db")); // mount detection done; only the read is held
    provider.attemptTimeout(Duration.ofMillis(200));
    vault.hold("/v1/secret/data/");

    ProviderException e =
        catchThrowableOfType(ProviderException.class, () -> provider.fetch(ref("vault:secret/db")));

    assertThat(e.kind()).isEqualTo(ProviderException.Kind.TIMEOUT);
    assertThat(e.getMessage()).contains("did not answer within PT0.2S");
    assertThat(vault.held()).isEqualTo(1);
    // The renewer's lookup-self may still be on its way; the abandoned read never leaves the set.
    Waiting.until("no exchange in flight", () -> provider.http().inFlight() == 0);
  }

  @Test
  void resolverTimeout_heldRequest_isATimeout_andTheProviderLetsGo() {
    provider.fetch(ref("vault:secret/db"));
    vault.hold("/v1/secret/data/");
    try (SecretResolver resolver =
        SecretResolver.builder()
            .provider(provider)
            .timeout(Duration.ofMillis(200))
            .retry(1, Duration.ofMillis(1), Duration.ofMillis(1))
            .build()) {
      ProviderException e =
          catchThrowableOfType(
              ProviderException.class, () -> resolver.resolve(ref("vault:secret/db#password")));

      assertThat(e.kind()).isEqualTo(ProviderException.Kind.TIMEOUT);
      Waiting.until("the read to reach the fake", () -> vault.held() == 1);
      Waiting.until("the provider abandons its request", () -> provider.http().inFlight() == 0);
    }
  }
}
