package io.latchkey.provider.aws;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.spi.CredentialLoggers;
import io.latchkey.testsupport.LogCapture;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * The loggers under the client that print credentials below {@code INFO} are checked when the
 * client is built: with debug logging on they are named (and warned about, once per JVM, by {@code
 * VerboseLoggers}), and a logger kept at {@code INFO} is not.
 */
final class VerboseLoggersWarningTest {
  @Test
  @SuppressWarnings("try") // the capture only opens java.util.logging's levels
  void withEveryLevelOpen_theCredentialPrintingLoggersAreNamed_andAtInfoTheyAreNot() {
    try (LogCapture levels = LogCapture.startAtEveryLevel()) {
      // The capturing SLF4J binding of the tests has every level on, the signers' loggers too.
      assertThat(AwsClientFactory.warnAboutVerboseLoggers())
          .containsExactly(
              "sun.net.www.protocol.http.HttpURLConnection",
              "software.amazon.awssdk.auth.signer",
              "software.amazon.awssdk.http.auth.aws.internal.signer");
      Logger jul = Logger.getLogger("sun.net.www.protocol.http.HttpURLConnection");
      jul.setLevel(Level.INFO);
      try {
        assertThat(AwsClientFactory.warnAboutVerboseLoggers())
            .doesNotContain("sun.net.www.protocol.http.HttpURLConnection");
      } finally {
        jul.setLevel(null);
      }
    }
  }

  @Test
  @SuppressWarnings("try") // the capture only opens java.util.logging's levels
  void theProviderDeclaresTheLoggersItWarnsAbout_soThatIntegrationsCanHoldThemAtInfo() {
    try (LogCapture levels = LogCapture.startAtEveryLevel()) {
      assertThat(AwsSecretProviderFactory.class.getAnnotation(CredentialLoggers.class).value())
          .containsExactlyInAnyOrderElementsOf(AwsClientFactory.warnAboutVerboseLoggers());
    }
  }
}
