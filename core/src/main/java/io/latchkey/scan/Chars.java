package io.latchkey.scan;

/**
 * What the detectors ask of the characters around a keyword: classes, runs, Shannon entropy. Every
 * method reads {@code t[from, limit)} and never past {@code limit}.
 */
final class Chars {
  /** Which characters a run takes. */
  interface Set {
    boolean has(char c);
  }

  /** Letters and digits of ASCII. */
  static final Set ALNUM = Chars::isAlnum;

  /** The alphabet of base64url: letters, digits, {@code -} and {@code _}. */
  static final Set BASE64URL = c -> isAlnum(c) || c == '-' || c == '_';

  /** The alphabet of standard base64 without its padding. */
  static final Set BASE64 = c -> isAlnum(c) || c == '+' || c == '/';

  /** The characters of an identifier or a dotted, dashed setting name. */
  static final Set NAME = c -> isAlnum(c) || c == '_' || c == '-' || c == '.';

  static final int UPPER = 1;
  static final int LOWER = 2;
  static final int DIGIT = 4;
  static final int SYMBOL = 8;

  private Chars() {}

  static boolean isAlnum(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  }

  static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  static boolean isUpper(char c) {
    return c >= 'A' && c <= 'Z';
  }

  static boolean isLower(char c) {
    return c >= 'a' && c <= 'z';
  }

  /** The end of the run of {@code set} characters from {@code from}, at most {@code max} long. */
  static int run(char[] t, int from, int limit, Set set, int max) {
    int end = Math.min(limit, from + max);
    int i = from;
    while (i < end && set.has(t[i])) {
      i++;
    }
    return i;
  }

  /**
   * The start of the run of {@code set} characters that ends at {@code end}, at most {@code max}.
   */
  static int runBack(char[] t, int end, int floor, Set set, int max) {
    int start = Math.max(floor, end - max);
    int i = end;
    while (i > start && set.has(t[i - 1])) {
      i--;
    }
    return i;
  }

  /** Whether {@code t} holds {@code s} at {@code at}, exactly. */
  static boolean at(char[] t, int at, int limit, String s) {
    if (at < 0 || at + s.length() > limit) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      if (t[at + i] != s.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  /** Whether {@code t} holds {@code s}, in lower case, at {@code at}, ASCII letters in any case. */
  static boolean atIgnoreCase(char[] t, int at, int limit, String s) {
    if (at < 0 || at + s.length() > limit) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = t[at + i];
      if (isUpper(c)) {
        c = (char) (c + ('a' - 'A'));
      }
      if (c != s.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  /** The index of the first {@code s} (exact) in {@code t[from, to)}, or -1. */
  static int indexOf(char[] t, int from, int to, String s) {
    char first = s.charAt(0);
    for (int i = from; i + s.length() <= to; i++) {
      if (t[i] == first && at(t, i, to, s)) {
        return i;
      }
    }
    return -1;
  }

  /** The index of the first {@code s} (lower case, matched in any case) in {@code t[from, to)}. */
  static int indexOfIgnoreCase(char[] t, int from, int to, String s) {
    for (int i = from; i + s.length() <= to; i++) {
      if (atIgnoreCase(t, i, to, s)) {
        return i;
      }
    }
    return -1;
  }

  /** Which of {@link #UPPER}, {@link #LOWER}, {@link #DIGIT} and {@link #SYMBOL} occur. */
  static int classes(char[] t, int from, int to) {
    int seen = 0;
    for (int i = from; i < to; i++) {
      char c = t[i];
      if (isUpper(c)) {
        seen |= UPPER;
      } else if (isLower(c)) {
        seen |= LOWER;
      } else if (isDigit(c)) {
        seen |= DIGIT;
      } else if (c != '-' && c != '_' && c != '.') {
        // Separators of words and versions do not make a value look random.
        seen |= SYMBOL;
      }
    }
    return seen;
  }

  /** The number of classes in a set from {@link #classes}. */
  static int count(int classes) {
    return Integer.bitCount(classes);
  }

  /**
   * The Shannon entropy of the characters of {@code t[from, to)}, in bits per character: 0 for a
   * repeated character, {@code log2(n)} at most for {@code n} characters.
   */
  static double entropy(char[] t, int from, int to) {
    int n = to - from;
    if (n <= 0) {
      return 0;
    }
    int[] counts = new int[129];
    for (int i = from; i < to; i++) {
      char c = t[i];
      counts[c < 128 ? c : 128]++;
    }
    double h = 0;
    for (int count : counts) {
      if (count > 0) {
        double p = (double) count / n;
        h -= p * Math.log(p);
      }
    }
    return h / Math.log(2);
  }

  /** Whether the line that holds {@code t[from, to)} ends before {@code to}. */
  static boolean hasLineBreak(char[] t, int from, int to) {
    for (int i = from; i < to; i++) {
      if (t[i] == '\n' || t[i] == '\r') {
        return true;
      }
    }
    return false;
  }
}
