package io.latchkey.logback;

import ch.qos.logback.classic.pattern.LineSeparatorConverter;
import ch.qos.logback.classic.pattern.ThrowableHandlingConverter;
import ch.qos.logback.classic.pattern.ThrowableProxyConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.pattern.CompositeConverter;
import ch.qos.logback.core.pattern.Converter;

/**
 * The {@code %redact(...)} conversion word: redacts everything the pattern inside it writes, the
 * formatted message, MDC values and the exception with its causes and suppressed exceptions
 * included.
 *
 * <pre>{@code
 * <conversionRule conversionWord="redact" class="io.latchkey.logback.RedactingConverter"/>
 * ...
 * <pattern>%redact(%d %-5level %logger - %msg%n%ex)</pattern>
 * }</pre>
 *
 * <p>The redactor comes from {@link LatchkeyLogback#install}; until then the text passes through
 * unchanged.
 *
 * <p><b>Exceptions.</b> Logback appends {@code %ex} to a pattern that writes no exception, outside
 * any {@code %redact(...)}, where it would not be redacted. So when the pattern inside {@code
 * %redact(...)} has no exception converter ({@code %ex}, {@code %xEx}, {@code %rEx}, or {@code
 * %nopex} to write none), this converter adds {@code %ex} at its end, inside the redaction, on a
 * line of its own: where Logback would have put it for a pattern wrapped whole. A pattern that
 * redacts its parts separately says where the exception goes: {@code
 * %redact(%msg%nopex)%n%redact(%ex)}.
 *
 * <p>The text is redacted as a whole, so a value formatted from two arguments into one message is
 * found; a value split across two log calls is not.
 *
 * @since 0.1
 */
public final class RedactingConverter extends CompositeConverter<ILoggingEvent> {

  /** Creates the converter; Logback's pattern compiler calls it. */
  public RedactingConverter() {}

  /**
   * Sets the converters of the pattern inside the parentheses, adding {@code %ex} at their end when
   * none of them writes the event's exception.
   *
   * @param child the first converter of the inner pattern, or {@code null} for an empty one
   */
  @Override
  public void setChildConverter(Converter<ILoggingEvent> child) {
    if (handlesThrowable(child)) {
      super.setChildConverter(child);
      return;
    }
    if (child == null) {
      super.setChildConverter(new ThrowableProxyConverter());
      return;
    }
    Converter<ILoggingEvent> tail = child;
    while (tail.getNext() != null) {
      tail = tail.getNext();
    }
    // As Log4j does: the exception starts on a line of its own.
    tail.setNext(
        tail instanceof LineSeparatorConverter
            ? new ThrowableProxyConverter()
            : new OnItsOwnLine());
    super.setChildConverter(child);
  }

  @Override
  protected String transform(ILoggingEvent event, String in) {
    return LatchkeyLogback.clean(in, this);
  }

  /** {@code %ex} preceded by a line separator when there is an exception to write. */
  static final class OnItsOwnLine extends ThrowableProxyConverter {
    @Override
    public String convert(ILoggingEvent event) {
      String exception = super.convert(event);
      return exception.isEmpty() ? exception : CoreConstants.LINE_SEPARATOR + exception;
    }
  }

  private static boolean handlesThrowable(Converter<ILoggingEvent> head) {
    for (Converter<ILoggingEvent> c = head; c != null; c = c.getNext()) {
      if (c instanceof ThrowableHandlingConverter) {
        return true;
      }
      if (c instanceof CompositeConverter
          && handlesThrowable(((CompositeConverter<ILoggingEvent>) c).getChildConverter())) {
        return true;
      }
    }
    return false;
  }
}
