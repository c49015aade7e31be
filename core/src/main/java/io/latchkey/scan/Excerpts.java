package io.latchkey.scan;

/**
 * The masked excerpts findings carry: a short public part of the credential's format, or the name
 * it is assigned to, then {@value #MASK}. Never more than {@value #MAX_PREFIX} characters of the
 * value itself, so no excerpt holds a run of it long enough to matter.
 */
final class Excerpts {
  /** What stands for the value. */
  static final String MASK = "****";

  /** The most characters of the value an excerpt shows: a provider's prefix, cut short. */
  static final int MAX_PREFIX = 7;

  /** The longest name shown before a masked value. */
  private static final int MAX_NAME = 40;

  private Excerpts() {}

  /** The value's first {@code prefix} characters (at most {@value #MAX_PREFIX}), then the mask. */
  static String prefixed(char[] t, int from, int prefix) {
    return new String(t, from, Math.min(prefix, MAX_PREFIX)) + MASK;
  }

  /** A fixed label, then the mask: {@code hooks.slack.com/services/****}. */
  static String labelled(String label) {
    return label + MASK;
  }

  /**
   * The name a value is assigned to, then {@code =} and the mask ({@code DB_PASSWORD=****}): the
   * setting, key or option just before the value, past the quotes, blanks and operator between
   * them; the mask alone when there is none.
   */
  static String named(char[] t, int valueStart) {
    int i = valueStart;
    int floor = Math.max(0, valueStart - 8);
    while (i > floor && " \t\"'`:=>(".indexOf(t[i - 1]) >= 0) {
      i--;
    }
    int nameStart = Chars.runBack(t, i, 0, Chars.NAME, MAX_NAME + 1);
    while (nameStart < i && (t[nameStart] == '-' || t[nameStart] == '.')) {
      nameStart++;
    }
    return isName(t, nameStart, i) ? new String(t, nameStart, i - nameStart) + "=" + MASK : MASK;
  }

  /**
   * Whether {@code t[from, to)} reads as a name, so that showing it shows no secret: not empty, not
   * cut from a longer run, and not shaped like a token (digits mixed into both cases of letters).
   */
  static boolean isName(char[] t, int from, int to) {
    if (to <= from || to - from > MAX_NAME) {
      return false;
    }
    int classes = Chars.classes(t, from, to);
    boolean mixed = (classes & (Chars.UPPER | Chars.LOWER | Chars.DIGIT)) == 7;
    return !mixed && (classes & (Chars.UPPER | Chars.LOWER)) != 0;
  }
}
