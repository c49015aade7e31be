package io.latchkey.provider.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.latchkey.ConfigException;
import io.latchkey.ProviderException;
import io.latchkey.SecretRef;
import io.latchkey.provider.aws.testing.FakeSecretsManager;
import io.latchkey.provider.aws.testing.FakeSecretsManager.Fault;
import io.latchkey.resolver.ProviderHealth;
import io.latchkey.resolver.SecretResolver;
import io.latchkey.testsupport.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The provider under core's {@link SecretResolver}: stale values while the backend fails, the
 * resolver's retries on top of the provider's single attempt, and prefetch through the batch.
 */
final class ResolverIntegrationTest {
  private final FakeSecretsManager fake = FakeSecretsManager.start();
  private final AwsSecretProvider provider;
  private final MutableClock clock = new MutableClock();
  private final SecretRef ref = SecretRef.parse("aws:prod/db#password");

  ResolverIntegrationTest() {
    Map<String, String> env = fake.environment();
    env.put("LATCHKEY_AWS_TIMEOUT", "300ms");
    provider = AwsSecretProvider.fromEnvironment(env);
    fake.putSecretString("prod/db", "{\"password\":\"one\"}");
  }

  @AfterEach
  void close() {
    provider.close();
    fake.close();
  }

  private SecretResolver.Builder resolver() {
    return SecretResolver.builder()
        .provider(provider)
        .clock(clock)
        // A read after expiry no longer waits for the refresh; run it on the reading thread so
        // that each read sees its outcome. A hung backend is then bounded by the provider's own
        // time-out (LATCHKEY_AWS_TIMEOUT).
        .executor(Runnable::run)
        .ttl(Duration.ofMinutes(1))
        .maxStale(Duration.ofMinutes(10))
        .jitter(0)
        .refreshAhead(1)
        .retry(1, Duration.ofMillis(1), Duration.ofMillis(1));
  }

  @Test
  void whenTheBackendFails_theHeldValueIsServedStale_untilMaxStale() {
    try (SecretResolver resolver = resolver().build()) {
      assertThat(resolver.resolve(ref).reveal()).isEqualTo("one");
      fake.fail(Fault.INTERNAL_ERROR);
      clock.advance(Duration.ofMinutes(2));

      assertThat(resolver.resolve(ref).reveal()).isEqualTo("one");
      ProviderHealth health = resolver.health().get("aws");
      assertThat(health.staleReferences()).isEqualTo(1);
      assertThat(health.lastErrorKind()).contains(ProviderException.Kind.UNAVAILABLE);

      clock.advance(Duration.ofMinutes(10));
      ProviderException e =
          catchThrowableOfType(ProviderException.class, () -> resolver.resolve(ref));
      assertThat(e.kind()).isEqualTo(ProviderException.Kind.UNAVAILABLE);

      fake.clearFailures();
      clock.advance(Duration.ofSeconds(10));
      assertThat(resolver.resolve(ref).reveal()).isEqualTo("one");
    }
  }

  @Test
  void aHungBackend_isATimeout_andTheHeldValueIsServedStale() {
    try (SecretResolver resolver = resolver().timeout(Duration.ofSeconds(2)).build()) {
      assertThat(resolver.resolve(ref).reveal()).isEqualTo("one");
      fake.fail(Fault.HANG);
      clock.advance(Duration.ofMinutes(2));

      assertThat(resolver.resolve(ref).reveal()).isEqualTo("one");
      ProviderHealth health = resolver.health().get("aws");
      assertThat(health.status()).isEqualTo(ProviderHealth.Status.DEGRADED);
      assertThat(health.lastErrorKind()).contains(ProviderException.Kind.TIMEOUT);
    }
  }

  @Test
  void throttling_isRetriedByTheResolver_eachAttemptBeingOneCall() {
    try (SecretResolver resolver =
        resolver().retry(3, Duration.ofMillis(1), Duration.ofMillis(2)).build()) {
      fake.fail(Fault.THROTTLING, 2);

      assertThat(resolver.resolve(ref).reveal()).isEqualTo("one");
      assertThat(fake.requests("GetSecretValue")).isEqualTo(3);
    }
  }

  @Test
  void throttlingStorm_manyCallersOneReference_sendOneCallPerAttempt_andAllGetThrottled()
      throws Exception {
    fake.fail(Fault.THROTTLING);
    int callers = 40;
    try (SecretResolver resolver =
        resolver().retry(3, Duration.ofMillis(20), Duration.ofMillis(40)).build()) {
      List<Thread> threads = new ArrayList<>();
      List<Throwable> outcomes = Collections.synchronizedList(new ArrayList<>());
      CountDownLatch start = new CountDownLatch(1);
      for (int i = 0; i < callers; i++) {
        Thread t =
            new Thread(
                () -> {
                  try {
                    start.await();
                    resolver.resolve(ref);
                    outcomes.add(null);
                  } catch (Throwable e) {
                    outcomes.add(e);
                  }
                });
        t.start();
        threads.add(t);
      }
      start.countDown();
      for (Thread t : threads) {
        t.join(10_000);
      }

      assertThat(outcomes).hasSize(callers);
      assertThat(outcomes)
          .allSatisfy(
              e ->
                  assertThat(e)
                      .isInstanceOfSatisfying(
                          ProviderException.class,
                          p -> assertThat(p.kind()).isEqualTo(ProviderException.Kind.THROTTLED)));
      // Callers that arrive while a load runs share it; a later wave may start one more.
      assertThat(fake.requests("GetSecretValue")).isBetween(3L, 9L);
      assertThat(resolver.health().get("aws").status()).isEqualTo(ProviderHealth.Status.FAILED);
    }
  }

  @Test
  void prefetch_usesTheBatch_thenReportsEachFailurePrecisely() {
    List<SecretRef> refs = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      fake.putSecretString("app/" + i, "{\"k\":\"v" + i + "\"}");
      refs.add(SecretRef.parse("aws:app/" + i + "#k"));
    }
    refs.add(SecretRef.parse("aws:app/missing#k"));
    refs.add(SecretRef.parse("aws:app/0#nope"));
    try (SecretResolver resolver = resolver().build()) {
      ConfigException e =
          catchThrowableOfType(ConfigException.class, () -> resolver.prefetch(refs));

      assertThat(e.problems())
          .extracting(ConfigException.Problem::toString)
          .containsExactly(
              "aws:app/missing#k: no such secret (ResourceNotFoundException, HTTP 400)",
              "aws:app/0#nope: no field 'nope'");
      assertThat(fake.requests("BatchGetSecretValue")).isEqualTo(2);
      assertThat(fake.requests("GetSecretValue")).isEqualTo(2);
      assertThat(resolver.resolve(refs.get(24)).reveal()).isEqualTo("v24");
      assertThat(fake.requests("GetSecretValue")).isEqualTo(2);
    }
  }
}
