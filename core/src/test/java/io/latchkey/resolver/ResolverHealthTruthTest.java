package io.latchkey.resolver;

import static java.time.Duration.ofMillis;
import static java.time.Duration.ofMinutes;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.latchkey.ProviderException;
import io.latchkey.ProviderException.Kind;
import io.latchkey.SecretNotFoundException;
import io.latchkey.SecretRef;
import io.latchkey.testsupport.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link SecretResolver#health()} tells the truth after close and after a removal. */
final class ResolverHealthTruthTest {
  private static final SecretRef DB = SecretRef.parse("fake:db");
  private final MutableClock clock = new MutableClock();
  private final FakeProvider fake = new FakeProvider("fake").put("db", "pw1");
  private SecretResolver resolver;

  @AfterEach
  void close() {
    if (resolver != null) {
      resolver.close();
    }
  }

  private void build() {
    resolver =
        SecretResolver.builder()
            .clock(clock)
            .executor(Runnable::run)
            .ttl(ofSeconds(100))
            .jitter(0)
            .maxStale(ofMinutes(10))
            .failureRecheck(ofSeconds(5))
            .retry(1, ofMillis(1), ofMillis(1))
            .random(() -> 0.5)
            .sleeper(ms -> {})
            .provider(fake)
            .build();
  }

  /**
   * docs/secrets.md: close() "makes later calls throw IllegalStateException"; health() too, rather
   * than report OK for a provider through which nothing can be resolved any more.
   */
  @Test
  void health_afterClose_throws() {
    build();
    assertThat(resolver.resolve(DB).reveal()).isEqualTo("pw1");
    assertThat(resolver.health().get("fake").status()).isEqualTo(ProviderHealth.Status.OK);
    resolver.close();

    assertThat(catchThrowable(() -> resolver.resolve(DB)))
        .isInstanceOf(IllegalStateException.class);
    assertThat(catchThrowable(() -> resolver.health()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("the secret resolver is closed");
  }

  /**
   * A reference fails during an outage (FAILED, it has nothing to serve); the provider comes back
   * and answers that the secret does not exist. A "not found" is an answer (a fresh resolver
   * reports the same situation OK): the reference is no longer counted as failed through the
   * provider's fault, so a readiness check recovers.
   */
  @Test
  void health_aReferenceThatFailed_thenWasFoundGone_doesNotKeepTheProviderFailed() {
    build();
    fake.remove("db");
    fake.failNext(() -> new ProviderException(DB, Kind.UNAVAILABLE, "down"));
    assertThat(catchThrowable(() -> resolver.resolve(DB))).isInstanceOf(ProviderException.class);
    assertThat(resolver.health().get("fake").status()).isEqualTo(ProviderHealth.Status.FAILED);

    clock.advance(ofSeconds(6)); // past the re-check: the provider is back, and says "not found"
    assertThat(catchThrowable(() -> resolver.resolve(DB)))
        .isInstanceOf(SecretNotFoundException.class);
    // Another reference resolves fine: the provider answers every call.
    fake.put("other", "v");
    assertThat(resolver.resolve("fake:other").reveal()).isEqualTo("v");

    ProviderHealth h = resolver.health().get("fake");
    assertThat(h.lastErrorKind()).contains(Kind.UNAVAILABLE);
    assertThat(h.failedReferences())
        .as("references with nothing to serve *because the provider failed*: %s", h)
        .isZero();
    assertThat(h.status()).as("%s", h).isNotEqualTo(ProviderHealth.Status.FAILED);
  }
}
