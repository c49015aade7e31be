package io.latchkey.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The one JSON reader of the providers: the {@code #field} rule, strict types for answers, I-JSON,
 * and errors that never quote the text.
 *
 * <p>{@link #parse_fuzzedInput_failsOnlyWithoutQuoting} is a Jazzer fuzz test: under {@code mvn
 * test} it replays its seed inputs; with {@code JAZZER_FUZZ=1} it fuzzes for real. {@link
 * #parse_randomJsonLikeText_failsOnlyWithoutQuoting} runs a fixed-seed random search on every
 * build.
 */
final class JsonValueTest {
  private static final String CANARY = "CANARY-4c1d9e";

  /**
   * Every message is one of the reader's fixed shapes, with no text and no position (which would
   * tell how long a part of a secret's JSON is).
   */
  private static final Pattern MESSAGE =
      Pattern.compile(
          "malformed JSON: expected (a JSON value|the end of the text|a member name|':'|',' or '}'"
              + "|',' or ']'|a closing '\"'|an escaped control character|an escape sequence"
              + "|four hex digits|a hex digit|a valid escape|a digit)"
              + "|JSON nested deeper than 256"
              + "|JSON object has a member name twice"
              + "|JSON string has an unpaired surrogate");

  @Test
  void field_stringDecoded_othersAsWritten_nullAbsent() {
    String secret =
        "{\"user\":\"app\",\"password\":\"p\\u00e4ss\\\"w\",\"port\":5432,\"tls\":true,"
            + "\"opts\":{\"a\": [1, 2]},\"gone\":null}";
    assertThat(JsonValue.field(secret, "user")).contains("app");
    assertThat(JsonValue.field(secret, "password")).contains("päss\"w");
    assertThat(JsonValue.field(secret, "port")).contains("5432");
    assertThat(JsonValue.field(secret, "tls")).contains("true");
    assertThat(JsonValue.field(secret, "opts")).contains("{\"a\": [1, 2]}");
    assertThat(JsonValue.field(secret, "gone")).isEmpty();
    assertThat(JsonValue.field(secret, "missing")).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"\"" + CANARY + "\"", "[\"" + CANARY + "\"]", "42", "null"})
  void field_valueNotAnObject_isRefusedWithoutQuoting(String text) {
    assertThatThrownBy(() -> JsonValue.field(text, "password"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("the value is ")
        .hasMessageEndingWith(", not an object")
        .hasMessageNotContaining(CANARY);
  }

  @Test
  void parse_byteOrderMarkAndBlanks_areSkipped() {
    assertThat(JsonValue.parse("\uFEFF \n{\"a\":\"b\"}\t").string("a")).isEqualTo("b");
  }

  @Test
  void strictReaders_refuseTheWrongType_namingTheMemberOnly() {
    JsonValue answer =
        JsonValue.parse(
            "{\"SecretString\":{\"password\":\""
                + CANARY
                + "\"},\"version\":2.7,\"n\":\"3\","
                + "\"big\":123456789012345678901234567890,\"stages\":[\"AWSCURRENT\",7],"
                + "\"flag\":\"true\",\"date\":1.5e9,\"nothing\":null}");
    assertThatThrownBy(() -> answer.string("SecretString"))
        .hasMessage("member 'SecretString' is an object, expected a string");
    assertThatThrownBy(() -> answer.optionalString("SecretString")).hasMessageNotContaining(CANARY);
    assertThatThrownBy(() -> answer.integer("version"))
        .hasMessage("member 'version' is not an integer");
    assertThatThrownBy(() -> answer.integer("n"))
        .hasMessage("member 'n' is a string, expected a number");
    assertThatThrownBy(() -> answer.integer("big"))
        .hasMessage("member 'big' is an integer too large for 64 bits");
    assertThatThrownBy(() -> answer.optionalStrings("stages"))
        .hasMessage("an element of member 'stages' is a number, expected a string");
    assertThatThrownBy(() -> answer.optionalBoolean("flag"))
        .hasMessage("member 'flag' is a string, expected a boolean");
    assertThatThrownBy(() -> answer.string("absent")).hasMessage("member 'absent' is missing");
    assertThatThrownBy(() -> answer.string("nothing")).hasMessage("member 'nothing' is missing");
    assertThat(answer.optionalString("nothing")).isEmpty();
    assertThat(answer.optionalDecimal("date")).contains(new BigDecimal("1.5e9"));
    assertThat(answer.member("nothing").map(JsonValue::type)).contains(JsonValue.Type.NULL);
    assertThat(answer.object("SecretString").string("password")).isEqualTo(CANARY);
    assertThat(answer.toString()).doesNotContain(CANARY).startsWith("JsonValue[object, ");
  }

  @Test
  void typedReaders_readWhatTheyAreGiven() {
    JsonValue v =
        JsonValue.parse(
            "{\"i\":-42,\"b\":false,\"s\":[\"x\",\"y\"],\"o\":{},\"a\":[1,{\"k\":null}]}");
    assertThat(v.integer("i")).isEqualTo(-42);
    assertThat(v.optionalInteger("i")).contains(-42L);
    assertThat(v.optionalBoolean("b")).contains(false);
    assertThat(v.optionalStrings("s")).contains(List.of("x", "y"));
    assertThat(v.optionalObject("o").map(JsonValue::names)).contains(java.util.Set.of());
    assertThat(v.optionalArray("a").orElseThrow()).hasSize(2);
    assertThat(v.names()).containsExactly("i", "b", "s", "o", "a");
    assertThat(v.optionalInteger("zz")).isEqualTo(Optional.empty());
    assertThat(JsonValue.parse("\"\\ud83d\\ude00\"").asString()).isEqualTo("\ud83d\ude00");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "{",
        "{\"a\":1,}",
        "{\"a\" 1}",
        "[1,]",
        "01",
        "1.",
        "-",
        "1e",
        "tru",
        "\"abc",
        "\"a\\x\"",
        "\"a\\u12G4\"",
        "\"\t\"",
        "{\"a\":1}{",
        "{a:1}",
        "{\"a\":1,\"a\":2}",
        "\"\\ud800\"",
        "\"\\udc00\\ud800\"",
        "NaN",
        "[\"\uff11\"]x",
        "\"\\u0661\\u0662\\u0663\\u0664\""
      })
  void parse_malformed_isRefusedWithThePositionOnly(String text) {
    if (text.equals("\"\\u0661\\u0662\\u0663\\u0664\"")) {
      // Arabic-Indic digits are characters, not hex escapes: this one is well formed.
      assertThat(JsonValue.parse(text).asString()).isEqualTo("\u0661\u0662\u0663\u0664");
      return;
    }
    assertThatThrownBy(() -> JsonValue.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .satisfies(e -> assertThat(e.getMessage()).matches(MESSAGE));
  }

  @Test
  void parse_deepNesting_isRefusedNotOverflowed() {
    String deep = "[".repeat(10_000) + "]".repeat(10_000);
    assertThatThrownBy(() -> JsonValue.parse(deep)).hasMessageStartingWith("JSON nested deeper");
    String ok = "[".repeat(256) + "]".repeat(256);
    assertThat(JsonValue.parse(ok).type()).isEqualTo(JsonValue.Type.ARRAY);
  }

  /** Parses; if it fails, the message has a fixed shape and quotes nothing of the input. */
  private static void exercise(String text) {
    JsonValue value;
    try {
      value = JsonValue.parse(text);
    } catch (IllegalArgumentException e) {
      assertThat(e.getMessage()).matches(MESSAGE);
      assertThat(e.getCause()).isNull();
      return;
    }
    assertThat(value.text()).isEqualTo(text.strip().replaceFirst("^\uFEFF\\s*", "").strip());
    assertThat(value.toString()).matches("JsonValue\\[[a-z]+, \\d+ chars\\]");
    if (value.type() == JsonValue.Type.OBJECT) {
      for (String name : value.names()) {
        try {
          JsonValue.field(text, name);
        } catch (IllegalArgumentException e) {
          throw new AssertionError("field() refused what parse() read", e);
        }
      }
    }
  }

  @FuzzTest(maxDuration = "10s")
  void parse_fuzzedInput_failsOnlyWithoutQuoting(FuzzedDataProvider data) {
    exercise(data.consumeRemainingAsString());
  }

  @Test
  void parse_randomJsonLikeText_failsOnlyWithoutQuoting() {
    SplittableRandom random = new SplittableRandom(7);
    String[] atoms = {
      "{", "}", "[", "]", ",", ":", "\"a\"", "\"b\"", "1", "-0.5e3", "true", "null", " ", "\\",
      "\"", "\\u00e4", "\\ud800", "x", CANARY
    };
    for (int i = 0; i < 20_000; i++) {
      StringBuilder sb = new StringBuilder();
      int n = 1 + random.nextInt(12);
      for (int j = 0; j < n; j++) {
        sb.append(atoms[random.nextInt(atoms.length)]);
      }
      exercise(sb.toString());
    }
  }
}
