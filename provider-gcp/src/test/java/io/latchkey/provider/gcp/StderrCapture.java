package io.latchkey.provider.gcp;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Captures what the test's slf4j-simple binding writes (to {@code System.err}, looked up on each
 * write) while still echoing it to the original stream, and what gRPC and Netty log through {@code
 * java.util.logging} (whose console handler keeps the stream it started with), with stack traces.
 */
final class StderrCapture implements AutoCloseable {
  private final PrintStream original = System.err;
  private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
  private final StringBuilder julRecords = new StringBuilder();
  private final Handler julHandler =
      new Handler() {
        @Override
        public void publish(LogRecord record) {
          StringWriter text = new StringWriter();
          text.append(record.getLevel().getName())
              .append(' ')
              .append(record.getLoggerName())
              .append(' ')
              .append(new SimpleFormatter().formatMessage(record))
              .append('\n');
          if (record.getThrown() != null) {
            record.getThrown().printStackTrace(new PrintWriter(text));
          }
          synchronized (julRecords) {
            julRecords.append(text);
          }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  private StderrCapture() {
    OutputStream tee =
        new OutputStream() {
          @Override
          public void write(int b) {
            synchronized (captured) {
              captured.write(b);
            }
            original.write(b);
          }

          @Override
          public void write(byte[] b, int off, int len) {
            synchronized (captured) {
              captured.write(b, off, len);
            }
            original.write(b, off, len);
          }
        };
    System.setErr(new PrintStream(tee, true, UTF_8));
    Logger.getLogger("").addHandler(julHandler);
  }

  static StderrCapture start() {
    return new StderrCapture();
  }

  String text() {
    String stderr;
    synchronized (captured) {
      stderr = captured.toString(UTF_8);
    }
    synchronized (julRecords) {
      return stderr + julRecords;
    }
  }

  @Override
  public void close() {
    Logger.getLogger("").removeHandler(julHandler);
    System.err.flush();
    System.setErr(original);
  }
}
