package io.latchkey.provider.env;

import static io.latchkey.provider.env.Testing.CANARY;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.latchkey.ConfigException;
import io.latchkey.ConfigException.Problem;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Large files: the parser's work, counted in characters examined rather than timed, grows linearly
 * with the file, and a file with many bad lines yields a bounded list of problems.
 */
final class DotenvScaleTest {
  @TempDir Path dir;

  /** {@code bad} short lines without {@code =}, then {@code good} entries, interleaved. */
  private static byte[] file(int bad, int good) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < Math.max(bad, good); i++) {
      if (i < bad) {
        sb.append("x\n");
      }
      if (i < good) {
        sb.append("K").append(i % 1000).append("=v\n");
      }
    }
    return sb.toString().getBytes(UTF_8);
  }

  @Test
  void manyLinesWithoutEquals_workIsLinearInTheFileSize() {
    byte[] small = file(100_000, 100_000);
    byte[] large = file(200_000, 200_000);

    DotenvParser.Result smallResult = DotenvParser.parse(".env", small);
    DotenvParser.Result largeResult = DotenvParser.parse(".env", large);

    // Each byte is decoded twice (split into lines, then decoded) and each character is looked at
    // a few times while parsing (line end, blanks, '=', name, value): a small constant per
    // character, where the quadratic parser examined about (lines x file size) / 2 characters,
    // 200,000 times this bound.
    assertThat(largeResult.charsExamined()).isLessThanOrEqualTo(10L * large.length);
    // Doubling the file doubles the work (the good lines' keys are one digit longer at most).
    assertThat((double) largeResult.charsExamined() / smallResult.charsExamined())
        .isBetween(1.9, 2.2);
    assertThat(largeResult.entries()).hasSize(1000);
  }

  @Test
  void unterminatedQuotes_areScannedToTheEndOfTheFileAtMostOncePerKind() {
    StringBuilder sb = new StringBuilder("S='never closed\nD=\"never closed\n");
    for (int i = 0; i < 50_000; i++) {
      sb.append("no equals here\nA=\\\"x\n");
    }
    byte[] content = sb.toString().getBytes(UTF_8);

    DotenvParser.Result result = DotenvParser.parse(".env", content);

    // Two scans to the end of the file (one per kind of quote) on top of the constant per char.
    assertThat(result.charsExamined()).isLessThanOrEqualTo(12L * content.length);
    assertThat(result.problems().get(0).reason()).startsWith("unterminated single-quoted");
    assertThat(result.problems().get(1).reason()).startsWith("unterminated double-quoted");
  }

  @Test
  void manyBadLines_listTheFirstHundred_andCountTheRest() {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 200_000; i++) {
      sb.append(CANARY).append('\n');
    }
    byte[] content = sb.toString().getBytes(UTF_8);

    DotenvParser.Result result = DotenvParser.parse(".env", content);

    assertThat(result.problems()).hasSize(DotenvParser.MAX_PROBLEMS + 1);
    assertThat(result.problems().get(0))
        .isEqualTo(new Problem(".env line 1", "missing '=' (expected KEY=value)"));
    assertThat(result.problems().get(99).setting()).isEqualTo(".env line 100");
    assertThat(result.problems().get(100))
        .isEqualTo(new Problem(".env", "and 199900 more problems (only the first 100 are listed)"));
  }

  @Test
  void badLinesOfBothPasses_areMergedInLineOrder_beforeTheCap() {
    StringBuilder sb = new StringBuilder();
    for (int i = 1; i <= 300; i++) {
      // Odd lines are not UTF-8 (found while decoding), even lines lack '=' (found while parsing).
      sb.append(i % 2 == 1 ? "A=\u0000\n" : "no equals\n");
    }
    byte[] content = sb.toString().getBytes(UTF_8);
    for (int i = 0; i < content.length; i++) {
      if (content[i] == 0) {
        content[i] = (byte) 0xff;
      }
    }

    DotenvParser.Result result = DotenvParser.parse(".env", content);

    assertThat(result.problems()).hasSize(101);
    for (int line = 1; line <= 100; line++) {
      Problem p = result.problems().get(line - 1);
      assertThat(p.setting()).isEqualTo(".env line " + line);
      assertThat(p.reason())
          .isEqualTo(line % 2 == 1 ? "is not valid UTF-8" : "missing '=' (expected KEY=value)");
    }
    assertThat(result.problems().get(100).reason()).startsWith("and 200 more problems");
  }

  @Test
  void exactlyAHundredProblems_areAllListed_withoutACount() {
    DotenvParser.Result result = DotenvParser.parse(".env", file(100, 3));
    assertThat(result.problems()).hasSize(100);
    assertThat(result.problems()).allSatisfy(p -> assertThat(p.setting()).contains(" line "));
  }

  @Test
  void manyBadLines_giveABoundedExceptionMessage() {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 100_000; i++) {
      sb.append('1').append(CANARY).append(" = x\n"); // a name may not start with a digit
    }
    Path file = Testing.write(dir.resolve(".env"), sb.toString());

    ConfigException e =
        catchThrowableOfType(
            ConfigException.class,
            () -> EnvSecretProvider.builder().environment(Map.of()).dotenvFile(file).build());

    assertThat(e.problems()).hasSize(101);
    assertThat(e.getMessage()).hasSizeLessThan(20_000).doesNotContain(CANARY);
    assertThat(e.getMessage())
        .endsWith(".env: and 99900 more problems (only the first 100 are listed)");
  }
}
