package io.latchkey.config;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * What a {@link Setting} declares, read through its public accessors. It lives apart from {@code
 * Setting} only to keep that file to the factories and the builder; like the JDK's {@code
 * AbstractStringBuilder}, it is not public, and its public methods are documented and called as
 * {@code Setting}'s own.
 *
 * @param <T> the type of the setting's value
 */
abstract class SettingAttributes<T> {
  final String name;
  final ValueType<T> type;
  final String description;
  final String group;
  final boolean optional;
  final boolean secret;
  final T defaultValue;
  final String defaultText;
  final List<String> examples;
  final List<String> aliases;
  final Template template;
  final Function<Config, ? extends T> function;
  final List<String> inputs;

  @SuppressWarnings("TooManyParameters") // one per declared attribute, set once by the builder
  SettingAttributes(
      String name,
      ValueType<T> type,
      String description,
      String group,
      boolean optional,
      boolean secret,
      T defaultValue,
      String defaultText,
      List<String> examples,
      List<String> aliases,
      Template template,
      Function<Config, ? extends T> function,
      List<String> inputs) {
    this.name = name;
    this.type = type;
    this.description = description;
    this.group = group;
    this.optional = optional;
    this.secret = secret;
    this.defaultValue = defaultValue;
    this.defaultText = defaultText;
    this.examples = examples;
    this.aliases = aliases;
    this.template = template;
    this.function = function;
    this.inputs = inputs;
  }

  /**
   * Returns the environment-variable name.
   *
   * @return the name, such as {@code PORT}
   */
  public String name() {
    return name;
  }

  /**
   * Returns the schema type name, as a JSON schema writes it.
   *
   * @return the type, such as {@code port}, {@code enum} or {@code fernet-key}
   */
  public String type() {
    return type.name;
  }

  /**
   * Returns the type as the docs describe it, with its constraints.
   *
   * @return a description such as {@code port (1 to 65535)} or {@code one of debug, info}
   */
  public String typeDescription() {
    return type.display;
  }

  /**
   * Returns the Java type of the value, as {@link Config#get(String, Class)} checks it.
   *
   * @return the value class; {@code List.class} for lists
   */
  public Class<T> javaType() {
    return type.javaType;
  }

  /**
   * Tells whether the setting must end up with a value: it has no default and is not optional. A
   * required derived setting may get its value by derivation.
   *
   * @return {@code true} if loading fails without a value
   */
  public boolean isRequired() {
    return !optional && defaultText == null;
  }

  /**
   * Tells whether the value is secret: declared so, or of a secret type.
   *
   * @return {@code true} for secrets, whose values are never printed
   */
  public boolean isSecret() {
    return secret;
  }

  /**
   * Tells whether the setting is computed from other settings when no source sets it.
   *
   * @return {@code true} for derived settings
   */
  public boolean isDerived() {
    return !inputs.isEmpty();
  }

  /**
   * Returns the default as text, as the docs print it. Secrets never have a default.
   *
   * @return the default, or empty if there is none
   */
  public Optional<String> defaultText() {
    return Optional.ofNullable(defaultText);
  }

  /**
   * Returns the default value.
   *
   * @return the default, or empty if there is none
   */
  public Optional<T> defaultValue() {
    return Optional.ofNullable(defaultValue);
  }

  /**
   * Returns the description, for docs.
   *
   * @return the description; empty if none was given
   */
  public String description() {
    return description;
  }

  /**
   * Returns the group, the section of the docs the setting appears in.
   *
   * @return the group; {@code General} if none was given
   */
  public String group() {
    return group;
  }

  /**
   * Returns example values, for docs and {@code .env.example}.
   *
   * @return an unmodifiable list, possibly empty
   */
  public List<String> examples() {
    return examples;
  }

  /**
   * Returns the deprecated names still read when the setting itself is not set, each with a
   * warning.
   *
   * @return an unmodifiable list, possibly empty
   */
  public List<String> aliases() {
    return aliases;
  }

  /**
   * Returns the names of the settings this one is derived from.
   *
   * @return an unmodifiable list; empty if the setting is not derived
   */
  public List<String> inputs() {
    return inputs;
  }

  /**
   * Returns the derivation template, such as {@code postgresql://app:${POSTGRES_PASSWORD}@db/app}.
   *
   * @return the template; empty if the setting is not derived or is derived by a function
   */
  public Optional<String> derivation() {
    return template == null ? Optional.empty() : Optional.of(template.text());
  }

  ValueType<T> valueType() {
    return type;
  }

  Template template() {
    return template;
  }

  Function<Config, ? extends T> function() {
    return function;
  }

  /** Letters, digits and underscores, not starting with a digit: what a shell accepts. */
  static boolean isValidName(String name) {
    if (name.isEmpty()) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean letter = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
      if (!letter && (i == 0 || c < '0' || c > '9')) {
        return false;
      }
    }
    return true;
  }
}
