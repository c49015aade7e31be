package io.latchkey.config;

import static java.util.Objects.requireNonNull;

import io.latchkey.Secret;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * One declared setting, and the typed key to read its value from a {@link Config}.
 *
 * <pre>{@code
 * static final Setting<Integer> PORT =
 *     Setting.port("PORT").defaultValue(8080).group("Server")
 *         .description("Port the HTTP server listens on.").examples("8080").build();
 * static final Setting<Secret> LLM_API_KEY =
 *     Setting.secret("LLM_API_KEY").aliases("OPENAI_API_KEY").group("LLM").build();
 *
 * int port = config.get(PORT);
 * }</pre>
 *
 * <p>A setting is required unless it has a default or is declared {@linkplain Builder#optional()
 * optional}. A derived setting is computed from other settings when no source sets it; it is
 * required in the sense that it must end up with a value, set or derived.
 *
 * <p>An empty or blank value in a source counts as unset: {@code API_KEY=} in a {@code .env} file
 * is reported as empty when the setting is required, and gives way to the default otherwise.
 *
 * <h2>Types</h2>
 *
 * <p>Each factory below starts a setting of one type: strings, integers and ports, strict booleans,
 * durations, URIs, enums and fixed sets of strings, lists, secrets, Fernet keys and key lists, and
 * custom types. Each factory's Javadoc says what its type accepts; the table under "Types" in
 * {@code docs/configuration.md} gives every type's name in JSON schemas and {@link Env} as well.
 *
 * <p>Settings have identity equality: a setting is a key, and two settings with the same name are
 * different keys.
 *
 * @param <T> the type of the setting's value
 * @since 0.1
 */
public final class Setting<T> extends SettingAttributes<T> {
  /** The group of settings declared without one. */
  static final String DEFAULT_GROUP = "General";

  private Setting(Builder<T> b) {
    super(
        b.name,
        b.type,
        b.description,
        b.group,
        b.optional,
        b.secret || b.type.isSecret(),
        b.defaultValue,
        b.defaultText,
        b.examples,
        b.aliases,
        b.template,
        b.function,
        b.inputs);
  }

  // ---- factories ----

  /**
   * Starts a string setting; the value is kept verbatim, surrounding whitespace included.
   *
   * @param name the environment-variable name, such as {@code APP_NAME}
   * @return a builder
   * @throws IllegalArgumentException if the name is not a valid environment-variable name
   */
  public static Builder<String> string(String name) {
    return new Builder<>(name, ValueType.STRING);
  }

  /**
   * Starts an integer setting of any value.
   *
   * @param name the environment-variable name
   * @return a builder
   * @throws IllegalArgumentException if the name is not a valid environment-variable name
   */
  public static Builder<Integer> integer(String name) {
    return new Builder<>(name, ValueType.integer(Integer.MIN_VALUE, Integer.MAX_VALUE));
  }

  /**
   * Starts an integer setting whose value must lie in a range.
   *
   * @param name the environment-variable name
   * @param min the smallest allowed value
   * @param max the largest allowed value
   * @return a builder
   * @throws IllegalArgumentException if the name is not valid or {@code min > max}
   */
  public static Builder<Integer> integer(String name, int min, int max) {
    return new Builder<>(name, ValueType.integer(min, max));
  }

  /**
   * Starts a port setting: an integer from 1 to 65535.
   *
   * @param name the environment-variable name
   * @return a builder
   * @throws IllegalArgumentException if the name is not a valid environment-variable name
   */
  public static Builder<Integer> port(String name) {
    return new Builder<>(name, ValueType.PORT);
  }

  /**
   * Starts a strict boolean setting: {@code true/false}, {@code yes/no} or {@code 1/0} in any case,
   * and nothing else, so that {@code ture} is an error rather than {@code false}.
   *
   * @param name the environment-variable name
   * @return a builder
   * @throws IllegalArgumentException if the name is not a valid environment-variable name
   */
  public static Builder<Boolean> bool(String name) {
    return new Builder<>(name, ValueType.BOOLEAN);
  }

