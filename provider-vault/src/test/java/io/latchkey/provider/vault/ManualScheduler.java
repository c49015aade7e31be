package io.latchkey.provider.vault;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * A {@link RenewalScheduler} whose due work the test runs by hand, on the thread that calls {@link
 * #runDue()}, after moving the clock: leases pass without a sleep or a thread.
 */
final class ManualScheduler implements RenewalScheduler {
  private final Clock clock;
  private final List<Scheduled> queue = new ArrayList<>();
  private long sequence;
  private boolean closed;

  private final class Scheduled implements Task {
    final Instant due;
    final long order;
    final Runnable work;

    Scheduled(Instant due, long order, Runnable work) {
      this.due = due;
      this.order = order;
      this.work = work;
    }

    @Override
    public void cancel() {
      synchronized (ManualScheduler.this) {
        queue.remove(this);
      }
    }
  }

  ManualScheduler(Clock clock) {
    this.clock = clock;
  }

  @Override
  public synchronized Task schedule(Instant due, Runnable work) {
    if (closed) {
      return () -> {};
    }
    Scheduled task = new Scheduled(due, sequence++, work);
    queue.add(task);
    return task;
  }

  @Override
  public synchronized void close() {
    closed = true;
    queue.clear();
  }

  /**
   * Runs the work that is due by the clock, earliest first, including work that it schedules and
   * that is due too.
   *
   * @return how many ran
   */
  int runDue() {
    int ran = 0;
    while (true) {
      Scheduled next;
      synchronized (this) {
        next =
            queue.stream()
                .filter(t -> !t.due.isAfter(clock.instant()))
                .min(
                    Comparator.<Scheduled, Instant>comparing(t -> t.due)
                        .thenComparing(t -> t.order))
                .orElse(null);
        if (next == null) {
          return ran;
        }
        queue.remove(next);
      }
      next.work.run();
      ran++;
    }
  }

  /** Returns when the earliest work scheduled falls due, if any is. */
  synchronized Optional<Instant> nextDue() {
    return queue.stream().map(t -> t.due).min(Comparator.naturalOrder());
  }

  /** Returns how much work waits. */
  synchronized int scheduled() {
    return queue.size();
  }

  @Override
  public synchronized String toString() {
    return "ManualScheduler[" + queue.size() + " scheduled]";
  }
}
