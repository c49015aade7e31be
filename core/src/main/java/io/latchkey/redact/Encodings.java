package io.latchkey.redact;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The forms in which a value can reach a text: raw, percent-encoded, base64, hex, JSON-, backslash-
 * and XML-escaped. Each form is what a common encoder writes, so that redacting the value means
 * redacting each of these strings.
 */
final class Encodings {
  private static final char[] UPPER_HEX = "0123456789ABCDEF".toCharArray();
  private static final char[] LOWER_HEX = "0123456789abcdef".toCharArray();

  /** RFC 3986 unreserved characters: what every percent-encoder leaves alone. */
  private static final String UNRESERVED = "-._~";

  /** {@code URLEncoder} (HTML form encoding) leaves these alone; a space becomes {@code +}. */
  private static final String FORM = "-._*";

  /** JavaScript's {@code encodeURIComponent} leaves these alone. */
  private static final String URI_COMPONENT = "-._~!*'()";

  /** A password in a URL's user info may keep the sub-delimiters (RFC 3986, section 3.2.1). */
  private static final String USER_INFO = "-._~!$&'()*+,;=";

  /**
   * {@code java.net.URI}'s multi-argument constructors also keep a colon in the user info, as
   * Spring's {@code UriComponentsBuilder} does.
   */
  private static final String USER_INFO_COLON = USER_INFO + ":";

  /**
   * {@code URI(scheme, authority, path, query, fragment)} quotes the whole authority, which keeps
   * {@code @}, {@code [} and {@code ]} as well.
   */
  private static final String URI_AUTHORITY = USER_INFO_COLON + "@[]";

  /**
   * {@code URI(scheme, ssp, fragment)} quotes only what is no URI character at all, so {@code /}
   * and {@code ?} stay too.
   */
  private static final String URI_SSP = URI_AUTHORITY + "/?";

  /**
   * OkHttp's {@code HttpUrl} percent-encodes a user name or password with these kept: the
   * sub-delimiters but {@code '}, {@code ;} and {@code =}.
   */
  private static final String OKHTTP_USER_INFO = "-._~!$&()*+,";

  /** The smallest decoded size for which a base64 value is also looked for re-encoded. */
  private static final int MIN_DECODED_BYTES = 12;

  private Encodings() {}

  /**
   * Every form of a value, the raw one first, each once.
   *
   * @param value a non-empty value
   */
  static Set<String> of(String value) {
    Set<String> forms = new LinkedHashSet<>();
    forms.add(value);
    byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
    for (String keep :
        new String[] {
          UNRESERVED, FORM, URI_COMPONENT, USER_INFO, USER_INFO_COLON, OKHTTP_USER_INFO
        }) {
      forms.add(percent(utf8, keep, UPPER_HEX, false));
      forms.add(percent(utf8, keep, LOWER_HEX, false));
    }
    for (String keep : new String[] {USER_INFO_COLON, URI_AUTHORITY, URI_SSP}) {
      // toString() keeps the non-ASCII characters; toASCIIString() encodes them, in upper case.
      forms.add(uriQuoted(value, keep));
      forms.add(percent(utf8, keep, UPPER_HEX, false));
    }
    forms.add(percent(utf8, FORM, UPPER_HEX, true));
    forms.add(percent(utf8, FORM, LOWER_HEX, true));
    for (int flags = 0; flags < JSON_VARIANTS.length; flags++) {
      forms.add(json(value, JSON_VARIANTS[flags]));
    }
    forms.add(json(value, MESSAGE));
    forms.add(xml(value, "&#39;"));
    forms.add(xml(value, "&apos;"));
    forms.add(xml(value, "&#x27;"));
    forms.add(log4jXml(value));
    forms.add(log4jHtml(value));
    forms.add(lineBreaks(value));
    base64(utf8, forms);
    forms.add(hex(utf8, LOWER_HEX));
    forms.add(hex(utf8, UPPER_HEX));
    reencoded(value, forms);
    return forms;
  }

  // ---- percent-encoding ----

  private static String percent(byte[] utf8, String keep, char[] digits, boolean plusForSpace) {
    StringBuilder out = new StringBuilder(utf8.length + 8);
    for (byte b : utf8) {
      int c = b & 0xff;
      if (isAsciiAlnum(c) || (c < 0x80 && keep.indexOf(c) >= 0)) {
        out.append((char) c);
      } else if (c == ' ' && plusForSpace) {
        out.append('+');
      } else {
        out.append('%').append(digits[c >> 4]).append(digits[c & 0xf]);
      }
    }
    return out.toString();
  }

