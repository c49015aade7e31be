package io.latchkey.scan;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The scan: a text read in windows of {@value #WINDOW} characters, each overlapping the one before
 * by {@value #OVERLAP}, so that memory stays bounded whatever the text's size and a credential
 * across a window's edge is still seen whole.
 *
 * <p>In each window the keyword automaton reads every character once; each keyword it reports wakes
 * its detector, which validates what lies around it. A detector looks at most {@value #LOOKBEHIND}
 * characters before what it reports and {@value #SPAN} after its start, so a window reports only
 * what starts at least {@value #SPAN} characters before its end (the next window, which begins
 * {@value #OVERLAP} characters before this one's end, sees the rest whole) and at least {@value
 * #LOOKBEHIND} after its start (the previous window reported what comes before). Each finding is
 * thus reported by exactly one window.
 *
 * <p>Where findings overlap, the one of the more specific rule stays: a key inside a
 * service-account file is that file's finding, and a token a provider's rule recognises is not also
 * a generic secret.
 */
final class Engine {
  /** How far before what it reports a detector may look. */
  static final int LOOKBEHIND = 8192;

  /** How far after the start of what it reports a detector may look. */
  static final int SPAN = 12288;

  static final int OVERLAP = LOOKBEHIND + SPAN;

  static final int WINDOW = 1 << 18;

  /** Where the characters come from: a reader's {@code read}, or a copy from a string. */
  interface Source {
    /** As {@link java.io.Reader#read(char[], int, int)}: -1 at the end. */
    int read(char[] buffer, int offset, int length) throws IOException;
  }

  /** Receives every candidate a window accepts, before overlaps are settled: what a mask covers. */
  interface Spans {
    void span(long start, long end, Rule rule);
  }

  private final Keywords keywords;
  private final Detector[] detectorOf;
  private final int[] localIndex;
  private final Set<Rule> enabled;
  private final Set<String> allowed;

  Engine(List<Detector> detectors, Set<Rule> enabled, Set<String> allowed) {
    List<String> words = new ArrayList<>();
    List<Detector> owners = new ArrayList<>();
    List<Integer> locals = new ArrayList<>();
    for (Detector d : detectors) {
      if (d.rules().stream().noneMatch(enabled::contains)) {
        continue;
      }
      for (int k = 0; k < d.keywords().size(); k++) {
        words.add(d.keywords().get(k));
        owners.add(d);
        locals.add(k);
      }
    }
    this.keywords = Keywords.compile(words.isEmpty() ? List.of("\u007f") : words);
    this.detectorOf = owners.toArray(new Detector[0]);
    this.localIndex = locals.stream().mapToInt(Integer::intValue).toArray();
    this.enabled = Set.copyOf(enabled);
    this.allowed = Set.copyOf(allowed);
  }

  /**
   * Scans a text.
   *
   * @param source the characters
   * @param size the text's length if known (a smaller buffer serves a short text), else -1
   * @param findings receives the findings, in the order of their offsets
   * @param spans receives the stretches to mask, or null
   * @return the number of findings
   */
  long scan(Source source, long size, Consumer<? super Finding> findings, Spans spans)
      throws IOException {
    int capacity = size >= 0 && size < WINDOW ? (int) Math.max(1, size) : WINDOW;
    Pass pass = new Pass(new Window(capacity), findings, spans);
    boolean end = false;
    int acceptFrom = 0;
    while (true) {
      Window w = pass.window;
      while (!end && w.length < w.chars.length) {
        int read = source.read(w.chars, w.length, w.chars.length - w.length);
        if (read < 0) {
          end = true;
        } else {
          w.length += read;
        }
      }
      if (size >= 0 && pass.base + w.length >= size) {
        end = true; // the whole text is read, as its size says, without asking for more
      }
      pass.window(acceptFrom, end ? w.length : w.length - SPAN);
      if (end) {
        return pass.count;
      }
      pass.slide(w.length - OVERLAP);
      acceptFrom = LOOKBEHIND;
    }
  }

  /** One scan's state: the window, what it found, and where lines begin. */
  private final class Pass implements Keywords.Hits {
    final Window window;
    final Candidates candidates = new Candidates();
    final Consumer<? super Finding> findings;
    final Spans spans;
    long count;
    long base;
    int cursor;
    long line = 1;
    long lineStart;

    Pass(Window window, Consumer<? super Finding> findings, Spans spans) {
      this.window = window;
      this.findings = findings;
      this.spans = spans;
    }

    @Override
    public void hit(int keyword, int end) {
      detectorOf[keyword].detect(
          window, localIndex[keyword], end - keywords.length(keyword), end, candidates);
    }

    /** Scans the window and reports what starts in {@code [from, to)}. */
    void window(int from, int to) {
      candidates.clear();
      keywords.run(window.chars, 0, window.length, this);
      Candidates c = candidates;
      long[] order = new long[c.count];
      int accepted = 0;
      for (int i = 0; i < c.count; i++) {
        if (c.start[i] >= from && c.start[i] < to && enabled.contains(c.rule[i])) {
          // Ordered by start, then the more specific rule, then the longer, then the index.
          order[accepted++] =
              ((long) c.start[i] << 36)
                  | ((long) (7 - c.rule[i].priority()) << 33)
                  | ((long) Math.min(0xfff, c.start[i] + 0xfff - c.end[i]) << 21)
                  | i;
        }
      }
      Arrays.sort(order, 0, accepted);
      String[] fingerprints = new String[c.count];
      int kept = -1;
      List<Integer> report = new ArrayList<>();
      for (int k = 0; k < accepted; k++) {
        int i = (int) (order[k] & 0x1fffff);
        fingerprints[i] = Fingerprints.of(c.rule[i], window.chars, c.start[i], c.end[i], c.form[i]);
        if (allowed.contains(fingerprints[i])) {
          continue;
        }
        if (spans != null) {
          spans.span(base + c.start[i], base + c.end[i], c.rule[i]);
        }
        if (kept >= 0 && c.start[i] < c.end[kept]) {
          if (c.rule[i].priority() > c.rule[kept].priority()) {
            report.set(report.size() - 1, i);
            kept = i;
          }
          continue;
        }
        report.add(i);
        kept = i;
      }
      for (int i : report) {
        advance(c.start[i]);
        long offset = base + c.start[i];
        Finding f =
            new Finding(
                c.rule[i],
                line,
                offset - lineStart + 1,
                offset,
                c.end[i] - c.start[i],
                c.excerpt[i],
                fingerprints[i]);
        count++;
        if (findings != null) {
          findings.accept(f);
        }
      }
    }

    /** Moves the line count to {@code to}, an index in the window at or after the cursor. */
    void advance(int to) {
      char[] t = window.chars;
      for (int i = cursor; i < to; i++) {
        if (t[i] == '\n') {
          line++;
          lineStart = base + i + 1;
        }
      }
      cursor = Math.max(cursor, to);
    }

    /** Drops the characters before {@code keep}; the rest moves to the start of the window. */
    void slide(int keep) {
      advance(keep);
      Window w = window;
      System.arraycopy(w.chars, keep, w.chars, 0, w.length - keep);
      w.length -= keep;
      base += keep;
      cursor -= keep;
    }
  }
}
