package io.latchkey.config;

import static java.util.Objects.requireNonNull;

import io.latchkey.Secret;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The parsers behind {@link ValueType}: each turns a stripped text into a value or throws {@link
 * ValueType.Invalid} with a reason that never contains the text, so that the loader decides per
 * setting whether to quote it.
 */
final class ValueParsers {
  private ValueParsers() {}

  static Duration durationText(String text) {
    requireNonNull(text, "text");
    if (text.isEmpty()) {
      throw new IllegalArgumentException("is empty");
    }
    char first = text.charAt(0);
    if (first == 'P' || first == 'p' || first == '-' || first == '+') {
      try {
        return Duration.parse(text);
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException("is not a duration");
      }
    }
    // Units in sequence, such as 1h30m; each a whole number and a unit.
    long millis = 0;
    int i = 0;
    int n = text.length();
    try {
      while (i < n) {
        int digits = i;
        while (i < n && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
          i++;
        }
        if (i == digits) {
          throw new IllegalArgumentException("is not a duration");
        }
        long amount = Long.parseLong(text, digits, i, 10);
        int unitStart = i;
        while (i < n && Character.isLetter(text.charAt(i))) {
          i++;
        }
        if (unitStart == i) {
          throw new IllegalArgumentException(i == n ? "has no unit" : "is not a duration");
        }
        long unit = unitMillis(text.substring(unitStart, i).toLowerCase(Locale.ROOT));
        millis = Math.addExact(millis, Math.multiplyExact(amount, unit));
      }
    } catch (ArithmeticException | NumberFormatException e) {
      throw new IllegalArgumentException("is too long");
    }
    return Duration.ofMillis(millis);
  }

  private static long unitMillis(String unit) {
    switch (unit) {
      case "ms":
        return 1;
      case "s":
        return 1_000;
      case "m":
        return 60_000;
      case "h":
        return 3_600_000;
      case "d":
        return 86_400_000;
      default:
        throw new IllegalArgumentException("has an unknown unit (use ms, s, m, h or d)");
    }
  }

  static Integer parseInt(String s, int min, int max) throws ValueType.Invalid {
    long value;
    try {
      value = Long.parseLong(s);
    } catch (NumberFormatException e) {
      throw new ValueType.Invalid(looksNumeric(s) ? "is too large" : "is not an integer");
    }
    if (value < min) {
      throw new ValueType.Invalid("is less than " + min);
    }
    if (value > max) {
      throw new ValueType.Invalid("is greater than " + max);
    }
    return (int) value;
  }

  static boolean looksNumeric(String s) {
    int start = !s.isEmpty() && (s.charAt(0) == '-' || s.charAt(0) == '+') ? 1 : 0;
    if (start == s.length()) {
      return false;
    }
    for (int i = start; i < s.length(); i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }

  static Boolean parseBoolean(String s) throws ValueType.Invalid {
    switch (s.toLowerCase(Locale.ROOT)) {
      case "true":
      case "yes":
      case "1":
        return Boolean.TRUE;
      case "false":
      case "no":
      case "0":
        return Boolean.FALSE;
      default:
        throw new ValueType.Invalid("is not a boolean");
    }
  }

  static Duration parseDuration(String s) throws ValueType.Invalid {
    Duration d;
    try {
      d = durationText(s);
    } catch (IllegalArgumentException e) {
      throw new ValueType.Invalid(e.getMessage());
    }
    if (d.isNegative()) {
      throw new ValueType.Invalid("is negative");
    }
    return d;
  }

  static String formatDuration(Duration d) {
    if (d.isZero()) {
      return "0s";
    }
    if (d.toNanosPart() % 1_000_000 != 0) {
      return d.toString();
    }
    long millis;
    try {
      millis = d.toMillis();
    } catch (ArithmeticException e) {
      return d.toString();
    }
    long[] units = {86_400_000, 3_600_000, 60_000, 1_000, 1};
    String[] names = {"d", "h", "m", "s", "ms"};
    for (int i = 0; i < units.length; i++) {
      if (millis % units[i] == 0) {
        return millis / units[i] + names[i];
      }
    }
    return d.toString();
  }

  static URI parseUri(String s, Set<String> schemes) throws ValueType.Invalid {
    URI uri;
    try {
      uri = new URI(s);
    } catch (URISyntaxException e) {
      // The reason is a fixed phrase ("Illegal character in authority"); the input is left out.
      throw new ValueType.Invalid("is not a valid URI (" + e.getReason() + ")");
    }
    if (!uri.isAbsolute()) {
      throw new ValueType.Invalid("is not an absolute URI (it has no scheme)");
    }
    if (!schemes.isEmpty() && !schemes.contains(uri.getScheme().toLowerCase(Locale.ROOT))) {
      throw new ValueType.Invalid("has a scheme that is not allowed");
    }
    return uri;
  }

  static boolean isSchemeName(String s) {
    if (!Character.isLetter(s.charAt(0))) {
      return false;
    }
    for (int i = 1; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!(Character.isLetterOrDigit(c) || c == '+' || c == '-' || c == '.')) {
        return false;
      }
    }
    return true;
  }

