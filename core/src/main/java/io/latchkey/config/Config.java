package io.latchkey.config;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.latchkey.Secret;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * A loaded, checked configuration: one typed value per setting of its {@link ConfigSchema}.
 *
 * <pre>{@code
 * Config config = schema.load(source);
 * int port = config.get(PORT);                               // a Setting<Integer> key
 * Optional<Secret> key = config.find(LLM_API_KEY);           // an optional setting
 * Duration timeout = config.get("REQUEST_TIMEOUT", Duration.class);  // by name
 * System.out.println(config.report().toTable());             // masked, for operators
 * }</pre>
 *
 * <p>A configuration is immutable and thread-safe.
 *
 * <h2>Security</h2>
 *
 * <p>{@link #toString()} and {@link #report()} mask every secret (as {@link Secret#toString()}
 * does), and the password of every URL, so both can be logged. Sensitivity follows the data: a
 * value derived from a secret (directly or through other derived settings), and a value that a
 * secret reference resolved to, are masked too. A value derived by a template shows its literal
 * parts and its non-secret inputs, with every placeholder fed by a secret shown as {@code ***}; a
 * value derived by a function from a secret is masked whole.
 *
 * @since 0.1
 */
public final class Config {
  static final byte UNSET = 0;
  static final byte SET = 1;
  static final byte DEFAULT = 2;
  static final byte DERIVED = 3;
  static final byte FAILED = 4;

  // Transient so that reflective serialisers (Gson, Jackson with field visibility) write none of
  // the values: a URL setting's password or a sensitive string is not a Secret.
  private final transient ConfigSchema schema;
  private final transient Object[] values;
  private final transient Origin[] origins;
  private final transient byte[] states;
  private final transient String[] aliasUsed;
  private final transient String[] aliasesIgnored;

  /** Per setting: whether its value came from a secret; see {@link #isFromSecret(int)}. */
  private final boolean[] fromSecret;

  /** The settings a derivation may read; {@code null} for a loaded configuration. */
  private final transient boolean[] readable;

  Config(
      ConfigSchema schema,
      Object[] values,
      Origin[] origins,
      byte[] states,
      String[] aliasUsed,
      String[] aliasesIgnored,
      boolean[] fromSecret,
      boolean[] readable) {
    this.schema = schema;
    this.values = values;
    this.origins = origins;
    this.states = states;
    this.aliasUsed = aliasUsed;
    this.aliasesIgnored = aliasesIgnored;
    this.fromSecret = fromSecret;
    this.readable = readable;
  }

  /**
   * Returns a setting's value.
   *
   * @param setting a setting of this configuration's schema
   * @param <T> the value type
   * @return the value
   * @throws IllegalArgumentException if the setting is not part of the schema
   * @throws NoSuchElementException if the setting is optional and not set; use {@link
   *     #find(Setting)} for those
   */
  public <T> T get(Setting<T> setting) {
    return find(setting)
        .orElseThrow(
            () ->
                new NoSuchElementException(
                    setting.name() + " is optional and not set; read it with find()"));
  }

  /**
   * Returns a setting's value, or empty if it is optional and not set.
   *
   * @param setting a setting of this configuration's schema
   * @param <T> the value type
   * @return the value, or empty
   * @throws IllegalArgumentException if the setting is not part of the schema
   */
  public <T> Optional<T> find(Setting<T> setting) {
    requireNonNull(setting, "setting");
    int i = schema.indexOf(setting.name());
    if (i < 0 || schema.settings().get(i) != setting) {
      throw new IllegalArgumentException(
          setting.name() + " is not a setting of this configuration's schema");
    }
    checkReadable(i);
    return Optional.ofNullable(setting.javaType().cast(values[i]));
  }

  /**
   * Returns a setting's value by name, as code that loads a JSON schema reads it.
   *
   * @param name the setting's name
   * @param type the value's class: {@code String}, {@code Integer} (or {@code int}), {@code
   *     Boolean}, {@code Duration}, {@code URI}, {@code List} (see {@link #getList(String, Class)}
   *     for typed lists), {@link Secret}, {@link KeyList}, or the enum or custom type of the
   *     setting
   * @param <T> the value type
   * @return the value
   * @throws IllegalArgumentException if the schema has no such setting, or its values are not of
   *     that type
   * @throws NoSuchElementException if the setting is optional and not set
   */
  public <T> T get(String name, Class<T> type) {
    return find(name, type)
        .orElseThrow(
            () ->
                new NoSuchElementException(name + " is optional and not set; read it with find()"));
  }

