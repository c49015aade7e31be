package io.latchkey.log4j2;

import static io.latchkey.log4j2.RedactingPatternConverterTest.event;
import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.testsupport.Leaks;
import io.latchkey.testsupport.LogCanary;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.config.DefaultConfiguration;
import org.apache.logging.log4j.core.impl.ContextDataFactory;
import org.apache.logging.log4j.core.impl.Log4jLogEvent;
import org.apache.logging.log4j.layout.template.json.JsonTemplateLayout;
import org.apache.logging.log4j.message.ParameterizedMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the rewrite policy changes in an event, what it keeps, and the exception copies. */
final class RedactingRewritePolicyTest {
  private final RedactingRewritePolicy policy = RedactingRewritePolicy.createPolicy();
  private LatchkeyLog4j2 installed;

  @BeforeEach
  void install() {
    installed = LatchkeyLog4j2.install(Log4j2FileTest.canaryRedactor());
  }

  @AfterEach
  void uninstall() {
    installed.close();
  }

  private static String printed(Throwable t) {
    StringWriter out = new StringWriter();
    t.printStackTrace(new PrintWriter(out));
    return out.toString();
  }

  /** The exception and everything below it, causes before suppressed, in printing order. */
  private static List<Throwable> chain(Throwable t) {
    List<Throwable> all = new ArrayList<>();
    for (Throwable c = t; c != null; c = c.getCause()) {
      all.add(c);
    }
    for (Throwable s : t.getSuppressed()) {
      all.add(s);
    }
    return all;
  }

  @Test
  void rewrite_eventWithoutAValue_isTheSameEvent() {
    LogEvent event = event("order {}", new IllegalStateException("plain"), 42);

    assertThat(policy.rewrite(event)).isSameAs(event);
  }

  @Test
  void rewrite_beforeInstallation_isTheSameEvent() {
    installed.close();
    LogEvent event = event("token {}", LogCanary.threeCausesDeep(), LogCanary.TOKEN);

    assertThat(policy.rewrite(event)).isSameAs(event);
  }

  @Test
  void rewrite_message_isTheRedactedFormattedText() {
    LogEvent rewritten = policy.rewrite(event("token {} for {}", null, LogCanary.TOKEN, "order"));

    assertThat(rewritten.getMessage().getFormattedMessage())
        .isEqualTo("token " + LogCanary.MASK + " for order");
    assertThat(rewritten.getMessage().getParameters()).isNull();
    assertThat(rewritten.getLevel()).isEqualTo(Level.DEBUG);
    assertThat(rewritten.getLoggerName()).isEqualTo(LogCanary.LOGGER);
    assertThat(rewritten.getContextData().toMap()).containsEntry("request", "r-17");
  }

  @Test
  void rewrite_contextData_isRedactedValueByValue() {
    LogEvent event =
        Log4jLogEvent.newBuilder()
            .setMessage(new ParameterizedMessage("ok"))
            .setContextData(
                ContextDataFactory.createContextData(
                    Map.of("session", LogCanary.TOKEN, "request", "r-17")))
            .build();

    assertThat(policy.rewrite(event).getContextData().toMap())
        .containsOnly(Map.entry("session", LogCanary.MASK), Map.entry("request", "r-17"));
  }

  @Test
  void rewrite_exception_isACopyOfTheSameClassesStackTracesAndChain() {
    IllegalStateException original = LogCanary.threeCausesDeep();

    Throwable copy = policy.rewrite(event("charge failed", original)).getThrown();

    Leaks.assertNoLeak(copy, LogCanary.TOKEN);
    Leaks.assertNoLeak("the printed copy", printed(copy), LogCanary.TOKEN);
    List<Throwable> before = chain(original);
    List<Throwable> after = chain(copy);
    assertThat(after).hasSameSizeAs(before);
    for (int i = 0; i < before.size(); i++) {
      assertThat(after.get(i)).isNotSameAs(before.get(i));
      assertThat(after.get(i).getClass()).isEqualTo(before.get(i).getClass());
      assertThat(after.get(i).getStackTrace()).isEqualTo(before.get(i).getStackTrace());
    }
    assertThat(after.get(3).getMessage()).isEqualTo("token " + LogCanary.MASK + " is revoked");
    assertThat(copy.getSuppressed()[0].getMessage())
        .isEqualTo("cleanup also failed for " + LogCanary.MASK);
    String base64 = LogCanary.base64("svc:" + LogCanary.TOKEN);
    String base64Redacted = after.get(2).getMessage().substring("sent Basic ".length());
    assertThat(printed(copy))
        .isEqualTo(
            printed(original)
                .replace(base64, base64Redacted)
                .replace(LogCanary.TOKEN, LogCanary.MASK));
  }

