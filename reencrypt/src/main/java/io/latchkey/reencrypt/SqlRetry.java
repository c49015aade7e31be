package io.latchkey.reencrypt;

import io.latchkey.LatchkeyException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a piece of JDBC work, and runs it again on a fresh connection when the connection was lost
 * ({@link SqlErrors#isTransient}), waiting a back-off that doubles before each further attempt.
 *
 * <p>The wait is a {@code Consumer<Duration>}: by default {@link #sleep(Duration)}, which turns an
 * interrupt into the interrupt flag; tests pass one that records the waits and returns at once.
 * Whichever it is, a thread whose interrupt flag is set after the wait gives up.
 */
final class SqlRetry {
  private static final Logger LOG = LoggerFactory.getLogger(JdbcCiphertextStore.class);

  /** The longest wait between two attempts, however long the back-off has doubled to. */
  static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

  /** JDBC work; {@code attempt} counts from 1, so that work can tell a retry from a first try. */
  @FunctionalInterface
  interface SqlWork<T> {
    T run(int attempt) throws SQLException;
  }

  private final String name;
  private final int maxAttempts;
  private final Duration backoff;
  private final Consumer<Duration> waiter;

  /**
   * @param name the target's name, which every message starts with
   * @param maxAttempts how many times work is tried in all
   * @param backoff the wait before the second attempt
   * @param waiter waits the given time
   */
  SqlRetry(String name, int maxAttempts, Duration backoff, Consumer<Duration> waiter) {
    this.name = name;
    this.maxAttempts = maxAttempts;
    this.backoff = backoff;
    this.waiter = waiter;
  }

  /** Waits for the given time; an interrupt ends the wait early and stays set on the thread. */
  static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Runs the work until it succeeds, fails for a reason other than a lost connection, or has been
   * tried {@code maxAttempts} times.
   *
   * @param what what the work does, for messages ("reading a page")
   * @throws LatchkeyException naming the target, what failed and the error's SQLState and class
   */
  <T> T run(String what, SqlWork<T> work) {
    for (int attempt = 1; ; attempt++) {
      try {
        return work.run(attempt);
      } catch (SQLException e) {
        if (!SqlErrors.isTransient(e)) {
          throw new LatchkeyException(name + ": " + what + " failed: " + SqlErrors.describe(e));
        }
        if (attempt >= maxAttempts) {
          throw new LatchkeyException(
              name
                  + ": "
                  + what
                  + " failed after "
                  + attempt
                  + (attempt == 1 ? " attempt: " : " attempts: ")
                  + SqlErrors.describe(e));
        }
        Duration wait = backoff(attempt);
        LOG.warn(
            "{}: {} failed ({}); retrying on a fresh connection in {} ms (attempt {} of {})",
            name,
            what,
            SqlErrors.describe(e),
            wait.toMillis(),
            attempt + 1,
            maxAttempts);
        waiter.accept(wait);
        if (Thread.currentThread().isInterrupted()) {
          throw new LatchkeyException(name + ": interrupted while waiting to retry " + what);
        }
      }
    }
  }

  private Duration backoff(int attempt) {
    Duration d = backoff.multipliedBy(1L << Math.min(attempt - 1, 20));
    return d.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : d;
  }
}
