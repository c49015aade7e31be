package io.latchkey.config;

import io.latchkey.internal.UrlMasking;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * Makes non-secret values safe to print: credentials inside URLs, connection strings and {@code
 * name=value} parameters are masked by the rule of {@link UrlMasking}, which the redactor shares,
 * control characters are escaped, and quoted values are shortened. The rule is written down in
 * {@code docs/security.md}, "How URLs are masked".
 */
final class Masking {
  static final String MASK = UrlMasking.MASK;

  private static final int MAX_QUOTED = 100;

  private Masking() {}

  /**
   * Masks every credential in {@code text}: the user info of every URL in it, credential parameters
   * in queries, fragments and connection strings, and long fragments.
   */
  static String url(String text) {
    return UrlMasking.url(text);
  }

  /**
   * A non-secret value as a message quotes it: masked, escaped, shortened, in single quotes. A
   * value that is no URI at all, and has no {@code ://} whose user info {@link #url} finds, is also
   * masked from its first {@code :} to its last {@code @} (see {@link UrlMasking#url(String,
   * boolean)}).
   */
  static String quote(String text) {
    boolean unparsed = !text.contains("://") && !parsesAsUri(text);
    String printable = printable(text, unparsed);
    if (printable.length() > MAX_QUOTED) {
      printable = printable.substring(0, MAX_QUOTED - 3) + "...";
    }
    return "'" + printable + "'";
  }

  private static boolean parsesAsUri(String text) {
    try {
      new URI(text);
      return true;
    } catch (URISyntaxException e) {
      return false;
    }
  }

  /** A non-secret value as the report prints it: masked, with control characters escaped. */
  static String printable(String text) {
    return printable(text, false);
  }

  private static String printable(String text, boolean unparsed) {
    String masked = UrlMasking.url(text, unparsed);
    StringBuilder out = null;
    for (int i = 0; i < masked.length(); i++) {
      char c = masked.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        if (out == null) {
          out = new StringBuilder(masked.length() + 8).append(masked, 0, i);
        }
        switch (c) {
          case '\n':
            out.append("\\n");
            break;
          case '\r':
            out.append("\\r");
            break;
          case '\t':
            out.append("\\t");
            break;
          default:
            out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
        }
      } else if (out != null) {
        out.append(c);
      }
    }
    return out == null ? masked : out.toString();
  }
}
