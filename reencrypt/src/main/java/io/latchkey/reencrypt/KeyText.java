package io.latchkey.reencrypt;

import java.util.Locale;

/**
 * A row key as reports and logs print it: a key is data, and one holding a line break or a terminal
 * escape must not forge a line of the report ({@code result: clean}) or hide one.
 */
final class KeyText {
  private KeyText() {}

  /**
   * Returns the key's text with each control or non-printing character (line and paragraph
   * separators, format characters, unassigned code points and lone surrogates included) written as
   * {@code \xNN} or {@code \}{@code uNNNN}, the way {@code latchkey scan} prints paths.
   */
  static String of(Object key) {
    String text = String.valueOf(key);
    StringBuilder out = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (!printable(text, i)) {
        if (out == null) {
          out = new StringBuilder(text.length() + 8).append(text, 0, i);
        }
        out.append(
            c <= 0xff
                ? String.format(Locale.ROOT, "\\x%02x", (int) c)
                : String.format(Locale.ROOT, "\\u%04x", (int) c));
      } else if (out != null) {
        out.append(c);
      }
    }
    return out == null ? text : out.toString();
  }

  private static boolean printable(String text, int i) {
    char c = text.charAt(i);
    if (Character.isHighSurrogate(c)) {
      return i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1));
    }
    if (Character.isLowSurrogate(c)) {
      return i > 0 && Character.isHighSurrogate(text.charAt(i - 1));
    }
    switch (Character.getType(c)) {
      case Character.CONTROL:
      case Character.FORMAT:
      case Character.LINE_SEPARATOR:
      case Character.PARAGRAPH_SEPARATOR:
      case Character.UNASSIGNED:
      case Character.PRIVATE_USE:
        return false;
      default:
        return true;
    }
  }
}
