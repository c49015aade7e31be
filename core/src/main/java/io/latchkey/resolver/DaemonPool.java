package io.latchkey.resolver;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pool of daemon threads ({@code latchkey-resolver-N}) that a resolver owns when it is given no
 * executor. It grows with the number of concurrent fetches, so that a hung fetch never keeps
 * another reference waiting for a thread, and shrinks when idle.
 */
final class DaemonPool implements Executor {
  private static final Logger LOG = LoggerFactory.getLogger(SecretResolver.class);
  private static final AtomicInteger THREADS = new AtomicInteger();

  private final ThreadPoolExecutor pool =
      new ThreadPoolExecutor(
          0,
          Integer.MAX_VALUE,
          30,
          TimeUnit.SECONDS,
          new SynchronousQueue<>(),
          r -> {
            Thread t = new Thread(r, "latchkey-resolver-" + THREADS.incrementAndGet());
            t.setDaemon(true);
            return t;
          });

  @Override
  public void execute(Runnable task) {
    pool.execute(task);
  }

  /**
   * Refuses new tasks, interrupts every thread, and waits at most {@code wait} for them to end. A
   * thread still inside a provider that ignores interruption is left to end when the provider
   * returns: it is a daemon, and a warning says so.
   */
  void shutdown(Duration wait) {
    pool.shutdownNow();
    try {
      if (!pool.awaitTermination(wait.toNanos(), TimeUnit.NANOSECONDS)) {
        LOG.warn(
            "a secret provider ignored interruption; its daemon thread ends when the provider"
                + " returns");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
