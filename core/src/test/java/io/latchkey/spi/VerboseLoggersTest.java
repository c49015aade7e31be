package io.latchkey.spi;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.testsupport.CapturingSlf4jProvider;
import io.latchkey.testsupport.LogCapture;
import java.util.List;
import java.util.UUID;
import java.util.logging.Level;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A provider's warning about another library's logger that prints credentials below {@code INFO}:
 * given when the logger is that verbose, once per JVM, naming the logger and what it prints.
 */
final class VerboseLoggersTest {
  private static final Logger LOG = LoggerFactory.getLogger(VerboseLoggersTest.class);

  private static String unique(String prefix) {
    return prefix + UUID.randomUUID().toString().replace("-", "");
  }

  private static List<String> warnings(LogCapture capture) {
    return capture.events().stream()
        .filter(e -> e.level() == org.slf4j.event.Level.WARN)
        .map(CapturingSlf4jProvider.Event::message)
        .collect(Collectors.toList());
  }

  @Test
  void julLogger_atFine_isWarnedAboutOnce_namingItAndWhatItPrints() {
    String name = unique("io.latchkey.test.jul.");
    java.util.logging.Logger jul = java.util.logging.Logger.getLogger(name);
    jul.setLevel(Level.FINE);
    try (LogCapture capture = LogCapture.start()) {
      assertThat(VerboseLoggers.warnIfJulBelowInfo(LOG, name, "request headers")).isTrue();
      assertThat(VerboseLoggers.warnIfJulBelowInfo(LOG, name, "request headers")).isTrue();
      assertThat(warnings(capture))
          .containsExactly(
              "the java.util.logging logger "
                  + name
                  + " is at FINE or below, where it prints request headers; set it to INFO, or"
                  + " keep that log as safe as the credentials");
    } finally {
      jul.setLevel(null);
    }
  }

  @Test
  void julLogger_atInfo_orInheritingInfo_isNotWarnedAbout() {
    String name = unique("io.latchkey.test.jul.");
    try (LogCapture capture = LogCapture.start()) {
      assertThat(VerboseLoggers.warnIfJulBelowInfo(LOG, name, "request headers")).isFalse();
      java.util.logging.Logger.getLogger(name).setLevel(Level.INFO);
      assertThat(VerboseLoggers.warnIfJulBelowInfo(LOG, name, "request headers")).isFalse();
      assertThat(warnings(capture)).isEmpty();
    }
  }

  @Test
  void julLogger_openedByTheRootLevel_isWarnedAbout() {
    String name = unique("io.latchkey.test.jul.");
    try (LogCapture capture = LogCapture.startAtEveryLevel()) {
      assertThat(VerboseLoggers.warnIfJulBelowInfo(LOG, name, "frames")).isTrue();
      assertThat(warnings(capture)).hasSize(1).allMatch(w -> w.contains(name));
    }
  }

  @Test
  void slf4jLogger_atDebug_isWarnedAbout_andOneAtInfoIsNot() {
    String verbose = unique("io.latchkey.test.loud.");
    String quiet = unique("io.latchkey.test.quiet.");
    try (LogCapture capture = LogCapture.start()) {
      assertThat(VerboseLoggers.warnIfSlf4jBelowInfo(LOG, verbose, "the canonical request"))
          .isTrue();
      assertThat(VerboseLoggers.warnIfSlf4jBelowInfo(LOG, quiet, "the canonical request"))
          .isFalse();
      assertThat(warnings(capture))
          .containsExactly(
              "the SLF4J logger "
                  + verbose
                  + " is at DEBUG or below, where it prints the canonical request; set it to INFO,"
                  + " or keep that log as safe as the credentials");
    }
  }

  @Test
  void loggerOfALibraryThatPicksItsBackend_isWarnedAboutOnce_asTheCallerFoundIt() {
    String verbose = unique("io.latchkey.test.facade.");
    String quiet = unique("io.latchkey.test.facade.");
    try (LogCapture capture = LogCapture.start()) {
      assertThat(VerboseLoggers.warnIf(true, LOG, verbose, "Log4j 2", "DEBUG", "frames")).isTrue();
      assertThat(VerboseLoggers.warnIf(true, LOG, verbose, "Log4j 2", "DEBUG", "frames")).isTrue();
      assertThat(VerboseLoggers.warnIf(false, LOG, quiet, "Log4j 2", "DEBUG", "frames")).isFalse();
      assertThat(warnings(capture))
          .containsExactly(
              "the Log4j 2 logger "
                  + verbose
                  + " is at DEBUG or below, where it prints frames; set it to INFO, or keep that"
                  + " log as safe as the credentials");
    }
  }
}
