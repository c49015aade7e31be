package io.latchkey.redact;

import java.util.Arrays;
import java.util.List;

/**
 * An Aho–Corasick automaton over a set of patterns, compiled once and immutable, so any number of
 * threads run it at once.
 *
 * <p>Characters are first mapped to classes (the characters that occur in some pattern, each its
 * own class, and class 0 for every other character), which keeps the tables small. States are
 * numbered breadth first, so the shallow states, where a scan spends nearly all its time, come
 * first: each of the first {@link #dense} states has a full row of transitions with the failure
 * links already followed, so one table read per character moves the scan on. Deeper states keep
 * their children in a list and a failure link, which bounds the tables' size whatever the number of
 * patterns; the unbranched stretches below them are also kept as {@link Chains} of characters, for
 * the walks that check a candidate start.
 *
 * <p>A state is handled as an encoded integer: {@code id << shift} (the offset of its row; rows are
 * a power of two wide) for a dense state with no pattern ending in it, and {@code ~id} (negative)
 * for every other state, so that the scan loop's common case is one array read and one sign test.
 *
 * <p>Strings are searched through a {@link Prefilter}, which rules out nearly every position before
 * the automaton is consulted; streams, which must carry a state from one piece to the next, run the
 * automaton over every character.
 */
final class Automaton {
  /** The largest number of cells in the table of dense rows: 1 MiB of transitions. */
  private static final int DENSE_CELLS = 1 << 18;

  /** The size of the pieces a text is copied in for a scan. */
  private static final int CHUNK = 4096;

  private final int shift;
  private final int[] ascii;
  private final char[] wideChars;
  private final int[] wideClasses;
  private final int dense;
  private final int[] delta;
  private final int[] childStart;
  private final int[] childClass;
  private final int[] childNext;
  private final int[] fail;
  private final int[] depth;
  private final int[] outLength;
  private final int[] outLabel;
  private final int patterns;
  private final Prefilter prefilter;
  private final Chains chains;

  private Automaton(
      Trie trie,
      char[] classChars,
      int[] ascii,
      char[] wideChars,
      int[] wideClasses,
      Prefilter prefilter) {
    this.prefilter = prefilter;
    this.shift = 32 - Integer.numberOfLeadingZeros(trie.classes - 1);
    int stride = 1 << shift;
    this.ascii = ascii;
    this.wideChars = wideChars;
    this.wideClasses = wideClasses;
    this.patterns = trie.patterns;
    int n = trie.size;
    int[] order = trie.breadthFirst();
    int[] id = new int[n];
    for (int i = 0; i < n; i++) {
      id[order[i]] = i;
    }
    this.dense = Math.max(1, Math.min(n, DENSE_CELLS >> shift));
    this.fail = new int[n];
    this.depth = new int[n];
    this.outLength = new int[n];
    this.outLabel = new int[n];
    for (int i = 1; i < n; i++) {
      int node = order[i];
      int parent = id[trie.parent[node]];
      depth[i] = depth[parent] + 1;
      fail[i] = parent == 0 ? 0 : failure(trie, order, id, fail[parent], trie.nodeClass[node]);
      if (trie.label[node] >= 0) {
        outLength[i] = depth[i];
        outLabel[i] = trie.label[node];
      } else {
        outLength[i] = outLength[fail[i]];
        outLabel[i] = outLabel[fail[i]];
      }
    }
    this.delta = new int[dense << shift];
    for (int s = 0; s < dense; s++) {
      int row = s << shift;
      if (s != 0) {
        System.arraycopy(delta, fail[s] << shift, delta, row, stride);
      }
      for (int child = trie.firstChild[order[s]]; child >= 0; child = trie.nextSibling[child]) {
        delta[row + trie.nodeClass[child]] = encode(id[child]);
      }
    }
    int sparse = n - dense;
    this.childStart = new int[sparse + 1];
    int edges = 0;
    for (int s = dense; s < n; s++) {
      childStart[s - dense] = edges;
      edges += trie.childCount(order[s]);
    }
    childStart[sparse] = edges;
    this.childClass = new int[edges];
    this.childNext = new int[edges];
    for (int s = dense; s < n; s++) {
      int k = childStart[s - dense];
      for (int child = trie.firstChild[order[s]]; child >= 0; child = trie.nextSibling[child]) {
        childClass[k] = trie.nodeClass[child];
        childNext[k++] = encode(id[child]);
      }
    }
    this.chains = Chains.of(trie, order, id, classChars);
  }

