package io.latchkey.testsupport;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Records what libraries log through {@code java.util.logging} (whose console handler keeps the
 * stream it started with, so scraping {@code System.err} misses it), with stack traces, from the
 * root logger while open.
 */
final class JulRecords extends Handler implements AutoCloseable {
  private final List<String> records = new CopyOnWriteArrayList<>();

  JulRecords() {
    Logger.getLogger("").addHandler(this);
  }

  @Override
  public void publish(LogRecord record) {
    StringWriter text = new StringWriter();
    text.append(record.getLevel().getName())
        .append(' ')
        .append(record.getLoggerName())
        .append(" - ")
        .append(new SimpleFormatter().formatMessage(record))
        .append('\n');
    if (record.getThrown() != null) {
      record.getThrown().printStackTrace(new PrintWriter(text));
    }
    records.add(text.toString());
  }

  /** Returns the records so far, one or more lines each. */
  String text() {
    return String.join("", records);
  }

  @Override
  public void flush() {}

  /** Stops recording. */
  @Override
  public void close() {
    Logger.getLogger("").removeHandler(this);
  }
}
