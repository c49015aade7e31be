package io.latchkey.config;

import static java.util.Objects.requireNonNull;

import io.latchkey.ConfigException;
import io.latchkey.LatchkeyException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The declared settings of an application: names, types, defaults, derivations and deprecated
 * names. {@link #load(ConfigSource)} reads and checks every setting and returns a typed {@link
 * Config}, or throws one {@link ConfigException} that lists every problem.
 *
 * <p>A schema is declared in one of three ways, which give the same result for the same settings:
 *
 * <ul>
 *   <li>in Java, with {@link Setting} keys and {@link #builder()};
 *   <li>as a record whose components carry {@link Env} annotations, with {@link #forRecord(Class)}
 *       or {@link #load(Class, ConfigSource)};
 *   <li>as a JSON file that the command line and non-Java services share, with {@link
 *       #fromJson(Path)} (this needs jackson-databind on the class path; nothing else does).
 * </ul>
 *
 * <pre>{@code
 * ConfigSchema schema = ConfigSchema.builder().add(PORT).add(LLM_API_KEY).build();
 * Config config = schema.load(source);
 * int port = config.get(PORT);
 * }</pre>
 *
 * <p>Everything that can be worked out before reading a value is worked out when the schema is
 * built: the order derived settings are computed in, which settings are secret, the names to look
 * up. A schema is immutable and thread-safe, and loading it does no reflection.
 *
 * <h2>JSON schema files</h2>
 *
 * <p>A JSON schema is an object with a {@code settings} array; each setting is an object with these
 * fields (keys starting with {@code $}, such as {@code $comment}, are ignored, any other unknown
 * key is an error):
 *
 * <table>
 *   <caption>JSON schema fields</caption>
 *   <tr><th>field</th><th>meaning</th></tr>
 *   <tr><td>{@code name}</td><td>the environment-variable name; required</td></tr>
 *   <tr><td>{@code type}</td><td>{@code string}, {@code integer}, {@code port}, {@code
 *       boolean}, {@code duration}, {@code uri} (or {@code url}), {@code enum}, {@code list},
 *       {@code secret}, {@code fernet-key}, {@code key-list} or {@code fernet-key-list};
 *       required</td></tr>
 *   <tr><td>{@code description}, {@code group}</td><td>for docs</td></tr>
 *   <tr><td>{@code default}</td><td>the default, as a string (a number or boolean is taken as
 *       its text)</td></tr>
 *   <tr><td>{@code required}</td><td>{@code false} makes a setting without default optional;
 *       {@code true} with a default is an error</td></tr>
 *   <tr><td>{@code secret}</td><td>{@code true} masks the value of a non-secret type</td></tr>
 *   <tr><td>{@code examples}, {@code aliases}</td><td>arrays of strings: example values, and
 *       deprecated names</td></tr>
 *   <tr><td>{@code derive}</td><td>a template such as {@code
 *       "postgresql://app:${POSTGRES_PASSWORD|url}@db:5432/app"}: {@code ${NAME}} inserts a
 *       setting's text, {@code ${NAME|url}} inserts it percent-encoded (see {@link
 *       Setting.Builder#derive(String)})</td></tr>
 *   <tr><td>{@code min}, {@code max}</td><td>integers; for {@code integer}</td></tr>
 *   <tr><td>{@code schemes}</td><td>allowed schemes; for {@code uri}</td></tr>
 *   <tr><td>{@code values}</td><td>allowed values; for {@code enum}, and lists of enums</td></tr>
 *   <tr><td>{@code element}</td><td>the entry type of a {@code list}: {@code string} (the
 *       default), {@code integer}, {@code port}, {@code boolean}, {@code duration}, {@code uri}
 *       or {@code enum}</td></tr>
 * </table>
 *
 * <pre>{@code
 * {"settings": [
 *   {"name": "PORT", "type": "port", "default": "8080", "group": "Server",
 *    "description": "Port the HTTP server listens on.", "examples": ["8080"],
 *    "aliases": ["HTTP_PORT"]},
 *   {"name": "POSTGRES_PASSWORD", "type": "secret", "group": "Database", "required": false},
 *   {"name": "DATABASE_URL", "type": "url", "schemes": ["postgresql"], "group": "Database",
 *    "derive": "postgresql://app:${POSTGRES_PASSWORD|url}@db:5432/app"}
 * ]}
 * }</pre>
 *
 * <p>Enum settings read from JSON hold the allowed value as a {@code String}; read values with
 * {@link Config#get(String, Class)}.
 *
 * @since 0.1
 */
public final class ConfigSchema {
  private final List<Setting<?>> settings;
  private final Map<String, Integer> indexByName;
  private final List<String> groups;

  /** Settings in the order they are resolved: every derived setting after its inputs. */
  private final int[] order;

  /** For each setting, the indices of the settings it is derived from, in its inputs' order. */
  private final int[][] inputs;

  /** Names to look up per setting: its own, then its aliases. */
  private final String[][] lookups;

  /** Names of a key list's older keys: {@code NAME_PREVIOUS}, then the aliases'. */
  private final String[][] previousLookups;

  /** Declared secret, or of a secret type: printed as a mask, never quoted. */
  private final boolean[] secret;

  /**
   * Secret, or derived (directly or through other derived settings) from a secret: never quoted in
   * errors, and a record component must hold it as a {@code Secret}.
   */
  private final boolean[] sensitive;

  private ConfigSchema(List<Setting<?>> settings) {
    // Every problem first, all at once; what follows builds on settings known to be consistent.
    List<String> problems = problemsOf(settings, Set.of());
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", problems));
    }
    this.settings = List.copyOf(settings);
    int n = settings.size();
    this.indexByName = new HashMap<>();
    Set<String> groupSet = new LinkedHashSet<>();
    this.lookups = new String[n][];
    this.previousLookups = new String[n][];
    for (int i = 0; i < n; i++) {
      Setting<?> s = settings.get(i);
      indexByName.put(s.name(), i);
      groupSet.add(s.group());
    }
    for (int i = 0; i < n; i++) {
      Setting<?> s = settings.get(i);
      List<String> names = new ArrayList<>();
      names.add(s.name());
      names.addAll(s.aliases());
      lookups[i] = names.toArray(new String[0]);
      if (s.valueType().isKeyList()) {
        previousLookups[i] = new String[names.size()];
        for (int k = 0; k < names.size(); k++) {
          previousLookups[i][k] = names.get(k) + KeyList.PREVIOUS_SUFFIX;
        }
      }
    }
    this.groups = List.copyOf(groupSet);
    this.inputs = new int[n][];
    for (int i = 0; i < n; i++) {
      Setting<?> s = settings.get(i);
      inputs[i] = new int[s.inputs().size()];
      for (int k = 0; k < inputs[i].length; k++) {
        inputs[i][k] = indexByName.get(s.inputs().get(k));
      }
    }
    this.order = resolutionOrder();
    this.secret = new boolean[n];
    this.sensitive = new boolean[n];
    // In resolution order, so that every input's sensitivity is known before its dependants'.
    for (int i : order) {
      secret[i] = settings.get(i).isSecret();
      boolean fromSensitive = false;
      for (int j : inputs[i]) {
        fromSensitive |= sensitive[j];
      }
      sensitive[i] = secret[i] || fromSensitive;
    }
  }

  /**
   * Every problem of a list of settings as a whole, each as the constructor would word it: a name
   * declared twice, a name that is two things at once, an input the list does not declare, a cycle
   * of derived settings. All of them, so that a schema file's author fixes them in one pass.
   *
   * @param settings the settings that could be read
   * @param unreadable the names of settings declared but not readable (their own problems are
   *     reported apart): an input naming one is not undeclared, and no cycle is looked for through
   *     it
   */
  static List<String> problemsOf(List<Setting<?>> settings, Set<String> unreadable) {
    Set<String> problems = new LinkedHashSet<>();
    Map<String, Integer> index = new HashMap<>();
    Map<String, String> owners = new HashMap<>();
    for (int i = 0; i < settings.size(); i++) {
      String name = settings.get(i).name();
      if (index.putIfAbsent(name, i) != null) {
        problems.add("setting " + name + " is declared twice");
      }
      owners.put(name, "a setting");
    }
    for (String name : unreadable) {
      owners.putIfAbsent(name, "a setting");
    }
    for (Setting<?> s : settings) {
      for (String alias : s.aliases()) {
        claimOrNote(owners, alias, "an alias of " + s.name(), problems);
      }
      if (s.valueType().isKeyList()) {
        List<String> names = new ArrayList<>();
        names.add(s.name());
        names.addAll(s.aliases());
        for (String name : names) {
          claimOrNote(
              owners,
              name + KeyList.PREVIOUS_SUFFIX,
              "the older keys of key list " + s.name(),
              problems);
        }
      }
      for (String input : s.inputs()) {
        if (!index.containsKey(input) && !unreadable.contains(input)) {
          problems.add(
              s.name() + " is derived from " + input + ", which the schema does not declare");
        }
      }
    }
    byte[] mark = new byte[settings.size()];
    for (int i = 0; i < settings.size(); i++) {
      findCycles(settings, index, i, mark, new ArrayList<>(), problems);
    }
    return List.copyOf(problems);
  }

  private static void claimOrNote(
      Map<String, String> owners, String name, String role, Set<String> problems) {
    String previous = owners.putIfAbsent(name, role);
    if (previous != null) {
      problems.add(name + " is both " + previous + " and " + role);
    }
  }

  /** Walks the derivations depth-first, in declaration order, noting each cycle it meets. */
  private static void findCycles(
      List<Setting<?>> settings,
      Map<String, Integer> index,
      int i,
      byte[] mark,
      List<String> path,
      Set<String> problems) {
    if (mark[i] == 2) {
      return;
    }
    String name = settings.get(i).name();
    if (mark[i] == 1) {
      List<String> cycle = new ArrayList<>(path.subList(path.indexOf(name), path.size()));
      cycle.add(name);
      problems.add("derived settings form a cycle: " + String.join(" -> ", cycle));
      return;
    }
    mark[i] = 1;
    path.add(name);
    for (String input : settings.get(i).inputs()) {
      Integer j = index.get(input);
      if (j != null) {
        findCycles(settings, index, j, mark, path, problems);
      }
    }
    path.remove(path.size() - 1);
    mark[i] = 2;
  }

  /**
   * Depth-first, in declaration order, so that the order is stable; {@link #problemsOf} has ruled
   * out cycles.
   */
  private int[] resolutionOrder() {
    int n = settings.size();
    int[] result = new int[n];
    int[] count = {0};
    boolean[] done = new boolean[n];
    for (int i = 0; i < n; i++) {
      visit(i, done, result, count);
    }
    return result;
  }

  private void visit(int i, boolean[] done, int[] result, int[] count) {
    if (done[i]) {
      return;
    }
    done[i] = true;
    for (int j : inputs[i]) {
      visit(j, done, result, count);
    }
    result[count[0]++] = i;
  }

  /**
   * Starts a schema.
   *
   * @return a builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns the schema a record declares: one setting per component.
   *
   * <p>The component's Java type gives the setting's type ({@code int} an integer, {@code boolean}
   * a strict boolean, {@code Duration}, {@code URI}, enums, {@code List<T>}, {@link
   * io.latchkey.Secret} a secret, {@link KeyList} a key list, {@code Optional<T>} an optional
   * setting), and {@link Env} on the component gives the name and the rest. The schema is worked
   * out once per record class.
   *
   * @param type the record class
   * @return the schema
   * @throws IllegalArgumentException if a component's type is not supported, its annotation is
   *     inconsistent, or the record cannot be instantiated
   */
  public static ConfigSchema forRecord(Class<? extends Record> type) {
    requireNonNull(type, "type");
    return RecordBinding.of(type).schema();
  }

  /**
   * Loads a record's settings from a source and returns the record.
   *
   * <pre>{@code
   * AppConfig config = ConfigSchema.load(AppConfig.class, source);
   * }</pre>
   *
   * @param type the record class, as {@link #forRecord(Class)} takes it
   * @param source where the values come from
   * @param <R> the record type
   * @return the record
   * @throws ConfigException listing every problem with the values
   * @throws IllegalArgumentException if the record does not declare a valid schema
   */
  public static <R extends Record> R load(Class<R> type, ConfigSource source) {
    requireNonNull(type, "type");
    requireNonNull(source, "source");
    RecordBinding<R> binding = RecordBinding.of(type);
    return binding.bind(binding.schema().load(source));
  }

  /**
   * Reads a schema from a JSON file, in the format this class describes.
   *
   * @param file the file
   * @return the schema
   * @throws ConfigException listing every problem in the file (each named by the file and the
   *     setting), or saying the file cannot be read
   * @throws LatchkeyException if jackson-databind is not on the class path
   */
  public static ConfigSchema fromJson(Path file) {
    requireNonNull(file, "file");
    requireJackson();
    String name = String.valueOf(file.getFileName());
    String json;
    try {
      json = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new ConfigException(name, "does not exist");
    } catch (IOException e) {
      throw new ConfigException(name, "cannot be read (" + e.getClass().getSimpleName() + ")");
    }
    return JsonSchemaReader.read(json, name);
  }

  /**
   * Reads a schema from JSON text, in the format this class describes.
   *
   * @param json the JSON text
   * @return the schema
   * @throws ConfigException listing every problem in the text
   * @throws LatchkeyException if jackson-databind is not on the class path
   */
  public static ConfigSchema fromJson(String json) {
    requireNonNull(json, "json");
    requireJackson();
    return JsonSchemaReader.read(json, "JSON schema");
  }

  private static void requireJackson() {
    try {
      Class.forName(
          "com.fasterxml.jackson.databind.ObjectMapper",
          false,
          ConfigSchema.class.getClassLoader());
    } catch (ClassNotFoundException | LinkageError e) {
      throw new LatchkeyException(
          "reading a JSON schema needs Jackson: add com.fasterxml.jackson.core:jackson-databind"
              + " to the class path (latchkey-core declares it optional; on the module path, also"
              + " add the module com.fasterxml.jackson.databind)");
    }
  }

  /**
   * Reads every setting from a source, checks it, and returns the typed configuration.
   *
   * <p>Each setting is looked up under its name, then under its deprecated aliases; derived
   * settings that no source sets are computed from their inputs; defaults fill the rest. Every
   * problem is collected before anything is thrown. Each deprecated name in use logs one warning,
   * naming the old and the new name and never the value.
   *
   * @param source where the values come from
   * @return the configuration
   * @throws ConfigException listing every problem, each naming the setting, what is wrong, what was
   *     expected and where the value came from; values are quoted only for non-secret settings,
   *     with passwords in URLs masked
   */
  public Config load(ConfigSource source) {
    requireNonNull(source, "source");
    return new ConfigLoader(this, source).load();
  }

  /**
   * Returns the settings in the order they were declared.
   *
   * @return an unmodifiable list
   */
  public List<Setting<?>> settings() {
    return settings;
  }

  /**
   * Finds a setting by name.
   *
   * @param name the setting's name (not an alias)
   * @return the setting, or empty if the schema has none of that name
   */
  public Optional<Setting<?>> setting(String name) {
    requireNonNull(name, "name");
    Integer i = indexByName.get(name);
    return i == null ? Optional.empty() : Optional.of(settings.get(i));
  }

  /**
   * Returns the groups, in the order their first setting was declared.
   *
   * @return an unmodifiable list
   */
  public List<String> groups() {
    return groups;
  }

  /**
   * Returns {@code ConfigSchema[n settings]}.
   *
   * @return the description
   */
  @Override
  public String toString() {
    return "ConfigSchema[" + settings.size() + (settings.size() == 1 ? " setting]" : " settings]");
  }

  // ---- for the loader, the config and the docs ----

  int size() {
    return settings.size();
  }

  int indexOf(String name) {
    Integer i = indexByName.get(name);
    return i == null ? -1 : i;
  }

  int[] order() {
    return order;
  }

  int[] inputs(int i) {
    return inputs[i];
  }

  String[] lookups(int i) {
    return lookups[i];
  }

  String[] previousLookups(int i) {
    return previousLookups[i];
  }

  boolean isSecret(int i) {
    return secret[i];
  }

  /**
   * Whether setting {@code i} is secret or derived from a secret, directly or through other derived
   * settings. Every output that cannot see the value's history (docs, errors, record binding)
   * treats such a setting as a secret; the report renders its value with every part that came from
   * a secret masked (see {@link Config#report()}).
   */
  boolean isSensitive(int i) {
    return sensitive[i];
  }

  /**
   * Builds a {@link ConfigSchema}.
   *
   * @since 0.1
   */
  public static final class Builder {
    private final List<Setting<?>> settings = new ArrayList<>();

    private Builder() {}

    /**
     * Adds a setting.
     *
     * @param setting the setting
     * @return this builder
     */
    public Builder add(Setting<?> setting) {
      settings.add(requireNonNull(setting, "setting"));
      return this;
    }

    /**
     * Adds settings, such as those of another schema.
     *
     * @param settings the settings, in order
     * @return this builder
     */
    public Builder addAll(Collection<? extends Setting<?>> settings) {
      requireNonNull(settings, "settings");
      for (Setting<?> setting : settings) {
        add(setting);
      }
      return this;
    }

    /**
     * Builds the schema, checking it as a whole.
     *
     * @return the schema
     * @throws IllegalArgumentException if a name is declared twice (as a setting, an alias or a key
     *     list's {@code NAME_PREVIOUS}), a derived setting reads a setting the schema does not
     *     declare, or derived settings form a cycle
     */
    public ConfigSchema build() {
      return new ConfigSchema(settings);
    }
  }
}
