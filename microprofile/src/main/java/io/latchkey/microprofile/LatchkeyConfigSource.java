package io.latchkey.microprofile;

import static java.util.Objects.requireNonNull;

import io.latchkey.ConfigException;
import io.latchkey.config.ConfigValue;
import io.latchkey.config.Origin;
import io.latchkey.provider.env.EnvSecretProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * A MicroProfile {@link ConfigSource} over Latchkey's {@code env} provider: the process
 * environment, a {@code .env} file, {@code NAME_FILE} indirection and a secrets directory, with the
 * rules {@link EnvSecretProvider} documents.
 *
 * <p>A property name is looked up as written, then in MicroProfile's environment form (every
 * character other than a letter or digit becomes {@code _}, as written and in upper case), so
 * {@code db.password} finds {@code DB_PASSWORD}, and {@code DB_PASSWORD_FILE=/run/secrets/db}
 * answers it with the file's content. Registered through {@link LatchkeyConfigSourceProvider}, it
 * works on every MicroProfile Config implementation; resolving {@code ref+…} references is the job
 * of {@link SecretReferences}, a SmallRye Config interceptor.
 *
 * <h2>Expressions</h2>
 *
 * <p>Where SmallRye Config is the implementation, values from a {@code NAME_FILE}, the secrets
 * directory and the {@code .env} file are served exactly as stored: {@link SecretReferences}'
 * interceptor keeps MicroProfile's {@code ${…}} expression engine from reading them, since they
 * hold secrets that a {@code $} must not change and that the engine's errors would quote. Values
 * from the environment (and overrides) are expanded, as MicroProfile's own environment source
 * expands the same variables.
 *
 * <h2>Ordinal</h2>
 *
 * <p>{@value #DEFAULT_ORDINAL} by default: just below MicroProfile's own environment source (300),
 * so a variable set in the environment has the last word as it has within Latchkey; above
 * SmallRye's {@code .env} source (295), so that where both read the same {@code .env} file,
 * Latchkey's parser (quotes, escapes, {@code export}) wins; and above {@code
 * application.properties} (250, 260 for {@code config/application.properties}), so that what a
 * deployment supplies overrides what the application packages. {@value #ORDINAL_VARIABLE} in the
 * environment or the {@code .env} file sets another.
 *
 * <h2>Security</h2>
 *
 * <p>{@link #getName()} and {@link #toString()} name the layers and count their entries, never a
 * value; an unreadable {@code NAME_FILE} is a {@link ConfigException} naming the variable.
 *
 * @since 0.2
 */
public final class LatchkeyConfigSource implements ConfigSource {
  /** The ordinal used unless {@value #ORDINAL_VARIABLE} sets another: {@value}. */
  public static final int DEFAULT_ORDINAL = 299;

  /** The variable that sets another ordinal, an integer: {@value}. */
  public static final String ORDINAL_VARIABLE = "LATCHKEY_CONFIG_ORDINAL";

  static final String NAME = "LatchkeyConfigSource";

  private final io.latchkey.config.ConfigSource source;
  private final int ordinal;

  private LatchkeyConfigSource(io.latchkey.config.ConfigSource source, int ordinal) {
    this.source = source;
    this.ordinal = ordinal;
  }

  /**
   * Creates the source that {@link LatchkeyConfigSourceProvider} registers: the env provider as
   * {@link EnvSecretProvider#fromEnvironment(Map)} builds it from the given environment (its {@code
   * .env} file and secrets directory named by {@code LATCHKEY_ENV_FILE} and {@code
   * LATCHKEY_SECRETS_DIR}).
   *
   * @param environment the process environment, or a stand-in
   * @return the source
   * @throws ConfigException listing every problem with the {@code .env} file and the secrets
   *     directory, or naming {@value #ORDINAL_VARIABLE} if it is not an integer
   */
  public static LatchkeyConfigSource fromEnvironment(Map<String, String> environment) {
    requireNonNull(environment, "environment");
    EnvSecretProvider provider = EnvSecretProvider.fromEnvironment(environment);
    return new LatchkeyConfigSource(provider, ordinal(provider));
  }

  /**
   * Wraps any Latchkey source, such as an {@link EnvSecretProvider} built for a test.
   *
   * @param source where the values come from; its names are environment names
   * @param ordinal the MicroProfile ordinal
   * @return the source
   */
  public static LatchkeyConfigSource of(io.latchkey.config.ConfigSource source, int ordinal) {
    return new LatchkeyConfigSource(requireNonNull(source, "source"), ordinal);
  }

  private static int ordinal(io.latchkey.config.ConfigSource source) {
    Optional<ConfigValue> value = source.get(ORDINAL_VARIABLE);
    if (value.isEmpty() || value.get().text().isBlank()) {
      return DEFAULT_ORDINAL;
    }
    try {
      return Integer.parseInt(value.get().text().strip());
    } catch (NumberFormatException e) {
      throw new ConfigException(
          ORDINAL_VARIABLE, "is not an integer; expected an ordinal such as 299");
    }
  }

  /**
   * Returns the value of a property, looked up as written and then in its environment form.
   *
   * @param propertyName a property name such as {@code db.password}
   * @return the value, or {@code null} if no layer has it
   * @throws ConfigException naming the variable if a layer sets both {@code NAME} and {@code
   *     NAME_FILE} or a file it names cannot be read; never with the value
   */
  @Override
  public String getValue(String propertyName) {
    requireNonNull(propertyName, "propertyName");
    for (String candidate : candidates(propertyName)) {
      Optional<ConfigValue> value;
      try {
        value = source.get(candidate);
      } catch (IllegalArgumentException e) {
        // A name the env provider cannot map (a quoted segment, a profile's '%'): the
        // environment form, tried next, is the one that can be set.
        continue;
      }
      if (value.isPresent()) {
        String text = value.get().text();
        LayerTrail.note(text, isServedVerbatim(value.get().origin().kind()));
        return text;
      }
    }
    return null;
  }

  /**
   * Whether a layer's values reach the application exactly as stored, or go through MicroProfile's
   * {@code ${…}} expressions like those of MicroProfile's own environment source. Only the
   * environment (and the overrides that stand in for it in tests) is expanded: the same variable is
   * served by MicroProfile's environment source at 300, expanded, and must not change meaning with
   * the ordinal. Files, the secrets directory and {@code .env} (which Latchkey reads with no
   * interpolation, and whose single-quoted values are literal in every dotenv) hold secrets that
   * are served as they are, and so is a value from any other kind of Latchkey source.
   */
  static boolean isServedVerbatim(Origin.Kind kind) {
    return kind != Origin.Kind.ENV && kind != Origin.Kind.OVERRIDE;
  }

  /** The name as written, then MicroProfile's environment forms: {@code a.b}, {@code a_b}, A_B. */
  private static List<String> candidates(String name) {
    List<String> candidates = new ArrayList<>(3);
    candidates.add(name);
    StringBuilder sanitised = new StringBuilder(name.length());
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      sanitised.append(
          (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ? c : '_');
    }
    String lower = sanitised.toString();
    String upper = lower.toUpperCase(Locale.ROOT);
    if (!candidates.contains(lower)) {
      candidates.add(lower);
    }
    if (!candidates.contains(upper)) {
      candidates.add(upper);
    }
    return candidates;
  }

  /**
   * Returns every name the layers hold: variables, {@code .env} keys, secrets-directory files, and
   * {@code NAME} for each {@code NAME_FILE}.
   *
   * @return the names
   */
  @Override
  public Set<String> getPropertyNames() {
    return source.names();
  }

  /**
   * Returns the ordinal: {@value #DEFAULT_ORDINAL} unless set otherwise.
   *
   * @return the ordinal
   */
  @Override
  public int getOrdinal() {
    return ordinal;
  }

  /**
   * Returns {@code LatchkeyConfigSource[description]}, such as {@code LatchkeyConfigSource[env (42
   * variables) + .env (/app/.env, 7 entries)]}; never a value.
   *
   * @return the name
   */
  @Override
  public String getName() {
    return NAME + "[" + source.description() + "]";
  }

  /** Returns the same as {@link #getName()}; never a value. */
  @Override
  public String toString() {
    return getName();
  }
}
