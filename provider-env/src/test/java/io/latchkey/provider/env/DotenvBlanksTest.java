package io.latchkey.provider.env;

import static io.latchkey.provider.env.Testing.dotenv;
import static io.latchkey.provider.env.Testing.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.latchkey.ConfigException;
import io.latchkey.ConfigException.Problem;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Blanks are what python-dotenv and Node's dotenv both strip (tab, vertical tab, form feed, the
 * Unicode space separators including the no-break spaces, U+2028 and U+2029), around keys and
 * unquoted values and before an inline comment; inside quotes every character is kept.
 */
final class DotenvBlanksTest {
  @TempDir Path dir;

  /** Every blank: tab, VT, FF, U+2028, U+2029 and all of category Zs. */
  private static final List<Character> BLANKS =
      List.of(
          '\t', '\u000b', '\f', ' ', '\u00a0', '\u1680', '\u2000', '\u2001', '\u2002', '\u2003',
          '\u2004', '\u2005', '\u2006', '\u2007', '\u2008', '\u2009', '\u200a', '\u2028', '\u2029',
          '\u202f', '\u205f', '\u3000');

  @Test
  void isBlank_isExactlyTheCharactersBothDotenvsStrip_lessLineBreaks() {
    for (char c = 0; c < Character.MAX_VALUE; c++) {
      assertThat(DotenvParser.isBlank(c)).as("U+%04X", (int) c).isEqualTo(BLANKS.contains(c));
    }
  }

  @ParameterizedTest(name = "U+{0}")
  @ValueSource(ints = {0x0b, 0x0c, 0xa0, 0x1680, 0x2003, 0x2028, 0x202f, 0x3000})
  void unicodeBlank_aroundKeyAndValue_andBeforeAComment_isStripped(int blank) {
    String b = String.valueOf((char) blank);
    EnvSecretProvider env =
        dotenv(
            dir,
            b
                + "A"
                + b
                + "="
                + b
                + "value"
                + b
                + "\n"
                + "B=value"
                + b
                + "#"
                + b
                + "comment\n"
                + "export"
                + b
                + "C=3\n"
                + b
                + "# an indented comment\n"
                + "D='quoted'"
                + b
                + "# comment after a closing quote\n");
    assertThat(text(env, "A")).isEqualTo("value");
    assertThat(text(env, "B")).isEqualTo("value");
    assertThat(text(env, "C")).isEqualTo("3");
    assertThat(text(env, "D")).isEqualTo("quoted");
    assertThat(env.names()).containsExactly("A", "B", "C", "D");
  }

  @Test
  void unicodeBlanks_insideQuotes_areKept() {
    EnvSecretProvider env =
        dotenv(dir, "S='\u00a0 kept \u000b'\nD=\"\u3000kept\f #not a comment\"\n");
    assertThat(text(env, "S")).isEqualTo("\u00a0 kept \u000b");
    assertThat(text(env, "D")).isEqualTo("\u3000kept\f #not a comment");
  }

  @Test
  void charactersOnlyOneDotenvStrips_stayInTheValue() {
    // U+0085 and U+001C..U+001F are white space to Python only, U+FEFF to Node only, and U+200B
    // to neither.
    EnvSecretProvider env =
        dotenv(dir, "A=\u0085a\u001c\nB=\ufeffb\u200b\nC=c\u0085#not a comment\n");
    assertThat(text(env, "A")).isEqualTo("\u0085a\u001c");
    assertThat(text(env, "B")).isEqualTo("\ufeffb\u200b");
    assertThat(text(env, "C")).isEqualTo("c\u0085#not a comment");
  }

  @Test
  void noBreakSpaceInsideAName_isNotAllowed() {
    ConfigException e =
        catchThrowableOfType(ConfigException.class, () -> dotenv(dir, "MY\u00a0KEY=x\n"));
    assertThat(e.problems())
        .containsExactly(
            new Problem(
                ".env line 1",
                "invalid name: it holds a character that is not allowed"
                    + " (names are ASCII letters, digits, '_', '.' and '-')"));
  }

  @Test
  void nonAsciiLetterStartingAName_isRefused_asNotAnAsciiLetter() {
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> dotenv(dir, "ÉTÉ=x\n"));
    assertThat(e.problems())
        .containsExactly(
            new Problem(
                ".env line 1",
                "invalid name: it must start with an ASCII letter or '_'"
                    + " (names are ASCII letters, digits, '_', '.' and '-')"));
  }
}
