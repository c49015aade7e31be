package io.latchkey.resolver;

import static java.time.Duration.ofMillis;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.latchkey.ProviderException;
import io.latchkey.SecretRef;
import io.latchkey.testsupport.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The read of a fresh value reads no clock: a timer marks each entry due at its refresh time. Here
 * the timer is a hand-run one, so each test decides when the timer is on time and when it is late.
 */
final class RefreshTimerTest {
  private static final SecretRef DB = SecretRef.parse("fake:db");

  private final MutableClock clock = new MutableClock();
  private final FakeProvider fake = new FakeProvider("fake").put("db", "pw1");
  private final ManualTimer timer = new ManualTimer();
  private final SecretResolver resolver = build();

  private SecretResolver build() {
    SecretResolver.Builder b = SecretResolver.builder();
    b.timer = timer;
    return b.provider(fake)
        .clock(clock)
        .executor(Runnable::run)
        .ttl(ofSeconds(100))
        .jitter(0)
        .refreshAhead(0.5)
        .maxStale(ofSeconds(60))
        .retry(1, ofMillis(1), ofMillis(1))
        .build();
  }

  @AfterEach
  void close() {
    resolver.close();
  }

  @Test
  void eachStoredEntry_isMarkedDueAtItsRefreshTime() {
    assertThat(resolver.resolve(DB).reveal()).isEqualTo("pw1");
    assertThat(timer.delays).containsExactly(50_000L);

    clock.advance(ofSeconds(50));
    timer.runAll();
    assertThat(resolver.resolve(DB).reveal()).isEqualTo("pw1");
    // Refreshed by that read (a version check: unchanged), and timed from the clock's time then.
    assertThat(calls()).isEqualTo(2);
    assertThat(timer.delays).containsExactly(50_000L, 50_000L);
  }

  @Test
  void beforeTheTimerRuns_readsServeTheValueHeld_withoutReadingTheClock() {
    resolver.resolve(DB);
    fake.put("db", "pw2");
    clock.advance(ofSeconds(70)); // past the refresh time; the timer is late

    for (int i = 0; i < 5; i++) {
      assertThat(resolver.resolve(DB).reveal()).isEqualTo("pw1");
    }
    assertThat(calls()).isEqualTo(1);

    timer.runAll();
    // The read that sees the mark gets the value held and starts the refresh, which its direct
    // executor has ended by the time it returns.
    assertThat(resolver.resolve(DB).reveal()).isEqualTo("pw1");
    assertThat(calls()).isEqualTo(3); // the version check, then the fetch of the new version
    assertThat(resolver.resolve(DB).reveal()).isEqualTo("pw2");
    assertThat(calls()).isEqualTo(3);
  }

  @Test
  void aHandle_readsByTheSameMark() {
    SecretHandle handle = resolver.handle(DB);
    assertThat(handle.get().reveal()).isEqualTo("pw1");
    fake.put("db", "pw2");
    clock.advance(ofSeconds(70));
    assertThat(handle.get().reveal()).isEqualTo("pw1");
    assertThat(calls()).isEqualTo(1);

    timer.runAll();
    handle.get(); // sees the mark: refreshed, by the direct executor, before it returns
    assertThat(handle.get().reveal()).isEqualTo("pw2");
    assertThat(calls()).isEqualTo(3);
  }

  @Test
  void aMarkSeenBeforeTheRefreshTime_isCheckedAgainstTheClock() {
    resolver.resolve(DB);
    timer.runAll(); // early, as a wall clock stepped back would make it

    assertThat(resolver.resolve(DB).reveal()).isEqualTo("pw1");
    assertThat(calls()).isEqualTo(1);
  }

  @Test
  void expiryAndTheStaleDeadline_areCheckedAgainstTheClock() {
    resolver.resolve(DB);
    fake.failNext(() -> new ProviderException(DB, ProviderException.Kind.UNAVAILABLE, "down"));
    clock.advance(Duration.ofSeconds(100 + 61)); // past expiry and maxStale
    timer.runAll();

    ProviderException e = catchThrowableOfType(ProviderException.class, () -> resolver.resolve(DB));
    assertThat(e.kind()).isEqualTo(ProviderException.Kind.UNAVAILABLE);
  }

  @Test
  void theSystemClock_getsADaemonTimerThread_thatCloseEnds() throws Exception {
    FakeProvider other = new FakeProvider("fake").put("db", "pw1");
    SecretResolver r = SecretResolver.builder().provider(other).ttl(Duration.ofHours(1)).build();
    r.resolve(DB);
    Thread thread = timerThread();
    assertThat(thread).isNotNull();
    assertThat(thread.isDaemon()).isTrue();
    for (int i = 0; i < 1_000; i++) {
      r.resolve(DB);
    }
    assertThat(other.fetches).hasValue(1);

    r.close();
    thread.join(10_000);
    assertThat(thread.isAlive()).isFalse();
  }

  private int calls() {
    return fake.fetches.get() + fake.versionChecks.get();
  }

  private static Thread timerThread() {
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().equals("latchkey-resolver-timer") && t.isAlive()) {
        return t;
      }
    }
    return null;
  }

  /** Keeps each task with its delay, and runs them only when told. */
  private static final class ManualTimer implements RefreshTimer {
    final List<Long> delays = new ArrayList<>();
    final List<Runnable> tasks = new ArrayList<>();

    @Override
    public synchronized void schedule(Runnable task, long delayMillis) {
      delays.add(delayMillis);
      tasks.add(task);
    }

    synchronized void runAll() {
      List<Runnable> due = new ArrayList<>(tasks);
      tasks.clear();
      due.forEach(Runnable::run);
    }

    @Override
    public void close() {}
  }
}
