package io.latchkey.provider.env;

import static io.latchkey.provider.env.Testing.dotenv;
import static io.latchkey.provider.env.Testing.text;
import static io.latchkey.provider.env.Testing.value;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.config.Origin;
import io.latchkey.testsupport.LogCapture;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every {@code .env} feature users of python-dotenv, Docker Compose and Node's dotenv expect. */
final class DotenvFormatTest {
  @TempDir Path dir;

  @Test
  void plainEntry_valueAndOriginWithLine() {
    EnvSecretProvider env = dotenv(dir, "# header\n\nPORT=8080\n");
    assertThat(value(env, "PORT").text()).isEqualTo("8080");
    assertThat(value(env, "PORT").name()).isEqualTo("PORT");
    assertThat(value(env, "PORT").origin()).isEqualTo(Origin.of(Origin.Kind.DOTENV, ".env line 3"));
  }

  @Test
  void origin_namesTheFileNotItsPath() {
    Path file = Testing.write(dir.resolve("config").resolve("dev.env"), "A=1\n");
    EnvSecretProvider env =
        EnvSecretProvider.builder().environment(Map.of()).dotenvFile(file).build();
    assertThat(value(env, "A").origin().detail()).isEqualTo("dev.env line 1");
  }

  @Test
  void exportPrefix_isAccepted() {
    EnvSecretProvider env =
        dotenv(
            dir,
            "export A=1\n"
                + "export   B = 2\n"
                + "  export\tC=3\n"
                + "export=4\n"
                + "export D='quoted'\n");
    assertThat(text(env, "A")).isEqualTo("1");
    assertThat(text(env, "B")).isEqualTo("2");
    assertThat(text(env, "C")).isEqualTo("3");
    assertThat(text(env, "export")).isEqualTo("4");
    assertThat(text(env, "D")).isEqualTo("quoted");
    assertThat(env.names()).containsExactly("A", "B", "C", "D", "export");
  }

  @Test
  void blanksAroundEquals_andIndentation_areIgnored() {
    EnvSecretProvider env = dotenv(dir, "A = 1\nB\t=\t2\n   C=3\nD =\n");
    assertThat(text(env, "A")).isEqualTo("1");
    assertThat(text(env, "B")).isEqualTo("2");
    assertThat(text(env, "C")).isEqualTo("3");
    assertThat(text(env, "D")).isEmpty();
  }

  @Test
  void fullLineComments_areSkipped() {
    EnvSecretProvider env = dotenv(dir, "# A=commented\n   # B=indented comment\n\t#C=tab\nD=1\n");
    assertThat(env.names()).containsExactly("D");
    assertThat(value(env, "D").origin().detail()).isEqualTo(".env line 4");
  }

  @Test
  void inlineComment_afterABlank_endsAnUnquotedValue() {
    EnvSecretProvider env =
        dotenv(
            dir,
            "A=value # a comment\n"
                + "B=value\t# after a tab\n"
                + "C=a#b\n"
                + "D=#ff0000\n"
                + "E= # nothing but a comment\n"
                + "F=a # b # c\n");
    assertThat(text(env, "A")).isEqualTo("value");
    assertThat(text(env, "B")).isEqualTo("value");
    assertThat(text(env, "C")).isEqualTo("a#b");
    assertThat(text(env, "D")).isEqualTo("#ff0000");
    assertThat(text(env, "E")).isEmpty();
    assertThat(text(env, "F")).isEqualTo("a");
  }

  @Test
  void unquotedValue_isTrimmedAndOtherwiseLiteral() {
    EnvSecretProvider env =
        dotenv(
            dir,
            "A=   padded value   \n"
                + "B=it's \"fine\"\n"
                + "C=back\\slash\\n\n"
                + "URL=postgres://user@db:5432/app?sslmode=require&x=1\n");
    assertThat(text(env, "A")).isEqualTo("padded value");
    assertThat(text(env, "B")).isEqualTo("it's \"fine\"");
    assertThat(text(env, "C")).isEqualTo("back\\slash\\n");
    assertThat(text(env, "URL")).isEqualTo("postgres://user@db:5432/app?sslmode=require&x=1");
  }

