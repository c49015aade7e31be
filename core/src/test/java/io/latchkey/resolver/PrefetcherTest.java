package io.latchkey.resolver;

import static java.time.Duration.ofMillis;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.latchkey.ConfigException;
import io.latchkey.ProviderException;
import io.latchkey.ProviderException.Kind;
import io.latchkey.SecretRef;
import io.latchkey.testsupport.CapturingSlf4jProvider;
import io.latchkey.testsupport.Leaks;
import io.latchkey.testsupport.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What {@link SecretResolver#prefetch} reports: a failure for every reference it could not load
 * fresh, a value served stale included; and how a batch call's values meet a load under way.
 */
final class PrefetcherTest {
  private static final Duration TTL = ofSeconds(100);
  private static final SecretRef DB = SecretRef.parse("fake:db");
  private static final SecretRef OTHER = SecretRef.parse("fake:other");

  private final MutableClock clock = new MutableClock();
  private final FakeProvider fake = new FakeProvider("fake").put("db", "pw1").put("other", "o1");
  private final List<SecretResolver> opened = new ArrayList<>();

  @BeforeEach
  void clearLog() {
    CapturingSlf4jProvider.clear();
  }

  @AfterEach
  void closeAll() {
    opened.forEach(SecretResolver::close);
  }

  private SecretResolver open(Executor executor) {
    SecretResolver r =
        SecretResolver.builder()
            .provider(fake)
            .clock(clock)
            .executor(executor)
            .ttl(TTL)
            .jitter(0)
            .refreshAhead(0.5)
            .maxStale(Duration.ofMinutes(10))
            .failureRecheck(ofSeconds(5))
            .retry(1, ofMillis(100), ofMillis(1000))
            .random(() -> 0.5)
            .sleeper(ms -> {})
            .build();
    opened.add(r);
    return r;
  }

  private int calls() {
    return fake.versionChecks.get() + fake.fetches.get();
  }

  @Test
  void prefetch_ofAReferenceServedStale_asksAgain_andReportsTheOutage() {
    SecretResolver r = open(Runnable::run);
    r.resolve(DB);
    clock.advance(TTL.plusSeconds(1)); // expired, within maxStale
    for (int i = 0; i < 10; i++) {
      fake.failNext(() -> new ProviderException(DB, Kind.UNAVAILABLE, "down"));
    }
    r.resolve(DB); // the background refresh (direct executor) fails: the value is served stale
    assertThat(r.health().get("fake").staleReferences()).isEqualTo(1);
    int before = calls();

    ConfigException e = catchThrowableOfType(ConfigException.class, () -> r.prefetch(List.of(DB)));

    assertThat(calls()).as("calls made by prefetch").isEqualTo(before + 1);
    assertThat(e.problems())
        .extracting(Object::toString)
        .containsExactly(
            "fake:db: unavailable: the provider failed; the value held is served stale");
    // A caller that retries a start-up blip decides from the suppressed exceptions.
    assertThat(e.getSuppressed())
        .singleElement()
        .isInstanceOfSatisfying(
            ProviderException.class,
            p -> {
              assertThat(p.ref()).isEqualTo(DB);
              assertThat(p.isRetryable()).isTrue();
            });
  }

  @Test
  void prefetch_ofAReferenceServedStale_afterRecovery_succeeds_andServesFresh() {
    SecretResolver r = open(Runnable::run);
    r.resolve(DB);
    clock.advance(TTL.plusSeconds(1));
    fake.failNext(() -> new ProviderException(DB, Kind.UNAVAILABLE, "down"));
    r.resolve(DB);
    assertThat(r.health().get("fake").status()).isEqualTo(ProviderHealth.Status.DEGRADED);

    r.prefetch(List.of(DB));

    assertThat(r.health().get("fake").status()).isEqualTo(ProviderHealth.Status.OK);
    assertThat(r.health().get("fake").staleReferences()).isZero();
  }

  @Test
  void prefetch_ofAReferenceFresh_isSkipped_andOfOneDueForRefresh_isLoaded() {
    SecretResolver r = open(Runnable::run);
    r.resolve(DB);
    int before = calls();
    r.prefetch(List.of(DB));
    assertThat(calls()).as("fresh: not asked again").isEqualTo(before);

    clock.advance(ofSeconds(50)); // the refresh time
    r.prefetch(List.of(DB));
    assertThat(calls()).as("due: re-checked").isEqualTo(before + 1);
  }

  @Test
  void prefetch_providerWhoseExtractsFieldsThrows_problemNamesTheClassOnly() {
    String canary = "CANARY-prefetch-31c9-hunter2";
    FakeProvider extracting =
        new FakeProvider("odd") {
          @Override
          public boolean extractsFields() {
            throw new IllegalStateException("no fields in " + canary);
          }
        };
    extracting.put("db", "{\"password\":\"p\"}");
    SecretRef field = SecretRef.parse("odd:db#password");
    SecretResolver r =
        SecretResolver.builder().provider(extracting).clock(clock).executor(Runnable::run).build();
    opened.add(r);

    Throwable resolved = catchThrowable(() -> r.resolve(field));
    ConfigException prefetched =
        catchThrowableOfType(ConfigException.class, () -> r.prefetch(List.of(field)));

    assertThat(resolved)
        .isInstanceOf(ProviderException.class)
        .hasMessage(
            "secret odd:db#password: other: the provider failed with"
                + " java.lang.IllegalStateException");
    assertThat(prefetched.problems())
        .extracting(Object::toString)
        .containsExactly(
            "odd:db#password: other: the provider failed with java.lang.IllegalStateException");
    Leaks.assertNoLeak(resolved, canary);
    Leaks.assertNoLeak(prefetched, canary);
    for (CapturingSlf4jProvider.Event e : CapturingSlf4jProvider.allEvents()) {
      Leaks.assertNoLeak("log line", e.message(), canary);
    }
  }

  /**
   * A batch call's value for a reference whose refresh is under way: the refresh stores what it
   * finds, and the listeners hear of the rotation once. The interleaving is forced with latches in
   * the provider and the executor: the refresh holds inside the provider until the prefetch has
   * either finished (the batch stored its value beside the refresh) or gone on to wait for that
   * refresh.
   */
  @Test
  void prefetch_batchDuringARefreshOfTheSameReference_tellsTheListenersOnce() throws Exception {
    AtomicReference<Thread> prefetcher = new AtomicReference<>();
    AtomicInteger prefetcherTasks = new AtomicInteger();
    CountDownLatch prefetchWaitsOrEnded = new CountDownLatch(1);
    Executor executor =
        command -> {
          // The prefetcher's first task is its batch call; a second is a load one by one.
          if (Thread.currentThread() == prefetcher.get()
              && prefetcherTasks.incrementAndGet() == 2) {
            prefetchWaitsOrEnded.countDown();
          }
          command.run();
        };
    SecretResolver r = open(executor);
    fake.batch = true;
    r.resolve(DB);
    r.resolve(OTHER);
    List<String> told = new ArrayList<>();
    r.addListener(DB, (ref, before, after) -> told.add(before + " -> " + after));
    fake.put("db", "pw2");
    clock.advance(ofSeconds(60)); // due for refresh, not expired

    CountDownLatch gate = new CountDownLatch(1);
    fake.entered = new CountDownLatch(1);
    fake.gate = gate;
    Thread reader = new Thread(() -> r.resolve(DB), "reader"); // refreshes on its own thread
    reader.start();
    fake.entered.await(); // the refresh is inside the provider

    List<Throwable> prefetchFailure = new ArrayList<>();
    Thread prefetch =
        new Thread(
            () -> {
              try {
                r.prefetch(List.of(DB, OTHER)); // the batch call does not pass the gate
              } catch (Throwable t) {
                prefetchFailure.add(t);
              } finally {
                prefetchWaitsOrEnded.countDown();
              }
            },
            "prefetcher");
    prefetcher.set(prefetch);
    prefetch.start();
    prefetchWaitsOrEnded.await();

    gate.countDown();
    reader.join();
    prefetch.join();

    assertThat(prefetchFailure).isEmpty();
    assertThat(told).containsExactly("Optional[v1] -> Optional[v2]");
    assertThat(r.resolve(DB).reveal()).isEqualTo("pw2");
    assertThat(fake.batches).hasValue(1);
  }
}
