package io.latchkey.log4j2;

import java.util.List;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.plugins.Plugin;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.apache.logging.log4j.core.pattern.ConverterKeys;
import org.apache.logging.log4j.core.pattern.LogEventPatternConverter;
import org.apache.logging.log4j.core.pattern.PatternConverter;
import org.apache.logging.log4j.core.pattern.PatternFormatter;
import org.apache.logging.log4j.core.pattern.PatternParser;

/**
 * The {@code %redact{...}} pattern converter: redacts everything the pattern inside it writes, the
 * formatted message, context data and the exception with its causes and suppressed exceptions
 * included, in the layout's buffer, without a copy.
 *
 * <pre>{@code
 * <PatternLayout pattern="%redact{%d %-5level %logger - %msg%n}"/>
 * }</pre>
 *
 * <p>Log4j finds the plugin by itself (its descriptor is in this module's jar). The redactor comes
 * from {@link LatchkeyLog4j2#install}; until then the text passes through unchanged.
 *
 * <p><b>Exceptions.</b> A pattern layout that writes no exception appends {@code %ex} to the
 * pattern, outside any {@code %redact{...}}, where it would not be redacted. So this converter
 * tells the layout that it writes the exception, and when the pattern inside it has no exception
 * converter ({@code %ex}, {@code %xEx}, {@code %rEx}, or {@code %ex{none}} to write none), it adds
 * one at its end, inside the redaction, as the layout would have for a pattern wrapped whole. A
 * pattern that redacts its parts separately says where the exception goes: {@code
 * %redact{%msg%ex{none}}%n%redact{%ex}}.
 *
 * <p>The text is redacted as a whole, so a value formatted from two arguments into one message is
 * found; a value split across two log calls is not.
 *
 * @since 0.1
 */
@Plugin(name = "RedactingPatternConverter", category = PatternConverter.CATEGORY)
@ConverterKeys({"redact"})
public final class RedactingPatternConverter extends LogEventPatternConverter {
  private final List<PatternFormatter> formatters;

  private RedactingPatternConverter(List<PatternFormatter> formatters) {
    super("redact", "redact");
    this.formatters = formatters;
  }

  /**
   * Creates the converter for {@code %redact{pattern}}; Log4j's pattern parser calls it.
   *
   * @param config the configuration, for the inner pattern's converters
   * @param options the inner pattern, alone
   * @return the converter, or {@code null} (reported to the status logger) when there is not
   *     exactly one inner pattern
   */
  public static RedactingPatternConverter newInstance(Configuration config, String[] options) {
    if (options == null || options.length != 1 || options[0] == null) {
      LOGGER.error("%redact takes one pattern, as in %redact{%msg}");
      return null;
    }
    PatternParser parser = PatternLayout.createPatternParser(config);
    // alwaysWriteExceptions: an inner pattern without %ex gets one, inside the redaction.
    return new RedactingPatternConverter(parser.parse(options[0], true, false, false));
  }

  @Override
  public void format(LogEvent event, StringBuilder toAppendTo) {
    int start = toAppendTo.length();
    for (PatternFormatter formatter : formatters) {
      formatter.format(event, toAppendTo);
    }
    LatchkeyLog4j2 installation = LatchkeyLog4j2.current();
    if (installation != null) {
      installation.clean(toAppendTo, start);
    }
  }

  /**
   * Returns {@code true}: the exception is written inside, so the layout adds none outside.
   *
   * @return {@code true}
   */
  @Override
  public boolean handlesThrowable() {
    return true;
  }
}
