package io.latchkey.cli;

import java.io.ByteArrayOutputStream;
import java.io.Flushable;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Splits a stream into lines of bytes, so that each command decides how to decode them.
 *
 * <p>Lines end at {@code \n}; a {@code \r} before it is dropped, and a last line without a line
 * break still counts. Before each read that may block, {@code beforeRead} is flushed, so that
 * results are never held back while the writer waits for them.
 */
final class LineReader {
  private final InputStream in;
  private final Flushable beforeRead;
  private final byte[] buffer = new byte[1 << 16];
  private final ByteArrayOutputStream line = new ByteArrayOutputStream();
  private int position;
  private int limit;
  private boolean eof;

  LineReader(InputStream in, Flushable beforeRead) {
    this.in = in;
    this.beforeRead = beforeRead;
  }

  /** Returns the next line without its line break, or null at the end of the stream. */
  byte[] next() throws IOException {
    line.reset();
    boolean started = false;
    while (true) {
      if (position == limit) {
        if (eof || !fill()) {
          return started ? finish() : null;
        }
      }
      started = true;
      int start = position;
      while (position < limit && buffer[position] != '\n') {
        position++;
      }
      line.write(buffer, start, position - start);
      if (position < limit) {
        position++; // the '\n'
        return finish();
      }
    }
  }

  private boolean fill() throws IOException {
    beforeRead.flush();
    int n = in.read(buffer);
    if (n < 0) {
      eof = true;
      Arrays.fill(buffer, (byte) 0);
      return false;
    }
    position = 0;
    limit = n;
    return true;
  }

  private byte[] finish() {
    byte[] bytes = line.toByteArray();
    int length = bytes.length;
    if (length > 0 && bytes[length - 1] == '\r') {
      bytes = Arrays.copyOf(bytes, length - 1);
    }
    return bytes;
  }
}
