package io.latchkey.resolver;

import java.time.Clock;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Marks each cached entry {@linkplain Entry#markDue() due} when its refresh time comes, so that the
 * read of an entry that is not due costs a map look-up and a copy, and no clock read.
 *
 * <p>The timer can only be late, never early in effect: an entry it marks early is checked against
 * the clock by the read that sees the mark. Late, it lets reads serve the value held past its
 * refresh time, without starting the refresh, for as long as it is late (normally well under a
 * millisecond; longer only when the whole process is starved, when every deadline is late too). The
 * expiry and the stale deadline are always checked against the clock, since only an entry that is
 * due reaches those checks.
 */
interface RefreshTimer {
  /**
   * Runs a task after a delay.
   *
   * @param task marks one entry due
   * @param delayMillis how long from now; zero or less runs it at once
   */
  void schedule(Runnable task, long delayMillis);

  /** Drops every task not yet run and stops the timer's thread. */
  void close();

  /**
   * The timer a resolver uses: the one given (by tests), a daemon timer with the system clock, or
   * none with a clock of the caller's own, which every read then reads instead.
   */
  static RefreshTimer forClock(RefreshTimer given, Clock clock) {
    if (given != null) {
      return given;
    }
    // Clock.systemUTC() and systemDefaultZone() are one class, whose millis() is the system time.
    return clock.getClass() == Clock.systemUTC().getClass() ? daemon() : null;
  }

  /** A timer on one daemon thread, {@code latchkey-resolver-timer}, started at the first task. */
  static RefreshTimer daemon() {
    ScheduledThreadPoolExecutor timer =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "latchkey-resolver-timer");
              t.setDaemon(true);
              return t;
            });
    timer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    return new RefreshTimer() {
      @Override
      public void schedule(Runnable task, long delayMillis) {
        if (delayMillis <= 0) {
          task.run();
        } else {
          try {
            var unused = timer.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
          } catch (RejectedExecutionException e) {
            // Closed: nothing reads the entry any more.
          }
        }
      }

      @Override
      public void close() {
        timer.shutdownNow();
        try {
          // Its tasks only set a flag: the thread ends at once.
          timer.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    };
  }
}
