package io.latchkey.provider.vault;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads an answer's body up to a size cap, and stops reading as soon as the body is known to exceed
 * it: a runaway or hostile answer never costs more than the cap in memory.
 */
final class CappedBody {
  /** Thrown when an answer is larger than the cap; never retried, since it would be again. */
  static final class TooLarge extends IOException {
    private static final long serialVersionUID = 1L;

    TooLarge(long cap) {
      super("the answer is larger than " + cap + " bytes");
    }
  }

  private CappedBody() {}

  /**
   * Reads a body whole.
   *
   * @param in the body, or null for none
   * @param declared its Content-Length, or -1 if not given
   * @param cap the most bytes accepted
   * @throws TooLarge if the declared length or the bytes read exceed {@code cap}; the caller drops
   *     the connection rather than reading the rest
   * @throws IOException if reading fails, or the body ends before its declared length
   */
  static byte[] read(InputStream in, long declared, long cap) throws IOException {
    if (declared > cap) {
      // Content-Length says it already: do not read a byte of it.
      throw new TooLarge(cap);
    }
    if (in == null) {
      return new byte[0];
    }
    ByteArrayOutputStream buffer = new ByteArrayOutputStream(declared >= 0 ? (int) declared : 1024);
    byte[] chunk = new byte[declared >= 0 ? (int) Math.min(Math.max(declared, 1), 8192) : 8192];
    int n;
    while ((n = in.read(chunk)) >= 0) {
      if (buffer.size() + (long) n > cap) {
        throw new TooLarge(cap);
      }
      buffer.write(chunk, 0, n);
    }
    if (declared >= 0 && buffer.size() != declared) {
      // The JDK's stream ends quietly when the connection closes early: a body cut short must not
      // pass for a whole one.
      throw new IOException(
          "the answer ended after " + buffer.size() + " of its " + declared + " bytes");
    }
    return buffer.toByteArray();
  }
}
