package io.latchkey.crypto;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.crypto.aead.AesGcmKey;
import io.latchkey.crypto.aead.AesGcmKeyRing;
import io.latchkey.testsupport.StderrCapture;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the library logs (through the test's slf4j-simple binding, to stderr) holds no key. */
final class LoggingCanaryTest {

  @Test
  void duplicateKeyWarning_namesTheIdNotTheKey() {
    FernetKey key = FernetKey.generate();
    String encoded = key.encoded().reveal();
    PrintStream original = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, UTF_8));
    try {
      FernetKeyRing.fromEnvironment(
          "APP_KEY", Map.of("APP_KEY", encoded, "APP_KEY_PREVIOUS", encoded));
    } finally {
      System.setErr(original);
    }
    String log = captured.toString(UTF_8);
    assertThat(log).contains("WARN").contains(key.id()).doesNotContain(encoded);
    assertThat(log).doesNotContain(encoded.substring(0, 12));
  }

  @Test
  void aesGcmDuplicateKeyWarning_namesTheIdNotTheKey() {
    AesGcmKey key = AesGcmKey.generate();
    String encoded = key.encoded().reveal();
    try (StderrCapture capture = StderrCapture.start()) {
      AesGcmKeyRing.fromEnvironment(
          "APP_DATA_KEY", Map.of("APP_DATA_KEY", encoded, "APP_DATA_KEY_PREVIOUS", encoded));
      assertThat(capture.text())
          .contains("WARN")
          .contains(key.id())
          .doesNotContain(encoded.substring(4, 16));
    }
  }
}