  /**
   * Returns a setting's value by name, or empty if it is optional and not set.
   *
   * @param name the setting's name
   * @param type the value's class, as for {@link #get(String, Class)}
   * @param <T> the value type
   * @return the value, or empty
   * @throws IllegalArgumentException if the schema has no such setting, or its values are not of
   *     that type
   */
  public <T> Optional<T> find(String name, Class<T> type) {
    requireNonNull(name, "name");
    requireNonNull(type, "type");
    int i = schema.indexOf(name);
    if (i < 0) {
      throw new IllegalArgumentException(name + " is not a setting of this configuration's schema");
    }
    Class<T> boxed = box(type);
    Class<?> actual = schema.settings().get(i).javaType();
    if (!boxed.isAssignableFrom(actual)) {
      throw new IllegalArgumentException(
          name + " holds " + actual.getSimpleName() + " values, not " + type.getSimpleName());
    }
    checkReadable(i);
    return Optional.ofNullable(boxed.cast(values[i]));
  }

  /**
   * Returns a list setting's value by name, typed by its entries, as code that loads a JSON schema
   * reads it.
   *
   * @param name the setting's name
   * @param elementType the entries' class: {@code String}, {@code Integer}, {@code Boolean}, {@code
   *     Duration}, {@code URI}, or the enum of the setting
   * @param <E> the entry type
   * @return the list, unmodifiable
   * @throws IllegalArgumentException if the schema has no such setting, or it is not a list of that
   *     type
   * @throws NoSuchElementException if the setting is optional and not set
   */
  public <E> List<E> getList(String name, Class<E> elementType) {
    return findList(name, elementType)
        .orElseThrow(
            () ->
                new NoSuchElementException(name + " is optional and not set; read it with find()"));
  }

  /**
   * Returns a list setting's value by name, or empty if it is optional and not set.
   *
   * @param name the setting's name
   * @param elementType the entries' class, as for {@link #getList(String, Class)}
   * @param <E> the entry type
   * @return the list, or empty
   * @throws IllegalArgumentException if the schema has no such setting, or it is not a list of that
   *     type
   */
  public <E> Optional<List<E>> findList(String name, Class<E> elementType) {
    requireNonNull(name, "name");
    requireNonNull(elementType, "elementType");
    int i = schema.indexOf(name);
    if (i < 0) {
      throw new IllegalArgumentException(name + " is not a setting of this configuration's schema");
    }
    ValueType<?> element = schema.settings().get(i).valueType().element;
    if (element == null) {
      throw new IllegalArgumentException(name + " is not a list");
    }
    if (!box(elementType).isAssignableFrom(element.javaType)) {
      throw new IllegalArgumentException(
          name
              + " holds lists of "
              + element.javaType.getSimpleName()
              + ", not of "
              + elementType.getSimpleName());
    }
    checkReadable(i);
    @SuppressWarnings("unchecked") // the entries' class was checked above
    List<E> list = (List<E>) values[i];
    return Optional.ofNullable(list);
  }

  @SuppressWarnings("unchecked") // each wrapper class is the boxed type of its primitive
  private static <T> Class<T> box(Class<T> type) {
    if (!type.isPrimitive()) {
      return type;
    } else if (type == int.class) {
      return (Class<T>) Integer.class;
    } else if (type == boolean.class) {
      return (Class<T>) Boolean.class;
    }
    throw new IllegalArgumentException("no setting holds " + type + " values");
  }

  /**
   * Returns where a setting's value came from: a source (with its detail, such as {@code .env line
   * 4}), the default, or a derivation.
   *
   * @param name the setting's name
   * @return the origin, or empty if the setting is optional and not set
   * @throws IllegalArgumentException if the schema has no such setting
   */
  public Optional<Origin> origin(String name) {
    requireNonNull(name, "name");
    int i = schema.indexOf(name);
    if (i < 0) {
      throw new IllegalArgumentException(name + " is not a setting of this configuration's schema");
    }
    checkReadable(i);
    return Optional.ofNullable(origins[i]);
  }

  /**
   * Creates a record from this configuration: each component gets the value of the setting it
   * names, as {@link ConfigSchema#forRecord(Class)} reads the record.
   *
   * @param type the record class
   * @param <R> the record type
   * @return the record
   * @throws IllegalArgumentException if the record does not declare a valid schema, names a setting
   *     this configuration lacks or holds with another type, or holds a value that is secret,
   *     derived from a secret or resolved from a secret reference in a component that is not a
   *     {@link Secret} (the record's {@code toString()} would print it), as {@link
   *     ConfigSchema#load(Class, ConfigSource)} refuses it
   */
  public <R extends Record> R bind(Class<R> type) {
    requireNonNull(type, "type");
    return RecordBinding.of(type).bind(this);
  }

  /**
   * Returns the schema this configuration was loaded with.
   *
   * @return the schema
   */
  public ConfigSchema schema() {
    return schema;
  }

