package io.latchkey.testsupport;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;

/**
 * Captures what a test's slf4j-simple binding writes (to {@code System.err}, looked up on each
 * write) while still echoing it to the original stream, and what libraries log through {@code
 * java.util.logging} (whose console handler keeps the stream it started with), with stack traces:
 * canary tests search it for values that must never be logged.
 *
 * <p>Modules whose tests bind {@link CapturingSlf4jProvider} use {@link LogCapture} instead.
 *
 * <pre>{@code
 * try (StderrCapture capture = StderrCapture.start()) {
 *   ...
 *   assertThat(capture.text()).doesNotContain(CANARY);
 * }
 * }</pre>
 */
public final class StderrCapture implements AutoCloseable {
  private final PrintStream original = System.err;
  private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
  private final JulRecords jul = new JulRecords();

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
  }

  /**
   * Starts capturing.
   *
   * @return the capture, which {@link #close()} ends
   */
  public static StderrCapture start() {
    return new StderrCapture();
  }

  /**
   * Returns everything captured so far.
   *
   * @return the text written to {@code System.err}, then the {@code java.util.logging} records
   */
  public String text() {
    String stderr;
    synchronized (captured) {
      stderr = captured.toString(UTF_8);
    }
    return stderr + jul.text();
  }

  /** Stops capturing and restores {@code System.err}. */
  @Override
  public void close() {
    jul.close();
    System.err.flush();
    System.setErr(original);
  }
}
