package io.latchkey.provider.env;

import static io.latchkey.provider.env.Testing.CANARY;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.ConfigException.Problem;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Seeded random files built from the characters the grammar cares about: the parser either returns
 * entries or reports problems, never throws anything else, and never quotes the canary.
 */
final class DotenvRandomInputTest {
  private static final String[] PIECES = {
    "A", "key", "_", "1", "=", " ", "\t", "#", "'", "\"", "\\", "\\n", "\n", "\r\n", "\r",
    "export ", "${X}", "\u00e9", CANARY, ".", "-", "/"
  };

  @Test
  void randomFiles_endInEntriesOrProblems_neverInACrashOrALeak() {
    Random random = new Random(20261123L);
    int withProblems = 0;
    for (int i = 0; i < 5_000; i++) {
      StringBuilder content = new StringBuilder();
      int lines = 1 + random.nextInt(4);
      for (int l = 0; l < lines; l++) {
        // Half the lines start as an entry, so that valid files come up as often as broken ones.
        if (random.nextBoolean()) {
          content.append("K").append(l).append('=');
        }
        int length = random.nextInt(6);
        for (int j = 0; j < length; j++) {
          content.append(PIECES[random.nextInt(PIECES.length)]);
        }
        content.append('\n');
      }
      byte[] bytes = content.toString().getBytes(UTF_8);
      if (random.nextInt(10) == 0 && bytes.length > 0) {
        bytes[random.nextInt(bytes.length)] = (byte) 0xff; // sometimes not UTF-8
      }
      DotenvParser.Result result = DotenvParser.parse(".env", bytes);
      for (Problem p : result.problems()) {
        assertThat(p.setting()).matches("\\.env line [0-9]+");
        assertThat(p.reason()).doesNotContain(CANARY).doesNotContain("7f3a9c");
      }
      for (DotenvParser.Entry e : result.entries().values()) {
        assertThat(e.key()).matches("[A-Za-z_][A-Za-z0-9_.-]*");
        // The canary is a valid name, so it may be a key; the value never shows.
        assertThat(e.toString()).isEqualTo("Entry[key=" + e.key() + ", line=" + e.line() + "]");
      }
      if (!result.problems().isEmpty()) {
        withProblems++;
      }
    }
    // Each outcome comes up in at least a tenth of the runs, so both paths are exercised.
    assertThat(withProblems).isBetween(500, 4_500);
  }
}
