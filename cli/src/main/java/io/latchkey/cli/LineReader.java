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
 *
 * <p>A line longer than {@link #MAX_LINE} bytes is not kept: its bytes are skipped up to its line
 * break, and it is returned as an empty line for which {@link #tooLong()} is true, so that one huge
 * line cannot exhaust the heap, and the lines after it keep their numbers.
 */
final class LineReader {
  /** The longest line kept, in bytes without its line break: 16 MiB. */
  static final int MAX_LINE = 16 << 20;

  private final InputStream in;
  private final Flushable beforeRead;
  private final int maxLine;
  private final byte[] buffer = new byte[1 << 16];
  private final ByteArrayOutputStream line = new ByteArrayOutputStream();
  private int position;
  private int limit;
  private boolean eof;
  private boolean tooLong;

  LineReader(InputStream in, Flushable beforeRead) {
    this(in, beforeRead, MAX_LINE);
  }

  /** With another cap, so that tests need not write 16 MiB. */
  LineReader(InputStream in, Flushable beforeRead, int maxLine) {
    this.in = in;
    this.beforeRead = beforeRead;
    this.maxLine = maxLine;
  }

  /** Whether the line {@link #next()} returned last was longer than the cap, and is empty. */
  boolean tooLong() {
    return tooLong;
  }

  /** Returns the next line without its line break, or null at the end of the stream. */
  byte[] next() throws IOException {
    line.reset();
    tooLong = false;
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
      int n = position - start;
      if (!tooLong && line.size() + n > maxLine) {
        tooLong = true;
        line.reset();
      }
      if (!tooLong) {
        line.write(buffer, start, n);
      }
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
    if (tooLong) {
      return new byte[0];
    }
    byte[] bytes = line.toByteArray();
    int length = bytes.length;
    if (length > 0 && bytes[length - 1] == '\r') {
      bytes = Arrays.copyOf(bytes, length - 1);
    }
    return bytes;
  }
}
