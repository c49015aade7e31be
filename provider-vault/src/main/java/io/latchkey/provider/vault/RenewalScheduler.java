package io.latchkey.provider.vault;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * Runs the token renewer's work when it falls due on the provider's clock. The provider's own runs
 * it on one daemon thread; tests pass one whose due work they run by hand after moving a clock, so
 * that leases pass without waiting.
 */
interface RenewalScheduler {
  /** Work scheduled and not run yet. */
  interface Task {
    /** Drops the work if it has not started; does nothing otherwise. */
    void cancel();
  }

  /**
   * Runs {@code work} once at {@code due}, or as soon as possible if that has passed.
   *
   * @return the scheduled work, or a task that does nothing once the scheduler is closed
   */
  Task schedule(Instant due, Runnable work);

  /** Drops the work not run yet and stops the scheduler's thread, waiting for it a short while. */
  void close();

  /**
   * The provider's own scheduler: one daemon thread from {@code threads}, started at the first work
   * scheduled, which waits from the clock's present to the due time.
   */
  static RenewalScheduler onThread(Clock clock, ThreadFactory threads) {
    ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, threads);
    executor.setRemoveOnCancelPolicy(true);
    return new RenewalScheduler() {
      @Override
      public Task schedule(Instant due, Runnable work) {
        long delay = Math.max(0, Duration.between(clock.instant(), due).toMillis());
        try {
          ScheduledFuture<?> future = executor.schedule(work, delay, TimeUnit.MILLISECONDS);
          return () -> future.cancel(false);
        } catch (RejectedExecutionException e) {
          // Closed meanwhile.
          return () -> {};
        }
      }

      @Override
      public void close() {
        executor.shutdownNow();
        try {
          executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }

      @Override
      public String toString() {
        return "RenewalScheduler[" + executor.getQueue().size() + " scheduled]";
      }
    };
  }
}
