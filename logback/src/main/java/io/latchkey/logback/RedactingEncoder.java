package io.latchkey.logback;

import static java.util.Objects.requireNonNull;

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
 * unchanged. The inner encoder's bytes are decoded with the charset it writes, and the redacted
 * text is encoded again with the same: for a {@link LayoutWrappingEncoder} (such as {@code
 * PatternLayoutEncoder}) its own charset, or the platform default when it has none, as it does
 * itself; for any other encoder the one set by {@link #setCharset(Charset)}, else UTF-8. Bytes that
 * hold nothing to redact are passed on as they are. The inner encoder must write text; a binary
 * encoder's bytes would not survive the round trip.
 *
 * <p>Each event is redacted on its own: a value split across two log calls is not found.
 *
 * @param <E> the event type, such as {@code ILoggingEvent}
 * @since 0.1
 */
public final class RedactingEncoder<E> extends ContextAwareBase implements Encoder<E> {
  private Encoder<E> encoder;
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

  /** Encodes the event with the inner encoder and redacts the result; nothing without one. */
  @Override
  public byte[] encode(E event) {
    return encoder == null ? new byte[0] : redact(encoder.encode(event));
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
    String cleaned = LatchkeyLogback.clean(text, this);
    return cleaned == text ? bytes : cleaned.getBytes(cs);
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
