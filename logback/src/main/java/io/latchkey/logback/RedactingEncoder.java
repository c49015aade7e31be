package io.latchkey.logback;

import static java.util.Objects.requireNonNull;

import ch.qos.logback.core.Layout;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * An encoder that redacts what another encoder writes: the whole text of each event, so the
 * message, its arguments, the MDC, markers and every exception in the chain (causes and suppressed
 * exceptions included) are redacted whatever layout or JSON format the inner encoder uses.
 *
 * <pre>{@code
 * <encoder class="io.latchkey.logback.RedactingEncoder">
 *   <encoder class="ch.qos.logback.classic.encoder.PatternLayoutEncoder">
 *     <pattern>%d %-5level %logger - %msg%n</pattern>
 *   </encoder>
 * </encoder>
 * }</pre>
 *
 * <p>The redactor comes from {@link LatchkeyLogback#install}; until then the bytes pass through
 * unchanged. For a {@link LayoutWrappingEncoder} (such as {@code PatternLayoutEncoder}) that
 * encodes its layout's text as it is, the text is redacted before it is encoded: the event's text
 * from the layout, then encoded as that encoder does, with its own charset or the platform default
 * when it has none. A value is found even when the charset cannot write all of it (a non-ASCII
 * character under US-ASCII, the platform default of Java 17 under a POSIX locale). Its header and
 * footer, and what any other encoder writes, are redacted as bytes: decoded with the charset it
 * writes (the layout encoder's, as above; for any other encoder the one set by {@link
 * #setCharset(Charset)}, else UTF-8), redacted, and encoded again with the same. There each value
 * is also looked for as that charset leaves it, with the characters it cannot encode replaced
 * ({@code ?} in US-ASCII), which is masked whole. Bytes that hold nothing to redact are passed on
 * as they are. The inner encoder must write text; a binary encoder's bytes would not survive the
 * round trip.
 *
 * <p>Each event is redacted on its own: a value split across two log calls is not found.
 *
 * @param <E> the event type, such as {@code ILoggingEvent}
 * @since 0.1
 */
public final class RedactingEncoder<E> extends ContextAwareBase implements Encoder<E> {
  private Encoder<E> encoder;
  // The inner encoder when it is a layout encoder whose encode() is LayoutWrappingEncoder's own,
  // so that encoding the layout's text here writes what it would; else null.
  private LayoutWrappingEncoder<E> layoutEncoder;
  private Charset charset;
  private volatile boolean started;

  /** Creates an encoder with nothing to wrap yet; Logback's configurator calls it. */
  public RedactingEncoder() {}

  /**
   * Sets the encoder whose output is redacted: the nested {@code <encoder>} element.
   *
   * @param encoder the inner encoder
   */
  public void setEncoder(Encoder<E> encoder) {
    this.encoder = requireNonNull(encoder, "encoder");
    this.layoutEncoder = encodesItsLayoutAsItIs(encoder);
  }

  /**
   * Returns the inner encoder.
   *
   * @return the inner encoder, or {@code null} before one is set
   */
  public Encoder<E> getEncoder() {
    return encoder;
  }

  /**
   * Sets the charset the inner encoder writes, for an encoder that does not say: the {@code
   * <charset>} element. Unused for an encoder that wraps a layout, whose own charset (or the
   * platform default, when it has none) is used.
   *
   * @param charset the charset
   */
  public void setCharset(Charset charset) {
    this.charset = requireNonNull(charset, "charset");
  }

  @Override
  public byte[] headerBytes() {
    return encoder == null ? null : redact(encoder.headerBytes());
  }

  /**
   * Encodes the event redacted: a layout encoder's text is redacted before it is encoded, any other
   * encoder's bytes after; nothing without an inner encoder.
   */
  @Override
  public byte[] encode(E event) {
    if (encoder == null) {
      return new byte[0];
    }
    LayoutWrappingEncoder<E> wrapping = layoutEncoder;
    Layout<E> layout = wrapping == null ? null : wrapping.getLayout();
    if (layout == null) {
      return redact(encoder.encode(event));
    }
    // What LayoutWrappingEncoder.encode does, with the redaction between the layout and the
    // charset: a charset that cannot write a character of a value would leave a '?' in its place,
    // and the rest of the value, unfound, in the log.
    return LatchkeyLogback.clean(layout.doLayout(event), this).getBytes(effectiveCharset());
  }

  @Override
  public byte[] footerBytes() {
    return encoder == null ? null : redact(encoder.footerBytes());
  }

  /** Starts the inner encoder if the configurator has not; without one, reports an error. */
  @Override
  public void start() {
    if (encoder == null) {
      addError("RedactingEncoder needs a nested <encoder>; none is set");
      return;
    }
    if (!encoder.isStarted()) {
      encoder.start();
    }
    if (!LatchkeyLogback.isInstalled()) {
      addInfo("events pass through unredacted until LatchkeyLogback.install(redactor) is called");
    }
    started = true;
  }

  @Override
  public void stop() {
    started = false;
    if (encoder != null) {
      encoder.stop();
    }
  }

  @Override
  public boolean isStarted() {
    return started;
  }

  // The redactor returns the very instance it was given when it masks nothing: no copy to encode.
  @SuppressWarnings("ReferenceEquality")
  private byte[] redact(byte[] bytes) {
    if (bytes == null || bytes.length == 0 || !LatchkeyLogback.isInstalled()) {
      return bytes;
    }
    Charset cs = effectiveCharset();
    String text = new String(bytes, cs);
    String cleaned = LatchkeyLogback.clean(text, cs, this);
    return cleaned == text ? bytes : cleaned.getBytes(cs);
  }

  /**
   * The encoder as a layout encoder whose text this encoder may encode itself, or {@code null}: a
   * subclass with an encode method of its own writes something else than its layout's text.
   */
  private static <E> LayoutWrappingEncoder<E> encodesItsLayoutAsItIs(Encoder<E> encoder) {
    if (!(encoder instanceof LayoutWrappingEncoder)) {
      return null;
    }
    try {
      Class<?> declaring = encoder.getClass().getMethod("encode", Object.class).getDeclaringClass();
      return declaring == LayoutWrappingEncoder.class ? (LayoutWrappingEncoder<E>) encoder : null;
    } catch (NoSuchMethodException e) {
      throw new AssertionError("Encoder.encode(E) is public", e);
    }
  }

  /** The charset the inner encoder writes with, which decoding and encoding again must match. */
  Charset effectiveCharset() {
    if (encoder instanceof LayoutWrappingEncoder) {
      Charset own = ((LayoutWrappingEncoder<E>) encoder).getCharset();
      // A layout encoder without a charset writes String.getBytes(): the platform default, not
      // UTF-8. Decoding its bytes otherwise would garble a non-ASCII value past the redactor.
      return own != null ? own : Charset.defaultCharset();
    }
    return charset != null ? charset : StandardCharsets.UTF_8;
  }
}
