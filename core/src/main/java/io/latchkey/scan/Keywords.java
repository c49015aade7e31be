package io.latchkey.scan;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The rules' keywords as one deterministic automaton that reads a text once and reports every
 * occurrence of every keyword, ASCII letters matched in either case.
 *
 * <p>The scanner's keywords are few (about fifty, under a thousand states), so every state gets a
 * full row of transitions with the failure links already followed: one table read per character,
 * whatever the text. Characters that occur in no keyword share class 0, which keeps rows narrow;
 * upper- and lower-case forms of a letter share a class. States are numbered so that those where a
 * keyword ends come last, and rows are stored pre-multiplied by their width, so the loop tests for
 * a hit with one comparison.
 *
 * <p>The redactor has an automaton of its own, built for thousands of long, case-sensitive values
 * with a prefilter in front; the keywords here are short, case-insensitive and must each be
 * reported even where they overlap, which a full table does best.
 */
final class Keywords {
  /** Receives each occurrence of a keyword. */
  interface Hits {
    /**
     * One occurrence.
     *
     * @param keyword the keyword's index in the list compiled
     * @param end the index after its last character
     */
    void hit(int keyword, int end);
  }

  private final byte[] classes;
  private final int shift;
  private final char[] next;
  private final int firstHit;
  private final int[][] ends;
  private final int[] lengths;

  private Keywords(
      byte[] classes, int shift, char[] next, int firstHit, int[][] ends, int[] lengths) {
    this.classes = classes;
    this.shift = shift;
    this.next = next;
    this.firstHit = firstHit;
    this.ends = ends;
    this.lengths = lengths;
  }

  /**
   * Compiles keywords, each of printable ASCII characters.
   *
   * @param words the keywords, distinct regardless of case
   * @throws IllegalArgumentException if a keyword is empty or not printable ASCII, or two are equal
   *     regardless of case
   */
  static Keywords compile(List<String> words) {
    byte[] classes = new byte[128];
    int classCount = 1;
    List<String> lower = new ArrayList<>();
    for (String word : words) {
      String w = word.toLowerCase(Locale.ROOT);
      if (w.isEmpty() || lower.contains(w)) {
        throw new IllegalArgumentException("keywords must be non-empty and distinct");
      }
      for (int i = 0; i < w.length(); i++) {
        char c = w.charAt(i);
        if (c < 0x20 || c > 0x7e) {
          throw new IllegalArgumentException("keywords must be printable ASCII");
        }
        if (classes[c] == 0) {
          classes[c] = (byte) classCount;
          classes[Character.toUpperCase(c)] = (byte) classCount;
          classCount++;
        }
      }
      lower.add(w);
    }
    int width = Integer.highestOneBit(Math.max(1, classCount - 1)) << 1;
    // The trie, one row of children per state; -1 where there is no child.
    List<int[]> child = new ArrayList<>();
    List<int[]> own = new ArrayList<>();
    child.add(row(width));
    own.add(new int[0]);
    for (int k = 0; k < lower.size(); k++) {
      String w = lower.get(k);
      int s = 0;
      for (int i = 0; i < w.length(); i++) {
        int cls = classes[w.charAt(i)];
        if (child.get(s)[cls] < 0) {
          child.get(s)[cls] = child.size();
          child.add(row(width));
          own.add(new int[0]);
        }
        s = child.get(s)[cls];
      }
      own.set(s, append(own.get(s), k));
    }
    int states = child.size();
    int[] fail = new int[states];
    int[][] delta = new int[states][];
    int[][] ends = new int[states][];
    int[] order = new int[states];
    int ordered = 0;
    ArrayDeque<Integer> queue = new ArrayDeque<>();
    queue.add(0);
    while (!queue.isEmpty()) {
      int s = queue.poll();
      order[ordered++] = s;
      int[] kids = child.get(s);
      delta[s] = new int[width];
      ends[s] = s == 0 ? own.get(s) : union(own.get(s), ends[fail[s]]);
      for (int cls = 0; cls < width; cls++) {
        int kid = kids[cls];
        int viaFail = s == 0 ? 0 : delta[fail[s]][cls];
        if (kid >= 0 && cls != 0) {
          fail[kid] = viaFail;
          delta[s][cls] = kid;
          queue.add(kid);
        } else {
          delta[s][cls] = viaFail;
        }
      }
    }
    // Renumber: states with no keyword ending first, in breadth-first order, then the others.
    int[] number = new int[states];
    int n = 0;
    for (int pass = 0; pass < 2; pass++) {
      for (int i = 0; i < states; i++) {
        int s = order[i];
        if ((ends[s].length > 0) == (pass == 1)) {
          number[s] = n++;
        }
      }
    }
    int firstHit = 0;
    for (int s = 0; s < states; s++) {
      if (ends[s].length == 0) {
        firstHit++;
      }
    }
    int shift = Integer.numberOfTrailingZeros(width);
    if (((long) states << shift) > Character.MAX_VALUE) {
      throw new IllegalArgumentException("too many keywords for one table");
    }
    char[] next = new char[states << shift];
    int[][] endsByNumber = new int[states][];
    for (int s = 0; s < states; s++) {
      int base = number[s] << shift;
      for (int cls = 0; cls < width; cls++) {
        next[base + cls] = (char) (number[delta[s][cls]] << shift);
      }
      endsByNumber[number[s]] = ends[s];
    }
    int[] lengths = lower.stream().mapToInt(String::length).toArray();
    return new Keywords(classes, shift, next, firstHit << shift, endsByNumber, lengths);
  }

  private static int[] row(int width) {
    int[] r = new int[width];
    Arrays.fill(r, -1);
    return r;
  }

  private static int[] append(int[] a, int v) {
    int[] b = Arrays.copyOf(a, a.length + 1);
    b[a.length] = v;
    return b;
  }

  private static int[] union(int[] a, int[] b) {
    int[] u = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, u, a.length, b.length);
    return u;
  }

  /** The length of a keyword. */
  int length(int keyword) {
    return lengths[keyword];
  }

  /**
   * Reads {@code text[from, to)} and reports every keyword that ends in it, in the order of their
   * ends (keywords ending at the same place: the longest first).
   */
  void run(char[] text, int from, int to, Hits hits) {
    final byte[] cls = classes;
    final char[] table = next;
    final int accepting = firstHit;
    int s = 0;
    for (int i = from; i < to; i++) {
      char c = text[i];
      s = table[s + (c < 128 ? cls[c] : 0)];
      if (s >= accepting) {
        for (int keyword : ends[s >> shift]) {
          hits.hit(keyword, i + 1);
        }
      }
    }
  }
}