  /**
   * Starts a duration setting: {@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h}, {@code 1d},
   * units in sequence such as {@code 1h30m}, or ISO-8601 such as {@code PT30S}. A number without a
   * unit is an error, since nobody can tell seconds from milliseconds.
   *
   * @param name the environment-variable name
   * @return a builder
   * @throws IllegalArgumentException if the name is not a valid environment-variable name
   */
  public static Builder<Duration> duration(String name) {
    return new Builder<>(name, ValueType.DURATION);
  }

  /**
   * Reads a duration in the syntax of {@link #duration(String) duration settings}: units in
   * sequence ({@code 500ms}, {@code 1h30m}; the units {@code ms}, {@code s}, {@code m}, {@code h}
   * and {@code d}, in any case) or ISO-8601 ({@code PT30S}). Providers read their own time-outs
   * with it, so that every duration an operator writes follows one syntax.
   *
   * <p>An ISO-8601 duration may be negative ({@code -PT5S}); whether that is allowed, and zero, is
   * the caller's to decide.
   *
   * @param text the text, without surrounding blanks
   * @return the duration
   * @throws IllegalArgumentException if the text is not a duration; the message is the reason
   *     ({@code has no unit}, {@code has an unknown unit (use ms, s, m, h or d)}, {@code is not a
   *     duration}, {@code is too long}, {@code is empty}) and never contains the text
   */
  public static Duration parseDuration(String text) {
    return ValueParsers.durationText(text);
  }

  /**
   * Writes a duration in the syntax {@link #parseDuration(String)} reads, in its largest whole unit
   * ({@code 90s} is {@code 90s}, {@code 120s} is {@code 2m}, {@code 1500ms} stays), so that
   * messages and reports show durations as users write them.
   *
   * @param duration the duration, not negative
   * @return the text, such as {@code 5s} or {@code 1d}; ISO-8601 for sub-millisecond parts
   */
  public static String formatDuration(Duration duration) {
    return ValueParsers.formatDuration(requireNonNull(duration, "duration"));
  }

  /**
   * Starts a URI setting: an absolute URI, such as a database or service URL.
   *
   * <p>A password in the URI's user info is masked wherever the value is printed.
   *
   * @param name the environment-variable name
   * @param schemes the allowed schemes, matched in any case; none allows any scheme
   * @return a builder
   * @throws IllegalArgumentException if the name or a scheme is not valid
   */
  public static Builder<URI> uri(String name, String... schemes) {
    requireNonNull(schemes, "schemes");
    return new Builder<>(name, ValueType.uri(List.of(schemes)));
  }

  /**
   * Starts a setting whose value is a constant of a Java enum, matched in any case, with hyphens
   * and underscores alike ({@code read-only} is {@code READ_ONLY}).
   *
   * @param name the environment-variable name
   * @param type the enum
   * @param <E> the enum type
   * @return a builder
   * @throws IllegalArgumentException if the name is not valid or the enum has no constants
   */
  public static <E extends Enum<E>> Builder<E> enumeration(String name, Class<E> type) {
    requireNonNull(type, "type");
    return new Builder<>(name, ValueType.enumeration(type));
  }

  /**
   * Starts a setting whose value is one of a fixed set of strings, matched in any case; the value
   * is the allowed string as declared.
   *
   * @param name the environment-variable name
   * @param allowed the allowed values; at least one, distinct in any case
   * @return a builder
   * @throws IllegalArgumentException if the name or the allowed values are not valid
   */
  public static Builder<String> oneOf(String name, String... allowed) {
    requireNonNull(allowed, "allowed");
    return new Builder<>(name, ValueType.oneOf(List.of(allowed)));
  }

  /**
   * Starts a comma-separated list of strings; entries are trimmed and an empty entry is an error.
   *
   * @param name the environment-variable name
   * @return a builder
   * @throws IllegalArgumentException if the name is not a valid environment-variable name
   */
  public static Builder<List<String>> list(String name) {
    return new Builder<>(name, ValueType.list(ValueType.STRING));
  }

