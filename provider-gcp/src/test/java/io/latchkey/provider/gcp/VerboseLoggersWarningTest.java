package io.latchkey.provider.gcp;

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
      assertThat(GcpClientFactory.warnAboutVerboseLoggers())
          .containsExactlyElementsOf(GcpClientFactory.FRAME_LOGGERS);
      Logger jul = Logger.getLogger("io.grpc.netty.shaded.io.grpc.netty.NettyClientHandler");
      jul.setLevel(Level.INFO);
      try {
        assertThat(GcpClientFactory.warnAboutVerboseLoggers())
            .doesNotContain("io.grpc.netty.shaded.io.grpc.netty.NettyClientHandler");
      } finally {
        jul.setLevel(null);
      }
    }
  }

  @Test
  @SuppressWarnings("try") // the capture only opens java.util.logging's levels
  void theProviderDeclaresTheLoggersItWarnsAbout_soThatIntegrationsCanHoldThemAtInfo() {
    try (LogCapture levels = LogCapture.startAtEveryLevel()) {
      assertThat(GcpSecretProviderFactory.class.getAnnotation(CredentialLoggers.class).value())
          .containsExactlyInAnyOrderElementsOf(GcpClientFactory.warnAboutVerboseLoggers());
    }
  }
}
