package io.latchkey.provider.env;

import static io.latchkey.provider.env.Testing.CANARY;
import static io.latchkey.provider.env.Testing.text;
import static io.latchkey.provider.env.Testing.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.latchkey.config.Origin;
import io.latchkey.testsupport.Leaks;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Slash references and the environment names they map to. */
final class ReferenceTest {
  @TempDir Path dir;

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "llm_api_key/control_plane, LLM_API_KEY_CONTROL_PLANE",
    "db-main.password, DB_MAIN_PASSWORD",
    "DATABASE_URL, DATABASE_URL",
    "a/b/c, A_B_C",
    "v2/api.key-name, V2_API_KEY_NAME",
    "_private, _PRIVATE",
    "x, X",
  })
  void environmentName_mapsReferences(String reference, String expected) {
    assertThat(EnvSecretProvider.environmentName(reference)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "/leading       | it has an empty segment (a leading, trailing or doubled '/')",
        "trailing/      | it has an empty segment (a leading, trailing or doubled '/')",
        "a//b           | it has an empty segment (a leading, trailing or doubled '/')",
        "/              | it has an empty segment (a leading, trailing or doubled '/')",
        "aws:prod/db    | it holds a character that is not allowed"
            + " (use letters, digits, '_', '.', '-' and '/')",
        "'with space'   | it holds a character that is not allowed"
            + " (use letters, digits, '_', '.', '-' and '/')",
        "caf\u00e9/key  | it holds a character that is not allowed"
            + " (use letters, digits, '_', '.', '-' and '/')",
      })
  void environmentName_rejectsWhatCannotMap_withoutLengthOrPosition(
      String reference, String reason) {
    assertThatThrownBy(() -> EnvSecretProvider.environmentName(reference))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("reference cannot map to an environment name: " + reason)
        .message()
        .doesNotContainPattern("[0-9]");
  }

  @Test
  void environmentName_aValuePassedByMistake_saysNothingDerivedFromIt() {
    String value = "hunter2 is my password";
    assertThatThrownBy(() -> EnvSecretProvider.environmentName(value))
        .isInstanceOf(IllegalArgumentException.class)
        .satisfies(e -> Leaks.assertNoLeak(e, value))
        .message()
        .doesNotContain(String.valueOf(value.length()))
        .doesNotContain("position");
  }

  @Test
  void environmentName_rejectsTheEmptyReference() {
    assertThatThrownBy(() -> EnvSecretProvider.environmentName(""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("reference is empty; expected a name such as llm_api_key/control_plane");
  }

  @Test
  void environmentName_errorNeverQuotesTheReference() {
    // A value passed where a reference belongs must not end up in a log through the message.
    assertThatThrownBy(() -> EnvSecretProvider.environmentName(CANARY + "+/="))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not allowed")
        .hasMessageNotContaining(CANARY);
  }

  @Test
  void get_resolvesASlashReferenceToItsEnvironmentName() {
    EnvSecretProvider env =
        EnvSecretProvider.builder()
            .environment(Map.of("LLM_API_KEY_CONTROL_PLANE", "sk-control"))
            .noDotenv()
            .build();
    assertThat(text(env, "llm_api_key/control_plane")).isEqualTo("sk-control");
    assertThat(value(env, "llm_api_key/control_plane").name())
        .isEqualTo("LLM_API_KEY_CONTROL_PLANE");
  }

  @Test
  void get_appliesFileIndirectionToTheMappedName() {
    Path file = Testing.write(dir.resolve("key"), "sk-from-file\n");
    EnvSecretProvider env =
        EnvSecretProvider.builder()
            .environment(Map.of("LLM_API_KEY_CONTROL_PLANE_FILE", file.toString()))
            .noDotenv()
            .build();
    assertThat(text(env, "llm_api_key/control_plane")).isEqualTo("sk-from-file");
  }

  @Test
  void get_triesTheExactNameBeforeTheMappedOne_withinALayer() {
    EnvSecretProvider env =
        EnvSecretProvider.builder()
            .environment(Map.of("http_proxy", "lower", "HTTP_PROXY", "upper"))
            .noDotenv()
            .build();
    assertThat(text(env, "http_proxy")).isEqualTo("lower");
    assertThat(text(env, "HTTP_PROXY")).isEqualTo("upper");
  }

  @Test
  void get_layerPrecedence_winsOverExactness() {
    Path dotenv = Testing.write(dir.resolve(".env"), "llm_api_key=from-dotenv\n");
    EnvSecretProvider env =
        EnvSecretProvider.builder()
            .environment(Map.of("LLM_API_KEY", "from-env"))
            .dotenvFile(dotenv)
            .build();
    assertThat(text(env, "llm_api_key")).isEqualTo("from-env");
    assertThat(value(env, "llm_api_key").origin()).isEqualTo(Origin.of(Origin.Kind.ENV));
  }

  @Test
  void get_unmappableReference_isAnError_unlessSomeLayerHoldsItExactly() {
    EnvSecretProvider env =
        EnvSecretProvider.builder().environment(Map.of("odd:name", "exact")).noDotenv().build();
    assertThat(text(env, "odd:name")).isEqualTo("exact");
    assertThatThrownBy(() -> env.get("other:name"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("a character that is not allowed");
    assertThatThrownBy(() -> env.get("a//b"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("an empty segment");
  }

  @Test
  void get_unknownReference_isEmpty() {
    EnvSecretProvider env = EnvSecretProvider.builder().environment(Map.of()).noDotenv().build();
    assertThat(env.get("llm_api_key/missing")).isEmpty();
  }
}
