package io.latchkey.redact;

import java.io.IOException;
import java.io.Writer;
import java.util.Arrays;

/**
 * Redacts a text that arrives in pieces, for the redacting writer and reader: a value split across
 * pieces is found as if the text had come whole.
 *
 * <p>Only the characters that may still be the start of a value are held back: the longest tail
 * that is a prefix of some form of a value, and a match that a longer one could still extend.
 * Everything before them is passed on as soon as it arrives, so the hold never exceeds the longest
 * form (or {@link #MAX_HELD} characters, where values overlap in a run; such a run is then masked
 * in two pieces). Not thread-safe: the writer and the reader lock around it.
 */
final class StreamRedaction {
  /** The size of the pieces a long write is scanned in, so that the hold stays small. */
  private static final int PIECE = 8192;

  /** The most characters held back, whatever the values. */
  static final int MAX_HELD = 1 << 16;

  private final Redactor redactor;
  private final Writer out;
  private final Regions found = new Regions();
  private Catalog catalog;
  private int state = Automaton.start();
  private char[] held = new char[256];
  private int length;

  /**
   * Starts a redaction whose text goes to {@code out}: the wrapped writer, or a reader's buffer.
   */
  StreamRedaction(Redactor redactor, Writer out) {
    this.redactor = redactor;
    this.out = out;
    this.catalog = redactor.catalog();
  }

  /** Takes the next piece of the text and passes on everything that can no longer hold a value. */
  void write(char[] chars, int from, int to) throws IOException {
    for (int i = from; i < to; i += PIECE) {
      piece(chars, i, Math.min(to, i + PIECE));
    }
  }

  private void piece(char[] chars, int from, int to) throws IOException {
    Catalog now = redactor.catalog();
    if (now != catalog) {
      // A rotation: what is held was scanned for the old values only; scan it again.
      catalog = now;
      found.clear();
      state = catalog.automaton.run(held, 0, length, Automaton.start(), 0, found);
    }
    int n = to - from;
    if (length + n > held.length) {
      held = Arrays.copyOf(held, Math.max(length + n, held.length * 2));
    }
    System.arraycopy(chars, from, held, length, n);
    state = catalog.automaton.run(held, length, length + n, state, 0, found);
    length += n;
    int safe = Math.max(0, length - catalog.automaton.pending(state));
    if (length > MAX_HELD) {
      // Values overlapping without end: mask what is found so far, and go on after it.
      pass(Math.max(safe, found.count() == 0 ? 0 : found.end(found.count() - 1)), true);
    } else {
      pass(safe, false);
    }
  }

  /** Passes on what is left, at the end of the text. */
  void finish() throws IOException {
    pass(length, true);
    state = Automaton.start();
  }

  /**
   * Passes on the held text up to {@code safe}, with each stretch to mask that ends there masked;
   * when {@code all}, every stretch found is final.
   */
  private void pass(int safe, boolean all) throws IOException {
    int pos = 0;
    int done = 0;
    int limit = safe;
    for (int r = 0; r < found.count(); r++) {
      if (!all && found.end(r) > safe) {
        limit = Math.min(safe, found.start(r));
        break;
      }
      out.write(held, pos, found.start(r) - pos);
      out.write(catalog.masks[found.label(r)]);
      pos = found.end(r);
      done++;
    }
    limit = Math.max(limit, pos);
    if (limit > pos) {
      out.write(held, pos, limit - pos);
    }
    found.drop(done, limit);
    System.arraycopy(held, limit, held, 0, length - limit);
    length -= limit;
    if (held.length > 4 * PIECE && length < PIECE) {
      held = Arrays.copyOf(held, PIECE);
    }
  }
}
