package io.latchkey.spring;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Tells whether a text shows a secret, or a part of it, in any of the forms Spring and the
 * application's own code print a value bound from one: the whole value, a piece of it (a URL's user
 * info, a host), its percent-decoded text, another case (a {@code UUID}'s {@code toString()}), a
 * number's digits without their leading zeros. A text is taken to show a secret when it holds the
 * whole of a short one, or any {@value #WINDOW} consecutive characters of a longer one, ignoring
 * case: it errs towards hiding a message, never towards printing a value.
 */
final class Traces {
  /** The length of the pieces of a longer secret looked for. */
  static final int WINDOW = 8;

  private Traces() {}

  /**
   * Tells whether {@code text} shows {@code secret} or a piece of it.
   *
   * @param text a message, a report line, a value as an actuator view would print it
   * @param secret the secret's text
   * @return {@code true} if it might
   */
  static boolean shows(String text, String secret) {
    if (text == null || secret == null || secret.isEmpty()) {
      return false;
    }
    String haystack = text.toLowerCase(Locale.ROOT);
    return showsForm(haystack, secret.toLowerCase(Locale.ROOT))
        || showsForm(haystack, decoded(secret).toLowerCase(Locale.ROOT));
  }

  private static boolean showsForm(String haystack, String secret) {
    if (secret.length() <= WINDOW) {
      return haystack.contains(secret);
    }
    for (int i = 0; i + WINDOW <= secret.length(); i++) {
      if (contains(haystack, secret, i)) {
        return true;
      }
    }
    return false;
  }

  private static boolean contains(String haystack, String secret, int from) {
    return haystack.contains(secret.substring(from, from + WINDOW));
  }

  private static String decoded(String secret) {
    if (secret.indexOf('%') < 0 && secret.indexOf('+') < 0) {
      return secret;
    }
    try {
      return URLDecoder.decode(secret, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException notEncoded) {
      return secret;
    }
  }
}
