package io.latchkey.config;

import static java.util.Objects.requireNonNull;

import io.latchkey.ConfigException;
import io.latchkey.ConfigException.Problem;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Maps a loaded {@link Config} onto a builder, turning each {@link IllegalArgumentException} the
 * builder throws into a problem named after the setting, so that a component configured from the
 * environment (a provider, a key ring) reports every problem at once, as a schema load does.
 *
 * <pre>{@code
 * ConfigApplier apply = ConfigApplier.load(SCHEMA, ConfigSource.of(environment, Origin.Kind.ENV));
 * Config config = apply.config();               // the settings whose text was valid
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
  private final Set<String> refused = new HashSet<>();

  private ConfigApplier(Config config) {
    this.config = config;
  }

  /** The position of a setting in the schema, for listing problems in the schema's order. */
  private int position(String setting) {
    List<Setting<?>> settings = config.schema().settings();
    for (int i = 0; i < settings.size(); i++) {
      if (settings.get(i).name().equals(setting)) {
        return i;
      }
    }
    return settings.size();
  }

  /**
   * Loads a schema and starts mapping it, keeping going past values the schema refuses: each
   * refusal is recorded as a problem, and the mapping sees that setting as unset, so that the
   * builder's own problems come in the same {@link ConfigException} from {@link #done()}.
   *
   * @param schema the schema
   * @param source where the values come from
   * @return an applier over the configuration, where each refused setting reads as unset
   * @throws ConfigException if the schema cannot load even without the refused values (a required
   *     setting that is unset, or a derivation that needs a refused value), listing every problem
   */
  public static ConfigApplier load(ConfigSchema schema, ConfigSource source) {
    requireNonNull(schema, "schema");
    requireNonNull(source, "source");
    try {
      return new ConfigApplier(schema.load(source));
    } catch (ConfigException e) {
      Set<String> names = new HashSet<>();
      e.problems().forEach(p -> names.add(p.setting()));
      // The same schema over the source without the refused values, so that every setting
      // stays known to the configuration and the refused ones read as unset.
      ConfigSource rest =
          new ConfigSource() {
            @Override
            public Optional<ConfigValue> get(String name) {
              return names.contains(name) ? Optional.empty() : source.get(name);
            }

            @Override
            public Set<String> names() {
              Set<String> kept = new HashSet<>(source.names());
              kept.removeAll(names);
              return kept;
            }

            @Override
            public String description() {
              return source.description();
            }
          };
      Config partial;
      try {
        partial = schema.load(rest);
      } catch (ConfigException again) {
        throw e;
      }
      ConfigApplier applier = new ConfigApplier(partial);
      applier.problems.addAll(e.problems());
      applier.refused.addAll(names);
      return applier;
    }
  }

  /**
   * Returns the configuration being mapped.
   *
   * @return the configuration; after {@link #load}, a refused setting reads as unset
   */
  public Config config() {
    return config;
  }

  /**
   * Tells whether the schema refused a setting's value in {@link #load}.
   *
   * @param setting the setting's name
   * @return whether it was refused (and is unset in {@link #config()})
   */
  public boolean isRefused(String setting) {
    return refused.contains(requireNonNull(setting, "setting"));
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
   * @throws ConfigException listing every recorded problem, if there is one, in the order of the
   *     settings in the schema (and in the order recorded for each setting)
   */
  public void done() {
    if (!problems.isEmpty()) {
      List<Problem> sorted = new ArrayList<>(problems);
      sorted.sort(java.util.Comparator.comparingInt(p -> position(p.setting())));
      throw new ConfigException(sorted);
    }
  }
}
