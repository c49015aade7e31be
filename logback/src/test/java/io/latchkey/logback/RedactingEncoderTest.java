package io.latchkey.logback;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.EncoderBase;
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

/**
 * The charset the encoder decodes with (and, around a layout encoder, that it redacts before that
 * charset can replace a character of a value), and every escape of Logback's JSON encoder.
 */
final class RedactingEncoderTest {
  /** Letters that ISO-8859-1 and UTF-8 write differently. */
  private static final String UMLAUTS = "Kennwort-\u00e4\u00f6\u00fc-geheim-2024";

  /** A password with one character outside US-ASCII. */
  private static final String NON_ASCII = "Kennwort-\u00e4-geheim-2024-xyz";

  /** A password with one character outside ISO-8859-1 (the euro sign). */
  private static final String NON_LATIN1 = "Kennwort-\u20ac-geheim-2024-xyz";

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

  private PatternLayout layout(String pattern) {
    PatternLayout layout = new PatternLayout();
    layout.setContext(context);
    layout.getInstanceConverterMap().put("redact", RedactingConverter::new);
    layout.setPattern(pattern);
    layout.start();
    return layout;
  }

  private LayoutWrappingEncoder<ILoggingEvent> patternEncoder(Charset charset) {
    return patternEncoder(new LayoutWrappingEncoder<>(), "%msg%n", charset);
  }

  private LayoutWrappingEncoder<ILoggingEvent> patternEncoder(
      LayoutWrappingEncoder<ILoggingEvent> inner, String pattern, Charset charset) {
    inner.setContext(context);
    inner.setLayout(layout(pattern));
    if (charset != null) {
      inner.setCharset(charset);
    }
    return inner;
  }

  /** An encoder that wraps no layout: the formatted message and a line break, in its charset. */
  private static final class MessageEncoder extends EncoderBase<ILoggingEvent> {
    private final Charset charset;

    MessageEncoder(Charset charset) {
      this.charset = charset;
    }

    @Override
    public byte[] headerBytes() {
      return null;
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
      return (event.getFormattedMessage() + "\n").getBytes(charset);
    }

    @Override
    public byte[] footerBytes() {
      return null;
    }
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
  void encode_aroundAnAsciiPatternEncoder_writesNoPartOfAValueWithANonAsciiCharacter() {
    // US-ASCII is what a PatternLayoutEncoder without a charset writes under Java 17 and a POSIX
    // locale: it writes '?' for the value's non-ASCII character, after which the value is not found
    // in the bytes. The text is redacted before it is encoded.
    LayoutWrappingEncoder<ILoggingEvent> inner = patternEncoder(StandardCharsets.US_ASCII);
    RedactingEncoder<ILoggingEvent> encoder = around(inner);
    // The same pattern under %redact(...), for comparison: it redacts before encoding too.
    LayoutWrappingEncoder<ILoggingEvent> converter =
        patternEncoder(new LayoutWrappingEncoder<>(), "%redact(%msg%n)", StandardCharsets.US_ASCII);
    converter.start();
    // Before installation the wrapper writes exactly what the inner encoder writes.
    assertThat(encoder.encode(event("password {}", NON_ASCII)))
        .isEqualTo(inner.encode(event("password {}", NON_ASCII)));

    LatchkeyLogback installed = LatchkeyLogback.install(redactorOf(NON_ASCII));
    try {
      String viaConverter =
          new String(converter.encode(event("password {}", NON_ASCII)), StandardCharsets.US_ASCII);
      String viaEncoder =
          new String(encoder.encode(event("password {}", NON_ASCII)), StandardCharsets.US_ASCII);

      assertThat(viaConverter).as("%%redact(...)").isEqualTo("password ***\n");
      assertThat(viaEncoder).isEqualTo("password ***\n");
      Leaks.assertNoLeak(
          "RedactingEncoder around a US-ASCII PatternLayoutEncoder", viaEncoder, NON_ASCII);
    } finally {
      installed.close();
    }
  }

  @Test
  void headerBytes_ofAnAsciiPatternEncoder_areRedactedInTheFormTheCharsetLeftTheValueIn() {
    LayoutWrappingEncoder<ILoggingEvent> inner = patternEncoder(StandardCharsets.US_ASCII);
    ((PatternLayout) inner.getLayout()).setFileHeader("started with " + NON_ASCII);
    RedactingEncoder<ILoggingEvent> encoder = around(inner);

    LatchkeyLogback installed = LatchkeyLogback.install(redactorOf(NON_ASCII));
    try {
      String header = new String(encoder.headerBytes(), StandardCharsets.US_ASCII);

      assertThat(header).startsWith("started with ***");
      Leaks.assertNoLeak("the header", header, NON_ASCII);
    } finally {
      installed.close();
    }
  }

  @Test
  void encode_aroundAnEncoderWithoutALayout_findsAValueInTheFormItsCharsetLeftItIn() {
    RedactingEncoder<ILoggingEvent> encoder =
        around(new MessageEncoder(StandardCharsets.ISO_8859_1));
    encoder.setCharset(StandardCharsets.ISO_8859_1);

    LatchkeyLogback installed = LatchkeyLogback.install(redactorOf(NON_LATIN1));
    try {
      // The second argument is text the charset writes as it is, which stays as it was.
      byte[] bytes = encoder.encode(event("password {}, {}", NON_LATIN1, "Gr\u00fc\u00dfe"));
      String text = new String(bytes, StandardCharsets.ISO_8859_1);

      assertThat(text).isEqualTo("password ***, Gr\u00fc\u00dfe\n");
      Leaks.assertNoLeak("an ISO-8859-1 encoder without a layout", text, NON_LATIN1);
    } finally {
      installed.close();
    }
  }

  @Test
  void encode_aroundALayoutEncoderThatOverridesEncode_redactsWhatItWrites() {
    LayoutWrappingEncoder<ILoggingEvent> prefixing =
        new LayoutWrappingEncoder<>() {
          @Override
          public byte[] encode(ILoggingEvent event) {
            byte[] line = super.encode(event);
            byte[] out = new byte[line.length + 3];
            out[0] = '>';
            out[1] = '>';
            out[2] = ' ';
            System.arraycopy(line, 0, out, 3, line.length);
            return out;
          }
        };
    RedactingEncoder<ILoggingEvent> encoder =
        around(patternEncoder(prefixing, "%msg%n", StandardCharsets.US_ASCII));

    LatchkeyLogback installed = LatchkeyLogback.install(redactorOf(NON_ASCII));
    try {
      String text =
          new String(encoder.encode(event("password {}", NON_ASCII)), StandardCharsets.US_ASCII);

      assertThat(text).as("what the subclass writes, redacted").isEqualTo(">> password ***\n");
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
