package io.latchkey.examples;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.latchkey.ConfigException;
import io.latchkey.crypto.FernetKey;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The README's first command must keep working and keep telling the truth. */
final class QuickstartTest {

  private static String run(Map<String, String> env) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Quickstart.run(env, new PrintStream(bytes, true, UTF_8));
    return bytes.toString(UTF_8);
  }

  @Test
  void run_withoutKey_usesADemoKeyAndSaysSo() {
    String out = run(Map.of());
    assertThat(out)
        .contains("APP_ENCRYPTION_KEY is not set: using a demo key")
        .contains("5. old token still reads: true")
        .contains("rotated, now under the current key: true")
        .contains("7. old key retired; rotated token reads: true")
        .contains("an un-rotated token is now rejected")
        .doesNotContain("sk-demo-4f9c2b7e1d8a6c3f5e0b9a7d");
  }

  @Test
  void run_withKeyFromEnvironment_usesIt() {
    FernetKey key = FernetKey.generate();
    String out = run(Map.of("APP_ENCRYPTION_KEY", key.encoded().reveal()));
    assertThat(out)
        .doesNotContain("demo key")
        .contains("primary=" + key.id())
        .doesNotContain(key.encoded().reveal());
  }

  @Test
  void run_withBadKey_failsNamingTheVariable() {
    assertThatThrownBy(() -> run(Map.of("APP_ENCRYPTION_KEY", "not-a-key")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("APP_ENCRYPTION_KEY")
        .hasMessageNotContaining("not-a-key");
  }
}
