package io.latchkey.testsupport;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collects what every thread logs while it is open: the SLF4J events {@link CapturingSlf4jProvider}
 * records, and the records of {@code java.util.logging} (which some clients, such as gRPC, log
 * through), with stack traces. Canary tests search it for values that must never be logged; other
 * tests assert the lines they expect.
 *
 * <pre>{@code
 * try (LogCapture log = LogCapture.start()) {
 *   ...
 *   Leaks.assertNoLeak("the log", log.text(), CANARY);
 * }
 * }</pre>
 */
public final class LogCapture implements AutoCloseable {
  private final List<CapturingSlf4jProvider.Event> events = new CopyOnWriteArrayList<>();
  private final Consumer<CapturingSlf4jProvider.Event> listener = events::add;
  private final JulRecords jul;

  // Whether startAtEveryLevel() raised the java.util.logging root level, and what to restore.
  private final boolean julRaised;
  private final Level julLevelBefore;

  private LogCapture(boolean everyJulLevel) {
    CapturingSlf4jProvider.listen(listener);
    jul = new JulRecords();
    Logger root = Logger.getLogger("");
    julRaised = everyJulLevel;
    julLevelBefore = root.getLevel();
    if (everyJulLevel) {
      root.setLevel(Level.ALL);
    }
  }

  /**
   * Starts capturing.
   *
   * @return the capture, which {@link #close()} ends
   * @throws IllegalStateException if SLF4J is bound to another backend, so that a canary test never
   *     passes by capturing nothing
   */
  public static LogCapture start() {
    requireCapturingBinding();
    return new LogCapture(false);
  }

  /**
   * Starts capturing, with {@code java.util.logging}'s root logger opened to every level until
   * {@link #close()}: what the JDK's own HTTP clients log at {@code FINE} and below (request
   * headers among them, in {@code HttpURLConnection}'s case) reaches an application's log as soon
   * as an operator turns logging up, so a canary test must see it too.
   *
   * @return the capture, which {@link #close()} ends
   * @throws IllegalStateException as {@link #start()}
   */
  public static LogCapture startAtEveryLevel() {
    requireCapturingBinding();
    return new LogCapture(true);
  }

  private static void requireCapturingBinding() {
    Object bound = LoggerFactory.getILoggerFactory();
    if (!(bound instanceof CapturingSlf4jProvider.LoggerFactory)) {
      throw new IllegalStateException(
          "SLF4J is bound to "
              + bound.getClass().getName()
              + "; list "
              + CapturingSlf4jProvider.class.getName()
              + " in the tests' META-INF/services/org.slf4j.spi.SLF4JServiceProvider");
    }
  }

  /**
   * Returns the SLF4J events logged since the capture started, by any thread.
   *
   * @return the events, oldest first
   */
  public List<CapturingSlf4jProvider.Event> events() {
    return List.copyOf(events);
  }

  /**
   * Returns everything captured so far as text.
   *
   * @return each SLF4J event as {@link CapturingSlf4jProvider.Event#text()} renders it, then the
   *     {@code java.util.logging} records in the same shape
   */
  public String text() {
    StringBuilder out = new StringBuilder();
    for (CapturingSlf4jProvider.Event event : events) {
      out.append(event.text());
    }
    return out.append(jul.text()).toString();
  }

  /** Stops capturing. */
  @Override
  public void close() {
    if (julRaised) {
      Logger.getLogger("").setLevel(julLevelBefore);
    }
    jul.close();
    CapturingSlf4jProvider.unlisten(listener);
  }
}
