package io.latchkey.logback;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.JsonEscapeUtil;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import io.latchkey.Secret;
import io.latchkey.redact.Redactor;
import io.latchkey.testsupport.Leaks;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The charset the encoder decodes with, and every escape of Logback's JSON encoder. */
final class RedactingEncoderTest {
  /** Letters that ISO-8859-1 and UTF-8 write differently. */
  private static final String UMLAUTS = "Kennwort-\u00e4\u00f6\u00fc-geheim-2024";

  private static final String ALPHABET =
      "aB3xZ9/'&<>\"\\=+%:;#?@ \n\r\t\b\f\u0001\u000b\u001b\u007f\u0085\u009f\u00e9\u20ac\u2028";

  private final LoggerContext context = new LoggerContext();

  @AfterEach
  void stop() {
    context.stop();
  }

  private LoggingEvent event(String message, Object... args) {
    LoggingEvent event =
        new LoggingEvent(
            RedactingEncoderTest.class.getName(),
            context.getLogger("test"),
            Level.INFO,
            message,
            null,
            args);
    // A bare LoggerContext has no MDC adapter, which the JSON encoder asks for.
    event.setMDCPropertyMap(Map.of());
    return event;
  }

  private LayoutWrappingEncoder<ILoggingEvent> patternEncoder(Charset charset) {
    PatternLayout layout = new PatternLayout();
    layout.setContext(context);
    layout.setPattern("%msg%n");
    layout.start();
    LayoutWrappingEncoder<ILoggingEvent> inner = new LayoutWrappingEncoder<>();
    inner.setContext(context);
    inner.setLayout(layout);
    if (charset != null) {
      inner.setCharset(charset);
    }
    return inner;
  }

  private RedactingEncoder<ILoggingEvent> around(Encoder<ILoggingEvent> inner) {
    RedactingEncoder<ILoggingEvent> encoder = new RedactingEncoder<>();
    encoder.setContext(context);
    encoder.setEncoder(inner);
    encoder.start();
    return encoder;
  }

  private static Redactor redactorOf(String value) {
    return Redactor.builder().value("DB_PASSWORD", Secret.of(value)).build();
  }

  @Test
  void encode_layoutEncoderWritingIso88591_decodesWithItsCharset() {
    RedactingEncoder<ILoggingEvent> encoder = around(patternEncoder(StandardCharsets.ISO_8859_1));

    LatchkeyLogback installed = LatchkeyLogback.install(redactorOf(UMLAUTS));
    try {
      String text =
          new String(encoder.encode(event("password {}", UMLAUTS)), StandardCharsets.ISO_8859_1);

      assertThat(text).isEqualTo("password ***\n");
      Leaks.assertNoLeak("the ISO-8859-1 line", text, UMLAUTS);
    } finally {
      installed.close();
    }
  }

  @Test
  void effectiveCharset_layoutEncoderWithoutACharset_isThePlatformDefaultAsItWrites() {
    RedactingEncoder<ILoggingEvent> encoder = around(patternEncoder(null));
    encoder.setCharset(StandardCharsets.UTF_16BE);

    assertThat(encoder.effectiveCharset()).isEqualTo(Charset.defaultCharset());
  }

  @Test
  void effectiveCharset_otherEncoder_isTheConfiguredOneElseUtf8() {
    JsonEncoder json = new JsonEncoder();
    json.setContext(context);
    RedactingEncoder<ILoggingEvent> encoder = around(json);

    assertThat(encoder.effectiveCharset()).isEqualTo(StandardCharsets.UTF_8);
    encoder.setCharset(StandardCharsets.ISO_8859_1);
    assertThat(encoder.effectiveCharset()).isEqualTo(StandardCharsets.ISO_8859_1);
  }

  @Test
  void encode_threadAndLoggerNamesHoldingRandomSecrets_showNothingInJsonOrPattern() {
    JsonEncoder json = new JsonEncoder();
    json.setContext(context);
    RedactingEncoder<ILoggingEvent> jsonEncoder = around(json);
    PatternLayout layout = new PatternLayout();
    layout.setContext(context);
    layout.setPattern("[%thread] %logger %msg%n");
    layout.start();
    LayoutWrappingEncoder<ILoggingEvent> inner = new LayoutWrappingEncoder<>();
    inner.setContext(context);
    inner.setLayout(layout);
    inner.setCharset(StandardCharsets.UTF_8);
    RedactingEncoder<ILoggingEvent> patternEncoder = around(inner);
    SplittableRandom random = new SplittableRandom(0x7EADL);
    for (int n = 0; n < 200; n++) {
      String secret = Leaks.randomSecret(random, 48);
      LoggingEvent event =
          new LoggingEvent(
              RedactingEncoderTest.class.getName(),
              context.getLogger("com.example.Tenant." + secret),
              Level.INFO,
              "charge accepted",
              null,
              null);
      event.setMDCPropertyMap(Map.of());
      event.setThreadName("worker-" + secret);

      LatchkeyLogback installed = LatchkeyLogback.install(redactorOf(secret));
      try {
        String jsonLine = new String(jsonEncoder.encode(event), StandardCharsets.UTF_8);
        String patternLine = new String(patternEncoder.encode(event), StandardCharsets.UTF_8);

        assertThat(jsonLine).as("value %d", n).contains("charge accepted");
        assertThat(patternLine).as("value %d", n).startsWith("[worker-***] com.example.Tenant.");
        Leaks.assertNoLeak("value " + n + " in JSON", jsonLine, secret);
        Leaks.assertNoLeak("value " + n + " in a pattern", patternLine, secret);
      } finally {
        installed.close();
      }
    }
  }

  @Test
  void encode_jsonEncoderAndRandomValues_showsNeitherTheValueNorItsEscapedForm() {
    JsonEncoder json = new JsonEncoder();
    json.setContext(context);
    RedactingEncoder<ILoggingEvent> encoder = around(json);
    SplittableRandom random = new SplittableRandom(0x10cbac4L);
    for (int n = 0; n < 300; n++) {
      StringBuilder value = new StringBuilder();
      int length = 10 + random.nextInt(20);
      for (int i = 0; i < length; i++) {
        value.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
      }
      String secret = value.toString();
      String escaped = JsonEscapeUtil.jsonEscapeString(secret);

      LatchkeyLogback installed = LatchkeyLogback.install(redactorOf(secret));
      try {
        String text =
            new String(encoder.encode(event("key is {}", secret)), StandardCharsets.UTF_8);

        assertThat(text.contains(escaped)).as("value %d shows escaped", n).isFalse();
        assertThat(text).as("value %d", n).contains("\"***\"");
        Leaks.assertNoLeak("value " + n + " in JSON", text, secret);
      } finally {
        installed.close();
      }
    }
  }
}
