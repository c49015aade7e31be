package io.latchkey.config;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Where a schema reads raw values from: the process environment, a {@code .env} file, mounted
 * secret files, a secret manager, or a map in a test.
 *
 * <p>Names are environment-variable names ({@code DATABASE_URL}). A source applies its own
 * precedence and indirections (such as {@code NAME_FILE}) and returns one value per name, with the
 * {@link Origin} the masked report shows. Implementations are thread-safe.
 *
 * @since 0.1
 */
public interface ConfigSource {

  /**
   * Looks up one value.
   *
   * @param name an environment-variable name, such as {@code DATABASE_URL}
   * @return the value and where it came from, or empty if this source has none
   * @throws io.latchkey.ConfigException if the source holds the name but cannot read it (a {@code
   *     NAME_FILE} that names a missing file); the message names the setting, never a value
   */
  Optional<ConfigValue> get(String name);

  /**
   * Returns every name this source can resolve, for diagnostics such as "set but not declared".
   *
   * @return the names, possibly empty; a source that cannot list its names returns an empty set
   */
  default Set<String> names() {
    return Set.of();
  }

  /**
   * Returns a short description for messages, such as {@code env + .env (./.env)}.
   *
   * @return the description; never a value
   */
  String description();

  /**
   * Returns a source backed by a map, as tests and embedding applications use it.
   *
   * @param values the values; copied
   * @param kind the origin every value reports
   * @return the source
   */
  static ConfigSource of(Map<String, String> values, Origin.Kind kind) {
    requireNonNull(values, "values");
    requireNonNull(kind, "kind");
    Map<String, String> copy = Map.copyOf(values);
    Origin origin = Origin.of(kind);
    return new ConfigSource() {
      @Override
      public Optional<ConfigValue> get(String name) {
        requireNonNull(name, "name");
        String text = copy.get(name);
        return text == null ? Optional.empty() : Optional.of(new ConfigValue(name, text, origin));
      }

      @Override
      public Set<String> names() {
        return new TreeSet<>(copy.keySet());
      }

      @Override
      public String description() {
        return "map (" + kind.label() + ", " + copy.size() + " values)";
      }

      @Override
      public String toString() {
        return "ConfigSource[" + description() + "]";
      }
    };
  }
}
