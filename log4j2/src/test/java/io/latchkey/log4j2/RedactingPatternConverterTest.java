package io.latchkey.log4j2;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.testsupport.LogCanary;
import java.util.Map;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.config.DefaultConfiguration;
import org.apache.logging.log4j.core.impl.ContextDataFactory;
import org.apache.logging.log4j.core.impl.Log4jLogEvent;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.apache.logging.log4j.message.ParameterizedMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Where {@code %redact{...}} puts the exception, what it leaves outside, and its failures. */
final class RedactingPatternConverterTest {
  private LatchkeyLog4j2 installed;

  @BeforeEach
  void install() {
    installed = LatchkeyLog4j2.install(Log4j2FileTest.canaryRedactor());
  }

  @AfterEach
  void uninstall() {
    installed.close();
  }

  private static String layout(String pattern, LogEvent event) {
    return PatternLayout.newBuilder()
        .setPattern(pattern)
        .setConfiguration(new DefaultConfiguration())
        .build()
        .toSerializable(event);
  }

  /** A DEBUG event of {@link LogCanary#LOGGER}, with {@code request=r-17} as context data. */
  static LogEvent event(String format, Throwable thrown, Object... args) {
    return Log4jLogEvent.newBuilder()
        .setLoggerName(LogCanary.LOGGER)
        .setLevel(Level.DEBUG)
        .setMessage(new ParameterizedMessage(format, args))
        .setThrown(thrown)
        .setContextData(ContextDataFactory.createContextData(Map.of("request", "r-17")))
        .build();
  }

  private static int count(String text, String part) {
    return text.split(part, -1).length - 1;
  }

  @Test
  void redact_innerPatternWithoutEx_writesTheExceptionOnItsOwnLineAndRedactsIt() {
    String text =
        layout(
            "%redact{%m} END",
            event("failed with {}", LogCanary.threeCausesDeep(), LogCanary.TOKEN));

    assertThat(text)
        .startsWith("failed with " + LogCanary.MASK + "\njava.lang.IllegalStateException:")
        .contains("Caused by: java.lang.IllegalArgumentException: token " + LogCanary.MASK)
        .endsWith(" END")
        .doesNotContain(LogCanary.TOKEN);
    assertThat(count(text, "payment gateway refused")).isEqualTo(1);
  }

  @Test
  void redact_innerPatternWithoutEx_writesNothingMoreForAnEventWithoutException() {
    assertThat(layout("%redact{%m} END", event("token {}", null, LogCanary.TOKEN)))
        .isEqualTo("token " + LogCanary.MASK + " END");
  }

  @Test
  void redact_withExNone_writesNoException() {
    assertThat(layout("%redact{%m%ex{none}}", event("failed", LogCanary.threeCausesDeep())))
        .isEqualTo("failed");
  }

  @Test
  void redact_partsRedactedSeparately_writeTheExceptionWhereThePatternSays() {
    String text =
        layout(
            "%redact{%m%ex{none}} | %redact{%ex{short}}",
            event("token {}", LogCanary.threeCausesDeep(), LogCanary.TOKEN));

    assertThat(text)
        .startsWith(
            "token " + LogCanary.MASK + " | java.lang.IllegalStateException: payment gateway");
    assertThat(count(text, "payment gateway refused")).isEqualTo(1);
  }

  @Test
  void redact_contextDataAndPaddingInside_areRedactedAsOneText() {
    LogEvent event =
        Log4jLogEvent.newBuilder()
            .setLoggerName(LogCanary.LOGGER)
            .setLevel(Level.DEBUG)
            .setMessage(new ParameterizedMessage("ok"))
            .setContextData(
                ContextDataFactory.createContextData(Map.of("session", LogCanary.TOKEN)))
            .build();

    assertThat(layout("%redact{[%X{session}] %-6level%m}", event))
        .isEqualTo("[" + LogCanary.MASK + "] DEBUG ok");
  }

  @Test
  void redact_aValueFormattedFromTwoArguments_isFound() {
    int half = LogCanary.TOKEN.length() / 2;

    assertThat(
            layout(
                "%redact{%m}",
                event(
                    "token {}{}",
                    null,
                    LogCanary.TOKEN.substring(0, half),
                    LogCanary.TOKEN.substring(half))))
        .isEqualTo("token " + LogCanary.MASK);
  }

  @Test
  void redact_textOutsideTheConverter_isLeftAlone() {
    assertThat(layout("%m|%redact{%m}", event("token {}", null, LogCanary.TOKEN)))
        .isEqualTo("token " + LogCanary.TOKEN + "|token " + LogCanary.MASK);
  }

  @Test
  void redact_cleanerThatThrows_withholdsOnlyTheConvertersText() {
    installed.close();
    installed =
        LatchkeyLog4j2.install(
            Log4j2FileTest.canaryRedactor(),
            text -> {
              throw new IllegalStateException("cannot clean " + text);
            });

    assertThat(layout("DEBUG %redact{%m} END", event("token {}", null, LogCanary.TOKEN)))
        .isEqualTo("DEBUG " + LatchkeyLog4j2.REDACTION_FAILED + " END");
  }

  @Test
  void redact_cleaner_runsAfterTheRedactor() {
    installed.close();
    installed =
        LatchkeyLog4j2.install(
            Log4j2FileTest.canaryRedactor(), text -> text.replace("AKIAEXAMPLEKEY", "[AWS_KEY]"));

    assertThat(layout("%redact{%m}", event("{} {}", null, "AKIAEXAMPLEKEY", LogCanary.TOKEN)))
        .isEqualTo("[AWS_KEY] " + LogCanary.MASK);
  }

  @Test
  void newInstance_withoutExactlyOnePattern_isRefused() {
    assertThat(RedactingPatternConverter.newInstance(new DefaultConfiguration(), new String[0]))
        .isNull();
    assertThat(
            RedactingPatternConverter.newInstance(
                new DefaultConfiguration(), new String[] {"%m", "%m"}))
        .isNull();
  }
}
