package io.latchkey.testsupport;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Canary checks shared by every module's tests: the encodings in which a secret value could reach
 * an output, random secret values that stress every masking rule, and one assertion that an output
 * holds none of them.
 *
 * <p>A leak is the value in any form a template function, a serialiser or a URL could give it: raw,
 * percent-encoded (RFC 3986 and form style), base64 and base64url with and without padding, hex,
 * JSON-escaped (Jackson's and Gson's HTML-safe style), backslash-escaped (as messages print control
 * characters), any run of {@link #FRAGMENT} consecutive characters of it (a tail shown after a mask
 * is a leak too), or any run of 12 characters of its percent-, form-, JSON- or backslash-encoded
 * forms.
 */
public final class Leaks {
  /** The length of a run of the value's characters that counts as a leak on its own. */
  public static final int FRAGMENT = 8;

  /** Characters that change the shape of URLs, JDBC strings, templates and JSON. */
  private static final String SHAPING = "@/:#?%+=&;$,{}[]\"'\\| ";

  private static final String ALNUM =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

  private static final String[] UNICODE = {"é", "ß", "中", "€", "\u00a0", "😀", "ü"};

  private Leaks() {}

  /**
   * Every form of {@code secret} that counts as a leak, by name of the encoding.
   *
   * @param secret the value
   * @return encoding name to encoded text; forms shorter than {@link #FRAGMENT} are left out
   */
  public static Map<String, String> forms(String secret) {
    byte[] utf8 = secret.getBytes(StandardCharsets.UTF_8);
    Map<String, String> forms = new LinkedHashMap<>();
    forms.put("raw", secret);
    forms.put("percent-encoded", percentEncode(utf8, false));
    forms.put("percent-encoded (lower-case hex)", percentEncode(utf8, true));
    forms.put("form-encoded", URLEncoder.encode(secret, StandardCharsets.UTF_8));
    forms.put("base64", Base64.getEncoder().encodeToString(utf8));
    forms.put("base64 unpadded", Base64.getEncoder().withoutPadding().encodeToString(utf8));
    forms.put("base64url", Base64.getUrlEncoder().encodeToString(utf8));
    forms.put("base64url unpadded", Base64.getUrlEncoder().withoutPadding().encodeToString(utf8));
    forms.put("hex", hex(utf8));
    forms.put("json-escaped", jsonEscape(secret, false));
    forms.put("json-escaped (html-safe)", jsonEscape(secret, true));
    forms.put("json-escaped (ascii)", jsonAscii(secret));
    forms.put("backslash-escaped", backslashEscape(secret));
    forms.values().removeIf(form -> form.length() < FRAGMENT && !form.equals(secret));
    return forms;
  }

  /**
   * Names the first leak of {@code secret} found in {@code output}, if any.
   *
   * @param output what an API printed, threw or wrote
   * @param secret the value that must not appear
   * @return a description of the leak (never the value), or {@code null} when there is none
   */
  public static String findLeak(String output, String secret) {
    if (secret.isEmpty()) {
      return null;
    }
    for (Map.Entry<String, String> form : forms(secret).entrySet()) {
      if (output.contains(form.getValue())) {
        return "the value appears "
            + form.getKey()
            + " at index "
            + output.indexOf(form.getValue());
      }
    }
    int[] points = secret.codePoints().toArray();
    if (points.length > FRAGMENT) {
      for (int i = 0; i + FRAGMENT <= points.length; i++) {
        String run = new String(points, i, FRAGMENT);
        if (output.contains(run)) {
          return "characters "
              + i
              + ".."
              + (i + FRAGMENT)
              + " of the value appear at index "
              + output.indexOf(run);
        }
      }
    }
    // A tail shown encoded: runs of each encoded form long enough not to occur by chance.
    byte[] utf8 = secret.getBytes(StandardCharsets.UTF_8);
    Map<String, String> encodings = new LinkedHashMap<>();
    encodings.put("percent-encoded", percentEncode(utf8, false));
    encodings.put("percent-encoded (lower-case hex)", percentEncode(utf8, true));
    encodings.put("form-encoded", URLEncoder.encode(secret, StandardCharsets.UTF_8));
    encodings.put("json-escaped", jsonEscape(secret, false));
    encodings.put("backslash-escaped", backslashEscape(secret));
    int run = FRAGMENT + FRAGMENT / 2;
    for (Map.Entry<String, String> encoding : encodings.entrySet()) {
      String encoded = encoding.getValue();
      if (encoded.equals(secret) || encoded.length() <= run) {
        continue;
      }
      for (int i = 0; i + run <= encoded.length(); i++) {
        String part = encoded.substring(i, i + run);
        if (differsFromRaw(part, secret) && output.contains(part)) {
          return "a run of the "
              + encoding.getKey()
              + " value appears at index "
              + output.indexOf(part);
        }
      }
    }
    return null;
  }

  /**
   * Fails when {@code output} holds {@code secret} in any form {@link #findLeak} knows.
   *
   * @param what a name for the output channel, for the failure message
   * @param output the output
   * @param secret the value
   * @throws AssertionError naming the channel and the encoding, never the value
   */
  public static void assertNoLeak(String what, String output, String secret) {
    String leak = findLeak(output, secret);
    if (leak != null) {
      throw new AssertionError(what + " leaks a secret: " + leak);
    }
  }

