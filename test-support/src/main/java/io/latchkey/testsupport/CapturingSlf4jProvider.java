package io.latchkey.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;
import org.slf4j.helpers.NOPMDCAdapter;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * A test-only SLF4J backend that records every event, so that tests assert what was logged (and
 * that no secret was) on structured events instead of scraping {@code System.err}. A module's tests
 * bind it by listing it in {@code META-INF/services/org.slf4j.spi.SLF4JServiceProvider} in their
 * test resources, instead of any other backend; {@link LogCapture} collects what it records.
 *
 * <p>Levels: every logger logs at every level, unless the test class path holds {@value #LEVELS},
 * whose {@code default} key sets the level of every logger and whose {@code log.<prefix>} keys set
 * the level of the loggers under a prefix (the longest prefix wins), as slf4j-simple's {@code
 * simplelogger.properties} does. With the system property {@value #ECHO} set to {@code true}, each
 * event is printed to {@code System.err} as well.
 */
public final class CapturingSlf4jProvider implements SLF4JServiceProvider {
  /** The class-path resource that sets the loggers' levels: {@value}. */
  public static final String LEVELS = "latchkey-log-capture.properties";

  /** The system property that prints every event to {@code System.err} too: {@value}. */
  public static final String ECHO = "latchkey.log.echo";

  /**
   * One logged event.
   *
   * @param level the level
   * @param logger the logger's name
   * @param message the formatted message, followed by the throwable's {@code toString()} if any
   * @param threadId the id of the thread that logged it
   * @param thrown the throwable logged with it, or {@code null}
   */
  public record Event(Level level, String logger, String message, long threadId, Throwable thrown) {
    /**
     * Renders the event as a log line would show it, with the throwable's whole stack trace (its
     * causes' and suppressed exceptions' messages included).
     *
     * @return {@code LEVEL logger - message}, then the stack trace on the following lines
     */
    public String text() {
      StringWriter out = new StringWriter();
      out.append(level.name()).append(' ').append(logger).append(" - ").append(message);
      out.append('\n');
      if (thrown != null) {
        thrown.printStackTrace(new PrintWriter(out));
      }
      return out.toString();
    }
  }

  private static final List<Event> EVENTS = new CopyOnWriteArrayList<>();
  private static final List<Consumer<Event>> LISTENERS = new CopyOnWriteArrayList<>();

  private final LoggerFactory loggerFactory;
  private final IMarkerFactory markerFactory = new BasicMarkerFactory();
  private final MDCAdapter mdcAdapter = new NOPMDCAdapter();

  /** Creates the provider; ServiceLoader calls this. */
  public CapturingSlf4jProvider() {
    loggerFactory = new LoggerFactory(Levels.load());
  }

  /**
   * Returns the events the calling thread logged since its last {@link #clear()}.
   *
   * @return the events, oldest first
   */
  @SuppressWarnings("deprecation") // Thread.getId is what Java 17 has
  public static List<Event> events() {
    long self = Thread.currentThread().getId();
    List<Event> mine = new ArrayList<>();
    for (Event e : EVENTS) {
      if (e.threadId() == self) {
        mine.add(e);
      }
    }
    return mine;
  }

  /**
   * Returns every event any thread logged, for code that logs from background threads.
   *
   * @return the events, oldest first
   */
  public static List<Event> allEvents() {
    return List.copyOf(EVENTS);
  }

  /** Forgets the calling thread's events. */
  @SuppressWarnings("deprecation")
  public static void clear() {
    long self = Thread.currentThread().getId();
    EVENTS.removeIf(e -> e.threadId() == self);
  }

  /** Adds a listener that sees every later event; {@link LogCapture} uses it. */
  static void listen(Consumer<Event> listener) {
    LISTENERS.add(listener);
  }

  /** Removes a listener added with {@link #listen}. */
  static void unlisten(Consumer<Event> listener) {
    LISTENERS.remove(listener);
  }

  @Override
  public ILoggerFactory getLoggerFactory() {
    return loggerFactory;
  }

  @Override
  public IMarkerFactory getMarkerFactory() {
    return markerFactory;
  }

  @Override
  public MDCAdapter getMDCAdapter() {
    return mdcAdapter;
  }

  @Override
  public String getRequestedApiVersion() {
    return "2.0.99";
  }

  @Override
  public void initialize() {}

  /** The factory {@link LogCapture} checks SLF4J is bound to. */
  static final class LoggerFactory implements ILoggerFactory {
    private final Levels levels;

    LoggerFactory(Levels levels) {
      this.levels = levels;
    }

    @Override
    public org.slf4j.Logger getLogger(String name) {
      return new CapturingLogger(name, levels.of(name));
    }
  }

  /** The level of each logger, read once from {@link #LEVELS}. */
  private record Levels(int fallback, Map<String, Integer> byPrefix) {
    static Levels load() {
      Properties properties = new Properties();
      ClassLoader loader = CapturingSlf4jProvider.class.getClassLoader();
      try (InputStream in = loader.getResourceAsStream(LEVELS)) {
        if (in != null) {
          properties.load(in);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      Map<String, Integer> byPrefix = new TreeMap<>();
      for (String key : properties.stringPropertyNames()) {
        if (key.startsWith("log.")) {
          byPrefix.put(key.substring(4), parse(properties.getProperty(key)));
        }
      }
      return new Levels(parse(properties.getProperty("default", "trace")), byPrefix);
    }

    private static int parse(String level) {
      return Level.valueOf(level.strip().toUpperCase(Locale.ROOT)).toInt();
    }

    int of(String logger) {
      String best = null;
      for (String prefix : byPrefix.keySet()) {
        boolean under = logger.equals(prefix) || logger.startsWith(prefix + ".");
        if (under && (best == null || prefix.length() > best.length())) {
          best = prefix;
        }
      }
      return best == null ? fallback : byPrefix.get(best);
    }
  }

  private static final class CapturingLogger extends LegacyAbstractLogger {
    private static final long serialVersionUID = 1L;

    private final int threshold;

    CapturingLogger(String name, int threshold) {
      this.name = name;
      this.threshold = threshold;
    }

    @Override
    public boolean isTraceEnabled() {
      return threshold <= Level.TRACE.toInt();
    }

    @Override
    public boolean isDebugEnabled() {
      return threshold <= Level.DEBUG.toInt();
    }

    @Override
    public boolean isInfoEnabled() {
      return threshold <= Level.INFO.toInt();
    }

    @Override
    public boolean isWarnEnabled() {
      return threshold <= Level.WARN.toInt();
    }

    @Override
    public boolean isErrorEnabled() {
      return threshold <= Level.ERROR.toInt();
    }

    @Override
    protected String getFullyQualifiedCallerName() {
      return null;
    }

    @Override
    @SuppressWarnings("deprecation")
    protected void handleNormalizedLoggingCall(
        Level level, Marker marker, String pattern, Object[] arguments, Throwable throwable) {
      String message = MessageFormatter.basicArrayFormat(pattern, arguments);
      if (throwable != null) {
        message += " " + throwable;
      }
      Event event = new Event(level, name, message, Thread.currentThread().getId(), throwable);
      EVENTS.add(event);
      for (Consumer<Event> listener : LISTENERS) {
        listener.accept(event);
      }
      if (Boolean.getBoolean(ECHO)) {
        System.err.print(event.text());
      }
    }
  }
}
