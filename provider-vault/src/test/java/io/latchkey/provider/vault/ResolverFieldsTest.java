package io.latchkey.provider.vault;

import static io.latchkey.provider.vault.Testing.provider;
import static io.latchkey.provider.vault.Testing.ref;
import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.SecretRef;
import io.latchkey.provider.vault.testing.FakeVault;
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

/** Through core's resolver, the fields of one KV secret share one read per version. */
final class ResolverFieldsTest {
  private static final SecretRef USER = ref("vault:secret/db#user");
  private static final SecretRef PASSWORD = ref("vault:secret/db#password");

  private final FakeVault vault = FakeVault.start();
  private final VaultSecretProvider provider = provider(vault);
  private final MutableClock clock = new MutableClock();

  ResolverFieldsTest() {
    vault.putKv2("secret", "db", Map.of("user", "app", "password", "one"));
  }

  @AfterEach
  void close() {
    provider.close();
    vault.close();
  }

  private SecretResolver resolver() {
    return SecretResolver.builder()
        .provider(provider)
        .clock(clock)
        // The refresh after expiry runs on the reading thread, so that each read sees its outcome.
        .executor(Runnable::run)
        .ttl(Duration.ofMinutes(1))
        .jitter(0)
        .refreshAhead(1)
        .retry(1, Duration.ofMillis(1), Duration.ofMillis(1))
        .build();
  }

  @Test
  void twoFieldsFromManyThreads_oneValueRequest() throws Exception {
    try (SecretResolver resolver = resolver()) {
      List<String> seen = Collections.synchronizedList(new ArrayList<>());
      List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
      CountDownLatch start = new CountDownLatch(1);
      List<Thread> threads = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        SecretRef ref = i % 2 == 0 ? USER : PASSWORD;
        Thread t =
            new Thread(
                () -> {
                  try {
                    start.await();
                    seen.add(ref.field().orElseThrow() + "=" + resolver.resolve(ref).reveal());
                  } catch (Throwable e) {
                    failures.add(e);
                  }
                });
        t.start();
        threads.add(t);
      }
      start.countDown();
      for (Thread t : threads) {
        t.join();
      }

      assertThat(failures).isEmpty();
      assertThat(seen).hasSize(16).containsOnly("user=app", "password=one");
      assertThat(vault.requests("/v1/secret/data/")).isEqualTo(1);
    }
  }

  @Test
  void afterARotation_oneVersionCheckAndOneFetch_serveBothFields() {
    try (SecretResolver resolver = resolver()) {
      assertThat(resolver.resolve(USER).reveal()).isEqualTo("app");
      assertThat(resolver.resolve(PASSWORD).reveal()).isEqualTo("one");
      vault.putKv2("secret", "db", Map.of("user", "app2", "password", "two"));
      long data = vault.requests("/v1/secret/data/");
      long metadata = vault.requests("/v1/secret/metadata/");
      clock.advance(Duration.ofMinutes(2));

      resolver.resolve(USER);
      resolver.resolve(PASSWORD);

      assertThat(resolver.resolve(USER).reveal()).isEqualTo("app2");
      assertThat(resolver.resolve(PASSWORD).reveal()).isEqualTo("two");
      assertThat(vault.requests("/v1/secret/metadata/") - metadata).isEqualTo(1);
      assertThat(vault.requests("/v1/secret/data/") - data).isEqualTo(1);
    }
  }
}
