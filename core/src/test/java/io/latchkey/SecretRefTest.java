package io.latchkey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.latchkey.testsupport.Leaks;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

final class SecretRefTest {

  @Test
  void parse_schemePathField() {
    SecretRef ref = SecretRef.parse("aws:prod/db#password");
    assertThat(ref.scheme()).isEqualTo("aws");
    assertThat(ref.path()).isEqualTo("prod/db");
    assertThat(ref.version()).isEmpty();
    assertThat(ref.field()).contains("password");
  }

  @Test
  void parse_versionStage() {
    SecretRef ref = SecretRef.parse("aws:prod/db@AWSPREVIOUS");
    assertThat(ref.version()).contains("AWSPREVIOUS");
    assertThat(ref.field()).isEmpty();
  }

  @Test
  void parse_versionAndField() {
    SecretRef ref = SecretRef.parse("vault:secret/data/app@3#api_key");
    assertThat(ref.scheme()).isEqualTo("vault");
    assertThat(ref.path()).isEqualTo("secret/data/app");
    assertThat(ref.version()).contains("3");
    assertThat(ref.field()).contains("api_key");
  }

  @Test
  void parse_gcpPathWithVersionInThePath() {
    SecretRef ref = SecretRef.parse("gcp:projects/p/secrets/api-key/versions/3");
    assertThat(ref.scheme()).isEqualTo("gcp");
    assertThat(ref.path()).isEqualTo("projects/p/secrets/api-key/versions/3");
  }

  @Test
  void parse_noScheme_isEnv() {
    assertThat(SecretRef.parse("LLM_API_KEY")).isEqualTo(SecretRef.of("env", "LLM_API_KEY"));
    assertThat(SecretRef.parse("llm_api_key/control_plane").scheme()).isEqualTo("env");
  }

  @Test
  void parse_arnWithColons_keepsThemInThePath() {
    SecretRef ref = SecretRef.parse("aws:arn:aws:secretsmanager:eu-west-1:123:secret:prod/db-Ab1");
    assertThat(ref.scheme()).isEqualTo("aws");
    assertThat(ref.path()).isEqualTo("arn:aws:secretsmanager:eu-west-1:123:secret:prod/db-Ab1");
  }

