package io.latchkey.log4j2;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.Secret;
import io.latchkey.redact.Redactor;
import io.latchkey.testsupport.Leaks;
import io.latchkey.testsupport.LogCanary;
import java.util.SplittableRandom;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.config.DefaultConfiguration;
import org.apache.logging.log4j.core.impl.Log4jLogEvent;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.apache.logging.log4j.layout.template.json.JsonTemplateLayout;
import org.apache.logging.log4j.message.SimpleMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Every layout writes the thread name and the logger name (ECS: {@code process.thread.name} and
 * {@code log.logger}), and either may be named after what it serves: the rewrite policy redacts
 * both on its copy, for random secrets, before a JSON or a pattern layout writes them.
 */
final class RewriteThreadAndLoggerNameTest {
  private static final long SEED = 0x7EAD5L;

  private final RedactingRewritePolicy policy = RedactingRewritePolicy.createPolicy();
  private final JsonTemplateLayout ecs =
      JsonTemplateLayout.newBuilder()
          .setConfiguration(new DefaultConfiguration())
          .setEventTemplateUri("classpath:EcsLayout.json")
          .build();
  private final PatternLayout pattern =
      PatternLayout.newBuilder()
          .setPattern("[%t] %c %m%n")
          .setConfiguration(new DefaultConfiguration())
          .build();
  private LatchkeyLog4j2 installed;

  @AfterEach
  void uninstall() {
    if (installed != null) {
      installed.close();
    }
  }

  private static LogEvent event(String threadName, String loggerName) {
    return Log4jLogEvent.newBuilder()
        .setLoggerName(loggerName)
        .setLevel(Level.INFO)
        .setMessage(new SimpleMessage("charge accepted"))
        .setThreadName(threadName)
        .build();
  }

  @Test
  void rewrite_threadNameHoldingTheCanary_isRedactedBeforeTheEcsLayout() {
    installed = LatchkeyLog4j2.install(Log4j2FileTest.canaryRedactor());
    LogEvent event = event("pool-worker[" + LogCanary.TOKEN + "]", LogCanary.LOGGER);

    LogEvent rewritten = policy.rewrite(event);
    String json = ecs.toSerializable(rewritten);

    assertThat(json).contains("charge accepted").contains(LogCanary.LOGGER);
    assertThat(rewritten.getThreadName()).isEqualTo("pool-worker[" + LogCanary.MASK + "]");
    Leaks.assertNoLeak("the ECS JSON line", json, LogCanary.TOKEN);
  }

  @Test
  void rewrite_randomSecretsInThreadAndLoggerNames_leaveNothingInAnyLayout() {
    for (int c = 0; c < 300; c++) {
      SplittableRandom random = new SplittableRandom(SEED + c);
      String secret = Leaks.randomSecret(random, 64);
      if (installed != null) {
        installed.close();
      }
      installed =
          LatchkeyLog4j2.install(
              Redactor.builder().value("WORKER_TOKEN", Secret.of(secret)).build());
      boolean inThread = c % 3 != 1;
      boolean inLogger = c % 3 != 0;
      String threadName = inThread ? "worker-" + secret + "-" + c : "main";
      String loggerName = inLogger ? "com.example.Tenant." + secret : LogCanary.LOGGER;

      LogEvent rewritten = policy.rewrite(event(threadName, loggerName));

      String what = "case " + c;
      Leaks.assertNoLeak(what + ", thread name", rewritten.getThreadName(), secret);
      Leaks.assertNoLeak(what + ", logger name", rewritten.getLoggerName(), secret);
      Leaks.assertNoLeak(what + ", ECS JSON", ecs.toSerializable(rewritten), secret);
      Leaks.assertNoLeak(what + ", pattern", pattern.toSerializable(rewritten), secret);
      assertThat(rewritten.getMessage().getFormattedMessage()).isEqualTo("charge accepted");
      if (!inThread) {
        assertThat(rewritten.getThreadName()).isEqualTo("main");
      }
      if (!inLogger) {
        assertThat(rewritten.getLoggerName()).isEqualTo(LogCanary.LOGGER);
      }
    }
  }

  @Test
  void rewrite_namesWithoutAValue_isTheSameEvent() {
    installed = LatchkeyLog4j2.install(Log4j2FileTest.canaryRedactor());
    LogEvent event = event("pool-worker-3", LogCanary.LOGGER);

    assertThat(policy.rewrite(event)).isSameAs(event);
  }

  @Test
  void rewrite_cleanerThatThrows_withholdsTheThreadAndLoggerNames() {
    installed =
        LatchkeyLog4j2.install(
            Log4j2FileTest.canaryRedactor(),
            text -> {
              throw new IllegalStateException("cannot clean " + text);
            });

    LogEvent rewritten = policy.rewrite(event("pool-worker[" + LogCanary.TOKEN + "]", "a.b.C"));

    assertThat(rewritten.getThreadName()).isEqualTo(LatchkeyLog4j2.REDACTION_FAILED);
    assertThat(rewritten.getLoggerName()).isEqualTo(LatchkeyLog4j2.REDACTION_FAILED);
  }
}