  @Test
  void emptyValues_inEveryForm() {
    EnvSecretProvider env = dotenv(dir, "A=\nB=''\nC=\"\"\nD=   \n");
    for (String name : new String[] {"A", "B", "C", "D"}) {
      assertThat(text(env, name)).as(name).isEmpty();
    }
  }

  @Test
  void singleQuotes_areLiteral() {
    EnvSecretProvider env =
        dotenv(
            dir,
            "A='no \\n escapes, no \\\" either'\n"
                + "B='# not a comment'\n"
                + "C='${HOME} $USER'\n"
                + "D='  kept blanks  '\n"
                + "E='quoted' # comment\n"
                + "F='say \"hi\"'\n");
    assertThat(text(env, "A")).isEqualTo("no \\n escapes, no \\\" either");
    assertThat(text(env, "B")).isEqualTo("# not a comment");
    assertThat(text(env, "C")).isEqualTo("${HOME} $USER");
    assertThat(text(env, "D")).isEqualTo("  kept blanks  ");
    assertThat(text(env, "E")).isEqualTo("quoted");
    assertThat(text(env, "F")).isEqualTo("say \"hi\"");
  }

  @Test
  void singleQuotes_maySpanLines() {
    EnvSecretProvider env = dotenv(dir, "A='one\ntwo\nthree'\nB=after\n");
    assertThat(text(env, "A")).isEqualTo("one\ntwo\nthree");
    assertThat(value(env, "B").origin().detail()).isEqualTo(".env line 4");
  }

  @Test
  void doubleQuotes_processEscapes() {
    EnvSecretProvider env =
        dotenv(
            dir,
            "A=\"line\\nbreak\"\n"
                + "B=\"tab\\there\"\n"
                + "C=\"say \\\"hi\\\"\"\n"
                + "D=\"back\\\\slash\"\n"
                + "E=\"cr\\rlf\"\n"
                + "F=\"C:\\Users\\app\"\n"
                + "G=\"# not a comment\"  # but this is\n"
                + "H=\"it's\"\n");
    assertThat(text(env, "A")).isEqualTo("line\nbreak");
    assertThat(text(env, "B")).isEqualTo("tab\there");
    assertThat(text(env, "C")).isEqualTo("say \"hi\"");
    assertThat(text(env, "D")).isEqualTo("back\\slash");
    assertThat(text(env, "E")).isEqualTo("cr\rlf");
    // An unknown escape keeps its backslash, as in Docker Compose.
    assertThat(text(env, "F")).isEqualTo("C:\\Users\\app");
    assertThat(text(env, "G")).isEqualTo("# not a comment");
    assertThat(text(env, "H")).isEqualTo("it's");
  }

  @Test
  void doubleQuotes_maySpanLines_andLaterLinesKeepTheirNumbers() {
    String pem =
        "-----BEGIN PRIVATE KEY-----\nMIIBVgIBADANBgkqhkiG9w0BAQEFAASCAUAwggE8\n"
            + "-----END PRIVATE KEY-----";
    EnvSecretProvider env =
        dotenv(dir, "FIRST=1\nKEY=\"" + pem + "\"\nAFTER=2\nESCAPED=\"a\\\"\nb\"\nLAST=3\n");
    assertThat(text(env, "KEY")).isEqualTo(pem);
    assertThat(value(env, "KEY").origin().detail()).isEqualTo(".env line 2");
    assertThat(value(env, "AFTER").origin().detail()).isEqualTo(".env line 5");
    assertThat(text(env, "ESCAPED")).isEqualTo("a\"\nb");
    assertThat(value(env, "LAST").origin().detail()).isEqualTo(".env line 8");
  }

  @Test
  void duplicateKeys_lastWins_andTheRepeatIsLoggedWithoutTheValue() {
    EnvSecretProvider env;
    String log;
    try (LogCapture capture = LogCapture.start()) {
      env = dotenv(dir, "DUP=first-value\nOTHER=x\nDUP=second-value\n");
      log = capture.text();
    }
    assertThat(text(env, "DUP")).isEqualTo("second-value");
    assertThat(value(env, "DUP").origin().detail()).isEqualTo(".env line 3");
    assertThat(log)
        .contains("DEBUG")
        .contains(".env line 3: DUP was already set on line 1; the later value wins")
        .doesNotContain("first-value")
        .doesNotContain("second-value");
  }