  /**
   * Fails when {@code thrown}, its causes or its suppressed exceptions carry {@code secret} in a
   * message, a localised message or a {@code toString()}.
   *
   * @param thrown the exception
   * @param secret the value
   * @throws AssertionError naming the exception and the encoding, never the value
   */
  public static void assertNoLeak(Throwable thrown, String secret) {
    for (Throwable t : chain(thrown)) {
      String name = t.getClass().getName();
      assertNoLeak(name + " message", String.valueOf(t.getMessage()), secret);
      assertNoLeak(name + " localised message", String.valueOf(t.getLocalizedMessage()), secret);
      assertNoLeak(name + " toString()", String.valueOf(t), secret);
    }
  }

  /**
   * Fails when any of the exceptions, their causes or their suppressed exceptions carry {@code
   * secret}, as {@link #assertNoLeak(Throwable, String)} checks each.
   *
   * @param thrown the exceptions
   * @param secret the value
   */
  public static void assertNoLeak(Iterable<? extends Throwable> thrown, String secret) {
    for (Throwable t : thrown) {
      assertNoLeak(t, secret);
    }
  }

  /**
   * Every text an exception shows: the message, localised message and {@code toString()} of it, its
   * causes and its suppressed exceptions, each exception once.
   *
   * @param thrown the exception
   * @return the texts, the exception's own first
   */
  public static List<String> texts(Throwable thrown) {
    List<String> texts = new ArrayList<>();
    for (Throwable t : chain(thrown)) {
      texts.add(String.valueOf(t.getMessage()));
      texts.add(String.valueOf(t.getLocalizedMessage()));
      texts.add(String.valueOf(t));
    }
    return texts;
  }

  /** The exception, its causes and its suppressed exceptions, recursively, each once. */
  private static List<Throwable> chain(Throwable thrown) {
    List<Throwable> seen = new ArrayList<>();
    walk(thrown, seen);
    return seen;
  }

  private static void walk(Throwable t, List<Throwable> seen) {
    if (t == null || seen.stream().anyMatch(s -> s == t)) {
      return;
    }
    seen.add(t);
    walk(t.getCause(), seen);
    for (Throwable s : t.getSuppressed()) {
      walk(s, seen);
    }
  }

  /**
   * A random secret value of 12 to {@code maxLength} characters that mixes letters and digits with
   * characters that shape URLs, templates and JSON, and sometimes non-ASCII ones.
   *
   * @param random the seeded source
   * @param maxLength the longest value, at least 12
   * @return the value, at least 10 of whose characters are letters or digits, so that no {@link
   *     #FRAGMENT}-character run of it occurs in an output by chance
   */
  public static String randomSecret(SplittableRandom random, int maxLength) {
    int length = random.nextInt(12, Math.max(13, maxLength + 1));
    StringBuilder out = new StringBuilder(length);
    for (int i = 0; i < FRAGMENT + 2; i++) {
      out.append(ALNUM.charAt(random.nextInt(ALNUM.length())));
    }
    while (out.length() < length) {
      int kind = random.nextInt(10);
      if (kind < 5) {
        out.append(ALNUM.charAt(random.nextInt(ALNUM.length())));
      } else if (kind < 9) {
        out.append(SHAPING.charAt(random.nextInt(SHAPING.length())));
      } else {
        out.append(UNICODE[random.nextInt(UNICODE.length)]);
      }
    }
    // Put the shaping characters anywhere, not only after the fixed start.
    char[] chars = out.toString().toCharArray();
    for (int i = chars.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      if (!Character.isSurrogate(chars[i]) && !Character.isSurrogate(chars[j])) {
        char c = chars[i];
        chars[i] = chars[j];
        chars[j] = c;
      }
    }
    String value = new String(chars);
    return value;
  }

  /** Whether a run of an encoded form holds an escape, so it is not a raw run checked above. */
  private static boolean differsFromRaw(String part, String secret) {
    return !secret.contains(part);
  }

  private static String backslashEscape(String text) {
    StringBuilder out = new StringBuilder(text.length() + 8);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.toString();
  }

  private static String percentEncode(byte[] utf8, boolean lower) {
    StringBuilder out = new StringBuilder(utf8.length * 3);
    for (byte b : utf8) {
      char c = (char) (b & 0xff);
      if ((c >= 'A' && c <= 'Z')
          || (c >= 'a' && c <= 'z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '.'
          || c == '_'
          || c == '~') {
        out.append(c);
      } else {
        String hex = String.format(Locale.ROOT, lower ? "%%%02x" : "%%%02X", b & 0xff);
        out.append(hex);
      }
    }
    return out.toString();
  }

  private static String hex(byte[] bytes) {
    StringBuilder out = new StringBuilder(bytes.length * 2);
    for (byte b : bytes) {
      out.append(String.format(Locale.ROOT, "%02x", b & 0xff));
    }
    return out.toString();
  }

  private static String jsonEscape(String text, boolean htmlSafe) {
    StringBuilder out = new StringBuilder(text.length() + 8);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c < 0x20) {
        out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
      } else if (htmlSafe && (c == '<' || c == '>' || c == '&' || c == '=' || c == '\'')) {
        out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  private static String jsonAscii(String text) {
    StringBuilder out = new StringBuilder(text.length() + 8);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c < 0x20 || c > 0x7e) {
        out.append(String.format(Locale.ROOT, "\\u%04X", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
