package io.latchkey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.latchkey.ConfigException.Problem;
import java.util.List;
import org.junit.jupiter.api.Test;

final class ExceptionsTest {

  @Test
  void configException_listsEveryProblem() {
    ConfigException e =
        new ConfigException(
            List.of(
                new Problem("APP_KEY", "is not set"),
                new Problem("APP_KEY_PREVIOUS entry 2", "is blank")));
    assertThat(e).isInstanceOf(LatchkeyException.class);
    assertThat(e.getMessage())
        .isEqualTo(
            "invalid configuration (2 problems):\n"
                + "  - APP_KEY: is not set\n"
                + "  - APP_KEY_PREVIOUS entry 2: is blank");
    assertThat(e.problems()).hasSize(2);
  }

  @Test
  void configException_manyProblems_listsTheFirstTwoHundredAndCountsTheRest() {
    List<ConfigException.Problem> many = new java.util.ArrayList<>();
    for (int i = 1; i <= 350; i++) {
      many.add(new ConfigException.Problem(".env line " + i, "missing '='"));
    }
    ConfigException e = new ConfigException(many);
    assertThat(e.problems()).hasSize(350);
    assertThat(e.getMessage())
        .startsWith("invalid configuration (350 problems):")
        .contains(".env line 200: missing '='")
        .doesNotContain(".env line 201:")
        .endsWith("\n  - and 150 more (every one is in problems())");
  }

  /**
   * docs/security.md, the channels table: the message of a {@code ConfigException} lists at most
   * 200 problems, and {@code problems()} holds every one.
   */
  @Test
  void configException_listsAtMostTheDocumentedMaximum_andCountsTheRest() {
    assertThat(ConfigException.MAX_LISTED).isEqualTo(200);
    List<ConfigException.Problem> problems = new java.util.ArrayList<>();
    for (int i = 0; i < ConfigException.MAX_LISTED + 50; i++) {
      problems.add(new ConfigException.Problem("SETTING_" + i, "is required"));
    }
    ConfigException e = new ConfigException(problems);
    String lastListed = "SETTING_" + (ConfigException.MAX_LISTED - 1) + ":";
    String firstUnlisted = "SETTING_" + ConfigException.MAX_LISTED + ":";
    assertThat(e.getMessage())
        .contains(lastListed)
        .doesNotContain(firstUnlisted)
        .contains("and 50 more");
    assertThat(e.getMessage().lines().filter(l -> l.startsWith("  - SETTING_"))).hasSize(200);
    assertThat(e.problems()).hasSize(ConfigException.MAX_LISTED + 50);
  }

  @Test
  void configException_oneProblem_isOneLine() {
    assertThat(new ConfigException("PORT", "is not a number").getMessage())
        .isEqualTo("invalid configuration: PORT: is not a number");
  }

  @Test
  void configException_needsAProblem() {
    assertThatThrownBy(() -> new ConfigException(List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void invalidToken_messageIsTheReasonsFixedSentence() {
    for (InvalidTokenException.Reason r : InvalidTokenException.Reason.values()) {
      InvalidTokenException e = new InvalidTokenException(r);
      assertThat(e.reason()).isEqualTo(r);
      assertThat(e.getMessage()).isEqualTo(r.message()).isNotBlank();
      assertThat(e).isInstanceOf(LatchkeyException.class);
    }
  }
}
