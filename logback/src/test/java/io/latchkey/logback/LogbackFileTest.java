package io.latchkey.logback;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.joran.spi.JoranException;
import ch.qos.logback.core.status.Status;
import io.latchkey.redact.Redactor;
import io.latchkey.testsupport.Leaks;
import io.latchkey.testsupport.LogCanary;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;

/**
 * The real Logback, configured from the files that docs/redaction.md shows, writing to files: the
 * token logged every way {@link Canary} knows reaches neither the pattern file nor the JSON file.
 */
final class LogbackFileTest {
  @TempDir Path dir;

  private final Redactor redactor = LatchkeyLogbackTest.canaryRedactor();
  private LoggerContext context;
  private LatchkeyLogback installed;

  @AfterEach
  void stop() {
    if (installed != null) {
      installed.close();
    }
    if (context != null) {
      context.stop();
    }
  }

  /** A context of its own, configured from a test resource, writing into {@code dir}. */
  static LoggerContext configured(String resource, Path dir) throws JoranException {
    LoggerContext context = new LoggerContext();
    context.setName("test");
    context.setMDCAdapter(new LogbackMDCAdapter());
    context.putProperty("LOG_FILE", dir.resolve("app.log").toString());
    context.putProperty("JSON_LOG_FILE", dir.resolve("app.json").toString());
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    configurator.doConfigure(LogbackFileTest.class.getResource("/" + resource));
    assertThat(context.getStatusManager().getCopyOfStatusList())
        .as("configuration status")
        .allSatisfy(s -> assertThat(s.getLevel()).as(s.getMessage()).isLessThan(Status.WARN));
    return context;
  }

  private Logger configure(String resource) throws JoranException {
    context = configured(resource, dir);
    context.getMDCAdapter().put("request", "r-17");
    context.getMDCAdapter().put("session", LogCanary.TOKEN);
    return context.getLogger(LogCanary.LOGGER);
  }

  /** Stops the context, which closes the files, and reads one. */
  private String written(String file) throws IOException {
    context.stop();
    return Files.readString(dir.resolve(file), StandardCharsets.UTF_8);
  }

  @Test
  void encoder_aroundAPatternLayout_writesNoFormOfTheToken() throws Exception {
    Logger log = configure("logback-encoder.xml");
    installed = LatchkeyLogback.install(redactor);

    LogCanary.logEverything(log::debug);

    LogCanary.assertPlainTextRedacted("the log file", written("app.log"));
  }

  @Test
  void encoder_aroundTheJsonEncoder_writesNoFormOfTheToken() throws Exception {
    Logger log = configure("logback-encoder.xml");
    installed = LatchkeyLogback.install(redactor);

    LogCanary.logEverything(log::debug);

    String json = written("app.json");
    Leaks.assertNoLeak("the JSON log file", json, LogCanary.TOKEN);
    assertThat(json)
        .contains("\"message\":\"charging order {} with token {}\"")
        .contains("\"arguments\": [\"42\",\"" + LogCanary.MASK + "\"]")
        .contains("\"https:\\/\\/api.example.com\\/v1\\/charge?token=" + LogCanary.MASK + "\"")
        .contains("\"message\":\"payment gateway refused the charge\"")
        .contains("\"message\":\"token " + LogCanary.MASK + " is revoked\"")
        .contains("\"message\":\"cleanup also failed for " + LogCanary.MASK + "\"")
        .contains("\"session\":\"" + LogCanary.MASK + "\"")
        .contains("\"className\":\"java.lang.IllegalArgumentException\"");
  }

  @Test
  void redactConverter_aroundTheWholePattern_writesNoFormOfTheToken() throws Exception {
    Logger log = configure("logback-pattern.xml");
    installed = LatchkeyLogback.install(redactor);

    LogCanary.logEverything(log::debug);

    LogCanary.assertPlainTextRedacted("the log file", written("app.log"));
  }

  @Test
  void redactConverter_patternWithoutEx_writesTheExceptionOnceInsideTheRedaction()
      throws Exception {
    Logger log = configure("logback-pattern.xml");
    installed = LatchkeyLogback.install(redactor);

    log.debug("charge failed", LogCanary.threeCausesDeep());

    String text = written("app.log");
    assertThat(text.split("payment gateway refused the charge", -1)).hasSize(2);
    assertThat(text).contains("charge failed\njava.lang.IllegalStateException");
  }

  @Test
  void beforeInstallation_eventsPassThroughUnchanged() throws Exception {
    Logger log = configure("logback-pattern.xml");

    log.debug("token {}", LogCanary.TOKEN);

    assertThat(written("app.log")).contains("token " + LogCanary.TOKEN);
  }

  @Test
  void afterClose_eventsPassThroughUnchangedAgain() throws Exception {
    Logger log = configure("logback-encoder.xml");
    LatchkeyLogback.install(redactor).close();

    log.debug("token {}", LogCanary.TOKEN);

    assertThat(written("app.log")).contains("token " + LogCanary.TOKEN);
  }

  @Test
  void statusMessages_ofAWorkingConfiguration_holdNoToken() throws Exception {
    Logger log = configure("logback-encoder.xml");
    installed = LatchkeyLogback.install(redactor);

    LogCanary.logEverything(log::debug);
    StringBuilder status = new StringBuilder();
    context.getStatusManager().getCopyOfStatusList().forEach(s -> status.append(s).append('\n'));

    Leaks.assertNoLeak("Logback's status messages", status.toString(), LogCanary.TOKEN);
  }
}
