package io.latchkey.redact;

import java.io.IOException;
import java.io.Writer;
import java.util.Objects;

/**
 * A writer that redacts what passes through it, for {@link Redactor#wrap(Writer)}. It holds back
 * only the characters that may begin a value until the next write shows whether they do.
 */
final class RedactingWriter extends Writer {
  private final Writer out;
  private final StreamRedaction redaction;
  private boolean closed;

  RedactingWriter(Redactor redactor, Writer out) {
    this.out = out;
    this.redaction = new StreamRedaction(redactor, out);
  }

  @Override
  public void write(char[] chars, int off, int len) throws IOException {
    synchronized (lock) {
      checkOpen();
      Objects.checkFromIndexSize(off, len, chars.length);
      redaction.write(chars, off, off + len);
    }
  }

  @Override
  public void write(String text, int off, int len) throws IOException {
    char[] chars = new char[len];
    text.getChars(off, off + len, chars, 0);
    write(chars, 0, len);
  }

  /**
   * Flushes the underlying writer. Characters that may still be the start of a value stay held
   * until more text or {@link #close()} shows what they are.
   */
  @Override
  public void flush() throws IOException {
    synchronized (lock) {
      checkOpen();
      out.flush();
    }
  }

  /** Writes what is held, redacted, and closes the underlying writer. */
  @Override
  public void close() throws IOException {
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      try {
        redaction.finish();
      } finally {
        out.close();
      }
    }
  }

  private void checkOpen() throws IOException {
    if (closed) {
      throw new IOException("the redacting writer is closed");
    }
  }

  /** Names the class only: what passes through is not for a log line. */
  @Override
  public String toString() {
    return "RedactingWriter";
  }
}
