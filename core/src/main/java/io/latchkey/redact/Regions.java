package io.latchkey.redact;

import java.util.Arrays;

/**
 * The stretches of a text to mask, in order and disjoint, as matches are reported by their end.
 *
 * <p>A match that overlaps the stretches before it joins them, so that every character of every
 * occurrence is masked: values that overlap in the text (the end of one is the start of another)
 * leave nothing of either visible. The merged stretch keeps the label of the leftmost match, and
 * among matches that start at the same place, of the longest.
 */
final class Regions {
  private static final int[] NONE = new int[0];

  // Allocated on the first match: most texts have none.
  private int[] start = NONE;
  private int[] end = NONE;
  private int[] label = NONE;
  private int count;

  /**
   * Adds the match {@code [from, to)}. Matches come in the order of their ends (from the automaton)
   * or of their starts (from the filtered scan), or the latter then the former: either way a match
   * never lies wholly before the last stretch.
   */
  void add(int from, int to, int matchLabel) {
    // A stream may already have written what lies before 0: mask what remains.
    int s = Math.max(from, 0);
    int k = count;
    while (k > 0 && end[k - 1] > s) {
      k--;
    }
    if (k < count) {
      int last = end[count - 1];
      if (s < start[k] || (s == start[k] && to > last)) {
        start[k] = s;
        label[k] = matchLabel;
      }
      end[k] = Math.max(last, to);
      count = k + 1;
      return;
    }
    if (count == start.length) {
      int size = Math.max(4, count * 2);
      start = Arrays.copyOf(start, size);
      end = Arrays.copyOf(end, size);
      label = Arrays.copyOf(label, size);
    }
    start[count] = s;
    end[count] = to;
    label[count] = matchLabel;
    count++;
  }

  int count() {
    return count;
  }

  int start(int i) {
    return start[i];
  }

  int end(int i) {
    return end[i];
  }

  int label(int i) {
    return label[i];
  }

  /** Drops the first {@code n} stretches and moves the rest {@code shift} characters left. */
  void drop(int n, int shift) {
    for (int i = n; i < count; i++) {
      start[i - n] = start[i] - shift;
      end[i - n] = end[i] - shift;
      label[i - n] = label[i];
    }
    count -= n;
  }

  void clear() {
    count = 0;
  }
}
