package io.latchkey.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.latchkey.ConfigException;
import io.latchkey.ConfigException.Problem;
import io.latchkey.Secret;
import io.latchkey.testsupport.CapturingSlf4jProvider;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

/** Deprecated names: still read, one warning each, the new name winning. */
final class AliasesTest {
  private static final String CANARY = "CANARY-7f3a9c";

  private static final Setting<Secret> LLM_API_KEY =
      Setting.secret("LLM_API_KEY").aliases("OPENAI_API_KEY", "GPT_KEY").build();
  private static final Setting<Integer> PORT =
      Setting.port("PORT").defaultValue(8080).aliases("HTTP_PORT").build();
  private static final ConfigSchema SCHEMA =
      ConfigSchema.builder().add(LLM_API_KEY).add(PORT).build();

  @BeforeEach
  void forgetEarlierLogs() {
    CapturingSlf4jProvider.clear();
  }

  private static Config load(Map<String, String> values) {
    return SCHEMA.load(ConfigSource.of(values, Origin.Kind.ENV));
  }

  private static List<String> warnings() {
    return CapturingSlf4jProvider.events().stream()
        .filter(e -> e.level() == Level.WARN)
        .map(CapturingSlf4jProvider.Event::message)
        .toList();
  }

  @Test
  void onlyTheOldNameSet_isUsedWithOneWarningNamingBoth() {
    Config config = load(Map.of("OPENAI_API_KEY", CANARY));

    assertThat(config.get(LLM_API_KEY).reveal()).isEqualTo(CANARY);
    assertThat(warnings())
        .containsExactly("OPENAI_API_KEY is deprecated; rename it to LLM_API_KEY");
    assertThat(CapturingSlf4jProvider.events())
        .allSatisfy(e -> assertThat(e.logger()).isEqualTo(Config.class.getName()));
    assertThat(config.report().rows().get(0))
        .isEqualTo(
            new ConfigReport.Row(
                "LLM_API_KEY", "env", "***", "deprecated name OPENAI_API_KEY used"));
  }

  @Test
  void bothNamesSet_theNewNameWinsWithAWarning() {
    Config config = load(Map.of("LLM_API_KEY", "new-key", "OPENAI_API_KEY", CANARY));

    assertThat(config.get(LLM_API_KEY).reveal()).isEqualTo("new-key");
    assertThat(warnings())
        .containsExactly(
            "LLM_API_KEY is set, and so is its deprecated name OPENAI_API_KEY; using LLM_API_KEY"
                + " and ignoring OPENAI_API_KEY");
    assertThat(config.report().rows().get(0).status())
        .isEqualTo("ok; deprecated OPENAI_API_KEY ignored");
  }

  @Test
  void twoOldNamesSet_theFirstIsUsedAndEachGetsAWarning() {
    Config config = load(Map.of("OPENAI_API_KEY", "first", "GPT_KEY", CANARY, "HTTP_PORT", "81"));

    assertThat(config.get(LLM_API_KEY).reveal()).isEqualTo("first");
    assertThat(config.get(PORT)).isEqualTo(81);
    assertThat(warnings())
        .containsExactly(
            "OPENAI_API_KEY is deprecated; rename it to LLM_API_KEY",
            "OPENAI_API_KEY is set, and so is its deprecated name GPT_KEY; using OPENAI_API_KEY"
                + " and ignoring GPT_KEY",
            "HTTP_PORT is deprecated; rename it to PORT");
  }

  @Test
  void eachLoad_warnsAgain_oncePerName() {
    load(Map.of("OPENAI_API_KEY", "k"));
    load(Map.of("OPENAI_API_KEY", "k"));
    assertThat(warnings()).hasSize(2);
  }

  @Test
  void noNameInUse_logsNothing() {
    load(Map.of("LLM_API_KEY", "k"));
    assertThat(CapturingSlf4jProvider.events()).isEmpty();
  }

  @Test
  void badValueUnderTheOldName_isReportedAsComingFromIt() {
    ConfigException e =
        catchThrowableOfType(
            ConfigException.class, () -> load(Map.of("LLM_API_KEY", "k", "HTTP_PORT", "x")));
    assertThat(e.problems())
        .containsExactly(
            new Problem(
                "PORT",
                "'x' is not an integer; expected a port number from 1 to 65535"
                    + " (from env, as deprecated HTTP_PORT)"));
  }

  @Test
  void blankNewName_givesWayToTheOldName() {
    Config config = load(Map.of("LLM_API_KEY", " ", "OPENAI_API_KEY", "old"));
    assertThat(config.get(LLM_API_KEY).reveal()).isEqualTo("old");
    assertThat(warnings())
        .containsExactly("OPENAI_API_KEY is deprecated; rename it to LLM_API_KEY");
  }

