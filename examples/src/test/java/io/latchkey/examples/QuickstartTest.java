package io.latchkey.examples;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.latchkey.ConfigException;
import io.latchkey.crypto.FernetKey;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.sql.SQLException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The README's first command must keep working and keep telling the truth. */
final class QuickstartTest {

  private static String run(Map<String, String> env) throws SQLException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Quickstart.run(env, new PrintStream(bytes, true, UTF_8));
    return bytes.toString(UTF_8);
  }

  @Test
  void run_withoutKey_usesADemoKeyAndRotatesEverything() throws SQLException {
    String out = run(Map.of());
    assertThat(out)
        .contains("APP_ENCRYPTION_KEY is not set: using a demo key")
        .contains("openai credential read back: sk-proj-…***")
        .contains("stored credential still reads: true")
        .contains("credentials.token")
        .contains("all three read with the new key alone: true")
        .contains("a token under the retired key is now rejected");
    // The report counted three rotated rows and no failure.
    assertThat(out).containsPattern("credentials\\.token\\s+3\\s+3\\s+0\\s+0\\s+0\\s+0");
    assertThat(out)
        .doesNotContain("4f9c2b7e1d8a6c3f5e0b9a7d")
        .doesNotContain("9d8c7b6a5f4e3d2c1b0a")
        .doesNotContain("battery staple");
  }

  @Test
  void run_withKeyFromEnvironment_usesIt() throws SQLException {
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