  /** The key an enum value is matched by: lower case, with hyphens and underscores alike. */
  static String enumKey(String s) {
    return s.toLowerCase(Locale.ROOT).replace('-', '_');
  }

  static <E> E lookup(Map<String, E> byKey, String s) throws ValueType.Invalid {
    E value = byKey.get(enumKey(s));
    if (value == null) {
      throw new ValueType.Invalid("is not an allowed value");
    }
    return value;
  }

  static <E> List<E> parseList(String s, ValueType<E> element) throws ValueType.Invalid {
    if (s.isBlank()) {
      return List.of();
    }
    List<E> values = new ArrayList<>();
    int start = 0;
    int entry = 1;
    while (true) {
      int comma = s.indexOf(',', start);
      String part = (comma < 0 ? s.substring(start) : s.substring(start, comma)).strip();
      if (part.isEmpty()) {
        throw new ValueType.Invalid("has an empty entry (entry " + entry + ")");
      }
      try {
        values.add(element.parse(part));
      } catch (ValueType.Invalid e) {
        throw new ValueType.Invalid("has an invalid entry " + entry + ", which " + e.getMessage());
      }
      if (comma < 0) {
        return List.copyOf(values);
      }
      start = comma + 1;
      entry++;
    }
  }

  /**
   * Shape check only: 43 base64 characters (either alphabet, as pyca accepts), then '='. Every
   * failure gives the same reason: a key's length, or which of its characters is wrong, is derived
   * from the key.
   */
  static Secret parseFernetKey(String s) throws ValueType.Invalid {
    if (s.length() != 44) {
      throw notAFernetKey();
    }
    int last = 0;
    for (int i = 0; i < 43; i++) {
      last = sextet(s.charAt(i));
      if (last < 0) {
        throw notAFernetKey();
      }
    }
    // 43 characters carry 258 bits: the last two must be zero, or the key has two spellings.
    if (s.charAt(43) != '=' || (last & 0x03) != 0) {
      throw notAFernetKey();
    }
    return Secret.of(s);
  }

  private static ValueType.Invalid notAFernetKey() {
    return new ValueType.Invalid("is not 44 characters of URL-safe base64");
  }

  static int sextet(char c) {
    if (c >= 'A' && c <= 'Z') {
      return c - 'A';
    } else if (c >= 'a' && c <= 'z') {
      return c - 'a' + 26;
    } else if (c >= '0' && c <= '9') {
      return c - '0' + 52;
    } else if (c == '-' || c == '+') {
      return 62;
    } else if (c == '_' || c == '/') {
      return 63;
    }
    return -1;
  }
}
