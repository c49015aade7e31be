package io.latchkey.redact;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.Secret;
import io.latchkey.testsupport.Leaks;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A URL password as each common Java encoder writes it: {@code java.net.URI}'s constructors, whose
 * {@code toString()} (what {@code log.info("{}", uri)} writes) keeps non-ASCII characters as they
 * are and percent-encodes only some ASCII; {@code toASCIIString()}; {@code URL.toString()}; {@code
 * URLEncoder}; and OkHttp's {@code HttpUrl}. Random passwords mix non-ASCII letters, Unicode spaces
 * and controls, ASCII spaces and URL delimiters; each case draws from {@code new
 * SplittableRandom(SEED + case)}.
 */
final class UrlEncodedPasswordPropertyTest {
  private static final long SEED = 0x0417F0L;
  private static final int CASES = 1_500;

  private static final String ASCII =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$&'()*+,;=:@/?#[]% \"<>\\^`{|}";

  /** Letters, a non-breaking and an ideographic space, a C1 control, a line separator, an emoji. */
  private static final String[] WIDE = {
    "ö", "é", "ß", "中", "€", "ü", "\u00a0", "\u3000", "\u0085", "\u2028", "😀"
  };

  @Test
  void redact_uriToStringOfAPasswordWithAnUmlautAndASpace_masksIt() throws Exception {
    String password = "Passwörter-sind-geheim 2024";
    Redactor redactor = Redactor.builder().value("DB_PASSWORD", Secret.of(password)).build();
    URI uri = new URI("https", "app:" + password, "db.example.com", 5432, "/app", null, null);

    String redacted = redactor.redact("connecting to " + uri);

    assertThat(redacted).isEqualTo("connecting to https://app:***@db.example.com:5432/app");
  }

  @Test
  void redact_randomPasswordsThroughEveryEncoder_leaveNothing() throws Exception {
    for (int c = 0; c < CASES; c++) {
      SplittableRandom random = new SplittableRandom(SEED + c);
      String password = randomPassword(random);
      Redactor redactor = Redactor.builder().value("DB_PASSWORD", Secret.of(password)).build();

      for (Map.Entry<String, String> written : encoded(password).entrySet()) {
        String what = "case " + c + ", " + written.getKey();
        String redacted = redactor.redact("connecting to " + written.getValue() + " now");
        Leaks.assertNoLeak(what, redacted, password);
        assertThat(redacted).as(what).contains("***");
      }
      URI uri = new URI("https", "app:" + password, "db.example.com", 5432, "/app", null, null);
      assertThat(redactor.redact(uri.toString()))
          .as("case %d, toString", c)
          .isEqualTo("https://app:***@db.example.com:5432/app");
      assertThat(redactor.redact(uri.toASCIIString()))
          .as("case %d, toASCIIString", c)
          .isEqualTo("https://app:***@db.example.com:5432/app");
    }
  }

  /**
   * The password as each encoder writes it, by encoder; a constructor that refuses it is left out.
   */
  private static Map<String, String> encoded(String password) throws URISyntaxException {
    Map<String, String> out = new LinkedHashMap<>();
    URI full = new URI("https", "app:" + password, "db.example.com", 5432, "/app", null, null);
    out.put("URI(user info...).toString()", full.toString());
    out.put("URI(user info...).toASCIIString()", full.toASCIIString());
    try {
      out.put("URI.toURL().toString()", full.toURL().toString());
    } catch (MalformedURLException | IllegalArgumentException e) {
      // URL may refuse what URI accepted; the other forms still count.
    }
    try {
      URI authority = new URI("https", "app:" + password + "@db.example.com", "/app", null, null);
      out.put("URI(authority...).toString()", authority.toString());
      out.put("URI(authority...).toASCIIString()", authority.toASCIIString());
    } catch (URISyntaxException e) {
      // A password that makes the authority unparseable after quoting: nothing is written.
    }
    try {
      URI ssp = new URI("https", "//app:" + password + "@db.example.com/app", null);
      out.put("URI(scheme, ssp, fragment).toString()", ssp.toString());
      out.put("URI(scheme, ssp, fragment).toASCIIString()", ssp.toASCIIString());
    } catch (URISyntaxException e) {
      // As above.
    }
    String form = URLEncoder.encode(password, StandardCharsets.UTF_8);
    out.put("URLEncoder", "https://h/cb?token=" + form + "&x=1");
    out.put("URLEncoder, %20", "https://h/cb?token=" + form.replace("+", "%20"));
    out.put("OkHttp HttpUrl", "https://app:" + okHttpPassword(password) + "@db.example.com/");
    return out;
  }

  /**
   * OkHttp's {@code HttpUrl.Builder.password}: UTF-8, upper-case hex, every control and non-ASCII
   * character, {@code %} and its {@code PASSWORD_ENCODE_SET} ({@code "':;<=>@[]^`{}|/\?#}) encoded.
   */
  private static String okHttpPassword(String password) {
    String encodeSet = " \"':;<=>@[]^`{}|/\\?#%";
    StringBuilder out = new StringBuilder();
    for (byte b : password.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if (c < 0x20 || c >= 0x7f || encodeSet.indexOf(c) >= 0) {
        out.append('%').append(HexFormat.of().withUpperCase().toHexDigits((byte) c));
      } else {
        out.append((char) c);
      }
    }
    return out.toString();
  }

  private static String randomPassword(SplittableRandom random) {
    StringBuilder out = new StringBuilder();
    int length = random.nextInt(12, 40);
    while (out.length() < length) {
      if (random.nextInt(4) == 0) {
        out.append(WIDE[random.nextInt(WIDE.length)]);
      } else {
        out.append(ASCII.charAt(random.nextInt(ASCII.length())));
      }
    }
    return out.toString();
  }
}
