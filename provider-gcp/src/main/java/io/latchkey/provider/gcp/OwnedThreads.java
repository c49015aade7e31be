package io.latchkey.provider.gcp;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Makes the provider's daemon threads ({@code latchkey-gcp-N}) and remembers them, so that {@code
 * close()} can join them: a pool reports termination from inside its last worker, a moment before
 * that thread has ended.
 */
final class OwnedThreads implements ThreadFactory {
  private static final AtomicInteger COUNT = new AtomicInteger();

  private final List<Thread> threads = new CopyOnWriteArrayList<>();

  @Override
  public Thread newThread(Runnable r) {
    Thread t = new Thread(r, "latchkey-gcp-" + COUNT.incrementAndGet());
    t.setDaemon(true);
    threads.add(t);
    return t;
  }

  /**
   * Waits for every thread made here to end, at most {@code millis} in all.
   *
   * @return whether all ended
   */
  boolean join(long millis) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    for (Thread t : threads) {
      long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
      if (left <= 0) {
        break;
      }
      t.join(left);
    }
    return threads.stream().noneMatch(Thread::isAlive);
  }
}
