package io.latchkey.config;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
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
 * A test-only SLF4J backend that records every event, so that tests can assert what was logged (and
 * that no secret was). Registered through {@code META-INF/services} in the test resources; the
 * shipped jar binds no backend.
 */
public final class CapturingSlf4jProvider implements SLF4JServiceProvider {

  /** One logged event, with its message formatted and the thread that logged it. */
  public record Event(Level level, String logger, String message, long threadId) {}

  private static final List<Event> EVENTS = new CopyOnWriteArrayList<>();

  private final ILoggerFactory loggerFactory = CapturingLogger::new;
  private final IMarkerFactory markerFactory = new BasicMarkerFactory();
  private final MDCAdapter mdcAdapter = new NOPMDCAdapter();

  /** Creates the provider; ServiceLoader calls this. */
  public CapturingSlf4jProvider() {}

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

  private static final class CapturingLogger extends LegacyAbstractLogger {
    private static final long serialVersionUID = 1L;

    CapturingLogger(String name) {
      this.name = name;
    }

    @Override
    public boolean isTraceEnabled() {
      return true;
    }

    @Override
    public boolean isDebugEnabled() {
      return true;
    }

    @Override
    public boolean isInfoEnabled() {
      return true;
    }

    @Override
    public boolean isWarnEnabled() {
      return true;
    }

    @Override
    public boolean isErrorEnabled() {
      return true;
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
      EVENTS.add(new Event(level, name, message, Thread.currentThread().getId()));
    }
  }
}