  /**
   * Starts a comma-separated list whose entries each parse as the given type.
   *
   * @param name the environment-variable name
   * @param elementType {@code String}, {@code Integer}, {@code Boolean}, {@code Duration}, {@code
   *     URI} or an enum
   * @param <E> the element type
   * @return a builder
   * @throws IllegalArgumentException if the name is not valid or the element type unsupported
   */
  @SuppressWarnings("unchecked") // forElementClass returns a type whose Java type is elementType
  public static <E> Builder<List<E>> list(String name, Class<E> elementType) {
    requireNonNull(elementType, "elementType");
    ValueType<E> element = (ValueType<E>) ValueType.forElementClass(elementType);
    return new Builder<>(name, ValueType.list(element));
  }

  /**
   * Starts a secret setting; the value is kept verbatim and masked wherever it is printed.
   *
   * @param name the environment-variable name
   * @return a builder
   * @throws IllegalArgumentException if the name is not a valid environment-variable name
   */
  public static Builder<Secret> secret(String name) {
    return new Builder<>(name, ValueType.SECRET);
  }

  /**
   * Starts a Fernet key setting: 32 bytes written as 44 characters of URL-safe base64 (the standard
   * alphabet is accepted too, as Python's {@code cryptography} accepts it). Only the shape is
   * checked here; the crypto module makes the key.
   *
   * @param name the environment-variable name
   * @return a builder
   * @throws IllegalArgumentException if the name is not a valid environment-variable name
   */
  public static Builder<Secret> fernetKey(String name) {
    return new Builder<>(name, ValueType.FERNET_KEY);
  }

  /**
   * Starts a key-list setting: the current key in {@code NAME} and older keys, comma-separated, in
   * {@code NAME_PREVIOUS}. Whitespace around entries is ignored, a blank {@code NAME_PREVIOUS}
   * means no older keys, and a blank entry (an extra comma) is an error.
   *
   * @param name the environment-variable name of the current key
   * @return a builder
   * @throws IllegalArgumentException if the name is not a valid environment-variable name
   */
  public static Builder<KeyList> keyList(String name) {
    return new Builder<>(name, ValueType.keyList(false));
  }

  /**
   * Starts a key-list setting whose every key must have the shape of a {@linkplain
   * #fernetKey(String) Fernet key}.
   *
   * @param name the environment-variable name of the current key
   * @return a builder
   * @throws IllegalArgumentException if the name is not a valid environment-variable name
   */
  public static Builder<KeyList> fernetKeyList(String name) {
    return new Builder<>(name, ValueType.keyList(true));
  }

  /**
   * Starts a setting of a custom type.
   *
   * <p>The parser receives the value with surrounding whitespace removed and signals a bad value by
   * throwing any runtime exception (or returning {@code null}). Its message is not used, since it
   * may quote the value: the error says the value is not a valid {@code typeName}, naming the
   * exception's class. Anything else it throws, an {@code AssertionError} included, is reported the
   * same way, as one more problem of the load; only a {@link VirtualMachineError} escapes.
   *
   * @param name the environment-variable name
   * @param type the Java type of the value
   * @param typeName the type's name in docs and errors, such as {@code "ip address"}
   * @param parser turns the text into a value
   * @param <T> the value type
   * @return a builder
   * @throws IllegalArgumentException if the name is not valid or the type name is blank
   */
  public static <T> Builder<T> custom(
      String name, Class<T> type, String typeName, Function<String, ? extends T> parser) {
    requireNonNull(type, "type");
    requireNonNull(typeName, "typeName");
    requireNonNull(parser, "parser");
    if (typeName.isBlank()) {
      throw new IllegalArgumentException("typeName must not be blank");
    }
    return new Builder<>(name, ValueType.custom(typeName, type, parser));
  }

  /** Starts a setting of a type given by name, as JSON schemas and record bindings do. */
  static <T> Builder<T> of(String name, ValueType<T> type) {
    return new Builder<>(name, type);
  }

  /**
   * Returns {@code Setting[NAME: type]}; never a value.
   *
   * @return the description
   */
  @Override
  public String toString() {
    return "Setting[" + name + ": " + type.name + "]";
  }

