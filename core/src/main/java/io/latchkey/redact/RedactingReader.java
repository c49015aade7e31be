package io.latchkey.redact;

import java.io.CharArrayWriter;
import java.io.IOException;
import java.io.Reader;
import java.util.Objects;

/**
 * A reader that redacts what it reads from another, for {@link Redactor#wrap(Reader)}. It reads
 * ahead only as far as it takes to tell whether the characters it holds begin a value.
 */
final class RedactingReader extends Reader {
  private final Reader in;
  private final char[] buffer = new char[8192];
  private final CharArrayWriter ready = new CharArrayWriter();
  private final StreamRedaction redaction;
  private char[] pending = new char[0];
  private int readFrom;
  private boolean ended;
  private boolean closed;

  RedactingReader(Redactor redactor, Reader in) {
    this.in = in;
    this.redaction = new StreamRedaction(redactor, ready);
  }

  @Override
  public int read(char[] chars, int off, int len) throws IOException {
    synchronized (lock) {
      if (closed) {
        throw new IOException("the redacting reader is closed");
      }
      Objects.checkFromIndexSize(off, len, chars.length);
      if (len == 0) {
        return 0;
      }
      while (readFrom == pending.length && !ended) {
        int n = in.read(buffer, 0, buffer.length);
        if (n < 0) {
          ended = true;
          redaction.finish();
        } else {
          redaction.write(buffer, 0, n);
        }
        pending = ready.toCharArray();
        ready.reset();
        readFrom = 0;
      }
      int available = pending.length - readFrom;
      if (available == 0) {
        return -1;
      }
      int n = Math.min(len, available);
      System.arraycopy(pending, readFrom, chars, off, n);
      readFrom += n;
      return n;
    }
  }

  @Override
  public void close() throws IOException {
    synchronized (lock) {
      closed = true;
      in.close();
    }
  }

  /** Names the class only: what passes through is not for a log line. */
  @Override
  public String toString() {
    return "RedactingReader";
  }
}