  /**
   * Compiles patterns into an automaton.
   *
   * @param patterns the patterns, non-empty and distinct
   * @param labels each pattern's label, reported with its matches
   */
  static Automaton compile(List<String> patterns, int[] labels) {
    char[] chars = distinctChars(patterns);
    int[] ascii = new int[128];
    int wide = 0;
    for (char c : chars) {
      wide += c < 128 ? 0 : 1;
    }
    char[] wideChars = new char[wide];
    int[] wideClasses = new int[wide];
    int w = 0;
    for (int i = 0; i < chars.length; i++) {
      if (chars[i] < 128) {
        ascii[chars[i]] = i + 1;
      } else {
        wideChars[w] = chars[i];
        wideClasses[w++] = i + 1;
      }
    }
    Trie trie = new Trie(chars.length + 1);
    for (int p = 0; p < patterns.size(); p++) {
      String pattern = patterns.get(p);
      int node = 0;
      for (int i = 0; i < pattern.length(); i++) {
        char c = pattern.charAt(i);
        node = trie.child(node, 1 + Arrays.binarySearch(chars, c));
      }
      trie.end(node, labels[p]);
    }
    return new Automaton(trie, chars, ascii, wideChars, wideClasses, Prefilter.of(patterns));
  }

  private static char[] distinctChars(List<String> patterns) {
    boolean[] seen = new boolean[Character.MAX_VALUE + 1];
    int count = 0;
    for (String pattern : patterns) {
      for (int i = 0; i < pattern.length(); i++) {
        char c = pattern.charAt(i);
        if (!seen[c]) {
          seen[c] = true;
          count++;
        }
      }
    }
    char[] chars = new char[count];
    int k = 0;
    for (int c = 0; c <= Character.MAX_VALUE; c++) {
      if (seen[c]) {
        chars[k++] = (char) c;
      }
    }
    return chars;
  }

  /**
   * Where a state's failure link points: the deepest state reached from {@code state} (the parent's
   * failure) by {@code cls}, following failure links, which are already known for every shallower
   * state.
   */
  private int failure(Trie trie, int[] order, int[] id, int state, int cls) {
    int s = state;
    while (true) {
      int child = trie.find(order[s], cls);
      if (child >= 0) {
        return id[child];
      }
      if (s == 0) {
        return 0;
      }
      s = fail[s];
    }
  }

  private int encode(int id) {
    return id < dense && outLength[id] == 0 ? id << shift : ~id;
  }

  /** The encoded state every scan starts from. */
  static int start() {
    return 0;
  }

  /**
   * Finds every stretch of {@code text[from, length)} to mask; null when there is none, so that a
   * text without values costs no allocation beyond the scan's buffer.
   */
  Regions find(CharSequence text, int from) {
    if (patterns == 0 || from >= text.length()) {
      return null;
    }
    return prefilter == null ? runAll(text, from, null) : prefilter.find(this, text, from);
  }

  /**
   * Walks the trie from {@code text[start]}: the terminal state of the longest pattern that starts
   * there (or -1) in the low 32 bits, and the number of characters walked in the high 32 bits.
   */
  long longestAt(CharSequence text, int start) {
    int s = 0;
    int at = start;
    int longest = -1;
    while (true) {
      int chain = chains.length(s);
      if (chain > 0) {
        int matched = chains.match(s, text, at);
        at += matched;
        if (matched < chain) {
          break;
        }
        s = chains.end(s);
      } else {
        if (at == text.length()) {
          break;
        }
        char c = text.charAt(at);
        int cls = c < 128 ? ascii[c] : wideClass(c);
        int id = cls == 0 ? -1 : child(s, cls);
        if (id < 0) {
          break;
        }
        s = id;
        at++;
      }
      if (outLength[s] == depth[s]) {
        longest = s;
      }
    }
    return ((long) (at - start) << 32) | (longest & 0xffffffffL);
  }

