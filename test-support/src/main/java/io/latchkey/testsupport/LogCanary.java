package io.latchkey.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * The canary every logging integration's tests log, and what the log must and must not hold
 * afterwards: the value as a message argument, inside a URL (percent-encoded), base64-encoded alone
 * and inside a basic-authentication header, and in exception messages three causes deep and in a
 * suppressed exception, all at DEBUG.
 */
public final class LogCanary {
  /** The secret: characters that percent-encoding, base64 and JSON escaping each write anew. */
  public static final String TOKEN = "Zq8/canary+V9k=xY&\u00e97";

  /** The name the tests' redactors give it. */
  public static final String NAME = "PAYMENT_TOKEN";

  /** What the value becomes, redacted by name. */
  public static final String MASK = "[" + NAME + "]";

  /** The logger the tests log through. */
  public static final String LOGGER = "com.example.payments.Charges";

  /**
   * What a plain-text log of {@link #logEverything} holds besides the masks, when its pattern
   * writes the level, the logger, the context data (with {@code request=r-17} and {@code
   * session=TOKEN}), the message and the exception.
   */
  public static final List<String> PLAIN_TEXT =
      List.of(
          LOGGER,
          "DEBUG",
          "request=r-17",
          "session=" + MASK,
          "charging order 42 with token " + MASK,
          "calling https://api.example.com/v1/charge?token=" + MASK,
          "token as base64 " + MASK,
          "header Authorization: Basic ",
          "java.lang.IllegalStateException: payment gateway refused the charge",
          "Caused by: java.io.UncheckedIOException: upstream said 401",
          "Caused by: java.io.IOException: sent Basic ",
          "Caused by: java.lang.IllegalArgumentException: token " + MASK + " is revoked",
          "Suppressed: java.lang.IllegalStateException: cleanup also failed for " + MASK);

  private LogCanary() {}

  /**
   * The text a value takes in base64.
   *
   * @param text the text
   * @return its UTF-8 bytes in base64
   */
  public static String base64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * An exception with three causes below it, the deepest naming the token, the one above it holding
   * it in a basic-authentication header, and a suppressed exception naming it too.
   *
   * @return the exception
   */
  public static IllegalStateException threeCausesDeep() {
    IllegalArgumentException third = new IllegalArgumentException("token " + TOKEN + " is revoked");
    IOException second = new IOException("sent Basic " + base64("svc:" + TOKEN), third);
    UncheckedIOException first = new UncheckedIOException("upstream said 401", second);
    IllegalStateException top =
        new IllegalStateException("payment gateway refused the charge", first);
    top.addSuppressed(new IllegalStateException("cleanup also failed for " + TOKEN));
    return top;
  }

  /**
   * Logs the token every way at DEBUG, through a logging API's {@code debug(String, Object...)},
   * which takes a last argument that is a {@code Throwable} as the event's exception.
   *
   * @param debug the API's debug method, such as {@code logger::debug}
   */
  public static void logEverything(BiConsumer<String, Object[]> debug) {
    debug.accept("charging order {} with token {}", new Object[] {42, TOKEN});
    debug.accept(
        "calling {}",
        new Object[] {
          "https://api.example.com/v1/charge?token="
              + URLEncoder.encode(TOKEN, StandardCharsets.UTF_8)
        });
    debug.accept("token as base64 {}", new Object[] {base64(TOKEN)});
    debug.accept("header Authorization: Basic {}", new Object[] {base64("svc:" + TOKEN)});
    debug.accept("charge failed", new Object[] {threeCausesDeep()});
  }

  /**
   * Fails unless a plain-text log holds the token in none of its forms and every line of {@link
   * #PLAIN_TEXT}.
   *
   * @param what a name for the log, for the failure message
   * @param written the log's text
   * @throws AssertionError naming what leaked or what is missing, never the value
   */
  public static void assertPlainTextRedacted(String what, String written) {
    Leaks.assertNoLeak(what, written, TOKEN);
    for (String expected : PLAIN_TEXT) {
      if (!written.contains(expected)) {
        throw new AssertionError(what + " lacks \"" + expected + "\"");
      }
    }
  }
}
