package io.latchkey.provider.env;

import static io.latchkey.provider.env.Testing.CANARY;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.cdimascio.dotenv.Dotenv;
import io.github.cdimascio.dotenv.DotenvEntry;
import io.github.cdimascio.dotenv.DotenvException;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our parser beside dotenv-java 3.2.0 on the same files: they agree where dotenv-java is right, and
 * each gap that made us write our own parser is pinned here, with dotenv-java's actual behaviour.
 * If an upgrade closes a gap, its test fails and says so.
 */
final class DotenvJavaComparisonTest {
  @TempDir Path dir;

  private Map<String, String> ours(String content) {
    return ours(content.getBytes(UTF_8));
  }

  private Map<String, String> ours(byte[] content) {
    Testing.write(dir.resolve(".env"), content);
    EnvSecretProvider env =
        EnvSecretProvider.builder().environment(Map.of()).dotenvFile(dir.resolve(".env")).build();
    Map<String, String> values = new TreeMap<>();
    env.names().forEach(n -> values.put(n, env.get(n).orElseThrow().text()));
    return values;
  }

  private Map<String, String> theirs(String content) {
    return theirs(content.getBytes(UTF_8));
  }

  private Map<String, String> theirs(byte[] content) {
    Testing.write(dir.resolve(".env"), content);
    Dotenv dotenv = Dotenv.configure().directory(dir.toString()).filename(".env").load();
    Map<String, String> values = new TreeMap<>();
    for (DotenvEntry e : dotenv.entries(Dotenv.Filter.DECLARED_IN_ENV_FILE)) {
      values.put(e.getKey(), e.getValue());
    }
    return values;
  }

  @Test
  void commonSubset_bothParsersAgree() {
    String content =
        "# a comment\n"
            + "PLAIN=value\n"
            + "SPACED = value with spaces\n"
            + "EMPTY=\n"
            + "URL=postgres://user@host:5432/db?sslmode=require\n"
            + "QUOTED=\"double quoted\"\n"
            + "MULTI=\"line one\nline two\"\n"
            + "TRAILING=value # comment\n"
            + "DOTTED.KEY-NAME=x\n"
            + "DUP=first\n"
            + "DUP=second\n"
            + "CRLF=windows\r\n";
    Map<String, String> ours = ours(content);
    assertThat(ours).hasSize(10).containsEntry("MULTI", "line one\nline two");
    assertThat(theirs(content)).isEqualTo(ours);
  }

  @Test
  void verticalTabAndFormFeed_areBlanksToBoth() {
    String content = "A=\u000bvalue\f\nB=\fvalue\u000b # comment\n";
    Map<String, String> ours = ours(content);
    assertThat(ours).containsEntry("A", "value").containsEntry("B", "value");
    assertThat(theirs(content)).isEqualTo(ours);
  }

  @Test
  void noBreakSpace_dotenvJavaKeepsItInTheValue() {
    String content = "KEY=value\u00a0\n";
    assertThat(ours(content)).containsExactly(Map.entry("KEY", "value"));
    assertThat(theirs(content)).containsExactly(Map.entry("KEY", "value\u00a0"));
  }

  @Test
  void exportPrefix_dotenvJavaRejectsTheLine() {
    String content = "export KEY=value\n";
    assertThat(ours(content)).containsExactly(Map.entry("KEY", "value"));
    assertThatThrownBy(() -> theirs(content)).isInstanceOf(DotenvException.class);
  }

  @Test
  void singleQuotes_dotenvJavaKeepsThem() {
    String content = "KEY='literal'\n";
    assertThat(ours(content)).containsExactly(Map.entry("KEY", "literal"));
    assertThat(theirs(content)).containsExactly(Map.entry("KEY", "'literal'"));
  }

  @Test
  void escapesInDoubleQuotes_dotenvJavaLeavesThemUnprocessed() {
    String content = "KEY=\"a\\nb\"\n";
    assertThat(ours(content)).containsExactly(Map.entry("KEY", "a\nb"));
    assertThat(theirs(content)).containsExactly(Map.entry("KEY", "a\\nb"));
  }

  @Test
  void hashInsideAnUnquotedValue_dotenvJavaCutsTheValue() {
    String content = "PASSWORD=abc#def\n";
    assertThat(ours(content)).containsExactly(Map.entry("PASSWORD", "abc#def"));
    assertThat(theirs(content)).containsExactly(Map.entry("PASSWORD", "abc"));
  }

  @Test
  void byteOrderMark_dotenvJavaRejectsTheFirstLine() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    bytes.write(new byte[] {(byte) 0xef, (byte) 0xbb, (byte) 0xbf});
    bytes.write("KEY=value\n".getBytes(UTF_8));
    assertThat(ours(bytes.toByteArray())).containsExactly(Map.entry("KEY", "value"));
    assertThatThrownBy(() -> theirs(bytes.toByteArray())).isInstanceOf(DotenvException.class);
  }

  @Test
  void malformedLine_dotenvJavaQuotesTheSecretInItsMessage_andOursDoesNot() {
    String content = "GOOD=1\n" + CANARY + "\n";
    assertThatThrownBy(() -> theirs(content))
        .isInstanceOf(DotenvException.class)
        .hasMessageContaining(CANARY);
    assertThatThrownBy(() -> ours(content))
        .isInstanceOf(io.latchkey.ConfigException.class)
        .hasMessageNotContaining(CANARY)
        .hasMessageContaining(".env line 2");
  }

  @Test
  void entryToString_dotenvJavaPrintsTheValue_andOursDoesNot() {
    assertThat(new DotenvEntry("KEY", CANARY).toString()).contains(CANARY);
    assertThat(new DotenvParser.Entry("KEY", CANARY, 1).toString()).doesNotContain(CANARY);
  }
}