  /**
   * Describes the effective configuration for operators: each setting's source, its value (masked
   * for secrets and URL passwords) and its status.
   *
   * @return the report, one row per setting in declaration order
   */
  public ConfigReport report() {
    List<ConfigReport.Row> rows = new ArrayList<>(values.length);
    for (int i = 0; i < values.length; i++) {
      rows.add(
          new ConfigReport.Row(
              schema.settings().get(i).name(),
              origins[i] == null ? "-" : origins[i].kind().label(),
              display(i),
              status(i)));
    }
    return new ConfigReport(rows);
  }

  /**
   * Returns {@code Config[PORT=8080, LLM_API_KEY=***, …]}, masked as the {@linkplain #report()
   * report} is. Jackson writes the same string; Gson writes {@code {}}.
   *
   * @return the masked description
   */
  @JsonValue
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("Config[");
    for (int i = 0; i < values.length; i++) {
      if (readable != null && !readable[i]) {
        continue;
      }
      if (sb.length() > "Config[".length()) {
        sb.append(", ");
      }
      sb.append(schema.settings().get(i).name()).append('=').append(display(i));
    }
    return sb.append(']').toString();
  }

  /**
   * What Jackson calls to read a {@code Config}: it refuses, without quoting what it was given.
   * Without a creator, Jackson's own refusal quotes the JSON string, which would be its values. It
   * takes an {@code Object}, not a {@code String}: Jackson would also use a {@code String} factory
   * for map keys, and quote the key in the failure.
   */
  @JsonCreator
  @SuppressWarnings("unused")
  private static Config fromJson(Object ignored) {
    throw new IllegalArgumentException(
        "io.latchkey.config.Config is not read from JSON, which would hold its values;"
            + " load it with a ConfigSchema");
  }

  // ---- for the loader ----

  Object value(int i) {
    return values[i];
  }

  private void checkReadable(int i) {
    if (readable != null && !readable[i]) {
      throw new UndeclaredInputException(schema.settings().get(i).name());
    }
  }

  /** A derivation read a setting it did not declare as an input: a bug in the schema. */
  static final class UndeclaredInputException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    UndeclaredInputException(String name) {
      super("a derivation read " + name + ", which it does not declare as an input");
    }
  }

  private String status(int i) {
    switch (states[i]) {
      case DEFAULT:
        return "default";
      case DERIVED:
        return "derived";
      case UNSET:
        return "unset (optional)";
      default:
        break;
    }
    if (aliasUsed[i] != null) {
      return "deprecated name " + aliasUsed[i] + " used";
    }
    if (aliasesIgnored[i] != null) {
      return "ok; deprecated " + aliasesIgnored[i] + " ignored";
    }
    return "ok";
  }

  /**
   * Whether setting {@code i}'s value came from a secret: the setting is secret, its value is what
   * a secret reference resolved to, or it was derived from such a value. A value set directly, or a
   * default, did not, even for a setting the schema {@linkplain ConfigSchema#isSensitive(int)
   * derives} from a secret.
   */
  boolean isFromSecret(int i) {
    return fromSecret[i];
  }

  /** The value as the report prints it: whatever came from a secret masked, URLs masked. */
  private String display(int i) {
    Object value = values[i];
    if (value == null) {
      return "-";
    }
    if (schema.isSecret(i)) {
      if (value instanceof Secret) {
        return value.toString();
      } else if (value instanceof KeyList) {
        KeyList keys = (KeyList) value;
        int previous = keys.previous().size();
        return keys.current() + (previous == 0 ? "" : " (+" + previous + " previous)");
      }
      return Secret.of(schema.settings().get(i).valueType().format(value)).toString();
    }
    if (!fromSecret[i]) {
      return Masking.printable(schema.settings().get(i).valueType().format(value));
    }
    String masked = maskedDerivation(i);
    // Where the value cannot be rebuilt without its secret parts, nothing of it is shown.
    return masked == null ? Masking.MASK : Masking.printable(masked);
  }

  /**
   * A value derived by a template from secrets, rebuilt from the template with every placeholder
   * fed by a secret replaced by the mask (an input derived by a template renders masked the same
   * way); null where that cannot be done: a value set from a secret reference, or derived by a
   * function.
   */
  private String maskedDerivation(int i) {
    Setting<?> setting = schema.settings().get(i);
    if (states[i] != DERIVED || setting.template() == null || schema.isSecret(i)) {
      return null;
    }
    int[] inputs = schema.inputs(i);
    return setting
        .template()
        .render(
            k -> schema.settings().get(inputs[k]).valueType().format(values[inputs[k]]),
            (k, url) -> {
              int j = inputs[k];
              if (!fromSecret[j]) {
                return null;
              }
              // A percent-encoded slot shows the mask alone: encoding a partly masked text would
              // only make it harder to read.
              String inner = url ? null : maskedDerivation(j);
              return inner == null ? Masking.MASK : inner;
            });
  }
}
