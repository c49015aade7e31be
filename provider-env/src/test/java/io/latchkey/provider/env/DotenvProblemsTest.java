package io.latchkey.provider.env;

import static io.latchkey.provider.env.Testing.CANARY;
import static io.latchkey.provider.env.Testing.dotenv;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import io.latchkey.ConfigException;
import io.latchkey.ConfigException.Problem;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Malformed {@code .env} lines: every kind is reported, all at once, as {@code .env line N} and a
 * reason, and never with the line's text (the canary in each line).
 */
final class DotenvProblemsTest {
  @TempDir Path dir;

  private ConfigException problems(String content) {
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> dotenv(dir, content));
    assertThat(e).as("a ConfigException").isNotNull();
    assertNoCanary(e);
    return e;
  }

  private static void assertNoCanary(ConfigException e) {
    assertThat(e.getMessage()).doesNotContain(CANARY).doesNotContain("7f3a9c");
    assertThat(e.toString()).doesNotContain(CANARY);
    for (Problem p : e.problems()) {
      assertThat(p.setting()).doesNotContain(CANARY);
      assertThat(p.reason()).doesNotContain(CANARY);
    }
  }

  @Test
  void everyKindOfMalformedLine_isReportedTogether_inLineOrder() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    bytes.write(
        ("GOOD=1\n"
                + CANARY
                + "\n" // 2: no '='
                + "1ST_TRY="
                + CANARY
                + "\n" // 3: starts with a digit
                + "MY KEY="
                + CANARY
                + "\n" // 4: a blank inside the name
                + "KEY$="
                + CANARY
                + "\n" // 5: a character names cannot hold
                + "="
                + CANARY
                + "\n" // 6: no name at all
                + "Q='"
                + CANARY
                + "'trailing\n" // 7: text after the closing quote
                + "BAD=")
            .getBytes(UTF_8));
    bytes.write(new byte[] {(byte) 0xc3, (byte) 0x28}); // 8: not UTF-8
    bytes.write(("\nexport " + CANARY.replace('-', ' ') + "\n").getBytes(UTF_8)); // 9: no '='
    bytes.write(("OPEN=\"" + CANARY + "\nNEXT=fine\n").getBytes(UTF_8)); // 10: unterminated
    Path file = Testing.write(dir.resolve(".env"), bytes.toByteArray());

    ConfigException e =
        catchThrowableOfType(
            ConfigException.class,
            () ->
                EnvSecretProvider.builder()
                    .environment(java.util.Map.of())
                    .dotenvFile(file)
                    .build());

    assertNoCanary(e);
    assertThat(e.problems())
        .extracting(Problem::setting, Problem::reason)
        .containsExactly(
            tuple(".env line 2", "missing '=' (expected KEY=value)"),
            tuple(
                ".env line 3",
                "invalid name: it must start with an ASCII letter or '_'"
                    + " (names are ASCII letters, digits, '_', '.' and '-')"),
            tuple(
                ".env line 4",
                "invalid name: it holds a character that is not allowed"
                    + " (names are ASCII letters, digits, '_', '.' and '-')"),
            tuple(
                ".env line 5",
                "invalid name: it holds a character that is not allowed"
                    + " (names are ASCII letters, digits, '_', '.' and '-')"),
            tuple(".env line 6", "missing the name before '='"),
            tuple(
                ".env line 7",
                "unexpected text after the closing quote (start a comment with ' #')"),
            tuple(".env line 8", "is not valid UTF-8"),
            tuple(".env line 9", "missing '=' (expected KEY=value)"),
            tuple(
                ".env line 10",
                "unterminated double-quoted value: no closing \" before the end of the file"));
    assertThat(e.getMessage()).startsWith("invalid configuration (9 problems):");
  }

  @Test
  void unterminatedSingleQuote_isReported_andTheLinesAfterItAreStillChecked() {
    ConfigException e = problems("A='" + CANARY + "\nB=fine\nno equals " + CANARY + "\n");
    assertThat(e.problems())
        .extracting(Problem::setting, Problem::reason)
        .containsExactly(
            tuple(
                ".env line 1",
                "unterminated single-quoted value: no closing ' before the end of the file"),
            tuple(".env line 3", "missing '=' (expected KEY=value)"));
  }

  @Test
  void badNameBeforeAMultiLineValue_isOneProblem_notOnePerLine() {
    ConfigException e = problems("BAD NAME=\"" + CANARY + "\nsecond line\nthird\"\nGOOD=1\n");
    assertThat(e.problems()).extracting(Problem::setting).containsExactly(".env line 1");
  }

  @Test
  void textAfterAMultiLineValue_isReportedOnTheOpeningLine_namingTheClosingOne() {
    ConfigException e = problems("A=\"one\ntwo\" " + CANARY + "\n");
    assertThat(e.problems()).extracting(Problem::setting).containsExactly(".env line 1");
    assertThat(e.problems().get(0).reason()).contains("closes on line 2");
  }

  @Test
  void backslashBeforeTheClosingQuote_namesTheLineThatOpenedTheValue() {
    // The \" escapes the quote, so the value runs on to the quote that opens line 4's value.
    ConfigException e = problems("WIN=\"C:\\temp\\\"\nA=1\nB=2\nTOKEN=\"" + CANARY + "\"\n");
    assertThat(e.problems())
        .extracting(Problem::setting, Problem::reason)
        .containsExactly(
            tuple(
                ".env line 1",
                "the quoted value that opens here closes on line 4, followed by unexpected text;"
                    + " if it should end on this line, check for a backslash before its closing"
                    + " quote (write \\\\ for a backslash)"));
    assertNoCanary(e);
  }

  @Test
  void onlyOneProblem_givesTheSingleProblemMessage() {
    ConfigException e = problems("GOOD=1\n" + CANARY + "\n");
    assertThat(e.getMessage())
        .isEqualTo("invalid configuration: .env line 2: missing '=' (expected KEY=value)");
  }

  @Test
  void problems_nameTheFileAsWritten() {
    Path file = Testing.write(dir.resolve("prod.env"), "x\n");
    ConfigException e =
        catchThrowableOfType(
            ConfigException.class,
            () ->
                EnvSecretProvider.builder()
                    .environment(java.util.Map.of())
                    .dotenvFile(file)
                    .build());
    assertThat(e.problems()).extracting(Problem::setting).containsExactly("prod.env line 1");
  }
}