  /**
   * Builds a {@link Setting}. Each method checks its argument at once; {@link #build()} checks the
   * whole.
   *
   * @param <T> the type of the setting's value
   * @since 0.1
   */
  public static final class Builder<T> {
    private final String name;
    private final ValueType<T> type;
    private String description = "";
    private String group = DEFAULT_GROUP;
    private boolean optional;
    private boolean secret;
    private T defaultValue;
    private String defaultText;
    private List<String> examples = List.of();
    private List<String> aliases = List.of();
    private Template template;
    private Function<Config, ? extends T> function;
    private List<String> inputs = List.of();

    /**
     * Refuses a name that is not one, without showing it: what lands where a name belongs is as
     * often the value read with it ({@code Setting.secret(System.getenv("JWT_SECRET_KEY"))}). A
     * valid name that looks like a key is not shown when the load finds it unset.
     */
    private static void requireName(String name, String prefix, String what) {
      if (!isValidName(name)) {
        throw new IllegalArgumentException(
            prefix
                + "the "
                + what
                + " given is not a valid setting name (not shown, in case it is a value): use"
                + " letters, digits and underscores, not starting with a digit");
      }
    }

    private Builder(String name, ValueType<T> type) {
      requireNonNull(name, "name");
      requireName(name, "", "setting name");
      this.name = name;
      this.type = type;
    }

    /**
     * Sets the description, for docs.
     *
     * @param description one or more sentences; may be Markdown
     * @return this builder
     */
    public Builder<T> description(String description) {
      this.description = requireNonNull(description, "description").strip();
      return this;
    }

    /**
     * Sets the group, the section of the docs the setting appears in.
     *
     * @param group a short title, such as {@code Server}; not blank
     * @return this builder
     * @throws IllegalArgumentException if the group is blank
     */
    public Builder<T> group(String group) {
      requireNonNull(group, "group");
      if (group.isBlank()) {
        throw new IllegalArgumentException(name + ": group must not be blank");
      }
      this.group = group.strip();
      return this;
    }

    /**
     * Sets the default value, used when no source sets the setting.
     *
     * @param value the default; checked against the type's constraints
     * @return this builder
     * @throws IllegalArgumentException if the value breaks the type's constraints or the setting is
     *     secret
     */
    public Builder<T> defaultValue(T value) {
      requireNonNull(value, "value");
      String text = type.format(value);
      // Parsing the printed form checks constraints (a port of 70000) and that docs print a
      // default that reads back as the same value; a custom type's text need not parse.
      this.defaultValue = type.roundTrips ? check("default", text) : value;
      this.defaultText = text;
      return this;
    }

    /**
     * Sets the default as text, parsed as a source value would be.
     *
     * @param text the default, such as {@code 30s} for a duration
     * @return this builder
     * @throws IllegalArgumentException if the text does not parse, naming the setting and why
     */
    public Builder<T> defaultText(String text) {
      requireNonNull(text, "text");
      this.defaultValue = check("default", text);
      this.defaultText = text;
      return this;
    }

    /**
     * Declares the setting optional: loading succeeds without a value, and {@link
     * Config#find(Setting)} returns empty.
     *
     * @return this builder
     */
    public Builder<T> optional() {
      this.optional = true;
      return this;
    }

    /**
     * Declares the value secret, so that it is masked wherever it is printed. Secret types ({@link
     * Secret}, Fernet keys, key lists) are secret already.
     *
     * @return this builder
     */
    public Builder<T> secret() {
      this.secret = true;
      return this;
    }

    /**
     * Sets example values, for docs and {@code .env.example}. Each must parse.
     *
     * <p>Docs print examples as they are, so give a secret an example only if it is obviously not
     * real.
     *
     * @param examples the examples
     * @return this builder
     * @throws IllegalArgumentException if an example does not parse
     */
    public Builder<T> examples(String... examples) {
      requireNonNull(examples, "examples");
      for (String example : examples) {
        requireNonNull(example, "example");
        check("example", example);
      }
      this.examples = List.of(examples);
      return this;
    }