  @Test
  void byteOrderMark_isSkipped() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    bytes.write(new byte[] {(byte) 0xef, (byte) 0xbb, (byte) 0xbf});
    bytes.write("FIRST=1\nNAME=caf\u00e9\n".getBytes(UTF_8));
    Path file = Testing.write(dir.resolve(".env"), bytes.toByteArray());
    EnvSecretProvider env =
        EnvSecretProvider.builder().environment(Map.of()).dotenvFile(file).build();
    assertThat(env.names()).containsExactly("FIRST", "NAME");
    assertThat(text(env, "FIRST")).isEqualTo("1");
    assertThat(text(env, "NAME")).isEqualTo("caf\u00e9");
  }

  @Test
  void crlfLineEndings_areLineBreaks_andReadAsNewlinesInsideQuotes() {
    EnvSecretProvider env =
        dotenv(dir, "A=1\r\n# comment\r\nB=\"x\r\ny\"\r\nC='p\r\nq'\r\nD=4 # c\r\nE=5");
    assertThat(text(env, "A")).isEqualTo("1");
    assertThat(text(env, "B")).isEqualTo("x\ny");
    assertThat(text(env, "C")).isEqualTo("p\nq");
    assertThat(text(env, "D")).isEqualTo("4");
    assertThat(text(env, "E")).isEqualTo("5");
    assertThat(value(env, "E").origin().detail()).isEqualTo(".env line 8");
  }

  @Test
  void loneCarriageReturns_areLineBreaks() {
    EnvSecretProvider env = dotenv(dir, "A=1\rB=2\r");
    assertThat(text(env, "A")).isEqualTo("1");
    assertThat(value(env, "B").origin().detail()).isEqualTo(".env line 2");
  }

  @Test
  void keys_mayHoldDotsAndDashes() {
    EnvSecretProvider env = dotenv(dir, "my.key-name=1\n_PRIVATE=2\nlower_case=3\n");
    assertThat(text(env, "my.key-name")).isEqualTo("1");
    assertThat(text(env, "_PRIVATE")).isEqualTo("2");
    assertThat(text(env, "lower_case")).isEqualTo("3");
  }

  @Test
  void emptyFile_andLastLineWithoutNewline() {
    assertThat(dotenv(dir, "").names()).isEmpty();
    assertThat(dotenv(dir, "\n\n# only comments\n").names()).isEmpty();
    assertThat(text(dotenv(dir, "A=no newline at the end"), "A"))
        .isEqualTo("no newline at the end");
  }

  @Test
  void interpolationSyntax_isKeptAsWritten_withAWarningNamingTheLineNotTheValue() {
    EnvSecretProvider env;
    String log;
    try (LogCapture capture = LogCapture.start()) {
      env =
          dotenv(
              dir,
              "HOST=db\n"
                  + "URL=${HOST}:5432/unquoted-marker\n"
                  + "QUOTED=\"${HOST}/double-marker\"\n"
                  + "LITERAL='${HOST}/single-marker'\n"
                  + "DOLLAR=pa$$word\n");
      log = capture.text();
    }
    assertThat(text(env, "URL")).isEqualTo("${HOST}:5432/unquoted-marker");
    assertThat(text(env, "QUOTED")).isEqualTo("${HOST}/double-marker");
    assertThat(text(env, "LITERAL")).isEqualTo("${HOST}/single-marker");
    assertThat(text(env, "DOLLAR")).isEqualTo("pa$$word");
    assertThat(log)
        .contains("WARN")
        .contains(".env line 2: the value uses ${...} syntax")
        .contains(".env line 3: the value uses ${...} syntax")
        .doesNotContain(".env line 4")
        .doesNotContain(".env line 5")
        .doesNotContain("marker");
  }
}