  /** Shows its message its own way: a copy of its class could still show the value. */
  static final class Detailed extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String detail;

    Detailed(String detail) {
      super("failed");
      this.detail = detail;
    }

    @Override
    public String getMessage() {
      return "failed: " + detail;
    }
  }

  @Test
  void rewrite_exceptionThatShowsItsMessageItsOwnWay_isReplacedByAStandIn() {
    Detailed original = new Detailed(LogCanary.TOKEN);
    RuntimeException top = new RuntimeException("wrapped", original);

    Throwable copy = policy.rewrite(event("failed", top)).getThrown();

    assertThat(copy).isExactlyInstanceOf(RuntimeException.class);
    Throwable standIn = copy.getCause();
    assertThat(standIn).isExactlyInstanceOf(RedactedThrowable.class);
    assertThat(standIn.getMessage()).isEqualTo("failed: " + LogCanary.MASK);
    assertThat(standIn).hasToString(Detailed.class.getName() + ": failed: " + LogCanary.MASK);
    assertThat(standIn.getStackTrace()).isEqualTo(original.getStackTrace());
    assertThat(printed(copy)).contains("Caused by: " + Detailed.class.getName() + ": failed: ");
  }

  @Test
  void rewrite_exceptionBuiltFromAMessageAndACause_keepsItsClass() {
    UncheckedIOException original =
        new UncheckedIOException(new IOException("token " + LogCanary.TOKEN));

    Throwable copy = policy.rewrite(event("failed", original)).getThrown();

    // UncheckedIOException has no constructor taking a message alone; (String, IOException) takes
    // the copied cause, an IOException still.
    assertThat(copy).isExactlyInstanceOf(UncheckedIOException.class);
    assertThat(copy.getCause()).isExactlyInstanceOf(IOException.class);
    assertThat(copy.getMessage()).isEqualTo("java.io.IOException: token " + LogCanary.MASK);
  }

  @Test
  void rewrite_exceptionWhoseCauseCannotBeRebuilt_keepsItsClassThroughInitCause() {
    Detailed cause = new Detailed(LogCanary.TOKEN);
    UncheckedIOException original = new UncheckedIOException("io", new IOException("x", cause));

    Throwable copy = policy.rewrite(event("failed", original)).getThrown();

    assertThat(copy).isExactlyInstanceOf(UncheckedIOException.class);
    assertThat(copy.getCause()).isExactlyInstanceOf(IOException.class);
    assertThat(copy.getCause().getCause()).isExactlyInstanceOf(RedactedThrowable.class);
  }

  @Test
  void rewrite_causeCycle_isCutNotFollowedForever() {
    IllegalStateException a = new IllegalStateException("a " + LogCanary.TOKEN);
    IllegalArgumentException b = new IllegalArgumentException("b", a);
    a.initCause(b);

    Throwable copy = policy.rewrite(event("failed", a)).getThrown();

    assertThat(copy.getMessage()).isEqualTo("a " + LogCanary.MASK);
    assertThat(copy.getCause().getMessage()).isEqualTo("b");
    assertThat(copy.getCause().getCause()).isNull();
  }

  @Test
  void rewrite_sameExceptionSuppressedTwice_isCopiedOnce() {
    IllegalStateException shared = new IllegalStateException("s " + LogCanary.TOKEN);
    RuntimeException top = new RuntimeException("top", shared);
    top.addSuppressed(shared);

    Throwable copy = policy.rewrite(event("failed", top)).getThrown();

    assertThat(copy.getSuppressed()[0]).isSameAs(copy.getCause());
  }

  @Test
  void rewrite_cleanerThatThrows_withholdsMessageExceptionAndContextData() {
    installed.close();
    installed =
        LatchkeyLog4j2.install(
            Log4j2FileTest.canaryRedactor(),
            text -> {
              throw new IllegalStateException("cannot clean " + text);
            });

    LogEvent rewritten =
        policy.rewrite(event("token {}", LogCanary.threeCausesDeep(), LogCanary.TOKEN));

    assertThat(rewritten.getMessage().getFormattedMessage())
        .isEqualTo(LatchkeyLog4j2.REDACTION_FAILED);
    assertThat(rewritten.getThrown()).isNull();
    assertThat(rewritten.getContextData().isEmpty()).isTrue();
    assertThat(rewritten.getLevel()).isEqualTo(Level.DEBUG);
  }

  @Test
  void rewrite_morePastTheLimitThanChecked_isCutWithAMarkerNotPassedOn() {
    RuntimeException top = new RuntimeException("retries exhausted");
    for (int i = 0; i < 300; i++) {
      top.addSuppressed(
          new IllegalStateException("attempt " + i + (i == 299 ? " " + LogCanary.TOKEN : "")));
    }

    Throwable copy = policy.rewrite(event("failed", top)).getThrown();

    assertThat(copy).isNotSameAs(top);
    Leaks.assertNoLeak(copy, LogCanary.TOKEN);
    Leaks.assertNoLeak("the printed copy", printed(copy), LogCanary.TOKEN);
    Throwable[] suppressed = copy.getSuppressed();
    assertThat(suppressed[suppressed.length - 1])
        .isExactlyInstanceOf(RedactedThrowable.class)
        .hasMessage(RedactedCopies.CUT);
    assertThat(suppressed).hasSizeLessThan(300);
    assertThat(printed(copy)).contains(RedactedCopies.CUT);
  }

  @Test
  void rewrite_longCauseChainWithTheValueAtTheEnd_isCutWithAMarker() {
    Throwable chain = new IllegalStateException("root " + LogCanary.TOKEN);
    for (int i = 0; i < 300; i++) {
      chain = new IllegalStateException("level " + i, chain);
    }

    Throwable copy = policy.rewrite(event("failed", chain)).getThrown();

    Leaks.assertNoLeak("the printed copy", printed(copy), LogCanary.TOKEN);
    Throwable last = copy;
    while (last.getCause() != null) {
      last = last.getCause();
    }
    assertThat(last).hasMessage(RedactedCopies.CUT);
  }

  @Test
  void rewrite_parameterNotInTheFormattedText_dropsTheParameters() {
    LogEvent event = event("user {} logged in", null, "alice", LogCanary.TOKEN);

    LogEvent rewritten = policy.rewrite(event);

    assertThat(rewritten).isNotSameAs(event);
    assertThat(rewritten.getMessage().getFormattedMessage()).isEqualTo("user alice logged in");
    assertThat(rewritten.getMessage().getParameters()).isNull();
  }

  @Test
  void rewrite_valueInsideAnArrayParameter_dropsTheParameters() {
    Object[] nested = {"x", new Object[] {LogCanary.TOKEN}};

    LogEvent rewritten = policy.rewrite(event("ok", null, nested));

    assertThat(rewritten.getMessage().getParameters()).isNull();
  }

  @Test
  void rewrite_jsonTemplateLayoutWritingEveryParameter_showsNoValue() {
    JsonTemplateLayout layout =
        JsonTemplateLayout.newBuilder()
            .setConfiguration(new DefaultConfiguration())
            .setEventTemplate(
                "{\"message\": {\"$resolver\": \"message\"},"
                    + " \"parameters\": {\"$resolver\": \"messageParameter\"}}")
            .build();
    LogEvent event = event("user {} logged in", null, "alice", LogCanary.TOKEN);
    assertThat(layout.toSerializable(event)).contains(LogCanary.TOKEN);

    String json = layout.toSerializable(policy.rewrite(event));

    assertThat(json).contains("user alice logged in");
    Leaks.assertNoLeak("the JSON line", json, LogCanary.TOKEN);
  }
}
