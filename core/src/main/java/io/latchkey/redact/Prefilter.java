package io.latchkey.redact;

import java.util.List;

/**
 * Rules out, with one read of a small table, nearly every place in a text where no pattern can
 * start, so that a string is searched in well under a table read per character.
 *
 * <p>Every pattern is at least {@code m} characters long. Of each pattern, the filter knows the
 * {@value #GRAM}-character grams at the first {@code step = m - GRAM + 1} offsets (at most 8): the
 * table maps a hash of a gram to the set of offsets at which some pattern has it. An occurrence of
 * a pattern that starts at {@code s} covers the positions {@code s} to {@code s + step - 1}, and
 * exactly one of them is a multiple of {@code step}: so the scan reads the gram only at every
 * {@code step}-th position, and a gram found in the table at offset {@code k} makes {@code p - k} a
 * candidate start. Each candidate is checked by walking the automaton's trie, which gives the
 * longest pattern that starts there. Candidates come in increasing order, each once.
 *
 * <p>Should the walks add up to more than a few times the text's length (a text built to look like
 * the start of a value over and over), the rest of the text is left to the automaton, whose cost is
 * linear whatever the text.
 */
final class Prefilter {
  /** The length of the grams the table knows. */
  static final int GRAM = 4;

  /** Fibonacci hashing's multiplier: 2^64 divided by the golden ratio. */
  private static final long HASH = 0x9E3779B97F4A7C15L;

  /** What the walks may take beyond 4 characters per character of text, for short texts. */
  private static final long SLACK = 1 << 14;

  private final byte[] offsets;
  private final int shift;
  private final int step;

  private Prefilter(byte[] offsets, int bits, int step) {
    this.offsets = offsets;
    this.shift = 64 - bits;
    this.step = step;
  }

  /** A filter of the patterns, or null when some pattern is shorter than a gram. */
  static Prefilter of(List<String> patterns) {
    int shortest = Integer.MAX_VALUE;
    for (String pattern : patterns) {
      shortest = Math.min(shortest, pattern.length());
    }
    if (patterns.isEmpty() || shortest < GRAM) {
      return null;
    }
    int step = Math.min(8, shortest - GRAM + 1);
    // About one slot in sixteen taken, from 4 KiB up to 1 MiB.
    int bits = 12;
    while (bits < 20 && (1L << bits) < 16L * step * patterns.size()) {
      bits++;
    }
    byte[] offsets = new byte[1 << bits];
    for (String pattern : patterns) {
      for (int k = 0; k < step; k++) {
        long gram = 0;
        for (int i = k; i < k + GRAM; i++) {
          gram = (gram << 16) | pattern.charAt(i);
        }
        offsets[(int) ((gram * HASH) >>> (64 - bits))] |= (byte) (1 << k);
      }
    }
    return new Prefilter(offsets, bits, step);
  }

  /** Finds every stretch of {@code text[from, length)} to mask, as {@link Automaton#find} does. */
  Regions find(Automaton automaton, CharSequence text, int from) {
    int n = text.length();
    Regions found = null;
    long budget = 4L * (n - from) + SLACK;
    for (int p = from; p + GRAM <= n; p += step) {
      // Read in place: copying the text first would cost more than the probes themselves.
      long gram =
          (long) text.charAt(p) << 48
              | (long) text.charAt(p + 1) << 32
              | (long) text.charAt(p + 2) << 16
              | text.charAt(p + 3);
      int mask = offsets[(int) ((gram * HASH) >>> shift)];
      if (mask == 0) {
        continue;
      }
      for (int k = step - 1; k >= 0; k--) {
        int start = p - k;
        if ((mask & (1 << k)) == 0 || start < from) {
          continue;
        }
        long walk = automaton.longestAt(text, start);
        budget -= walk >>> 32;
        if (budget < 0) {
          return automaton.runAll(text, start, found);
        }
        int terminal = (int) walk;
        if (terminal >= 0) {
          found = found == null ? new Regions() : found;
          found.add(start, start + automaton.length(terminal), automaton.label(terminal));
        }
      }
    }
    return found;
  }
}
