package io.latchkey.resolver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.latchkey.ConfigException;
import io.latchkey.ProviderException;
import io.latchkey.ProviderException.Kind;
import io.latchkey.SecretNotFoundException;
import io.latchkey.SecretRef;
import io.latchkey.resolver.ChaosProvider.Fault;
import io.latchkey.spi.SecretVersion;
import io.latchkey.testsupport.CapturingSlf4jProvider;
import io.latchkey.testsupport.Leaks;
import io.latchkey.testsupport.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The resolver against a backend that hangs, ignores interrupts, throws, flaps and rotates, with
 * many callers. No test sleeps or reads the wall clock: time is a {@link MutableClock}, and what
 * the resolver did is read from the backend's counters while the backend is held on a latch.
 */
@Timeout(30)
final class ResolverChaosTest {
  private static final SecretRef DB = SecretRef.parse("chaos:db");
  private static final SecretRef USER = SecretRef.parse("chaos:db#user");
  private static final SecretRef PASSWORD = SecretRef.parse("chaos:db#password");
  private static final Duration TTL = Duration.ofSeconds(2);

  private final MutableClock clock = new MutableClock();
  private final ChaosProvider chaos = new ChaosProvider("db", "api");
  private final List<SecretResolver> opened = new ArrayList<>();
  private final List<Thread> started = new CopyOnWriteArrayList<>();
  private Set<Thread> earlier = Set.of();

  @BeforeEach
  void clearLog() {
    CapturingSlf4jProvider.clear();
    // Other test classes' resolvers may leave idle pool threads; only this test's count.
    earlier = Set.copyOf(resolverThreads());
  }

  @AfterEach
  void release() throws InterruptedException {
    chaos.release.countDown();
    chaos.gate.countDown();
    opened.forEach(SecretResolver::close);
    for (Thread t : started) {
      t.join();
    }
  }

  /**
   * The set-up: {@code ttl(2s).maxStale(1m)}, on the resolver's own threads. The time-out
   * is long so that only the latches decide when a call ends; back-off waits are not slept.
   */
  private SecretResolver.Builder pooled() {
    return SecretResolver.builder()
        .provider(chaos)
        .clock(clock)
        .ttl(TTL)
        .maxStale(Duration.ofMinutes(1))
        .jitter(0)
        .timeout(Duration.ofMinutes(1))
        .retry(3, Duration.ofMillis(1), Duration.ofMillis(1))
        .random(() -> 0)
        .sleeper(ms -> {});
  }

  private SecretResolver open(SecretResolver.Builder b) {
    SecretResolver r = b.build();
    opened.add(r);
    return r;
  }

  private Thread start(Runnable r) {
    Thread t = new Thread(r, "chaos-caller");
    started.add(t);
    t.start();
    return t;
  }

  private static void awaitParked(List<Thread> threads) {
    for (Thread t : threads) {
      while (t.isAlive()
          && t.getState() != Thread.State.WAITING
          && t.getState() != Thread.State.TIMED_WAITING) {
        Thread.onSpinWait();
      }
    }
  }

  private static void awaitValue(AtomicInteger counter, int value) {
    while (counter.get() != value) {
      Thread.onSpinWait();
    }
  }

