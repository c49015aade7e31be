package io.latchkey.log4j2;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.Secret;
import io.latchkey.redact.Redactor;
import io.latchkey.testsupport.Leaks;
import io.latchkey.testsupport.LogCanary;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.ThreadContext;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.ConfigurationFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real Log4j, configured from the files that docs/redaction.md shows, writing to files: the
 * token logged every way {@link LogCanary} knows reaches neither the pattern file nor the JSON
 * file.
 */
final class Log4j2FileTest {
  @TempDir Path dir;

  private LoggerContext context;
  private LatchkeyLog4j2 installed;

  /** A redactor of {@link LogCanary#TOKEN}, masked by name. */
  static Redactor canaryRedactor() {
    return Redactor.builder()
        .value(LogCanary.NAME, Secret.of(LogCanary.TOKEN))
        .mask(Redactor.Mask.NAME)
        .build();
  }

  @BeforeEach
  void files() {
    // The configurations name their files through system properties, as an application would.
    System.setProperty("LOG_FILE", dir.resolve("app.log").toString());
    System.setProperty("JSON_LOG_FILE", dir.resolve("app.json").toString());
    ThreadContext.put("request", "r-17");
    ThreadContext.put("session", LogCanary.TOKEN);
  }

  @AfterEach
  void stop() {
    if (installed != null) {
      installed.close();
    }
    if (context != null) {
      context.stop();
    }
    ThreadContext.clearMap();
    System.clearProperty("LOG_FILE");
    System.clearProperty("JSON_LOG_FILE");
  }

  /** A context of its own, configured from a test resource. */
  private Logger configure(String resource) throws URISyntaxException {
    context = new LoggerContext("test");
    Configuration config =
        ConfigurationFactory.getInstance()
            .getConfiguration(
                context, resource, Log4j2FileTest.class.getResource("/" + resource).toURI());
    context.start(config);
    return context.getLogger(LogCanary.LOGGER);
  }

  /** Stops the context, which closes the files, and reads one. */
  private String written(String file) throws IOException {
    context.stop();
    return Files.readString(dir.resolve(file), StandardCharsets.UTF_8);
  }

  @Test
  void redactConverter_aroundTheWholePattern_writesNoFormOfTheToken() throws Exception {
    Logger log = configure("log4j2-pattern.xml");
    installed = LatchkeyLog4j2.install(canaryRedactor());

    LogCanary.logEverything(log::debug);

    String text = written("app.log");
    LogCanary.assertPlainTextRedacted("the log file", text);
    assertThat(text).contains("charge failed\njava.lang.IllegalStateException: payment gateway");
    assertThat(text.split("payment gateway refused the charge", -1)).hasSize(2);
  }

  @Test
  void rewritePolicy_beforeAPatternLayout_writesNoFormOfTheToken() throws Exception {
    Logger log = configure("log4j2-rewrite.xml");
    installed = LatchkeyLog4j2.install(canaryRedactor());

    LogCanary.logEverything(log::debug);

    LogCanary.assertPlainTextRedacted("the log file", written("app.log"));
  }

  @Test
  void rewritePolicy_beforeJsonTemplateLayout_writesNoFormOfTheToken() throws Exception {
    Logger log = configure("log4j2-rewrite.xml");
    installed = LatchkeyLog4j2.install(canaryRedactor());

    LogCanary.logEverything(log::debug);

    String json = written("app.json");
    Leaks.assertNoLeak("the JSON log file", json, LogCanary.TOKEN);
    String mask = LogCanary.MASK;
    assertThat(json)
        .contains("\"log.level\":\"DEBUG\"")
        .contains("\"message\":\"charging order 42 with token " + mask + "\"")
        .contains("\"message\":\"calling https://api.example.com/v1/charge?token=" + mask + "\"")
        .contains("\"message\":\"token as base64 " + mask + "\"")
        .contains("\"session\":\"" + mask + "\"")
        .contains("\"request\":\"r-17\"")
        .contains("\"error.type\":\"java.lang.IllegalStateException\"")
        .contains("\"error.message\":\"payment gateway refused the charge\"")
        .contains("Caused by: java.io.UncheckedIOException: upstream said 401")
        .contains("Caused by: java.lang.IllegalArgumentException: token " + mask + " is revoked")
        .contains("Suppressed: java.lang.IllegalStateException: cleanup also failed for " + mask)
        .contains("at io.latchkey.testsupport.LogCanary.threeCausesDeep(LogCanary.java:");
  }

  @Test
  void beforeInstallation_eventsPassThroughUnchanged() throws Exception {
    Logger log = configure("log4j2-pattern.xml");

    log.debug("token {}", LogCanary.TOKEN);

    assertThat(written("app.log")).contains("token " + LogCanary.TOKEN);
  }

  @Test
  void afterClose_eventsPassThroughUnchangedAgain() throws Exception {
    Logger log = configure("log4j2-rewrite.xml");
    LatchkeyLog4j2.install(canaryRedactor()).close();

    log.debug("token {}", LogCanary.TOKEN);

    assertThat(written("app.log")).contains("token " + LogCanary.TOKEN);
  }
}