  /**
   * What {@code java.net.URI}'s multi-argument constructors write, and so its {@code toString()}:
   * ASCII outside {@code keep} percent-encoded, but every other character kept as it is (RFC 2396's
   * "other" characters), except a space or control character, which is percent-encoded as UTF-8.
   * Only {@code toASCIIString()} encodes the rest, which is the form {@link #percent} writes.
   */
  private static String uriQuoted(String value, String keep) {
    StringBuilder out = new StringBuilder(value.length() + 8);
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x80) {
        if (isAsciiAlnum(c) || keep.indexOf(c) >= 0) {
          out.append(c);
        } else {
          out.append('%').append(UPPER_HEX[c >> 4]).append(UPPER_HEX[c & 0xf]);
        }
      } else if (Character.isSpaceChar(c) || Character.isISOControl(c)) {
        for (byte b : String.valueOf(c).getBytes(StandardCharsets.UTF_8)) {
          out.append('%').append(UPPER_HEX[(b >> 4) & 0xf]).append(UPPER_HEX[b & 0xf]);
        }
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  private static boolean isAsciiAlnum(int c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  }

  // ---- JSON and backslash escapes ----

  private static final int UPPER = 1;
  private static final int SLASH = 2;
  private static final int HTML_SAFE = 4;
  private static final int ASCII = 8;
  private static final int CONTROLS = 16;

  /**
   * Not JSON but a message that prints control characters escaped, as Latchkey's own messages and
   * many loggers do: {@code \n}, {@code \r} and {@code \t} named, every other control character
   * (DEL too) as {@code \}{@code uXXXX}, quotes and backslashes as they are.
   */
  private static final int MESSAGE = 32;

  /**
   * Every ISO control character escaped, C1 (U+0080 to U+009F) and DEL included, as Log4j's {@code
   * %enc{...}{JSON}} does ({@code Character.isISOControl}).
   */
  private static final int ISO_CONTROLS = 64;

  /**
   * The escaping styles of common JSON writers: Jackson (upper-case hex, optionally ASCII only),
   * Gson (lower-case hex, HTML-safe), Python's {@code json} (lower-case hex, ASCII only), PHP and
   * org.json (an escaped slash), Logback's {@code JsonEncoder} (an escaped slash, upper-case hex),
   * Log4j's {@code %enc{...}{JSON}} (upper-case hex for every ISO control character), and writers
   * that escape every control character as {@code \}{@code uXXXX} rather than {@code \n}.
   */
  private static final int[] JSON_VARIANTS = {
    0,
    UPPER,
    SLASH,
    SLASH | UPPER,
    ISO_CONTROLS | UPPER,
    HTML_SAFE,
    ASCII,
    ASCII | UPPER,
    HTML_SAFE | ASCII,
    SLASH | ASCII,
    CONTROLS,
    CONTROLS | UPPER,
    CONTROLS | HTML_SAFE,
    CONTROLS | ASCII,
    CONTROLS | ASCII | UPPER
  };

  private static String json(String value, int flags) {
    char[] digits = (flags & UPPER) != 0 ? UPPER_HEX : LOWER_HEX;
    boolean named = (flags & CONTROLS) == 0;
    boolean json = (flags & MESSAGE) == 0;
    StringBuilder out = new StringBuilder(value.length() + 8);
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"', '\\' -> out.append(json ? "\\" : "").append(c);
        case '\n' -> escape(named, "\\n", c, digits, out);
        case '\r' -> escape(named, "\\r", c, digits, out);
        case '\t' -> escape(named, "\\t", c, digits, out);
        case '\b' -> escape(named && json, "\\b", c, digits, out);
        case '\f' -> escape(named && json, "\\f", c, digits, out);
        case '/' -> out.append((flags & SLASH) != 0 ? "\\/" : "/");
        case '<', '>', '&', '=', '\'' -> {
          if ((flags & HTML_SAFE) != 0) {
            unicodeEscape(c, digits, out);
          } else {
            out.append(c);
          }
        }
        default -> {
          boolean iso = (flags & ISO_CONTROLS) != 0 && Character.isISOControl(c);
          if (c < 0x20
              || (c == 0x7f && (!named || !json))
              || iso
              || ((flags & ASCII) != 0 && c > 0x7f)) {
            unicodeEscape(c, digits, out);
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.toString();
  }

  private static void escape(boolean named, String name, char c, char[] digits, StringBuilder out) {
    if (named) {
      out.append(name);
    } else {
      unicodeEscape(c, digits, out);
    }
  }

  private static void unicodeEscape(char c, char[] digits, StringBuilder out) {
    out.append("\\u")
        .append(digits[(c >> 12) & 0xf])
        .append(digits[(c >> 8) & 0xf])
        .append(digits[(c >> 4) & 0xf])
        .append(digits[c & 0xf]);
  }

  private static String xml(String value, String apostrophe) {
    StringBuilder out = new StringBuilder(value.length() + 8);
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append(apostrophe);
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  /**
   * Log4j's {@code %enc{...}{XML}}: the XML entities with the apostrophe named, and each control
   * character XML 1.0 cannot hold (all below U+0020 but tab, LF and CR) as U+FFFD.
   */
  private static String log4jXml(String value) {
    StringBuilder out = new StringBuilder(xml(value, "&apos;"));
    for (int i = 0; i < out.length(); i++) {
      char c = out.charAt(i);
      if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
        out.setCharAt(i, '\ufffd');
      }
    }
    return out.toString();
  }

  /**
   * Log4j's {@code %enc{...}}, whose default is this HTML escaping: the XML entities with the
   * apostrophe as a named entity, a slash as a hexadecimal character reference, and CR and LF as
   * {@code \r} and {@code \n} (other control characters as they are).
   */
  private static String log4jHtml(String value) {
    StringBuilder out = new StringBuilder(value.length() + 8);
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&apos;");
        case '/' -> out.append("&#x2F;");
        case '\r' -> out.append("\\r");
        case '\n' -> out.append("\\n");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  /**
   * CR and LF as {@code \r} and {@code \n}, everything else as it is: Log4j's {@code
   * %enc{...}{CRLF}}, which guards a log against forged lines.
   */
  private static String lineBreaks(String value) {
    StringBuilder out = new StringBuilder(value.length() + 8);
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '\r' -> out.append("\\r");
        case '\n' -> out.append("\\n");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  // ---- base64 and hex ----

  /**
   * The value's bytes in standard base64 and base64url, whole (with and without padding), and the
   * characters that encode nothing but the value's bytes wherever they start inside a longer base64
   * text: at an offset of 0, 1 or 2 bytes from a 3-byte group. The last form finds a password
   * inside a base64 {@code user:password}, as HTTP basic authentication sends it.
   */
  private static void base64(byte[] bytes, Set<String> forms) {
    for (Base64.Encoder encoder :
        new Base64.Encoder[] {Base64.getEncoder(), Base64.getUrlEncoder()}) {
      forms.add(encoder.encodeToString(bytes));
      forms.add(encoder.withoutPadding().encodeToString(bytes));
      for (int offset = 0; offset < 3; offset++) {
        byte[] framed = new byte[offset + bytes.length + 2];
        System.arraycopy(bytes, 0, framed, offset, bytes.length);
        String encoded = encoder.withoutPadding().encodeToString(framed);
        // Character j holds bits 6j to 6j+6 of the text: keep those that fall inside the value.
        int first = (8 * offset + 5) / 6;
        int end = 8 * (offset + bytes.length) / 6;
        if (end > first) {
          forms.add(encoded.substring(first, end));
        }
      }
    }
  }

  private static String hex(byte[] bytes, char[] digits) {
    StringBuilder out = new StringBuilder(bytes.length * 2);
    for (byte b : bytes) {
      out.append(digits[(b >> 4) & 0xf]).append(digits[b & 0xf]);
    }
    return out.toString();
  }

  /**
   * A value that is itself base64 (a Fernet key, a generated token) is also looked for in the other
   * base64 alphabet and as the hex of the bytes it encodes, as code that decodes and re-encodes a
   * key would print it.
   */
  private static void reencoded(String value, Set<String> forms) {
    byte[] decoded = decodeBase64(value);
    if (decoded == null || decoded.length < MIN_DECODED_BYTES) {
      return;
    }
    forms.add(Base64.getEncoder().encodeToString(decoded));
    forms.add(Base64.getEncoder().withoutPadding().encodeToString(decoded));
    forms.add(Base64.getUrlEncoder().encodeToString(decoded));
    forms.add(Base64.getUrlEncoder().withoutPadding().encodeToString(decoded));
    forms.add(hex(decoded, LOWER_HEX));
    forms.add(hex(decoded, UPPER_HEX));
    Arrays.fill(decoded, (byte) 0);
  }

  /** The bytes a base64 or base64url value encodes, or null if it is not one. */
  private static byte[] decodeBase64(String value) {
    boolean url = false;
    boolean standard = false;
    int length = value.length();
    while (length > 0 && value.charAt(length - 1) == '=') {
      length--;
    }
    if (value.length() - length > 2 || length % 4 == 1) {
      return null;
    }
    for (int i = 0; i < length; i++) {
      char c = value.charAt(i);
      url |= c == '-' || c == '_';
      standard |= c == '+' || c == '/';
      if (!isAsciiAlnum(c) && c != '-' && c != '_' && c != '+' && c != '/') {
        return null;
      }
    }
    if (url && standard) {
      return null;
    }
    String unpadded = value.substring(0, length);
    try {
      return url ? Base64.getUrlDecoder().decode(unpadded) : Base64.getDecoder().decode(unpadded);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
