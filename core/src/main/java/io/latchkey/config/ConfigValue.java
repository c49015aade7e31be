package io.latchkey.config;

import static java.util.Objects.requireNonNull;

/**
 * A raw configuration value, as a {@link ConfigSource} found it, with its {@link Origin}.
 *
 * <p>The text is not yet parsed or validated; the schema does that. Because any raw value may turn
 * out to be a secret, {@link #toString()} shows the origin and the length only.
 *
 * @param name the name the value was found under, such as {@code DATABASE_URL} (an alias of a
 *     setting when the source found it under an old name)
 * @param text the raw text
 * @param origin where it came from
 * @since 0.1
 */
public record ConfigValue(String name, String text, Origin origin) {

  /**
   * Validates the components.
   *
   * @param name the name the value was found under
   * @param text the raw text
   * @param origin where it came from
   */
  public ConfigValue {
    requireNonNull(name, "name");
    requireNonNull(text, "text");
    requireNonNull(origin, "origin");
  }

  /** Returns {@code ConfigValue[name=…, origin=…, length=…]}; never the text. */
  @Override
  public String toString() {
    return "ConfigValue[name=" + name + ", origin=" + origin + ", length=" + text.length() + "]";
  }
}
