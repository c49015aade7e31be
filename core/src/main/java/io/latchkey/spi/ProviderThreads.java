package io.latchkey.spi;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Makes a provider's named daemon threads and remembers them, so that the provider's {@code
 * close()} can join them: an executor reports termination a moment before its last thread has
 * ended, and a caller that checks "no thread of this provider is alive" right after {@code close()}
 * must not see one.
 *
 * @since 0.1
 */
public final class ProviderThreads implements ThreadFactory {
  private final String prefix;
  private final AtomicInteger count = new AtomicInteger();
  private final Set<Thread> threads = ConcurrentHashMap.newKeySet();

  /**
   * Creates a factory of threads named after a prefix and a count from 1 ({@code
   * latchkey-vault-http-1}, {@code latchkey-vault-http-2}, and so on).
   *
   * @param prefix the names' prefix, such as {@code latchkey-vault-http-}
   */
  public ProviderThreads(String prefix) {
    this.prefix = requireNonNull(prefix, "prefix");
  }

  /**
   * Makes a daemon thread and remembers it until it has ended.
   *
   * @param r what the thread runs
   * @return the thread, not started
   */
  @Override
  public Thread newThread(Runnable r) {
    // Idle pool threads end after a while; forget them so the set stays small.
    threads.removeIf(t -> t.getState() == Thread.State.TERMINATED);
    Thread t = new Thread(r, prefix + count.incrementAndGet());
    t.setDaemon(true);
    threads.add(t);
    return t;
  }

  /**
   * Waits for every thread made here to end, for at most {@code limit} in all.
   *
   * @param limit the longest wait
   * @return whether every thread has ended
   */
  public boolean join(Duration limit) {
    long end = System.nanoTime() + limit.toNanos();
    for (Thread t : threads) {
      long left = end - System.nanoTime();
      if (left <= 0) {
        break;
      }
      try {
        t.join(Math.max(1, left / 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    return allEnded();
  }

  /**
   * Tells whether every thread made here has ended.
   *
   * @return whether none is alive
   */
  public boolean allEnded() {
    return threads.stream().noneMatch(Thread::isAlive);
  }

  /** Returns the prefix; never anything a thread holds. */
  @Override
  public String toString() {
    return "ProviderThreads[" + prefix + "]";
  }
}
