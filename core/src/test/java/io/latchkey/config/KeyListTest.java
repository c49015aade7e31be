package io.latchkey.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.latchkey.ConfigException;
import io.latchkey.ConfigException.Problem;
import io.latchkey.Secret;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Key lists: the current key in NAME, older ones comma-separated in NAME_PREVIOUS. */
final class KeyListTest {
  private static final String K1 = SampleSchema.fernetKey(1);
  private static final String K2 = SampleSchema.fernetKey(2);
  private static final String K3 = SampleSchema.fernetKey(3);
  private static final String EXPECTED =
      "; expected a Fernet key (32 bytes of URL-safe base64, 44 characters), such as one printed"
          + " by 'latchkey keygen' (from env)";

  private static final Setting<KeyList> KEYS = Setting.fernetKeyList("APP_KEY").build();

  private static KeyList load(Setting<KeyList> setting, Map<String, String> values) {
    return ConfigSchema.builder()
        .add(setting)
        .build()
        .load(ConfigSource.of(values, Origin.Kind.ENV))
        .find(setting)
        .orElse(null);
  }

  private static List<Problem> problems(Setting<KeyList> setting, Map<String, String> values) {
    return catchThrowableOfType(ConfigException.class, () -> load(setting, values)).problems();
  }

  @Test
  void currentOnly_hasNoPreviousKeys() {
    KeyList keys = load(KEYS, Map.of("APP_KEY", K1));
    assertThat(keys.current().reveal()).isEqualTo(K1);
    assertThat(keys.previous()).isEmpty();
    assertThat(keys.all()).hasSize(1);
  }

  @Test
  void previous_isCommaSeparatedWithWhitespaceIgnored() {
    KeyList keys =
        load(KEYS, Map.of("APP_KEY", " " + K1 + " ", "APP_KEY_PREVIOUS", " " + K2 + " ,\t" + K3));
    assertThat(keys.current().reveal()).isEqualTo(K1);
    assertThat(keys.previous()).extracting(Secret::reveal).containsExactly(K2, K3);
    assertThat(keys.all()).extracting(Secret::reveal).containsExactly(K1, K2, K3);
    assertThat(keys).hasToString("KeyList[current=***, previous=2]");
  }

  @Test
  void blankPrevious_meansNone() {
    assertThat(load(KEYS, Map.of("APP_KEY", K1, "APP_KEY_PREVIOUS", "  ")).previous()).isEmpty();
  }

  @Test
  void blankEntry_isAnErrorNamingTheEntry() {
    assertThat(problems(KEYS, Map.of("APP_KEY", K1, "APP_KEY_PREVIOUS", K2 + ",," + K3)))
        .containsExactly(
            new Problem(
                "APP_KEY_PREVIOUS entry 2",
                "is blank; remove the extra comma, or restore the key that was there (from env)"));
    assertThat(problems(KEYS, Map.of("APP_KEY", K1, "APP_KEY_PREVIOUS", K2 + ", ")))
        .extracting(Problem::setting)
        .containsExactly("APP_KEY_PREVIOUS entry 2");
  }

  @Test
  void badKeys_areEachReported() {
    assertThat(problems(KEYS, Map.of("APP_KEY", "nope", "APP_KEY_PREVIOUS", K2 + ",short")))
        .containsExactly(
            new Problem("APP_KEY", "is not 44 characters of URL-safe base64" + EXPECTED),
            new Problem(
                "APP_KEY_PREVIOUS entry 2", "is not 44 characters of URL-safe base64" + EXPECTED));
  }

  @Test
  void missingCurrent_isReportedUnlessOptional() {
    assertThat(problems(KEYS, Map.of()))
        .containsExactly(
            new Problem(
                "APP_KEY",
                "is not set; expected a Fernet key (32 bytes of URL-safe base64, 44 characters),"
                    + " such as one printed by 'latchkey keygen'"));
    Setting<KeyList> optional = Setting.fernetKeyList("APP_KEY").optional().build();
    assertThat(load(optional, Map.of())).isNull();
    assertThat(problems(optional, Map.of("APP_KEY_PREVIOUS", K2)))
        .containsExactly(
            new Problem(
                "APP_KEY_PREVIOUS",
                "holds older keys, but APP_KEY is not set; move the newest key to APP_KEY"
                    + " (from env)"));
  }

  @Test
  void plainKeyList_acceptsAnyNonBlankKeys() {
    Setting<KeyList> signing = Setting.keyList("SIGNING_KEY").build();
    KeyList keys =
        load(signing, Map.of("SIGNING_KEY", "s3cret", "SIGNING_KEY_PREVIOUS", "old1,old2"));
    assertThat(keys.previous()).extracting(Secret::reveal).containsExactly("old1", "old2");
    assertThat(signing.type()).isEqualTo("key-list");
    assertThat(KEYS.type()).isEqualTo("fernet-key-list");
    assertThat(signing.isSecret()).isTrue();
  }

  @Test
  void report_showsTheCurrentMaskAndTheNumberOfOlderKeys() {
    Config config =
        ConfigSchema.builder()
            .add(KEYS)
            .build()
            .load(
                ConfigSource.of(
                    Map.of("APP_KEY", K1, "APP_KEY_PREVIOUS", K2 + "," + K3), Origin.Kind.ENV));
    assertThat(config.report().rows())
        .containsExactly(new ConfigReport.Row("APP_KEY", "env", "*** (+2 previous)", "ok"));
  }

  @Test
  void of_copiesAndChecks() {
    List<Secret> previous = new java.util.ArrayList<>(List.of(Secret.of("b")));
    KeyList keys = KeyList.of(Secret.of("a"), previous);
    previous.clear();
    assertThat(keys.previous()).hasSize(1);
    assertThatThrownBy(() -> keys.previous().add(Secret.of("c")))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> KeyList.of(null, List.of()))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("current");
  }
}
