package io.latchkey.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.resolver.SecretProviders;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * With debug logging on, the loggers that print credentials stay at INFO unless the application
 * sets them itself.
 */
final class LoggingDefaultsTest {
  private static final String URL_CONNECTION = "sun.net.www.protocol.http.HttpURLConnection";
  private static final String SIGNER = "software.amazon.awssdk.http.auth.aws.internal.signer";

  @Test
  void rootAtDebug_leavesTheCredentialPrintingLoggersAtInfo_inJavaUtilLoggingToo() {
    try (ConfigurableApplicationContext context =
        TestApps.of(App.class).property("logging.level.root", "debug").run()) {
      Environment environment = context.getEnvironment();
      // The AWS provider is on the test class path, and declares these three.
      assertThat(SecretProviders.credentialLoggers())
          .containsExactly(URL_CONNECTION, SIGNER, "software.amazon.awssdk.auth.signer");
      for (String logger : SecretProviders.credentialLoggers()) {
        assertThat(environment.getProperty("logging.level." + logger)).as(logger).isEqualTo("INFO");
      }
      // What HttpURLConnection checks before it logs a request's headers.
      assertThat(Logger.getLogger(URL_CONNECTION).isLoggable(Level.FINE)).isFalse();
      assertThat(
              org.slf4j.LoggerFactory.getLogger(SIGNER + ".DefaultV4RequestSigner")
                  .isDebugEnabled())
          .isFalse();
      // The rest of the application does log at DEBUG: only those loggers are held back.
      assertThat(Logger.getLogger("sun.net.www.protocol.http.Other").isLoggable(Level.FINE))
          .isTrue();
    }
  }

  @Test
  void aLevelTheApplicationSets_onTheLoggerOrAPackageAboveIt_wins() {
    try (ConfigurableApplicationContext context =
        TestApps.of(App.class)
            .property("logging.level.root", "debug")
            .property("logging.level.sun.net", "debug")
            .property("logging.level." + SIGNER, "trace")
            .run()) {
      Environment environment = context.getEnvironment();
      assertThat(environment.getProperty("logging.level." + URL_CONNECTION)).isNull();
      assertThat(environment.getProperty("logging.level." + SIGNER)).isEqualTo("trace");
      assertThat(environment.getProperty("logging.level.software.amazon.awssdk.auth.signer"))
          .isEqualTo("INFO");
      // No provider on the class path uses gRPC: its loggers are not Latchkey's to set.
      assertThat(environment.getProperty("logging.level.io.grpc.netty.NettyClientHandler"))
          .isNull();
    }
  }

  @Test
  void withoutTheImport_nothingIsAdded() {
    try (ConfigurableApplicationContext context =
        TestApps.of(App.class).without("spring.config.import").run()) {
      assertThat(
              context
                  .getEnvironment()
                  .getPropertySources()
                  .contains(LatchkeyLoggingDefaults.SOURCE))
          .isFalse();
    }
  }

  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class App {}
}