  /** The length of the pattern that ends in a terminal state {@link #longestAt} gave. */
  int length(int terminal) {
    return depth[terminal];
  }

  /** The label of the pattern that ends in a terminal state {@link #longestAt} gave. */
  int label(int terminal) {
    return outLabel[terminal];
  }

  /**
   * Runs the automaton from {@code text[from]} to the end, adding to what was found before it: the
   * scan for texts that the prefilter cannot help with, linear whatever the text.
   */
  Regions runAll(CharSequence text, int from, Regions before) {
    Regions found = before == null ? new Regions() : before;
    char[] chunk = new char[Math.min(text.length() - from, CHUNK)];
    int state = start();
    for (int base = from; base < text.length(); base += chunk.length) {
      int to = Math.min(text.length(), base + chunk.length);
      copy(text, base, to, chunk);
      state = run(chunk, 0, to - base, state, base, found);
    }
    return found.count() == 0 ? null : found;
  }

  /** Copies {@code text[from, to)} to the start of {@code chars}, in bulk where the type allows. */
  static void copy(CharSequence text, int from, int to, char[] chars) {
    if (text instanceof String s) {
      s.getChars(from, to, chars, 0);
    } else if (text instanceof StringBuilder sb) {
      sb.getChars(from, to, chars, 0);
    } else {
      for (int i = from; i < to; i++) {
        chars[i - from] = text.charAt(i);
      }
    }
  }

  /**
   * Runs the automaton over {@code chars[from, to)}, from an encoded state, and adds every match to
   * {@code found}, at its position plus {@code offset}.
   *
   * @return the encoded state after the last character
   */
  int run(char[] chars, int from, int to, int state, int offset, Regions found) {
    int st = state;
    for (int i = from; i < to; i++) {
      char c = chars[i];
      int cls = c < 128 ? ascii[c] : wideClass(c);
      st = st >= 0 ? delta[st + cls] : slowStep(~st, cls);
      if (st < 0) {
        int len = outLength[~st];
        if (len != 0) {
          found.add(offset + i + 1 - len, offset + i + 1, outLabel[~st]);
        }
      }
    }
    return st;
  }

  /**
   * Tells how many of the last characters read may still begin a match: the length of the longest
   * suffix of the text so far that is a prefix of some pattern.
   */
  int pending(int state) {
    return depth[state >= 0 ? state >>> shift : ~state];
  }

  /** The child of state {@code s} by {@code cls} in the trie, or -1: no failure links followed. */
  private int child(int s, int cls) {
    if (s < dense) {
      int next = delta[(s << shift) + cls];
      int id = next >= 0 ? next >>> shift : ~next;
      // A dense row also holds failure transitions, which lead no deeper.
      return depth[id] == depth[s] + 1 ? id : -1;
    }
    int end = childStart[s - dense + 1];
    for (int k = childStart[s - dense]; k < end; k++) {
      if (childClass[k] == cls) {
        int next = childNext[k];
        return next >= 0 ? next >>> shift : ~next;
      }
    }
    return -1;
  }

  private int slowStep(int id, int cls) {
    if (cls == 0) {
      return 0;
    }
    int s = id;
    while (s >= dense) {
      int end = childStart[s - dense + 1];
      for (int k = childStart[s - dense]; k < end; k++) {
        if (childClass[k] == cls) {
          return childNext[k];
        }
      }
      s = fail[s];
    }
    return delta[(s << shift) + cls];
  }

  private int wideClass(char c) {
    int i = Arrays.binarySearch(wideChars, c);
    return i < 0 ? 0 : wideClasses[i];
  }

  /** The number of patterns. */
  int patterns() {
    return patterns;
  }

  /** The number of states. */
  int states() {
    return fail.length;
  }
}
