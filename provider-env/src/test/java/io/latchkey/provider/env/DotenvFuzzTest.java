package io.latchkey.provider.env;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.latchkey.ConfigException;
import io.latchkey.ConfigException.Problem;
import io.latchkey.testsupport.Leaks;
import java.io.ByteArrayOutputStream;

/**
 * The {@code .env} parser on fuzzed files with a canary planted in one line: it returns entries or
 * problems and throws nothing, no problem quotes the canary, at most {@link
 * DotenvParser#MAX_PROBLEMS} problems are listed, and its work stays linear in the file's size.
 *
 * <p>Under {@code mvn test} it replays its seed inputs (in {@code DotenvFuzzTestInputs}); with
 * {@code JAZZER_FUZZ=1} it fuzzes for {@code maxDuration}, or for {@code JAZZER_MAX_DURATION} when
 * that is set. Crashing inputs found that way are kept with the seeds once fixed.
 */
final class DotenvFuzzTest {
  /** A secret that must never reach a message: letters, digits and characters .env cares about. */
  private static final String CANARY = "Zq8vK2mW#x=7'Lp\"3";

  /** How the canary is planted in its line: in each place the grammar treats differently. */
  private static final String[] PLANTINGS = {
    "KEY=%s",
    "%s",
    "1%s=x",
    "KEY='%s",
    "KEY=\"%s",
    "export %s",
    "KEY='%s'junk",
    "KEY=\"%s\" %s",
    "%s=",
    " KEY = %s # %s",
    "KEY=\"a\\\n%s",
    "\u00a0%s\u00a0=\u000b%s",
    "KEY=${%s}",
    "K\u00e9Y=%s"
  };

  @FuzzTest(maxDuration = "2m")
  void parse_fuzzedFileWithACanary_onlyProblemsNeverTheCanary(FuzzedDataProvider data) {
    String planting = PLANTINGS[data.consumeInt(0, PLANTINGS.length - 1)];
    int at = data.consumeInt(0, 64);
    byte[] rest = data.consumeRemainingAsBytes();
    byte[] content = plant(rest, at, planting.replace("%s", CANARY));

    DotenvParser.Result result = DotenvParser.parse(".env", content);

    assertThat(result.problems()).hasSizeLessThanOrEqualTo(DotenvParser.MAX_PROBLEMS + 1);
    for (int i = 0; i < result.problems().size(); i++) {
      Problem p = result.problems().get(i);
      if (i < DotenvParser.MAX_PROBLEMS) {
        assertThat(p.setting()).matches("\\.env line [1-9][0-9]*");
      } else {
        assertThat(p.setting()).isEqualTo(".env");
        assertThat(p.reason()).matches("and [1-9][0-9]* more problems? \\(only the first 100.*");
      }
    }
    for (DotenvParser.Entry entry : result.entries().values()) {
      // A key is a name and is shown; the fuzzer soon writes the canary, encoded, as one. So the
      // check is that toString() shows the key and line and nothing else.
      assertThat(entry.key()).matches("[A-Za-z_][A-Za-z0-9_.-]*");
      assertThat(entry.toString())
          .isEqualTo("Entry[key=" + entry.key() + ", line=" + entry.line() + "]");
    }
    if (!result.problems().isEmpty()) {
      // What the provider throws for them: one exception, bounded, never quoting the canary.
      ConfigException e = new ConfigException(result.problems());
      Leaks.assertNoLeak(e, CANARY);
      assertThat(e.getMessage().length()).isLessThan(200 * (DotenvParser.MAX_PROBLEMS + 1));
    }
    // Linear work: a bounded number of looks at each byte, plus a constant per line.
    assertThat(result.charsExamined()).isLessThanOrEqualTo(32L * (content.length + 1));
  }

  /** Inserts {@code line} as line {@code at} of {@code content}, or at its end if it is shorter. */
  private static byte[] plant(byte[] content, int at, String line) {
    int offset = 0;
    for (int seen = 0; seen < at && offset < content.length; offset++) {
      if (content[offset] == '\n') {
        seen++;
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 64);
    out.write(content, 0, offset);
    if (offset > 0 && content[offset - 1] != '\n') {
      out.write('\n');
    }
    out.writeBytes(line.getBytes(UTF_8));
    out.write('\n');
    out.write(content, offset, content.length - offset);
    return out.toByteArray();
  }
}
