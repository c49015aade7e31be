package io.latchkey.config;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Objects;

/**
 * A raw configuration value, as a {@link ConfigSource} found it, with its {@link Origin}.
 *
 * <p>The text is not yet parsed or validated; the schema does that. Because any raw value may turn
 * out to be a secret, {@link #toString()} shows the name and the origin only: not the text, nor
 * anything derived from it, such as its length.
 *
 * <h2>Security</h2>
 *
 * <p>Serialisation never writes the text. Jackson writes the same string as {@link #toString()}
 * (through {@code @JsonValue}, whatever the mapper's visibility settings); Gson writes an empty
 * object, {@code {}}, since every field is {@code transient}; Java serialisation refuses with a
 * {@link java.io.NotSerializableException}. This is why the type is a final class and not a record:
 * a serialiser reads a record through its components, and a component cannot be {@code transient}.
 *
 * @since 0.1
 */
public final class ConfigValue {
  // Transient so that reflective serialisers (Gson, Jackson with field visibility) skip them.
  private final transient String name;
  private final transient String text;
  private final transient Origin origin;

  /**
   * Creates a value.
   *
   * @param name the name the value was found under, such as {@code DATABASE_URL} (an alias of a
   *     setting when the source found it under an old name)
   * @param text the raw text
   * @param origin where it came from
   */
  public ConfigValue(String name, String text, Origin origin) {
    this.name = requireNonNull(name, "name");
    this.text = requireNonNull(text, "text");
    this.origin = requireNonNull(origin, "origin");
  }

  /**
   * Returns the name the value was found under.
   *
   * @return the name, such as {@code DATABASE_URL}
   */
  public String name() {
    return name;
  }

  /**
   * Returns the raw text; keep it out of logs and messages, since it may be a secret.
   *
   * @return the raw text
   */
  public String text() {
    return text;
  }

  /**
   * Returns where the value came from.
   *
   * @return the origin
   */
  public Origin origin() {
    return origin;
  }

  /**
   * Tells whether another value has the same name, text and origin.
   *
   * @param o the other object
   * @return {@code true} if equal
   */
  @Override
  public boolean equals(Object o) {
    return o instanceof ConfigValue v
        && name.equals(v.name)
        && text.equals(v.text)
        && origin.equals(v.origin);
  }

  /**
   * Returns a hash of the name, text and origin.
   *
   * @return the hash code
   */
  @Override
  public int hashCode() {
    return Objects.hash(name, text, origin);
  }

  /**
   * Returns {@code ConfigValue[name=…, origin=…]}, never the text nor its length; Jackson writes
   * the same string.
   *
   * @return the description
   */
  @JsonValue
  @Override
  public String toString() {
    return "ConfigValue[name=" + name + ", origin=" + origin + "]";
  }

  /**
   * What Jackson calls to read a {@code ConfigValue}: it refuses, without quoting what it was
   * given. Without a creator, Jackson's own refusal quotes the JSON string, which would be the
   * value. It takes an {@code Object}, not a {@code String}: Jackson would also use a {@code
   * String} factory for map keys, and quote the key in the failure.
   */
  @JsonCreator
  @SuppressWarnings("unused")
  private static ConfigValue fromJson(Object ignored) {
    throw new IllegalArgumentException(
        "io.latchkey.config.ConfigValue is not read from JSON, which would hold the value;"
            + " a ConfigSource makes values");
  }
}