  private List<Thread> resolverThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith("latchkey-resolver-") && t.isAlive())
        .filter(t -> !earlier.contains(t))
        .collect(Collectors.toList());
  }

  private static String log() {
    return CapturingSlf4jProvider.events().stream()
        .map(CapturingSlf4jProvider.Event::message)
        .collect(Collectors.joining("\n"));
  }

  // --- a hung backend holds no caller while a value may be served ---

  @Test
  void hungBackend_afterExpiry_hundredReadersGetTheHeldValueWhileTheCallIsBlocked()
      throws Exception {
    SecretResolver r = open(pooled());
    assertThat(r.resolve(PASSWORD).reveal()).isEqualTo(ChaosProvider.value("db", "password", 1));
    clock.advance(TTL.plusSeconds(1));
    chaos.fault = Fault.HANG;
    int callsBefore = chaos.calls.get();

    List<String> seen = new CopyOnWriteArrayList<>();
    List<Thread> readers = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      readers.add(start(() -> seen.add(r.resolve(PASSWORD).reveal())));
    }
    for (Thread t : readers) {
      t.join();
    }
    awaitValue(chaos.inFlight, 1);

    // Every reader returned while the one refresh is still held inside the backend.
    assertThat(seen).hasSize(100).containsOnly(ChaosProvider.value("db", "password", 1));
    assertThat(chaos.inFlight).hasValue(1);
    assertThat(chaos.calls).hasValue(callsBefore + 1);
  }

  @Test
  void hungBackend_refreshWindow_readerNeverWaits() throws Exception {
    SecretResolver r = open(pooled().refreshAhead(0.5));
    r.resolve(DB);
    r.resolve(PASSWORD);
    clock.advance(Duration.ofSeconds(1));
    chaos.fault = Fault.HANG;
    assertThat(r.resolve(PASSWORD).reveal()).isEqualTo(ChaosProvider.value("db", "password", 1));
    assertThat(r.resolve(DB).reveal()).contains(ChaosProvider.value("db", "user", 1));
    awaitValue(chaos.inFlight, 2); // one refresh for the secret, one for its field
    assertThat(r.resolve(DB).reveal()).contains(ChaosProvider.value("db", "user", 1));
  }

  @Test
  void neverLoaded_fiftyCallers_makeOneRequest_andAllGetItsAnswer() throws Exception {
    SecretResolver r = open(pooled());
    chaos.fault = Fault.GATED;
    List<String> seen = new CopyOnWriteArrayList<>();
    List<Thread> callers = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      callers.add(start(() -> seen.add(r.resolve(DB).reveal())));
    }
    awaitValue(chaos.inFlight, 1);
    awaitParked(callers);
    chaos.gate.countDown();
    for (Thread t : callers) {
      t.join();
    }
    assertThat(seen)
        .hasSize(50)
        .allSatisfy(v -> assertThat(v).contains(ChaosProvider.value("db", "password", 1)));
    assertThat(chaos.calls).hasValue(1);
  }

  // --- the field cache: one fetch per secret and version ---

  @Test
  void fields_fiftyCallersOfTwoFields_shareOneFetch() throws Exception {
    SecretResolver r = open(pooled());
    chaos.fault = Fault.GATED;
    Map<SecretRef, List<String>> seen = new ConcurrentHashMap<>();
    List<Thread> callers = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      SecretRef ref = i % 2 == 0 ? USER : PASSWORD;
      callers.add(
          start(
              () ->
                  seen.computeIfAbsent(ref, k -> new CopyOnWriteArrayList<>())
                      .add(r.resolve(ref).reveal())));
    }
    awaitValue(chaos.inFlight, 1);
    awaitParked(callers);
    chaos.gate.countDown();
    for (Thread t : callers) {
      t.join();
    }
    assertThat(seen.get(USER)).hasSize(25).containsOnly(ChaosProvider.value("db", "user", 1));
    assertThat(seen.get(PASSWORD))
        .hasSize(25)
        .containsOnly(ChaosProvider.value("db", "password", 1));
    assertThat(chaos.calls).hasValue(1);
  }

  @Test
  void fields_afterRotation_oneVersionCheckAndOneFetchServeBoth() {
    SecretResolver r = open(pooled().executor(Runnable::run));
    r.resolve(USER);
    r.resolve(PASSWORD);
    assertThat(chaos.fetches).hasValue(1);
    chaos.rotate("db");
    clock.advance(TTL);
    assertThat(r.resolve(USER).reveal()).isEqualTo(ChaosProvider.value("db", "user", 2));
    assertThat(r.resolve(PASSWORD).reveal()).isEqualTo(ChaosProvider.value("db", "password", 2));
    assertThat(chaos.fetches).hasValue(2);
    assertThat(chaos.calls).hasValue(3); // the first fetch, one version check, one fetch
  }

  @Test
  void fields_providerThatDoesNotExtract_fetchesEachField() {
    chaos.extracts = false;
    SecretResolver r = open(pooled().executor(Runnable::run));
    assertThat(r.resolve(USER).reveal()).isEqualTo(ChaosProvider.value("db", "user", 1));
    assertThat(r.resolve(PASSWORD).reveal()).isEqualTo(ChaosProvider.value("db", "password", 1));
    assertThat(chaos.fetches).hasValue(2);
  }

  @Test
  void fields_missingField_isNotFoundUnderItsOwnName() {
    SecretResolver r = open(pooled().executor(Runnable::run));
    assertThatThrownBy(() -> r.resolve("chaos:db#token"))
        .isInstanceOf(SecretNotFoundException.class)
        .hasMessage("secret chaos:db#token: the secret has no field 'token'");
    assertThatThrownBy(() -> r.resolve("chaos:gone#user"))
        .isInstanceOf(SecretNotFoundException.class)
        .hasMessage("secret chaos:gone#user: no such secret");
  }

  // --- every kind of failure ---

  @Test
  void eachKind_afterExpiry_servesTheHeldValueOnlyWhereTheTableSays() {
    for (Kind kind : Kind.values()) {
      ChaosProvider backend = new ChaosProvider("db");
      SecretResolver r = open(pooled().provider("other", backend).executor(Runnable::run));
      SecretRef ref = SecretRef.parse("other:db#password");
      r.resolve(ref);
      clock.advance(TTL);
      backend.fault = Fault.THROW;
      backend.kind = kind;
      if (kind == Kind.UNSUPPORTED) {
        assertThatThrownBy(() -> r.resolve(ref))
            .as(kind.label())
            .isInstanceOf(ProviderException.class);
      } else {
        assertThat(r.resolve(ref).reveal())
            .as(kind.label())
            .isEqualTo(ChaosProvider.value("db", "password", 1));
        assertThat(r.health().get("other").status()).isEqualTo(ProviderHealth.Status.DEGRADED);
      }
      int attempts =
          kind == Kind.THROTTLED || kind == Kind.UNAVAILABLE || kind == Kind.TIMEOUT ? 3 : 1;
      assertThat(backend.calls).as(kind.label()).hasValue(1 + attempts);
    }
  }

  @Test
  void deletedSecret_afterExpiry_isServedOnlyUntilTheRefreshFindsItGone() {
    SecretResolver r = open(pooled());
    r.resolve(DB);
    clock.advance(TTL.plusSeconds(1));
    chaos.fault = Fault.GATED;
    chaos.delete("db");
    assertThat(r.resolve(DB).reveal())
        .contains(ChaosProvider.value("db", "user", 1)); // the check is held at the gate
    awaitValue(chaos.inFlight, 1);
    chaos.gate.countDown();
    Throwable gone = null;
    while (gone == null) {
      // Each read before the refresh has ended is served the held value; none after it is.
      gone = catchThrowable(() -> r.resolve(DB));
    }
    assertThat(gone)
        .isInstanceOf(SecretNotFoundException.class)
        .hasMessage("secret chaos:db: no such secret");
    // The held check, and at most one more load by the read that found the entry gone.
    assertThat(chaos.calls.get()).isBetween(2, 3);
  }

  // --- recovery ---

  @Test
  void recovery_afterFailed_isLogged_withoutTheValue() {
    SecretResolver r = open(pooled());
    chaos.fault = Fault.THROW;
    chaos.kind = Kind.UNAVAILABLE;
    assertThatThrownBy(() -> r.resolve(PASSWORD)).isInstanceOf(ProviderException.class);
    assertThat(r.health().get("chaos").status()).isEqualTo(ProviderHealth.Status.FAILED);

    chaos.fault = Fault.NONE;
    assertThat(r.resolve(PASSWORD).reveal()).isEqualTo(ChaosProvider.value("db", "password", 1));
    assertThat(r.health().get("chaos").status()).isEqualTo(ProviderHealth.Status.OK);
    assertThat(log()).contains("secret chaos:db#password: provider recovered");
    Leaks.assertNoLeak("resolver log", log(), ChaosProvider.value("db", "password", 1));
  }

  @Test
  void recovery_insideTheStaleWindow_isLoggedOnce() {
    SecretResolver r = open(pooled().executor(Runnable::run));
    r.resolve(PASSWORD);
    clock.advance(TTL);
    chaos.fault = Fault.THROW;
    assertThat(r.resolve(PASSWORD).reveal()).isEqualTo(ChaosProvider.value("db", "password", 1));
    chaos.fault = Fault.NONE;
    clock.advance(Duration.ofSeconds(5));
    r.resolve(PASSWORD);
    r.resolve(PASSWORD);
    assertThat(r.health().get("chaos").status()).isEqualTo(ProviderHealth.Status.OK);
    assertThat(
            CapturingSlf4jProvider.events().stream().filter(e -> e.message().contains("recovered")))
        .hasSize(1);
    Leaks.assertNoLeak("resolver log", log(), ChaosProvider.value("db", "password", 1));
  }

  // --- no wrong value, ever ---

  @Test
  void flappingAndRotating_manyReaders_neverGetAnotherSecretsOrFieldsValue() throws Exception {
    chaos.fault = Fault.FLAP;
    SecretResolver r = open(pooled());
    List<SecretRef> refs =
        List.of(
            USER,
            PASSWORD,
            SecretRef.parse("chaos:api#user"),
            SecretRef.parse("chaos:api#password"),
            DB);
    List<String> wrong = new CopyOnWriteArrayList<>();
    List<Thread> readers = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      readers.add(
          start(
              () -> {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                for (int n = 0; n < 300; n++) {
                  SecretRef ref = refs.get(random.nextInt(refs.size()));
                  if (random.nextInt(20) == 0) {
                    chaos.rotate(ref.path());
                  }
                  if (random.nextInt(10) == 0) {
                    clock.advance(Duration.ofSeconds(1));
                  }
                  try {
                    String value = r.resolve(ref).reveal();
                    String expected =
                        ref.field().isPresent()
                            ? ref.path() + "." + ref.field().get().charAt(0) + ".v"
                            : "{\"user\":\"" + ref.path() + ".u.v";
                    if (!value.startsWith(expected)) {
                      wrong.add(ref.toString());
                    }
                  } catch (ProviderException e) {
                    // A first load may fail on a flapping backend; a wrong value may not be served.
                  }
                }
              }));
    }
    for (Thread t : readers) {
      t.join();
    }
    assertThat(wrong).isEmpty();
  }

  // --- time-outs passed down, and closing ---

  @Test
  void attemptTimeout_isToldToTheProvider_whenTheResolverIsBuilt() {
    open(pooled().timeout(Duration.ofSeconds(3)));
    assertThat(chaos.attemptTimeouts).containsExactly(Duration.ofSeconds(3));
  }

  @Test
  void close_duringAHangUntilInterrupted_releasesTheCaller_andLeavesNoThread() throws Exception {
    SecretResolver r = pooled().build();
    chaos.fault = Fault.HANG;
    List<Throwable> failures = new CopyOnWriteArrayList<>();
    Thread caller = start(() -> failures.add(catchThrowable(() -> r.resolve(DB))));
    awaitValue(chaos.inFlight, 1);
    assertThat(resolverThreads()).isNotEmpty();

    r.close();
    caller.join();
    for (Thread t : resolverThreads()) {
      t.join();
    }
    assertThat(resolverThreads()).isEmpty();
    assertThat(failures).hasSize(1);
    assertThat(failures.get(0))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("the secret resolver is closed");
    assertThat(chaos.inFlight).hasValue(0);
  }

  @Test
  void close_duringAHangIgnoringInterrupts_returns_leavingOnlyADaemonUntilTheBackendLetsGo()
      throws Exception {
    // close() waits for at most the per-attempt time-out; a short one keeps this test fast.
    SecretResolver r =
        pooled()
            .timeout(Duration.ofMillis(50))
            .retry(1, Duration.ofMillis(1), Duration.ofMillis(1))
            .build();
    chaos.fault = Fault.HANG_IGNORING_INTERRUPTS;
    List<Throwable> failures = new CopyOnWriteArrayList<>();
    Thread caller = start(() -> failures.add(catchThrowable(() -> r.resolve(DB))));
    awaitValue(chaos.inFlight, 1);

    r.close();
    caller.join();
    // A time-out if the attempt's 50 ms ran out first; else the close.
    assertThat(failures).singleElement().isInstanceOf(RuntimeException.class);
    List<Thread> stuck = resolverThreads();
    assertThat(stuck).isNotEmpty().allSatisfy(t -> assertThat(t.isDaemon()).isTrue());
    assertThat(log()).contains("ignored interruption");

    chaos.release.countDown();
    for (Thread t : stuck) {
      t.join();
    }
    assertThat(resolverThreads()).isEmpty();
  }

  @Test
  void close_duringAHungBatchPrefetch_releasesTheCaller() throws Exception {
    ChaosProvider batching =
        new ChaosProvider("a", "b") {
          @Override
          public Map<SecretRef, SecretVersion> fetchAll(Collection<SecretRef> refs) {
            return fetchAllHanging(refs);
          }
        };
    SecretResolver r =
        SecretResolver.builder().provider("batch", batching).timeout(Duration.ofMinutes(1)).build();
    List<Throwable> failures = new CopyOnWriteArrayList<>();
    Thread caller =
        start(
            () ->
                failures.add(
                    catchThrowable(
                        () ->
                            r.prefetch(
                                List.of(SecretRef.parse("batch:a"), SecretRef.parse("batch:b"))))));
    awaitValue(batching.inFlight, 1);
    r.close();
    caller.join();
    // Refused at once, or, if the one-by-one loads had started, each one's interruption listed.
    assertThat(failures).hasSize(1);
    assertThat(failures.get(0)).isInstanceOfAny(IllegalStateException.class, ConfigException.class);
    for (Thread t : resolverThreads()) {
      t.join();
    }
    assertThat(resolverThreads()).isEmpty();
  }

  @Test
  void close_withASuppliedExecutor_cancelsTheAttemptUnderWay() throws Exception {
    Executor own = command -> start(command);
    SecretResolver r = pooled().executor(own).build();
    chaos.fault = Fault.HANG;
    List<Throwable> failures = new CopyOnWriteArrayList<>();
    Thread caller = start(() -> failures.add(catchThrowable(() -> r.resolve(DB))));
    awaitValue(chaos.inFlight, 1);
    r.close();
    caller.join();
    assertThat(failures).hasSize(1);
    assertThat(failures.get(0))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("the secret resolver is closed");
  }
}