  @Test
  void parse_percentEscapes_areDecodedAsUtf8() {
    SecretRef ref = SecretRef.parse("aws:team%40prod/caf%C3%A9@v%231#a%20b");
    assertThat(ref.path()).isEqualTo("team@prod/café");
    assertThat(ref.version()).contains("v#1");
    assertThat(ref.field()).contains("a b");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "aws:prod/db#password",
        "aws:prod/db@AWSPREVIOUS",
        "gcp:projects/p/secrets/api-key/versions/3",
        "vault:secret/data/app@2#api_key",
        "env:LLM_API_KEY",
        "aws:team%40prod/caf%C3%A9@v%231#a%20b%F0%9F%94%91",
        "x-1:a.b_c~d+e=f,g:h"
      })
  void toString_isCanonical_andRoundTrips(String text) {
    SecretRef ref = SecretRef.parse(text);
    assertThat(ref.toString()).isEqualTo(text);
    assertThat(SecretRef.parse(ref.toString())).isEqualTo(ref).hasSameHashCodeAs(ref);
  }

  @Test
  void toString_addsTheDefaultScheme_andNormalisesEscapes() {
    assertThat(SecretRef.parse("LLM_API_KEY")).hasToString("env:LLM_API_KEY");
    assertThat(SecretRef.parse("aws:%61b%2f")).hasToString("aws:ab/");
  }

  @Test
  void of_escapesWhatTheGrammarReserves() {
    SecretRef ref = SecretRef.of("aws", "a@b#c%d e");
    assertThat(ref).hasToString("aws:a%40b%23c%25d%20e");
    assertThat(SecretRef.parse(ref.toString())).isEqualTo(ref);
  }

  @Test
  void withVersionAndField_copy() {
    SecretRef base = SecretRef.of("aws", "prod/db");
    SecretRef v = base.withVersion("AWSPREVIOUS").withField("password");
    assertThat(v).hasToString("aws:prod/db@AWSPREVIOUS#password");
    assertThat(base.version()).isEmpty();
    assertThat(v).isNotEqualTo(base);
    assertThat(v.version()).isEqualTo(Optional.of("AWSPREVIOUS"));
  }

  @Test
  void equals_comparesEveryPart() {
    assertThat(SecretRef.parse("aws:a#x")).isNotEqualTo(SecretRef.parse("aws:a#y"));
    assertThat(SecretRef.parse("aws:a@1")).isNotEqualTo(SecretRef.parse("aws:a@2"));
    assertThat(SecretRef.parse("aws:a")).isNotEqualTo(SecretRef.parse("gcp:a"));
    assertThat(SecretRef.parse("aws:a")).isNotEqualTo("aws:a");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "aws:prod/db#       | 12 | expected a field name after '#'",
        "aws:prod/db@       | 12 | expected a version after '@'",
        "aws:@v             | 4  | expected a path",
        "''                 | 0  | expected a path",
        "aws:               | 4  | expected a path",
        "AWS:prod/db        | 0  | expected a scheme",
        "a_b:prod/db        | 1  | expected a scheme",
        ":prod/db           | 0  | expected a scheme",
        "aws:prod db        | 8  | white space",
        "aws:prod/db#a@v    | 13 | write the version before '#'",
        "aws:prod/db@v@w    | 13 | second '@'",
        "aws:prod/db#a#b    | 13 | second '#'",
        "aws:prod/%4        | 9  | expected two hex digits after '%'",
        "aws:prod/%zz       | 9  | expected two hex digits after '%'",
        "aws:prod/%C3       | 4  | valid UTF-8",
        "aws:prod/db?x      | 11 | unexpected character",
        "aws:prod/dé        | 10 | unexpected character",
      })
  void parse_malformed_givesPositionAndExpectation(String text, int position, String expected) {
    assertThatThrownBy(() -> SecretRef.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("reference at position " + position + ": ")
        .hasMessageContaining(expected);
  }

  @Test
  void parse_exampleFromTheIssue() {
    assertThatThrownBy(() -> SecretRef.parse("aws:prod/db#"))
        .hasMessage("reference at position 12: expected a field name after '#'");
  }

  @Test
  void parse_secretPastedByMistake_messageDoesNotQuoteIt() {
    String pasted = "sk-proj-" + "aB3dE5fG7hJ9kL1mN3pQ5rS7 tail";
    assertThatThrownBy(() -> SecretRef.parse(pasted))
        .hasMessage(
            "reference at position 32: unexpected white space or control character;"
                + " escape it as %XX")
        .satisfies(e -> Leaks.assertNoLeak(e, pasted));
  }

  @Test
  void parse_nonAsciiDigitsAfterPercent_rejected() {
    // Character.digit reads Arabic-Indic and full-width digits; the grammar's HEXDIG is ASCII.
    assertThatThrownBy(() -> SecretRef.parse("aws:a%\u0661\u0661"))
        .hasMessage("reference at position 5: expected two hex digits after '%'");
    assertThatThrownBy(() -> SecretRef.parse("aws:a%\uff11\uff11"))
        .hasMessage("reference at position 5: expected two hex digits after '%'");
  }

  @Test
  void of_unpairedSurrogate_rejectedSinceItCannotBeWritten() {
    // UTF-8 has no encoding for it: toString() would write %3F, which parses to another path.
    assertThatThrownBy(() -> SecretRef.of("aws", "db\ud83d"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("path has an unpaired surrogate at index 2; it cannot be written as UTF-8");
    assertThatThrownBy(() -> SecretRef.of("aws", "db").withVersion("\ude00v"))
        .hasMessageStartingWith("version has an unpaired surrogate at index 0");
    assertThatThrownBy(() -> SecretRef.of("aws", "db").withField("f\ud83d"))
        .hasMessageStartingWith("field has an unpaired surrogate at index 1");
    SecretRef emoji = SecretRef.of("aws", "db\ud83d\ude00");
    assertThat(SecretRef.parse(emoji.toString())).isEqualTo(emoji);
  }

  @Test
  void parse_veryLongText_isNotQuoted() {
    String text = "aws:" + "a".repeat(600) + " ";
    assertThatThrownBy(() -> SecretRef.parse(text))
        .hasMessageStartingWith("reference at position 604: ")
        .hasMessageNotContaining("aaaa");
  }

  @Test
  void problem_givesPositionAndReason_neverTheText() {
    String text = "hunter2 CANARY-7f3a9c";
    assertThat(SecretRef.problem(text))
        .contains(
            new SecretRef.Problem(
                7, "unexpected white space or control character; escape it as %XX"));
    assertThat(SecretRef.problem(text).orElseThrow().toString())
        .isEqualTo("at position 7: unexpected white space or control character; escape it as %XX");
    assertThatThrownBy(() -> SecretRef.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("reference " + SecretRef.problem(text).orElseThrow())
        .hasMessageNotContaining("CANARY")
        .hasMessageNotContaining("hunter2");
  }

  @Test
  void problem_isEmptyForEveryTextParseAccepts() {
    for (String text : List.of("aws:prod/db#password", "LLM_API_KEY", "vault:a/b@3#c%20d")) {
      assertThat(SecretRef.problem(text)).isEmpty();
      assertThat(SecretRef.parse(text)).isNotNull();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "Aws", "1aws", "a_b", "a b"})
  void of_invalidScheme_throws(String scheme) {
    assertThatThrownBy(() -> SecretRef.of(scheme, "x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("scheme");
  }

  @Test
  void of_emptyPartsAndNulls_throw() {
    assertThatThrownBy(() -> SecretRef.of("aws", "")).hasMessageContaining("path");
    assertThatThrownBy(() -> SecretRef.of("aws", "x").withVersion(""))
        .hasMessageContaining("version");
    assertThatThrownBy(() -> SecretRef.of("aws", "x").withField("")).hasMessageContaining("field");
    assertThatThrownBy(() -> SecretRef.parse(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("text");
    assertThatThrownBy(() -> SecretRef.of(null, "x")).hasMessage("scheme");
  }
}
