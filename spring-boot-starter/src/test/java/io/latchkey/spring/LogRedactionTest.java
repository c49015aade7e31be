package io.latchkey.spring;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import io.latchkey.logback.LatchkeyLogback;
import io.latchkey.logback.RedactingEncoder;
import io.latchkey.redact.Redactor;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The bean spring-boot.md shows for putting Latchkey's Logback redaction in front of the log: what
 * another library prints of a value read as text (a driver quoting a JDBC URL) is masked by name,
 * and the installation ends with the context.
 */
final class LogRedactionTest {
  private static final String PASSWORD = "pgpw-7e3b9d1f2a";
  private static final String URL = "jdbc:mysql://app:" + PASSWORD + "@db.example.com:3306/app";

  private final LoggerContext logback = new LoggerContext();

  @BeforeEach
  void provider() {
    TestCustomizer.freshClock();
    TestCustomizer.provider().put("dburl", URL);
  }

  @AfterEach
  void stop() {
    logback.stop();
  }

  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class App {
    // As in spring-boot.md, "What the starter cannot mask".
    @Bean
    LatchkeyLogback logRedaction(LatchkeySecrets secrets) {
      Redactor.Builder redactor = Redactor.builder().resolver(secrets.resolver());
      secrets.references().forEach(redactor::track);
      return LatchkeyLogback.install(redactor.build());
    }
  }

  @Test
  void aDriverQuotingTheUrl_isMaskedInTheLog_untilTheContextCloses() {
    RedactingEncoder<ILoggingEvent> encoder = encoder();
    String line = "Driver org.h2.Driver claims to not accept jdbcUrl, " + URL;
    try (ConfigurableApplicationContext context =
        TestApps.of(App.class).property("partner.db-url", "ref+test:dburl").run()) {
      String written = new String(encoder.encode(event(line)), StandardCharsets.UTF_8);
      assertThat(written).doesNotContain(PASSWORD).contains("claims to not accept jdbcUrl");
      assertThat(context.getBean(LatchkeyLogback.class)).isNotNull();
      assertThat(LatchkeyLogback.isInstalled()).isTrue();
    }
    assertThat(LatchkeyLogback.isInstalled()).as("closed with the context").isFalse();
  }

  private RedactingEncoder<ILoggingEvent> encoder() {
    PatternLayout layout = new PatternLayout();
    layout.setContext(logback);
    layout.setPattern("%msg%n");
    layout.start();
    LayoutWrappingEncoder<ILoggingEvent> inner = new LayoutWrappingEncoder<>();
    inner.setContext(logback);
    inner.setLayout(layout);
    inner.start();
    RedactingEncoder<ILoggingEvent> encoder = new RedactingEncoder<>();
    encoder.setContext(logback);
    encoder.setEncoder(inner);
    encoder.start();
    return encoder;
  }

  private LoggingEvent event(String message) {
    LoggingEvent event =
        new LoggingEvent(
            LogRedactionTest.class.getName(),
            logback.getLogger("driver"),
            Level.WARN,
            message,
            null,
            null);
    event.setMDCPropertyMap(java.util.Map.of());
    return event;
  }
}
