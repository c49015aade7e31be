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
   * Whether {@code t[from, to)} reads as the name of a setting, so that showing it shows no secret:
   * letters first, then letters, digits, {@code _}, {@code .} and {@code -}; not cut from a longer
   * run; not shaped like a token; and not something any rule of the scanner reports. A text that
   * fails is masked like the value: a key id, a hash or a token in the name's place is not a name.
   */
  static boolean isName(char[] t, int from, int to) {
    if (to <= from || to - from > MAX_NAME || !(Chars.isUpper(t[from]) || Chars.isLower(t[from]))) {
      return false;
    }
    for (int i = from; i < to; i++) {
      if (!Chars.NAME.has(t[i])) {
        return false;
      }
    }
    int classes = Chars.classes(t, from, to);
    boolean mixed = (classes & (Chars.UPPER | Chars.LOWER | Chars.DIGIT)) == 7;
    return !mixed && !isTokenShaped(t, from, to) && !isReported(new String(t, from, to - from));
  }

  /** The longest run of digits a name holds ({@code 2024}); a longer one is an id or a number. */
  private static final int MAX_DIGIT_RUN = 4;

  /** The longest run of hex digits, a digit among them, a name holds; a longer one is a hash. */
  private static final int MAX_HEX_RUN = 7;

  /** How often a name switches between letters and digits ({@code OAUTH2_S3_V1} does 3 times). */
  private static final int MAX_SWITCHES = 3;

  /**
   * Whether the text has the shape of an identifier or token rather than of words: long runs of
   * digits or hex digits, letters and digits alternating (an access key id), or, in a name of both
   * cases, upper-case letters in pairs inside a word, which camel case does not write.
   */
  private static boolean isTokenShaped(char[] t, int from, int to) {
    int digits = 0;
    int hex = 0;
    boolean hexHasDigit = false;
    int switches = 0;
    boolean bothCases = (Chars.classes(t, from, to) & (Chars.UPPER | Chars.LOWER)) == 3;
    for (int i = from; i < to; i++) {
      char c = t[i];
      boolean digit = Chars.isDigit(c);
      digits = digit ? digits + 1 : 0;
      boolean isHex = digit || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
      hexHasDigit = isHex && (hexHasDigit || digit);
      hex = isHex ? hex + 1 : 0;
      if (digits > MAX_DIGIT_RUN || (hex > MAX_HEX_RUN && hexHasDigit)) {
        return true;
      }
      if (i > from && Chars.isAlnum(t[i - 1]) && Chars.isAlnum(c)) {
        if (digit != Chars.isDigit(t[i - 1]) && ++switches > MAX_SWITCHES) {
          return true;
        }
      }
      if (bothCases
          && i > from + 1
          && i < to - 1
          && Chars.isUpper(c)
          && Chars.isUpper(t[i - 1])
          && Chars.isLower(t[i + 1])) {
        return true;
      }
    }
    return false;
  }

  /** Guards the check below, which scans, against running again inside its own scan. */
  private static final ThreadLocal<Boolean> CHECKING = new ThreadLocal<>();

  /**
   * Whether a rule of the scanner reports something in the text: a credential in the name's place
   * is masked however name-like its characters are.
   */
  private static boolean isReported(String name) {
    if (CHECKING.get() != null) {
      return true; // a finding inside a name being checked: its own name is not shown
    }
    CHECKING.set(Boolean.TRUE);
    try {
      return !SecretScanner.defaults().scan(name).isEmpty();
    } finally {
      CHECKING.remove();
    }
  }
}
