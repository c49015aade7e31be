package io.latchkey.scan;

import java.util.Arrays;

/** What the detectors found in one window, before overlaps are settled. */
final class Candidates {
  /** How the fingerprint reads a value: as it stands, or its base64 characters alone. */
  static final int AS_IS = 0;

  /** A key whose line breaks may be raw, escaped or gone: only the base64 characters count. */
  static final int BASE64_ONLY = 1;

  int count;
  Rule[] rule = new Rule[8];
  int[] start = new int[8];
  int[] end = new int[8];
  int[] form = new int[8];
  String[] excerpt = new String[8];

  void add(Rule r, int from, int to, String shown, int fingerprintForm) {
    if (count == start.length) {
      int n = count * 2;
      rule = Arrays.copyOf(rule, n);
      start = Arrays.copyOf(start, n);
      end = Arrays.copyOf(end, n);
      form = Arrays.copyOf(form, n);
      excerpt = Arrays.copyOf(excerpt, n);
    }
    rule[count] = r;
    start[count] = from;
    end[count] = to;
    form[count] = fingerprintForm;
    excerpt[count] = shown;
    count++;
  }

  void add(Rule r, int from, int to, String shown) {
    add(r, from, to, shown, AS_IS);
  }

  void clear() {
    Arrays.fill(rule, 0, count, null);
    Arrays.fill(excerpt, 0, count, null);
    count = 0;
  }
}
