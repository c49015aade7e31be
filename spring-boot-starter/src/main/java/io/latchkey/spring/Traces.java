package io.latchkey.spring;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Tells whether a text shows a secret, or a part of it, in any of the forms Spring and the
 * application's own code print a value bound from one: the whole value, a piece of it (a URL's user
 * info, a host), its percent-decoded text, another case (a {@code UUID}'s {@code toString()}), a
 * number's digits without their leading zeros (when 4 or more remain). A text is taken to show a
 * secret when it holds the whole of a short one, or any {@value #WINDOW} consecutive characters of
 * a longer one, ignoring case: it errs towards hiding a message, never towards printing a value.
 */
final class Traces {
  /** The length of the pieces of a longer secret looked for. */
  static final int WINDOW = 8;

  /**
   * The length looked for where a text is not known to concern a secret: long enough that a value
   * sharing a URL's scheme and host with one ({@code https://hooks.}) is not taken for it.
   */
  static final int CLEAR_WINDOW = 16;

  private Traces() {}

  /**
   * Tells whether {@code text} shows {@code secret} or a piece of it.
   *
   * @param text a message, a report line, a value as an actuator view would print it
   * @param secret the secret's text
   * @return {@code true} if it might
   */
  static boolean shows(String text, String secret) {
    return text != null && showsInLower(lower(text), secret);
  }

  /**
   * The text as {@link #showsInLower} takes it: lower case, so that one text serves many checks.
   */
  static String lower(String text) {
    return text == null ? null : text.toLowerCase(Locale.ROOT);
  }

  /**
   * As {@link #shows}, for a text already {@linkplain #lower lowered}.
   *
   * @param lowerText the text, lower case
   * @param secret the secret's text
   * @return {@code true} if it might
   */
  static boolean showsInLower(String lowerText, String secret) {
    return showsInLower(lowerText, secret, WINDOW);
  }

  /**
   * As {@link #showsInLower(String, String)}, with pieces of {@code window} characters.
   *
   * @param lowerText the text, lower case
   * @param secret the secret's text
   * @param window the length of the pieces looked for
   * @return {@code true} if it might
   */
  static boolean showsInLower(String lowerText, String secret, int window) {
    if (lowerText == null || secret == null || secret.isEmpty()) {
      return false;
    }
    String form = secret.toLowerCase(Locale.ROOT);
    if (showsForm(lowerText, form, window)) {
      return true;
    }
    String decoded = decoded(secret).toLowerCase(Locale.ROOT);
    if (!decoded.equals(form) && showsForm(lowerText, decoded, window)) {
      return true;
    }
    // A number printed as a number loses its leading zeros.
    String digits = withoutLeadingZeros(form);
    return digits != null && showsForm(lowerText, digits, window);
  }

  private static boolean showsForm(String haystack, String secret, int window) {
    if (secret.length() <= window) {
      return haystack.contains(secret);
    }
    for (int i = 0; i + window <= secret.length(); i++) {
      if (haystack.contains(secret.substring(i, i + window))) {
        return true;
      }
    }
    return false;
  }

  /**
   * The digits of an all-digit secret after its leading zeros, if some were dropped and 4 remain.
   */
  private static String withoutLeadingZeros(String secret) {
    int i = 0;
    while (i < secret.length() && secret.charAt(i) == '0') {
      i++;
    }
    if (i == 0 || secret.length() - i < 4) {
      return null;
    }
    for (int k = i; k < secret.length(); k++) {
      if (secret.charAt(k) < '0' || secret.charAt(k) > '9') {
        return null;
      }
    }
    return secret.substring(i);
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
