package io.latchkey.config;

import static java.util.Objects.requireNonNull;

import io.latchkey.ConfigException;
import io.latchkey.ConfigException.Problem;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Maps a loaded {@link Config} onto a builder, turning each {@link IllegalArgumentException} the
 * builder throws into a problem named after the setting, so that a component configured from the
 * environment (a provider, a key ring) reports every problem at once, as a schema load does.
 *
 * <pre>{@code
 * Config config = SCHEMA.load(ConfigSource.of(environment, Origin.Kind.ENV)); // types, required
 * ConfigApplier apply = ConfigApplier.of(config);
 * apply.ifSet(ADDRESS, builder::address);       // the builder checks what types cannot
 * apply.ifSet(TIMEOUT, builder::timeout);
 * if (config.find(TOKEN).isEmpty() && config.find(ROLE_ID).isEmpty()) {
 *   apply.problem(TOKEN.name(), "is not set; set it or VAULT_ROLE_ID");
 * }
 * apply.done();                                  // one ConfigException listing every problem
 * }</pre>
 *
 * <p>The builder's messages must name no value; this class adds only the setting's name.
 *
 * @since 0.1
 */
public final class ConfigApplier {
  private final Config config;
  private final List<Problem> problems = new ArrayList<>();

  private ConfigApplier(Config config) {
    this.config = config;
  }

  /**
   * Starts mapping a configuration.
   *
   * @param config the loaded configuration
   * @return an applier with no problems yet
   */
  public static ConfigApplier of(Config config) {
    return new ConfigApplier(requireNonNull(config, "config"));
  }

  /**
   * Gives a setting's value to the builder if the setting is set.
   *
   * @param setting the setting
   * @param target the builder's method
   * @param <T> the setting's type
   * @return this applier
   */
  public <T> ConfigApplier ifSet(Setting<T> setting, Consumer<? super T> target) {
    requireNonNull(setting, "setting");
    requireNonNull(target, "target");
    config.find(setting).ifPresent(value -> run(setting.name(), () -> target.accept(value)));
    return this;
  }

  /**
   * Runs a step of the mapping that concerns one setting, recording its {@link
   * IllegalArgumentException} as a problem of that setting.
   *
   * @param setting the setting's name
   * @param step the step
   * @return this applier
   */
  public ConfigApplier run(String setting, Runnable step) {
    requireNonNull(setting, "setting");
    requireNonNull(step, "step");
    try {
      step.run();
    } catch (IllegalArgumentException e) {
      problem(setting, "is not valid: " + e.getMessage());
    }
    return this;
  }

  /**
   * Records a problem found by the caller, such as two settings that exclude each other.
   *
   * @param setting the setting's name
   * @param reason why, never quoting a value
   * @return this applier
   */
  public ConfigApplier problem(String setting, String reason) {
    problems.add(new Problem(setting, reason));
    return this;
  }

  /**
   * Tells whether a problem was recorded.
   *
   * @return whether {@link #done()} would throw
   */
  public boolean hasProblems() {
    return !problems.isEmpty();
  }

  /**
   * Ends the mapping.
   *
   * @throws ConfigException listing every recorded problem, if there is one
   */
  public void done() {
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
  }
}
