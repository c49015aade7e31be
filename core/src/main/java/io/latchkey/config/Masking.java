package io.latchkey.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * Makes non-secret values safe to print: passwords inside URLs and credential-like query parameters
 * are masked, control characters are escaped, and quoted values are shortened.
 *
 * <p>Masking is lexical, so that it works on text that does not parse as a URI too: that is exactly
 * the text an error message quotes. When the text is a valid URI its user info is found exactly;
 * when it is not, any {@code user:password@} before the last {@code @} is masked, which may hide
 * more than the password but never less.
 */
final class Masking {
  static final String MASK = "***";

  private static final int MAX_QUOTED = 100;

  private Masking() {}

  /** Masks the password in {@code scheme://user:password@host} and credential query values. */
  static String url(String text) {
    int separator = text.indexOf("://");
    if (separator < 0) {
      return text;
    }
    int start = separator + 3;
    int end = text.length();
    for (int i = start; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '/' || c == '?' || c == '#') {
        end = i;
        break;
      }
    }
    int at = text.lastIndexOf('@', end - 1);
    if (at < start && !hasServerAuthority(text)) {
      // A password holding an unescaped '/', '?' or '#' ends the authority early; look further.
      at = text.lastIndexOf('@');
    }
    String masked = text;
    if (at >= start) {
      int colon = text.indexOf(':', start);
      if (colon >= 0 && colon < at && colon + 1 < at) {
        masked = text.substring(0, colon + 1) + MASK + text.substring(at);
      }
    }
    return maskQuery(masked);
  }

  /**
   * Whether the text parses as a URI with a host, so that its authority ends where the lexical scan
   * found. {@code scheme://user:pa?ss@host} parses too, but as a host-less URI whose query holds
   * the rest of the password: that must take the cautious path.
   */
  private static boolean hasServerAuthority(String text) {
    try {
      URI uri = new URI(text);
      if (uri.isOpaque()) {
        // jdbc:postgresql://...: the part after the outer scheme is what holds the authority.
        return hasServerAuthority(uri.getRawSchemeSpecificPart());
      }
      return uri.getHost() != null;
    } catch (URISyntaxException e) {
      return false;
    }
  }

  private static String maskQuery(String text) {
    int query = text.indexOf('?');
    if (query < 0) {
      return text;
    }
    int fragment = text.indexOf('#', query);
    int end = fragment < 0 ? text.length() : fragment;
    StringBuilder out = new StringBuilder(text.length()).append(text, 0, query + 1);
    int i = query + 1;
    while (i <= end) {
      int amp = text.indexOf('&', i);
      int partEnd = amp < 0 || amp > end ? end : amp;
      String part = text.substring(i, partEnd);
      int eq = part.indexOf('=');
      if (eq > 0 && eq + 1 < part.length() && isCredentialName(part.substring(0, eq))) {
        out.append(part, 0, eq + 1).append(MASK);
      } else {
        out.append(part);
      }
      if (partEnd == end) {
        break;
      }
      out.append('&');
      i = partEnd + 1;
    }
    return out.append(text, end, text.length()).toString();
  }

  private static boolean isCredentialName(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    return n.contains("pass")
        || n.contains("pwd")
        || n.contains("secret")
        || n.contains("token")
        || n.contains("credential")
        || n.contains("signature")
        || n.equals("sig")
        || n.endsWith("key");
  }

  /** A non-secret value as a message quotes it: masked, escaped, shortened, in single quotes. */
  static String quote(String text) {
    String printable = printable(text);
    if (printable.length() > MAX_QUOTED) {
      printable = printable.substring(0, MAX_QUOTED - 3) + "...";
    }
    return "'" + printable + "'";
  }

  /** A non-secret value as the report prints it: masked, with control characters escaped. */
  static String printable(String text) {
    String masked = url(text);
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
