package io.latchkey;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@link SecretRef#parse(String)} on any input: only {@link IllegalArgumentException} escapes, a
 * parsed reference's {@code toString()} parses back to an equal reference, and no error message
 * quotes the input, which may be a secret pasted where a reference was expected.
 *
 * <p>{@link #parse_fuzzedInput_roundTripsOrFailsWithoutQuoting} is a Jazzer fuzz test: under {@code
 * mvn test} it replays its seed inputs (in {@code SecretRefFuzzTestInputs}, with the inputs fuzzing
 * found); with {@code JAZZER_FUZZ=1} it fuzzes for real. {@link
 * #parse_randomReferenceLikeText_roundTripsOrFailsWithoutQuoting} runs a fixed-seed random search
 * on every build.
 */
final class SecretRefFuzzTest {
  /** An error is the subject, the position and one of these fixed reasons: nothing of the input. */
  private static final Pattern ERROR = Pattern.compile("reference at position (\\d+): (.*)");

  private static final Set<String> REASONS =
      Set.of(
          "expected a scheme (a lower-case letter, then lower-case letters, digits or '-') before"
              + " ':'",
          "expected a path",
          "expected a version after '@'",
          "expected a field name after '#'",
          "expected two hex digits after '%'",
          "unexpected '@' in the field; write the version before '#', or '%40' for a literal '@'",
          "unexpected second '@'; write '%40' for a literal '@'",
          "unexpected second '#'; write '%23' for a literal '#'",
          "unexpected white space or control character; escape it as %XX",
          "unexpected character; escape it as %XX (UTF-8)",
          "percent-escapes do not form valid UTF-8");

  private static void exercise(String text) {
    SecretRef ref;
    try {
      ref = SecretRef.parse(text);
    } catch (IllegalArgumentException e) {
      Matcher m = ERROR.matcher(String.valueOf(e.getMessage()));
      assertThat(m.matches())
          .as("the message has the shape 'reference at position N: reason'")
          .isTrue();
      assertThat(Integer.parseInt(m.group(1))).isBetween(0, text.length());
      assertThat(REASONS).as("the reason is a fixed text").contains(m.group(2));
      assertThat(e.getCause()).isNull();
      return;
    }
    String canonical = ref.toString();
    SecretRef again = SecretRef.parse(canonical);
    assertThat(again).isEqualTo(ref).hasSameHashCodeAs(ref);
    assertThat(again.toString()).isEqualTo(canonical);
    // Rebuilding from the parts gives the same reference: the parts are what the text said.
    SecretRef rebuilt = SecretRef.of(ref.scheme(), ref.path());
    rebuilt = ref.version().map(rebuilt::withVersion).orElse(rebuilt);
    rebuilt = ref.field().map(rebuilt::withField).orElse(rebuilt);
    assertThat(rebuilt).isEqualTo(ref);
  }

  @FuzzTest(maxDuration = "2m")
  void parse_fuzzedInput_roundTripsOrFailsWithoutQuoting(FuzzedDataProvider data) {
    exercise(data.consumeRemainingAsString());
  }

  @Test
  void parse_randomReferenceLikeText_roundTripsOrFailsWithoutQuoting() {
    SplittableRandom random = new SplittableRandom(20261206);
    String[] pieces = {
      "aws",
      "env",
      "vault",
      "gcp",
      ":",
      "@",
      "#",
      "%",
      "%4",
      "%40",
      "%C3%A9",
      "%ED%A0%80",
      "%FF",
      "%e9",
      "/",
      "-",
      ".",
      "_",
      "~",
      "+",
      "=",
      ",",
      " ",
      "\t",
      "é",
      "中",
      "😀",
      "\ud83d",
      "A",
      "z",
      "0",
      "9",
      "prod/db",
      "AWSPREVIOUS",
      "password",
      "١",
      "%١١",
      "\u0000"
    };
    for (int i = 0; i < 50_000; i++) {
      StringBuilder text = new StringBuilder();
      int n = random.nextInt(0, 8);
      for (int j = 0; j < n; j++) {
        text.append(pieces[random.nextInt(pieces.length)]);
      }
      exercise(text.toString());
    }
  }
}