    /**
     * Sets deprecated names, read when the setting itself is not set. Each use logs one warning
     * naming the old and the new name; when both are set, the new name wins (and a warning says the
     * old one is ignored).
     *
     * @param aliases the old names, in the order they are tried
     * @return this builder
     * @throws IllegalArgumentException if a name is not valid, repeated, or the setting's own
     */
    public Builder<T> aliases(String... aliases) {
      requireNonNull(aliases, "aliases");
      List<String> list = new ArrayList<>();
      for (String alias : aliases) {
        requireNonNull(alias, "alias");
        requireName(alias, name + ": ", "alias");
        if (alias.equals(name) || list.contains(alias)) {
          throw new IllegalArgumentException(name + ": alias " + alias + " is listed twice");
        }
        list.add(alias);
      }
      this.aliases = List.copyOf(list);
      return this;
    }

    /**
     * Derives the value from other settings with a template, when no source sets it: each {@code
     * ${NAME}} is replaced by that setting's value as text (a secret's revealed value), and the
     * result is parsed as this setting's type. {@code ${NAME|url}} percent-encodes the text, as a
     * password inside a URL needs; {@code $$} is a literal dollar sign.
     *
     * <pre>{@code
     * Setting.uri("DATABASE_URL", "postgresql")
     *     .derive("postgresql://app:${POSTGRES_PASSWORD|url}@${POSTGRES_HOST}:5432/app")
     * }</pre>
     *
     * <p>The value is derived only when every input has a value (set, default or derived).
     *
     * <p>A setting derived from a secret is sensitive: errors never quote it, a record must hold it
     * as a {@link Secret}, and the report shows the template with every placeholder fed by a secret
     * as {@code ***}.
     *
     * @param template the template, with at least one placeholder
     * @return this builder
     * @throws IllegalArgumentException if the template is malformed
     */
    public Builder<T> derive(String template) {
      requireNonNull(template, "template");
      try {
        this.template = Template.parse(template);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
      }
      this.function = null;
      this.inputs = this.template.inputs();
      return this;
    }

    /**
     * Derives the value from other settings with a function, when no source sets it.
     *
     * <p>The function receives a {@link Config} that holds the inputs only (reading any other
     * setting fails), and is called only when every input has a value. A runtime exception or a
     * {@code null} result is reported as a problem with this setting.
     *
     * <p>A value derived by a function from a secret is masked whole in the report, since nothing
     * tells which part of it came from the secret; the exception message of a failing function is
     * left out of the problem whenever an input is secret or derived from one.
     *
     * @param function computes the value from the inputs
     * @param inputs the settings read by the function; at least one
     * @return this builder
     * @throws IllegalArgumentException if no input is given
     */
    public Builder<T> derive(Function<Config, ? extends T> function, Setting<?>... inputs) {
      requireNonNull(function, "function");
      requireNonNull(inputs, "inputs");
      if (inputs.length == 0) {
        throw new IllegalArgumentException(name + ": a derived setting needs at least one input");
      }
      List<String> names = new ArrayList<>();
      for (Setting<?> input : inputs) {
        requireNonNull(input, "input");
        if (!names.contains(input.name())) {
          names.add(input.name());
        }
      }
      this.function = function;
      this.template = null;
      this.inputs = List.copyOf(names);
      return this;
    }

    /**
     * Builds the setting.
     *
     * @return the setting
     * @throws IllegalArgumentException if a secret has a default (a default would ship the secret
     *     in code)
     */
    public Setting<T> build() {
      if (defaultText != null && (secret || type.isSecret())) {
        throw new IllegalArgumentException(
            name + ": a secret cannot have a default; make it required or optional");
      }
      if (!inputs.isEmpty() && type.isKeyList()) {
        throw new IllegalArgumentException(name + ": a key list cannot be derived");
      }
      if (inputs.contains(name)) {
        throw new IllegalArgumentException(name + ": a setting cannot be derived from itself");
      }
      return new Setting<>(this);
    }

    /**
     * Parses a default or an example. The text is never quoted: whether the setting is secret may
     * be declared only after this call ({@code .defaultText(x).secret()}, or a JSON schema whose
     * {@code secret} comes after its {@code default}), and the message must not depend on order.
     */
    private T check(String what, String text) {
      try {
        return type.parse(text);
      } catch (ValueType.Invalid e) {
        throw new IllegalArgumentException(
            name + ": " + what + " " + e.getMessage() + "; expected " + type.expected);
      }
    }
  }
}
