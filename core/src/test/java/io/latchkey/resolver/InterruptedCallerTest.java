package io.latchkey.resolver;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.SecretRef;
import io.latchkey.testsupport.MutableClock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * One caller's interruption is its own business: another caller waiting on the same single-flight
 * load must not fail because of it, and the provider's health must not turn FAILED when the
 * provider never failed.
 */
final class InterruptedCallerTest {
  private static final SecretRef DB = SecretRef.parse("fake:db");

  private final MutableClock clock = new MutableClock();
  private final FakeProvider fake = new FakeProvider("fake").put("db", "pw1");
  private SecretResolver resolver;

  @AfterEach
  void close() {
    CountDownLatch g = fake.gate;
    if (g != null) {
      g.countDown();
    }
    if (resolver != null) {
      resolver.close();
    }
  }

  private SecretResolver open() {
    resolver =
        SecretResolver.builder()
            .provider(fake)
            .clock(clock)
            .timeout(Duration.ofMinutes(10))
            .retry(1, Duration.ofMillis(1), Duration.ofMillis(1))
            .build();
    return resolver;
  }

  /** Waits until the thread is parked waiting for a load under way (another caller's). */
  private static void awaitWaitingForTheLoad(Thread t) {
    while (!(t.getState() == Thread.State.WAITING && waitsForAFlight(t.getStackTrace()))) {
      if (!t.isAlive()) {
        throw new AssertionError("thread ended before it waited for the load");
      }
      Thread.onSpinWait();
    }
  }

  private static boolean waitsForAFlight(StackTraceElement[] stack) {
    boolean joining = false;
    for (StackTraceElement frame : stack) {
      if (frame.getClassName().equals("java.util.concurrent.CompletableFuture")) {
        joining = true;
      } else if (joining && frame.getClassName().equals(SingleFlight.class.getName())) {
        return true;
      }
    }
    return false;
  }

  @Test
  @Timeout(60)
  void interruptingTheLeadingCaller_doesNotFailAnotherCallerWaitingOnTheSameLoad()
      throws Exception {
    SecretResolver r = open();
    CountDownLatch gate = new CountDownLatch(1);
    CountDownLatch entered = new CountDownLatch(1);
    fake.gate = gate;
    fake.entered = entered;

    AtomicReference<Throwable> leaderOutcome = new AtomicReference<>();
    Thread leader =
        new Thread(
            () -> {
              try {
                r.resolve(DB);
              } catch (Throwable t) {
                leaderOutcome.set(t);
              }
            },
            "leader");
    leader.start();
    entered.await(); // the one fetch is under way, on the resolver's pool

    AtomicReference<String> followerValue = new AtomicReference<>();
    AtomicReference<Throwable> followerFailure = new AtomicReference<>();
    Thread follower =
        new Thread(
            () -> {
              try {
                followerValue.set(r.resolve(DB).reveal());
              } catch (Throwable t) {
                followerFailure.set(t);
              }
            },
            "follower");
    follower.start();
    awaitWaitingForTheLoad(follower); // the leader's load, not a load of its own
    assertThat(fake.fetches).hasValue(1);

    // The leader's caller gives up (a cancelled request, a shutdown of the caller's own pool).
    leader.interrupt();
    leader.join();
    // The backend answers normally.
    gate.countDown();
    follower.join();

    assertThat(followerFailure.get())
        .as("the follower was never interrupted and the backend never failed")
        .isNull();
    assertThat(followerValue.get()).isEqualTo("pw1");
    // The interrupted load and the follower's own, after it.
    assertThat(fake.fetches).hasValue(2);
  }

  @Test
  @Timeout(60)
  void interruptingACaller_doesNotMarkTheProviderFailed() throws Exception {
    SecretResolver r = open();
    CountDownLatch gate = new CountDownLatch(1);
    CountDownLatch entered = new CountDownLatch(1);
    fake.gate = gate;
    fake.entered = entered;

    Thread caller =
        new Thread(
            () -> {
              try {
                r.resolve(DB);
              } catch (RuntimeException expected) {
                // interrupted: the caller's own choice
              }
            },
            "caller");
    caller.start();
    entered.await();
    caller.interrupt();
    caller.join();

    // The provider never answered with a failure: a readiness probe must not call it FAILED.
    assertThat(r.health().get("fake").status())
        .as("health after a caller's interruption, the provider having failed nothing")
        .isNotEqualTo(ProviderHealth.Status.FAILED);
  }
}
