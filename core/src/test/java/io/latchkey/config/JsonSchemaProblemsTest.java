package io.latchkey.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.latchkey.ConfigException;
import io.latchkey.ConfigException.Problem;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link ConfigSchema#fromJson(String)} lists every problem in the text, within one setting too:
 * each independent problem of a setting (its name, type and options, default, examples, aliases,
 * template) is reported beside the others, so that one run shows all there is to fix, and the
 * setting is then left out.
 */
final class JsonSchemaProblemsTest {
  private static final String INVALID_NAME =
      "the setting name given is not a valid setting name (not shown, in case it is a value): use"
          + " letters, digits and underscores, not starting with a digit";
  private static final String INVALID_ALIAS =
      "the alias given is not a valid setting name (not shown, in case it is a value): use"
          + " letters, digits and underscores, not starting with a digit";

  private static List<Problem> problems(String json) {
    return catchThrowableOfType(ConfigException.class, () -> ConfigSchema.fromJson(json))
        .problems();
  }

  @Test
  void aSettingWithABadDefaultAndABadAlias_listsBoth() {
    // Each problem on its own is found; an invalid alias is named by its index, never shown.
    assertThat(
            problems(
                "{\"settings\": [{\"name\": \"PORT\", \"type\": \"port\","
                    + " \"default\": \"80\","
                    + " \"aliases\": [\"OLD-PORT\"]}]}"))
        .containsExactly(new Problem("JSON schema: PORT.aliases[0]", INVALID_ALIAS));
    List<Problem> found =
        problems(
            "{\"settings\": [{\"name\": \"PORT\", \"type\": \"port\", \"default\": \"eighty\","
                + " \"aliases\": [\"OLD-PORT\"]}]}");
    assertThat(found)
        .as("every problem of setting PORT: %s", found)
        .containsExactly(
            new Problem(
                "JSON schema: PORT",
                "default is not an integer; expected a port number from 1 to 65535"),
            new Problem("JSON schema: PORT.aliases[0]", INVALID_ALIAS));
    assertThat(found.toString()).doesNotContain("OLD-PORT").doesNotContain("eighty");
  }

  @Test
  void aSettingWithABadNameAndABadDefault_listsBoth() {
    assertThat(
            problems(
                "{\"settings\": [{\"name\": \"K\", \"type\": \"port\","
                    + " \"default\": \"eighty\"}]}"))
        .singleElement()
        .satisfies(p -> assertThat(p.reason()).contains("default"));
    List<Problem> found =
        problems(
            "{\"settings\": [{\"name\": \"K-1\", \"type\": \"port\","
                + " \"default\": \"eighty\"}]}");
    assertThat(found)
        .as("every problem of setting K-1: %s", found)
        .anySatisfy(p -> assertThat(p.reason()).isEqualTo(INVALID_NAME))
        .anySatisfy(p -> assertThat(p.reason()).contains("default"))
        .hasSize(2);
    assertThat(found).extracting(Problem::reason).noneMatch(r -> r.contains("K-1"));
  }

  @Test
  void everyIndependentProblemOfOneSetting_isListed() {
    // A missing name, two options that do not apply, a bad template and a bad alias: five.
    List<Problem> found =
        problems(
            "{\"settings\": [{\"type\": \"string\", \"min\": 1, \"schemes\": [\"https\"],"
                + " \"derive\": \"${X\", \"aliases\": [\"OK\", \"BAD-ALIAS\"]}]}");
    assertThat(found)
        .containsExactly(
            new Problem(
                "JSON schema: settings[0].name",
                "is missing; expected the environment-variable name"),
            new Problem("JSON schema: settings[0]", "min and max apply to integer settings only"),
            new Problem("JSON schema: settings[0]", "schemes apply to uri settings only"),
            new Problem("JSON schema: settings[0].aliases[1]", INVALID_ALIAS),
            new Problem(
                "JSON schema: settings[0]", "template has an unterminated ${ at position 1"));
    // Each bad example is named by its index; a good one beside them is not reported.
    assertThat(
            problems(
                "{\"settings\": [{\"name\": \"P\", \"type\": \"port\","
                    + " \"examples\": [\"x\", 80, \"y\"]}]}"))
        .containsExactly(
            new Problem(
                "JSON schema: P.examples[0]",
                "example is not an integer; expected a port number from 1 to 65535"),
            new Problem(
                "JSON schema: P.examples[2]",
                "example is not an integer; expected a port number from 1 to 65535"));
  }

  @Test
  void aCheckThatNeedsWhatFailed_isLeftOut() {
    // An unknown type: its default cannot be judged, so only the type is reported.
    assertThat(
            problems("{\"settings\": [{\"name\": \"P\", \"type\": \"prot\", \"default\": \"x\"}]}"))
        .singleElement()
        .satisfies(p -> assertThat(p.reason()).startsWith("type 'prot' is unknown"));
    // A range that is not an integer: the default is not judged against a range left out.
    assertThat(
            problems(
                "{\"settings\": [{\"name\": \"N\", \"type\": \"integer\", \"min\": \"5\","
                    + " \"default\": \"1\"}]}"))
        .containsExactly(new Problem("JSON schema: N.min", "is not an integer"));
  }
}
