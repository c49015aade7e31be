package io.latchkey.provider.vault;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Makes the provider's named daemon threads and remembers them, so that {@code close()} can join
 * them: an executor reports termination a moment before its last thread has ended, and a caller
 * that checks "no thread of mine is alive" right after {@code close()} must not see one.
 */
final class DaemonThreads implements ThreadFactory {
  private final String prefix;
  private final boolean numbered;
  private final AtomicInteger count = new AtomicInteger();
  private final Set<Thread> threads = ConcurrentHashMap.newKeySet();

  /**
   * @param name the thread name, or its prefix when numbered ({@code latchkey-vault-http-1})
   * @param numbered whether to append a counter
   */
  DaemonThreads(String name, boolean numbered) {
    this.prefix = name;
    this.numbered = numbered;
  }

  @Override
  public Thread newThread(Runnable r) {
    // Idle pool threads end after a while; forget them so the set stays small.
    threads.removeIf(t -> !t.isAlive() && t.getState() == Thread.State.TERMINATED);
    Thread t = new Thread(r, numbered ? prefix + count.incrementAndGet() : prefix);
    t.setDaemon(true);
    threads.add(t);
    return t;
  }

  /** Waits for every thread made here to end, for at most {@code limit} in all. */
  void join(Duration limit) {
    long end = System.nanoTime() + limit.toNanos();
    for (Thread t : threads) {
      long left = end - System.nanoTime();
      if (left <= 0) {
        return;
      }
      try {
        t.join(Math.max(1, left / 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  @Override
  public String toString() {
    return "DaemonThreads[" + prefix + "]";
  }
}
