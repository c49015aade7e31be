package io.latchkey.logback;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import io.latchkey.testsupport.LogCanary;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Where {@code %redact(...)} puts the exception, and what it leaves outside. */
final class RedactingConverterTest {
  private final LoggerContext context = new LoggerContext();
  private LatchkeyLogback installed;

  @BeforeEach
  void install() {
    context.setMDCAdapter(new LogbackMDCAdapter());
    installed = LatchkeyLogback.install(LatchkeyLogbackTest.canaryRedactor());
  }

  @AfterEach
  void uninstall() {
    installed.close();
    context.stop();
  }

  private String layout(String pattern, LoggingEvent event) {
    PatternLayout layout = new PatternLayout();
    layout.setContext(context);
    layout.getInstanceConverterMap().put("redact", RedactingConverter::new);
    layout.setPattern(pattern);
    layout.start();
    return layout.doLayout(event);
  }

  private LoggingEvent event(String message, Throwable thrown, Object... args) {
    return new LoggingEvent(
        RedactingConverterTest.class.getName(),
        context.getLogger(LogCanary.LOGGER),
        Level.DEBUG,
        message,
        thrown,
        args);
  }

  @Test
  void redact_innerPatternWithoutEx_writesTheExceptionOnItsOwnLineAndRedactsIt() {
    String text =
        layout(
            "%redact(%msg) END",
            event("failed with {}", LogCanary.threeCausesDeep(), LogCanary.TOKEN));

    assertThat(text)
        .startsWith("failed with " + LogCanary.MASK + "\njava.lang.IllegalStateException:")
        .contains("Caused by: java.lang.IllegalArgumentException: token " + LogCanary.MASK)
        .endsWith(" END")
        .doesNotContain(LogCanary.TOKEN);
    assertThat(text.split("payment gateway refused", -1)).hasSize(2);
  }

  @Test
  void redact_innerPatternWithoutEx_writesNothingMoreForAnEventWithoutException() {
    assertThat(layout("%redact(%msg) END", event("token {}", null, LogCanary.TOKEN)))
        .isEqualTo("token " + LogCanary.MASK + " END");
  }

  @Test
  void redact_innerPatternEndingWithALineSeparator_writesTheExceptionRightAfterIt() {
    String text = layout("%redact(%msg%n)", event("failed", LogCanary.threeCausesDeep()));

    assertThat(text).startsWith("failed\njava.lang.IllegalStateException: payment gateway");
  }

  @Test
  void redact_innerPatternWithEx_isLeftAsWritten() {
    String text =
        layout(
            "%redact(%ex{0}|%msg)",
            event("token {}", LogCanary.threeCausesDeep(), LogCanary.TOKEN));

    assertThat(text).endsWith("|token " + LogCanary.MASK);
    assertThat(text.split("payment gateway refused", -1)).hasSize(2);
  }

  @Test
  void redact_withNopex_writesNoException() {
    assertThat(layout("%redact(%msg%nopex)", event("failed", LogCanary.threeCausesDeep())))
        .isEqualTo("failed");
  }

  @Test
  void redact_partsRedactedSeparately_writeTheExceptionWhereThePatternSays() {
    String text =
        layout(
            "%redact(%msg%nopex) | %redact(%ex{short})",
            event("token {}", LogCanary.threeCausesDeep(), LogCanary.TOKEN));

    assertThat(text)
        .startsWith(
            "token " + LogCanary.MASK + " | java.lang.IllegalStateException: payment gateway");
    assertThat(text.split("payment gateway refused", -1)).hasSize(2);
  }

  @Test
  void redact_exInsideANestedComposite_countsAsHandled() {
    String text =
        layout(
            "%redact(%msg %replace(%ex{short}){'x','x'})",
            event("boom", LogCanary.threeCausesDeep()));

    assertThat(text.split("payment gateway refused", -1)).hasSize(2);
  }

  @Test
  void redact_mdcAndFormattingInside_areRedactedAsOneText() {
    context.getMDCAdapter().put("session", LogCanary.TOKEN);
    try {
      assertThat(layout("%redact([%X{session}] %-6level%msg)", event("ok", null)))
          .isEqualTo("[" + LogCanary.MASK + "] DEBUG ok");
    } finally {
      context.getMDCAdapter().clear();
    }
  }

  @Test
  void redact_aValueFormattedFromTwoArguments_isFound() {
    int half = LogCanary.TOKEN.length() / 2;
    String first = LogCanary.TOKEN.substring(0, half);
    String second = LogCanary.TOKEN.substring(half);

    assertThat(layout("%redact(%msg)", event("token {}{}", null, first, second)))
        .isEqualTo("token " + LogCanary.MASK);
  }
}
