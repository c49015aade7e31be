package io.latchkey.scan;

import java.util.Locale;
import java.util.Set;

/**
 * Values that stand for a secret rather than being one: template variables, the words that
 * documentation and fixtures put where a secret goes ({@code changeme}, {@code xxx}, {@code
 * <password>}, {@code your-api-key}), and strings too regular to be random.
 */
final class Placeholders {
  /** Found anywhere in a value (in lower case), these make it a placeholder. */
  private static final String[] PARTS = {
    "example",
    "sample",
    "placeholder",
    "changeme",
    "change_me",
    "change-me",
    "changeit",
    "dummy",
    "redacted",
    "your_",
    "your-",
    "yourpass",
    "yoursecret",
    "yourtoken",
    "yourkey",
    "insert",
    "replace",
    "todo",
    "fixme",
    "xxx",
    "***",
    "...",
    "…",
    "<",
    ">",
    "{{",
    "}}",
    "${",
    "$(",
    "%(",
    "#{",
    "@@"
  };

  /** After undoing common letter-for-digit swaps, these make a value a placeholder. */
  private static final String[] WORDS = {
    "password", "passwd", "secret", "letmein", "qwerty", "hunter", "welcome", "admin"
  };

  /** A whole value (in lower case) that is a word, not a secret. */
  private static final Set<String> WHOLE =
      Set.of(
          ("null none nil undefined true false empty string required optional test testing "
                  + "token pass pwd root guest user default foo bar foobar baz abc abcd abc123 1234 "
                  + "12345 123456 1234567 12345678 123456789 postgres mysql mongo redis rabbitmq sa "
                  + "oracle private hidden masked unset notset na n/a tbd")
              .split(" "));

  private Placeholders() {}

  /** Whether {@code t[from, to)} is a placeholder. */
  static boolean is(char[] t, int from, int to) {
    return is(new String(t, from, to - from));
  }

  /**
   * Whether the random part of a token with a provider's prefix is a placeholder: the word {@code
   * example} (as in AWS's documentation), or too regular. Provider tokens are long and random, so
   * the short words {@link #is} looks for would turn up in real ones by chance.
   */
  static boolean isInToken(char[] t, int from, int to) {
    String body = new String(t, from, to - from);
    return body.toLowerCase(Locale.ROOT).contains("example") || isRegular(body);
  }

  /** Whether {@code value} is a placeholder. */
  static boolean is(String value) {
    String lower = value.toLowerCase(Locale.ROOT);
    if (WHOLE.contains(lower)) {
      return true;
    }
    for (String part : PARTS) {
      if (lower.contains(part)) {
        return true;
      }
    }
    String plain = unleet(lower);
    for (String word : WORDS) {
      if (plain.contains(word)) {
        return true;
      }
    }
    String bare = lower.replace("\\", "");
    char first = bare.isEmpty() ? ' ' : bare.charAt(0);
    if (first == '$') {
      return true; // $NAME, ${NAME}: a variable the shell fills in
    }
    if (bare.length() >= 3
        && "%@#".indexOf(first) >= 0
        && bare.charAt(bare.length() - 1) == first) {
      return true; // %NAME% (Windows), @name@ (Maven and Ant filtering), #name# (templates)
    }
    return isRegular(value);
  }

  /**
   * Too regular to be random: two distinct characters or fewer, or mostly runs of consecutive
   * characters ({@code abcdef}, {@code 123456}, {@code ABCDEFGHIJ}).
   */
  static boolean isRegular(String value) {
    int n = value.length();
    if (value.chars().distinct().count() <= 2) {
      return true;
    }
    int steps = 0;
    for (int i = 1; i < n; i++) {
      int d = value.charAt(i) - value.charAt(i - 1);
      if (d == 1 || d == -1 || d == 0) {
        steps++;
      }
    }
    return n >= 6 && steps * 2 > n;
  }

  private static String unleet(String lower) {
    StringBuilder out = new StringBuilder(lower.length());
    for (int i = 0; i < lower.length(); i++) {
      char c = lower.charAt(i);
      switch (c) {
        case '0' -> out.append('o');
        case '1', '!' -> out.append('i');
        case '3' -> out.append('e');
        case '4', '@' -> out.append('a');
        case '5', '$' -> out.append('s');
        case '7' -> out.append('t');
        default -> out.append(c);
      }
    }
    return out.toString();
  }
}
