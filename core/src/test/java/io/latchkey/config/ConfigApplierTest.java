package io.latchkey.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.latchkey.ConfigException;
import io.latchkey.ConfigException.Problem;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

final class ConfigApplierTest {
  private static final Setting<Duration> TIMEOUT = Setting.duration("X_TIMEOUT").optional().build();
  private static final Setting<String> NAME = Setting.string("X_NAME").optional().build();
  private static final Setting<String> OTHER = Setting.string("X_OTHER").optional().build();
  private static final ConfigSchema SCHEMA =
      ConfigSchema.builder().add(TIMEOUT).add(NAME).add(OTHER).build();

  private static Config load(Map<String, String> env) {
    return SCHEMA.load(ConfigSource.of(env, Origin.Kind.ENV));
  }

  @Test
  void everyRefusalAndEveryProblem_comeTogether_namedBySetting() {
    List<Object> applied = new ArrayList<>();
    ConfigApplier apply =
        ConfigApplier.of(load(Map.of("X_TIMEOUT", "1d", "X_NAME", "CANARY-77e1")));
    apply.ifSet(TIMEOUT, applied::add);
    apply.ifSet(
        NAME,
        n -> {
          throw new IllegalArgumentException("must be lower-case");
        });
    apply.ifSet(OTHER, applied::add);
    apply.problem("X_OTHER", "is not set; set it or X_NAME");
    assertThat(applied).containsExactly(Duration.ofDays(1));
    assertThat(apply.hasProblems()).isTrue();
    assertThatThrownBy(apply::done)
        .isInstanceOf(ConfigException.class)
        .satisfies(
            e ->
                assertThat(((ConfigException) e).problems())
                    .containsExactly(
                        new Problem("X_NAME", "is not valid: must be lower-case"),
                        new Problem("X_OTHER", "is not set; set it or X_NAME")))
        .hasMessageNotContaining("CANARY");
  }

  @Test
  void noProblem_doneReturns_andOtherExceptionsPropagate() {
    ConfigApplier apply = ConfigApplier.of(load(Map.of()));
    apply.run("X_NAME", () -> {});
    apply.done();
    assertThat(apply.hasProblems()).isFalse();
    assertThatThrownBy(
            () ->
                apply.run(
                    "X_NAME",
                    () -> {
                      throw new IllegalStateException("a bug, not a setting's problem");
                    }))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void load_keepsGoingPastRefusedValues_andReportsThemWithTheBuildersProblems() {
    ConfigApplier apply =
        ConfigApplier.load(
            SCHEMA,
            ConfigSource.of(
                Map.of("X_TIMEOUT", "soon", "X_NAME", "app", "X_OTHER", "b"), Origin.Kind.ENV));
    assertThat(apply.isRefused("X_TIMEOUT")).isTrue();
    assertThat(apply.isRefused("X_NAME")).isFalse();
    assertThat(apply.config().find(NAME)).contains("app");
    apply.ifSet(
        OTHER,
        o -> {
          throw new IllegalArgumentException("must name a region");
        });
    assertThatThrownBy(apply::done)
        .isInstanceOf(ConfigException.class)
        .satisfies(
            e ->
                assertThat(((ConfigException) e).problems())
                    .extracting(Problem::setting)
                    .containsExactly("X_TIMEOUT", "X_OTHER"));
  }
}
