package io.latchkey.resolver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.latchkey.SecretRef;
import io.latchkey.testsupport.Leaks;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

final class ReferenceSyntaxTest {
  private static final String CANARY = "CANARY-5d1e80";

  @Test
  void bothSpellings_nameTheSameReference() {
    assertThat(ReferenceSyntax.reference("ref+aws:prod/db#password"))
        .contains(SecretRef.parse("aws:prod/db#password"));
    assertThat(ReferenceSyntax.reference("${ref:aws:prod/db#password}"))
        .contains(SecretRef.parse("aws:prod/db#password"));
    assertThat(ReferenceSyntax.reference("ref+LLM_API_KEY"))
        .contains(SecretRef.parse("env:LLM_API_KEY"));
    assertThat(ReferenceSyntax.reference("ref+vault:secret/data/app@3#api_key"))
        .contains(SecretRef.parse("vault:secret/data/app@3#api_key"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "aws:prod/db",
        "plain password",
        "",
        "ref",
        "REF+aws:x",
        " ref+aws:x",
        "x${ref:aws:y}"
      })
  void otherValues_arePlainText(String value) {
    assertThat(ReferenceSyntax.reference(value)).isEmpty();
    assertThat(ReferenceSyntax.looksLikeReference(value)).isFalse();
    assertThat(ReferenceSyntax.literal(value)).isEqualTo(value);
  }

  @Test
  void doubledCharacter_escapesEitherPrefix() {
    assertThat(ReferenceSyntax.reference("ref++aws:x")).isEmpty();
    assertThat(ReferenceSyntax.literal("ref++aws:x")).isEqualTo("ref+aws:x");
    assertThat(ReferenceSyntax.reference("$${ref:aws:x}")).isEmpty();
    assertThat(ReferenceSyntax.literal("$${ref:aws:x}")).isEqualTo("${ref:aws:x}");
    assertThat(ReferenceSyntax.looksLikeReference("ref++aws:x")).isFalse();
  }

  @Test
  void malformedReference_givesThePositionInTheWholeValue_neverTheValue() {
    IllegalArgumentException e =
        catchThrowableOfType(
            IllegalArgumentException.class,
            () -> ReferenceSyntax.reference("ref+aws:" + CANARY + " x"));
    assertThat(e)
        .hasMessage(
            "has an invalid secret reference at position "
                + ("ref+aws:" + CANARY).length()
                + ": unexpected white space or control character; escape it as %XX");
    assertThatThrownBy(() -> ReferenceSyntax.reference("${ref:aws:" + CANARY))
        .hasMessage("has a secret reference without its closing '}'");
    assertThatThrownBy(() -> ReferenceSyntax.reference("ref+"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /** Any text pasted where a reference belongs: the refusal never carries it in any encoding. */
  @Test
  void noRefusal_carriesTheValue_property() {
    SplittableRandom random = new SplittableRandom(20261206L);
    int refused = 0;
    for (int i = 0; i < 2_000; i++) {
      String secret = Leaks.randomSecret(random, 40);
      for (String value :
          new String[] {
            "ref+" + secret, "ref+aws:" + secret, "${ref:" + secret + "}", "${ref:" + secret
          }) {
        try {
          ReferenceSyntax.reference(value);
        } catch (IllegalArgumentException e) {
          refused++;
          Leaks.assertNoLeak(e, secret);
        }
      }
    }
    assertThat(refused).isGreaterThan(1_000);
  }

  /**
   * Docker Compose interpolates {@code $VAR}, {@code ${VAR}}, {@code ${VAR:-default}}, {@code
   * ${VAR-default}}, {@code ${VAR:?err}}, {@code ${VAR?err}}, {@code ${VAR:+alt}}, {@code
   * ${VAR+alt}} and reads {@code $$} as a literal dollar, in every value of a compose file
   * (compose-spec, "Interpolation"). This applies those documented rules with no variable set, as
   * in a deployment whose environment has no {@code ref}.
   */
  @Test
  void plusSpelling_survivesDockerComposeInterpolation_placeholderSpellingDoesNot() {
    assertThat(composeInterpolate("ref+aws:prod/db#password"))
        .isEqualTo("ref+aws:prod/db#password");
    assertThat(composeInterpolate("ref+vault:secret/data/app#api_key"))
        .isEqualTo("ref+vault:secret/data/app#api_key");
    // ${ref:aws:…} is the variable "ref" with an unsupported modifier: Compose refuses the file.
    assertThatThrownBy(() -> composeInterpolate("${ref:aws:prod/db#password}"))
        .isInstanceOf(IllegalArgumentException.class);
    // Written for Compose, the escaped form reaches the container as the placeholder spelling.
    assertThat(composeInterpolate("$${ref:aws:prod/db#password}"))
        .isEqualTo("${ref:aws:prod/db#password}");
  }

  /** A POSIX shell's word expansion (quoted and unquoted) leaves the plus spelling alone. */
  @Test
  void plusSpelling_survivesTheShell() throws Exception {
    String value = "ref+aws:prod/db@AWSPREVIOUS#password";
    assertThat(shell("printf %s " + value)).isEqualTo(value);
    assertThat(shell("printf %s \"" + value + "\"")).isEqualTo(value);
    assertThat(shell("X=" + value + "; printf %s \"$X\"")).isEqualTo(value);
    // The placeholder spelling is a parameter expansion in double quotes: "ref" is unset, so the
    // shell substitutes what follows the colon's modifier, or fails.
    assertThat(shell("printf %s \"${ref:-aws:prod/db}\"")).isEqualTo("aws:prod/db");
  }

  private static String shell(String script) throws IOException, InterruptedException {
    Process process = new ProcessBuilder("sh", "-c", script).redirectErrorStream(true).start();
    byte[] out = process.getInputStream().readAllBytes();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new String(out, StandardCharsets.UTF_8);
  }

  private static final Pattern COMPOSE =
      Pattern.compile(
          "\\$(?:(\\$)|([A-Za-z_][A-Za-z0-9_]*)|\\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([^}]*))?\\}|(\\{))");

  private static String composeInterpolate(String value) {
    Map<String, String> env = Map.of();
    Matcher m = COMPOSE.matcher(value);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String replacement;
      if (m.group(1) != null) {
        replacement = "$";
      } else if (m.group(2) != null) {
        replacement = env.getOrDefault(m.group(2), "");
      } else if (m.group(6) != null) {
        throw new IllegalArgumentException("invalid interpolation format");
      } else {
        Optional<String> set = Optional.ofNullable(env.get(m.group(3)));
        String op = m.group(4);
        String arg = m.group(5);
        if (op == null) {
          replacement = set.orElse("");
        } else {
          boolean present =
              op.startsWith(":") ? set.filter(v -> !v.isEmpty()).isPresent() : set.isPresent();
          switch (op.substring(op.length() - 1)) {
            case "-" -> replacement = present ? set.get() : arg;
            case "+" -> replacement = present ? arg : "";
            default -> {
              if (!present) {
                throw new IllegalArgumentException("required variable is missing a value");
              }
              replacement = set.get();
            }
          }
        }
      }
      m.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(out);
    return out.toString();
  }
}
