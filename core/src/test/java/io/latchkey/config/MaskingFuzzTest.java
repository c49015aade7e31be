package io.latchkey.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.latchkey.testsupport.Leaks;
import java.nio.charset.StandardCharsets;

/**
 * URL masking never throws, never shows a credential the fuzzer placed in a credential position,
 * and masking its own output changes nothing.
 *
 * <p>A Jazzer fuzz test: under {@code mvn test} it replays its seed inputs (and the crashes found
 * so far) from {@code MaskingFuzzTestInputs}; with {@code JAZZER_FUZZ=1} it fuzzes for real. The
 * input is byte 0: the shape ({@link UrlShapes}, or free text); byte 1: raw or encoded and the
 * parameter name; then UTF-8 text split at NUL bytes into the text before the shape, the secret,
 * and the text after it.
 */
final class MaskingFuzzTest {

  @FuzzTest(maxDuration = "30s")
  void url_fuzzedShapeAndSecret_neverThrowsLeaksOrChanges(byte[] data) {
    if (data.length < 2) {
      return;
    }
    int shape = (data[0] & 0xff) % (UrlShapes.COUNT + 1);
    boolean encoded = (data[1] & 1) != 0;
    String name =
        UrlShapes.CREDENTIAL_NAMES.get(
            ((data[1] & 0xff) >>> 1) % UrlShapes.CREDENTIAL_NAMES.size());
    String[] parts = new String(data, 2, data.length - 2, StandardCharsets.UTF_8).split("\0", 3);
    String before = parts[0];
    String secret = parts.length > 1 ? parts[1] : "";
    String after = parts.length > 2 ? parts[2] : "";

    if (shape == UrlShapes.COUNT) {
      check(before + secret + after);
      return;
    }
    // Without a scheme, user:password@host is recognized only as a word of its own.
    String glue = shape == UrlShapes.NO_SCHEME ? " " : "";
    String text = before + glue + UrlShapes.place(shape, name, secret, encoded).text() + after;
    String masked = check(text);
    if (isCanary(secret)) {
      // The text around the secret may hold a run of it by itself: that is not a leak.
      String context = before + glue + UrlShapes.place(shape, name, "", encoded).text() + after;
      // Escaping control characters there adds backslashes, which may make a run of it too.
      // So may the text before and after it, escaped but not masked and between the quotes that
      // quote() adds: masking the whole may show a part of it that masking the context alone hid,
      // and that part is not the secret either.
      if (Leaks.findLeak(context, secret) == null
          && Leaks.findLeak(Masking.printable(context), secret) == null
          && Leaks.findLeak(Masking.quote(context), secret) == null
          && Leaks.findLeak("'" + escaped(before) + "'\n'" + escaped(after) + "'", secret)
              == null) {
        String what = "shape " + shape + (encoded ? " encoded" : " raw") + " name " + name;
        Leaks.assertNoLeak(what + " url", masked, secret);
        Leaks.assertNoLeak(what + " printable", Masking.printable(text), secret);
        Leaks.assertNoLeak(what + " quote", Masking.quote(text), secret);
      }
    }
  }

  /** The text with control characters escaped as the masking escapes them, nothing masked. */
  private static String escaped(String text) {
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            out.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.toString();
  }

  /** Masks every way the package does; none throws, and masking is idempotent. */
  private static String check(String text) {
    String masked = Masking.url(text);
    assertThat(Masking.url(masked)).isEqualTo(masked);
    Masking.printable(text);
    Masking.quote(text);
    return masked;
  }

  /**
   * Like {@link Leaks#randomSecret}: long enough and with enough letters and digits that a run of
   * it does not occur by chance, and without the mask's own character.
   */
  private static boolean isCanary(String secret) {
    if (secret.length() < 12 || secret.indexOf('*') >= 0) {
      return false;
    }
    int alnum = 0;
    for (int i = 0; i < secret.length(); i++) {
      char c = secret.charAt(i);
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
        alnum++;
      }
    }
    return alnum >= 10;
  }
}
