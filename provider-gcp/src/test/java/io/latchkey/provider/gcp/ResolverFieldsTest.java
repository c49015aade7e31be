package io.latchkey.provider.gcp;

import static io.latchkey.provider.gcp.Testing.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.SecretRef;
import io.latchkey.provider.gcp.testing.FakeSecretManager;
import io.latchkey.resolver.SecretResolver;
import io.latchkey.testsupport.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Through core's resolver, the fields of one secret share one access per version. */
final class ResolverFieldsTest {
  private static final SecretRef USER = SecretRef.parse("gcp:db#user");
  private static final SecretRef PASSWORD = SecretRef.parse("gcp:db#password");

  private final FakeSecretManager gcp = FakeSecretManager.start();
  private final GcpSecretProvider provider = GcpSecretProvider.fromEnvironment(gcp.environment());
  private final MutableClock clock = new MutableClock();

  ResolverFieldsTest() {
    gcp.addVersion("db", utf8("{\"user\":\"app\",\"password\":\"one\"}"));
  }

  @AfterEach
  void close() {
    provider.close();
    gcp.close();
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
      assertThat(gcp.requests("AccessSecretVersion")).isEqualTo(1);
    }
  }

  @Test
  void afterARotation_oneVersionCheckAndOneFetch_serveBothFields() {
    try (SecretResolver resolver = resolver()) {
      assertThat(resolver.resolve(USER).reveal()).isEqualTo("app");
      assertThat(resolver.resolve(PASSWORD).reveal()).isEqualTo("one");
      gcp.addVersion("db", utf8("{\"user\":\"app2\",\"password\":\"two\"}"));
      long data = gcp.requests("AccessSecretVersion");
      long metadata = gcp.requests("GetSecretVersion");
      clock.advance(Duration.ofMinutes(2));

      resolver.resolve(USER);
      resolver.resolve(PASSWORD);

      assertThat(resolver.resolve(USER).reveal()).isEqualTo("app2");
      assertThat(resolver.resolve(PASSWORD).reveal()).isEqualTo("two");
      assertThat(gcp.requests("GetSecretVersion") - metadata).isEqualTo(1);
      assertThat(gcp.requests("AccessSecretVersion") - data).isEqualTo(1);
    }
  }
}