  @Test
  void missingEverywhere_namesTheOldNamesToo() {
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> load(Map.of()));
    assertThat(e.problems())
        .containsExactly(
            new Problem(
                "LLM_API_KEY",
                "is not set (nor are its deprecated names OPENAI_API_KEY, GPT_KEY); expected a"
                    + " secret"));
  }

  @Test
  void keyList_readsTheOldNamesPreviousKeysToo() {
    Setting<KeyList> keys = Setting.fernetKeyList("APP_KEY").aliases("OLD_KEY").build();
    ConfigSchema schema = ConfigSchema.builder().add(keys).build();
    String current = SampleSchema.fernetKey(3);
    String older = SampleSchema.fernetKey(4);
    Config config =
        schema.load(
            ConfigSource.of(
                Map.of("OLD_KEY", current, "OLD_KEY_PREVIOUS", older), Origin.Kind.ENV));

    assertThat(config.get(keys).current().reveal()).isEqualTo(current);
    assertThat(config.get(keys).previous()).extracting(Secret::reveal).containsExactly(older);
    assertThat(warnings())
        .containsExactly(
            "OLD_KEY is deprecated; rename it to APP_KEY",
            "OLD_KEY_PREVIOUS is deprecated; rename it to APP_KEY_PREVIOUS");
    assertThat(CapturingSlf4jProvider.events())
        .noneMatch(e -> e.message().contains(current) || e.message().contains(older));
  }

  /** A source whose {@code failing} name cannot be read: a {@code NAME_FILE} naming a lost file. */
  private static ConfigSource failingOn(String failing, Map<String, String> values) {
    ConfigSource map = ConfigSource.of(values, Origin.Kind.ENV);
    return new ConfigSource() {
      @Override
      public Optional<ConfigValue> get(String name) {
        if (name.equals(failing)) {
          throw new ConfigException(
              failing + "_FILE", "/run/secrets/" + CANARY + " does not exist (named in env)");
        }
        return map.get(name);
      }

      @Override
      public String description() {
        return "test";
      }
    };
  }

  @Test
  void staleOldName_whenTheNewNameIsSet_isAWarningNamingTheOldNameOnly() {
    Config config = SCHEMA.load(failingOn("OPENAI_API_KEY", Map.of("LLM_API_KEY", "new-key")));

    assertThat(config.get(LLM_API_KEY).reveal()).isEqualTo("new-key");
    // The setting is secret: the warning names the old name, never the path it held.
    assertThat(warnings())
        .containsExactly(
            "LLM_API_KEY is set, and its deprecated name OPENAI_API_KEY could not be read; using"
                + " LLM_API_KEY and ignoring OPENAI_API_KEY");
    assertThat(CapturingSlf4jProvider.events()).noneMatch(e -> e.text().contains(CANARY));
    assertThat(config.report().rows().get(0).status())
        .isEqualTo("ok; deprecated OPENAI_API_KEY ignored");
  }

  @Test
  void staleOldName_ofANonSecretSetting_isAWarningWithTheReason() {
    Config config = SCHEMA.load(failingOn("HTTP_PORT", Map.of("LLM_API_KEY", "k", "PORT", "81")));

    assertThat(config.get(PORT)).isEqualTo(81);
    assertThat(warnings())
        .containsExactly(
            "PORT is set, and its deprecated name HTTP_PORT could not be read (HTTP_PORT_FILE:"
                + " /run/secrets/"
                + CANARY
                + " does not exist (named in env)); using PORT and ignoring HTTP_PORT");
  }

  @Test
  void failingOldName_whenNoNameIsSet_isStillAProblem() {
    ConfigException e =
        catchThrowableOfType(
            ConfigException.class, () -> SCHEMA.load(failingOn("OPENAI_API_KEY", Map.of())));
    assertThat(e.problems()).extracting(Problem::setting).containsExactly("OPENAI_API_KEY_FILE");
  }

  @Test
  void keyList_deprecatedNameOfTheOlderKeys_isShownInTheReport_andWarned() {
    Setting<KeyList> keys = Setting.fernetKeyList("KEYS").aliases("OLD_KEYS").build();
    ConfigSchema schema = ConfigSchema.builder().add(keys).build();
    String newest = "A".repeat(43) + "=";
    String older = "B".repeat(42) + "A=";

    Config config =
        schema.load(
            ConfigSource.of(Map.of("KEYS", newest, "OLD_KEYS_PREVIOUS", older), Origin.Kind.ENV));

    assertThat(config.get(keys).previous()).hasSize(1);
    assertThat(config.report().rows().get(0).status())
        .isEqualTo("deprecated name OLD_KEYS_PREVIOUS used");
    assertThat(warnings()).contains("OLD_KEYS_PREVIOUS is deprecated; rename it to KEYS_PREVIOUS");

    Config both =
        schema.load(
            ConfigSource.of(
                Map.of("OLD_KEYS", newest, "OLD_KEYS_PREVIOUS", older), Origin.Kind.ENV));
    assertThat(both.report().rows().get(0).status())
        .isEqualTo("deprecated name OLD_KEYS, OLD_KEYS_PREVIOUS used");
  }
}
