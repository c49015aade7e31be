package io.latchkey.provider.env;

import static java.util.Objects.requireNonNull;

import io.latchkey.ConfigException;
import io.latchkey.ConfigException.Problem;
import io.latchkey.ProviderException;
import io.latchkey.SecretNotFoundException;
import io.latchkey.SecretRef;
import io.latchkey.config.ConfigValue;
import io.latchkey.spi.SecretProvider;
import io.latchkey.spi.SecretVersion;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code env} secret provider: runtime overrides, the process environment, a {@code .env} file
 * and a secrets directory, with {@code NAME_FILE} indirection.
 *
 * <pre>{@code
 * // What SECRET_PROVIDER=env selects: settings from LATCHKEY_ENV_FILE and LATCHKEY_SECRETS_DIR.
 * SecretProvider env = EnvSecretProvider.fromEnvironment(System.getenv());
 *
 * // In a test: no .env, fixed values.
 * SecretProvider test =
 *     EnvSecretProvider.builder()
 *         .environment(Map.of())
 *         .noDotenv()
 *         .override("DB_PASSWORD", "pw")
 *         .build();
 * }</pre>
 *
 * <h2>Precedence</h2>
 *
 * <p>A name is looked up in these layers, and the first that has it wins:
 *
 * <ol>
 *   <li><b>overrides</b> set with {@link Builder#override(String, String)} (origin {@code
 *       override});
 *   <li>the <b>process environment</b> (origin {@code env});
 *   <li>the <b>{@code .env} file</b> (origin {@code .env}, detail {@code .env line 12});
 *   <li>the <b>secrets directory</b>: a file named exactly {@code NAME}, or else its lower-case
 *       form {@code name} (origin {@code secrets-dir}, detail the file name).
 * </ol>
 *
 * <p>So the real environment wins over {@code .env}, which only fills in what the environment
 * leaves unset, as python-dotenv, Docker Compose and Node's dotenv do by default.
 *
 * <h2>{@code NAME_FILE} and references</h2>
 *
 * <p>In the first three layers, {@code NAME_FILE=/run/secrets/db} stands for {@code NAME} at that
 * layer's precedence: the value is the file's content, with one trailing line break removed (origin
 * {@code file}, detail the path); a layer that sets both to non-empty values is an error. {@link
 * #get(String)} takes an environment name ({@code DB_PASSWORD}) or a slash reference ({@code
 * llm_api_key/control_plane}), which {@link #environmentName(String)} maps to {@code
 * LLM_API_KEY_CONTROL_PLANE}; in each layer the name as given is tried first, then the mapped one.
 * The {@code .env} format is the common ground of python-dotenv, Docker Compose and Node's dotenv,
 * without interpolation; malformed lines are all reported in one {@link ConfigException}, each as
 * {@code .env line N} and the reason, never with the line's text. The configuration guide ({@code
 * docs/configuration.md}, "Where values come from: the env provider") gives every rule.
 *
 * <h2>Rotation</h2>
 *
 * <p>{@link #get(String)}, which a configuration load calls, reads {@code NAME_FILE} and
 * secrets-directory files on every call. {@link #fetch(SecretRef)}, which a resolver calls, reads a
 * file once and then serves what the polls take in: every {@linkplain
 * Builder#pollInterval(Duration) poll interval} (1 second by default, sooner where the file system
 * reports changes) each file and the {@code .env} file are read again; new content is taken once it
 * reads the same on two polls in a row, and content that cannot be served (empty, gone, unreadable,
 * too large, malformed) is never taken: the previous value stays, with one warning and a
 * {@linkplain #sourceProblems() source problem} until the file is fixed. Values from files carry a
 * version derived from their content, so a resolver re-checks them cheaply, and the resolver is
 * told at once when one changed. {@code docs/rotation.md} gives the procedure.
 *
 * <h2>Security</h2>
 *
 * <p>No value appears in {@link #toString()}, {@link #description()}, an exception message or a log
 * line (loggers under {@code io.latchkey.provider.env}); these name variables, files, lines and
 * counts. Paths are named in errors only when the value looks like a path and holds nothing of the
 * secret it stands for; a secret typed into {@code API_TOKEN_FILE} by mistake is reported as {@code
 * API_TOKEN_FILE: is not a readable file (named in the environment; value not shown: it does not
 * look like a path)}. A relative path is quoted when written with a directory part ({@code
 * ./prod.env}, not {@code prod.env}); the configuration guide gives the whole rule.
 *
 * <p>Instances are thread-safe. What they serve changes only by the polls of their files.
 *
 * @since 0.1
 */
public final class EnvSecretProvider implements SecretProvider {

  /** The provider's name, which {@code SECRET_PROVIDER} selects it by: {@value}. */
  public static final String NAME = "env";

  /**
   * The variable {@link #fromEnvironment(Map)} reads the {@code .env} file's path from: {@value}.
   * Unset or blank means {@code .env} in the working directory, if it is a file; {@value
   * #NO_ENV_FILE} means no {@code .env} file.
   */
  public static final String ENV_FILE_VARIABLE = "LATCHKEY_ENV_FILE";

  /** The value of {@value #ENV_FILE_VARIABLE} that turns the {@code .env} file off: {@value}. */
  public static final String NO_ENV_FILE = "none";

  /**
   * The variable {@link #fromEnvironment(Map)} reads the secrets directory from: {@value}. Unset or
   * blank means none.
   */
  public static final String SECRETS_DIR_VARIABLE = "LATCHKEY_SECRETS_DIR";

  /** The suffix that makes {@code NAME_FILE} name a file holding {@code NAME}: {@value}. */
  public static final String FILE_SUFFIX = "_FILE";

  /** The {@code .env} file looked for in the working directory by default: {@value}. */
  public static final String DEFAULT_ENV_FILE = ".env";

  // A provider is a service, not data: every field is transient, so that a reflective
  // serialiser (Gson, Jackson reading fields) handed one by mistake writes none of what it holds.
  private final transient Layers layers;
  private final transient MountedFiles files;
  private final transient FilePoller poller;
  private final transient EnvFetches fetches;

  EnvSecretProvider(Layers layers, MountedFiles files, FilePoller poller) {
    this.layers = layers;
    this.files = files;
    this.poller = poller;
    this.fetches = new EnvFetches(layers, files, poller);
  }

  /**
   * Returns a builder; by default it reads {@link System#getenv()}, {@code .env} in the working
   * directory if there is one, no secrets directory and no overrides.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Creates the provider {@code SECRET_PROVIDER=env} selects: the given environment, plus the
   * {@code .env} file and secrets directory it names.
   *
   * <ul>
   *   <li>{@value #ENV_FILE_VARIABLE}: the {@code .env} file's path, which must exist; unset or
   *       blank for {@code .env} in the working directory if it is a file; {@value #NO_ENV_FILE}
   *       for none;
   *   <li>{@value #SECRETS_DIR_VARIABLE}: a directory of one file per secret, such as {@code
   *       /run/secrets}; unset or blank for none.
   * </ul>
   *
   * @param environment the process environment, or a stand-in; copied
   * @return the provider
   * @throws ConfigException listing every problem: a named file or directory that does not exist,
   *     and every malformed line of the {@code .env} file
   */
  public static EnvSecretProvider fromEnvironment(Map<String, String> environment) {
    return fromEnvironment(environment, null);
  }

  /** As {@link #fromEnvironment(Map)}, with relative paths resolved against a given directory. */
  static EnvSecretProvider fromEnvironment(Map<String, String> environment, Path workingDirectory) {
    requireNonNull(environment, "environment");
    return builder()
        .environment(environment)
        .settingsFromEnvironment()
        .workingDirectory(workingDirectory)
        .build();
  }

  /**
   * Maps a slash reference to the environment name it stands for: upper case, with {@code /},
   * {@code -} and {@code .} turned into {@code _}, as secret-provider conventions do.
   *
   * <pre>{@code
   * EnvSecretProvider.environmentName("llm_api_key/control_plane");  // LLM_API_KEY_CONTROL_PLANE
   * EnvSecretProvider.environmentName("db-main.password");           // DB_MAIN_PASSWORD
   * EnvSecretProvider.environmentName("DATABASE_URL");               // DATABASE_URL
   * }</pre>
   *
   * @param reference letters, digits, {@code _}, {@code .}, {@code -} and segments separated by
   *     single {@code /}
   * @return the environment name
   * @throws IllegalArgumentException if the reference is empty, has an empty segment (a leading,
   *     trailing or doubled {@code /}) or a character outside {@code [A-Za-z0-9_./-]}; the message
   *     says which, and neither quotes the reference nor gives its length or a position in it, in
   *     case a value was passed by mistake
   */
  public static String environmentName(String reference) {
    requireNonNull(reference, "reference");
    String problem = ReferenceNames.problem(reference);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
    return ReferenceNames.map(reference);
  }

  /** Returns {@value #NAME}. */
  @Override
  public String name() {
    return NAME;
  }

  /**
   * Looks up a name or slash reference through the layers, highest precedence first.
   *
   * @param reference an environment name ({@code DB_PASSWORD}) or a slash reference ({@code
   *     db_password}, {@code llm_api_key/control_plane})
   * @return the value and its origin, or empty if no layer has it
   * @throws ConfigException if the winning layer sets both {@code NAME} and {@code NAME_FILE}, or a
   *     file it names cannot be read (missing, a directory, unreadable, over 1 MiB, not UTF-8); the
   *     message names the variable and, when the value looks like a path, the path; never the
   *     content
   * @throws IllegalArgumentException if no layer has the reference as written and it cannot be
   *     mapped to an environment name (see {@link #environmentName(String)})
   */
  @Override
  public Optional<ConfigValue> get(String reference) {
    requireNonNull(reference, "reference");
    return layers.get(reference, SecretFileSource.DIRECT);
  }

  /**
   * Resolves a reference such as {@code env:DB_PASSWORD}, {@code llm_api_key/control_plane} or
   * {@code env:DB_CREDENTIALS#password}: the path is looked up as {@link #get(String)} does, and a
   * field is read from a value that holds a JSON object (a string member as it is, any other member
   * as its JSON text, exactly as written).
   *
   * <p>A file named by {@code NAME_FILE}, or in the secrets directory, is read the first time it is
   * needed; after that the value served is what the polls have taken in (see "Rotation" above). A
   * value from a file or from the {@code .env} file has a version id derived from its content; a
   * value from the environment or an override has none.
   *
   * @param ref a reference of scheme {@code env}
   * @return the value
   * @throws SecretNotFoundException if no layer has the name, or the value has no such field or is
   *     not a JSON object
   * @throws ProviderException of kind {@link ProviderException.Kind#UNSUPPORTED} for a reference
   *     with a version, or {@link ProviderException.Kind#OTHER} if the path cannot map to an
   *     environment name or a file it names cannot be read the first time
   */
  @Override
  public SecretVersion fetch(SecretRef ref) {
    requireNonNull(ref, "ref");
    return fetches.fetch(ref);
  }

  /**
   * Fetches many references in one call, as a resolver's prefetch asks: each as {@link
   * #fetch(SecretRef)} would, in the calling thread, since every one is a look-up in memory or the
   * first read of a local file. A resolver would otherwise give each reference a thread of its own
   * for a look-up that takes microseconds. A reference that fails (not set, no such field, a
   * version asked for, a file that cannot be read) is left out, for {@link #fetch(SecretRef)} to
   * report.
   *
   * @param refs references of scheme {@code env}
   * @return the versions of the references that resolved, in the order given
   */
  @Override
  public Map<SecretRef, SecretVersion> fetchAll(Collection<SecretRef> refs) {
    requireNonNull(refs, "refs");
    for (SecretRef ref : refs) {
      requireNonNull(ref, "refs element");
    }
    return fetches.fetchAll(refs);
  }

  /**
   * Returns the version id {@link #fetch(SecretRef)} would return now, from what the provider
   * holds: a value from a file is not read again, so a resolver's re-check costs no disk access.
   *
   * @param ref a reference of scheme {@code env}
   * @return the version id, or empty for a value from the environment or an override
   * @throws SecretNotFoundException if no layer has the name
   * @throws ProviderException as {@link #fetch(SecretRef)} does
   */
  @Override
  public Optional<String> currentVersionId(SecretRef ref) {
    requireNonNull(ref, "ref");
    return fetches.currentVersionId(ref);
  }

  /**
   * Reads every file that a fetch has read, and the {@code .env} file, once now, as the background
   * poll does every interval: new content that has read the same on this poll and the one before is
   * taken, and a resolver registered with this provider is told before this returns. For an
   * application that reloads on a signal, or that turned background polling off.
   */
  public void poll() {
    files.poll();
  }

  /**
   * Registers a callback to run after a poll changed a value; a resolver registers one.
   *
   * @param callback what to run, on the polling thread
   */
  @Override
  public void onChange(Runnable callback) {
    files.onChange(requireNonNull(callback, "callback"));
  }

  /**
   * Withdraws a callback given to {@link #onChange(Runnable)}, as a resolver does when it is
   * closed.
   *
   * @param callback the callback to drop (compared by identity); one not registered is ignored
   */
  @Override
  public void removeOnChange(Runnable callback) {
    files.removeOnChange(callback);
  }

  /**
   * Lists the files whose previous value is still served because what they hold now cannot be: each
   * names the setting and the reason, never the content.
   *
   * @return the problems; empty when every file reads well
   */
  @Override
  public List<ConfigException.Problem> sourceProblems() {
    return files.problems();
  }

  /** Stops the background poll and the file watcher; values already read stay available. */
  @Override
  public void close() {
    poller.close();
  }

  /**
   * Returns {@code true}: a field is read out of a whole value this provider fetched, so that a
   * resolver reads a {@code NAME_FILE} or secrets-directory file once for all its fields.
   *
   * @return {@code true}
   */
  @Override
  public boolean extractsFields() {
    return true;
  }

  /**
   * Reads a field out of a whole value this provider fetched, as {@link #fetch(SecretRef)} reads
   * it, without reading the environment or a file again.
   *
   * @param ref the reference, with a field
   * @param whole the version fetched for {@code ref.withoutField()}
   * @return the field's version, with the whole version's time
   * @throws SecretNotFoundException if the value is not a JSON object or has no such field
   */
  @Override
  public SecretVersion field(SecretRef ref, SecretVersion whole) {
    requireNonNull(ref, "ref");
    requireNonNull(whole, "whole");
    return fetches.field(ref, whole);
  }

  /**
   * Returns every name this provider resolves: the overrides', the environment's, the {@code .env}
   * file's and the secrets directory's, plus {@code NAME} for each non-empty {@code NAME_FILE}. A
   * secrets-directory file named in lower case is listed in upper case.
   *
   * @return the names, sorted; unmodifiable
   * @throws ConfigException if the secrets directory can no longer be listed
   */
  @Override
  public Set<String> names() {
    return layers.names();
  }

  /**
   * Describes the layers, such as {@code env (42 variables) + .env (/app/.env, 7 entries) + secrets
   * dir (/run/secrets) + 1 override}; never a value.
   *
   * @return the description
   */
  @Override
  public String description() {
    return layers.description();
  }

  /** Returns {@code EnvSecretProvider[}{@link #description()}{@code ]}; never a value. */
  @Override
  public String toString() {
    return "EnvSecretProvider[" + description() + "]";
  }

  /**
   * Builds an {@link EnvSecretProvider}. Setters check their arguments at once; {@link #build()}
   * checks the files and directories and parses the {@code .env} file. A builder is not
   * thread-safe.
   */
  public static final class Builder {
    Map<String, String> environment;
    DotenvChoice dotenvChoice = DotenvChoice.DEFAULT;
    Path dotenvFile;
    String dotenvSetting = ".env file";
    String dotenvTyped;
    Path secretsDir;
    String secretsDirSetting = "secrets directory";
    String secretsDirTyped;
    final Map<String, String> overrides = new LinkedHashMap<>();
    final List<Problem> problems = new ArrayList<>();
    Path workingDirectory;
    boolean settingsFromEnvironment;
    Duration pollInterval = Duration.ofSeconds(1);
    boolean watchFiles = true;

    enum DotenvChoice {
      DEFAULT,
      FILE,
      NONE
    }

    private Builder() {}

    /**
     * Sets the process environment to read ({@link System#getenv()} by default).
     *
     * @param environment the variables; copied
     * @return this builder
     * @throws NullPointerException if the map, or a name or value in it, is null
     */
    public Builder environment(Map<String, String> environment) {
      this.environment = copy(requireNonNull(environment, "environment"), "environment");
      return this;
    }

    /**
     * Reads this {@code .env} file, which must exist when {@link #build()} runs (by default, {@code
     * .env} in the working directory is read if it is a file, and skipped otherwise).
     *
     * @param file the file
     * @return this builder
     */
    public Builder dotenvFile(Path file) {
      requireNonNull(file, "file");
      return dotenvFile(file, ".env file", file.toString());
    }

    Builder dotenvFile(Path file, String setting, String typed) {
      if (file != null) {
        this.dotenvChoice = DotenvChoice.FILE;
        this.dotenvFile = file;
        this.dotenvSetting = setting;
        this.dotenvTyped = typed;
      }
      return this;
    }

    /**
     * Reads no {@code .env} file, not even one in the working directory.
     *
     * @return this builder
     */
    public Builder noDotenv() {
      this.dotenvChoice = DotenvChoice.NONE;
      this.dotenvFile = null;
      return this;
    }

    /**
     * Reads secrets from a directory of one file per secret, such as {@code /run/secrets}; it must
     * exist when {@link #build()} runs (by default there is none).
     *
     * @param directory the directory
     * @return this builder
     */
    public Builder secretsDir(Path directory) {
      requireNonNull(directory, "directory");
      return secretsDir(directory, "secrets directory", directory.toString());
    }

    Builder secretsDir(Path directory, String setting, String typed) {
      if (directory != null) {
        this.secretsDir = directory;
        this.secretsDirSetting = setting;
        this.secretsDirTyped = typed;
      }
      return this;
    }

    /**
     * Sets a value that wins over every other layer, as a test needs; a later call for the same
     * name replaces the earlier one.
     *
     * @param name the name, such as {@code DB_PASSWORD} (an override {@code DB_PASSWORD_FILE} names
     *     a file, as in the environment)
     * @param value the value; may be empty
     * @return this builder
     * @throws IllegalArgumentException if the name is empty
     */
    public Builder override(String name, String value) {
      requireNonNull(name, "name");
      requireNonNull(value, "value");
      if (name.isEmpty()) {
        throw new IllegalArgumentException("an override needs a name");
      }
      overrides.put(name, value);
      return this;
    }

    /**
     * Sets several overrides, as {@link #override(String, String)} does for each.
     *
     * @param overrides the names and values; copied
     * @return this builder
     * @throws IllegalArgumentException if a name is empty
     */
    public Builder overrides(Map<String, String> overrides) {
      requireNonNull(overrides, "overrides");
      copy(overrides, "overrides").forEach(this::override);
      return this;
    }

    /**
     * Takes the {@code .env} file and the secrets directory from the environment's {@value
     * #ENV_FILE_VARIABLE} and {@value #SECRETS_DIR_VARIABLE}, as {@link #fromEnvironment(Map)}
     * does, for whichever of the two this builder is not given explicitly: an explicit {@link
     * #dotenvFile(Path)}, {@link #noDotenv()} or {@link #secretsDir(Path)} wins over its variable,
     * whatever the order of the calls.
     *
     * @return this builder
     */
    public Builder settingsFromEnvironment() {
      this.settingsFromEnvironment = true;
      return this;
    }

    /**
     * Sets how often the files a resolver's fetches read are read again for changes (1 second by
     * default); a change is taken on the second poll that reads it, so one interval after it is
     * complete on disk. Zero turns background polling off: files change only when {@link
     * EnvSecretProvider#poll()} is called.
     *
     * @param interval zero, or a positive duration
     * @return this builder
     * @throws IllegalArgumentException if negative
     */
    public Builder pollInterval(Duration interval) {
      requireNonNull(interval, "interval");
      if (interval.isNegative()) {
        throw new IllegalArgumentException("pollInterval must not be negative");
      }
      this.pollInterval = interval;
      return this;
    }

    /**
     * Sets whether the polling thread also watches the files' directories for events, to take a
     * change within a fraction of a second instead of an interval (on by default). Where the file
     * system reports no events (bind mounts, network file systems), polling still sees the change.
     *
     * @param watch whether to watch
     * @return this builder
     */
    public Builder watchFiles(boolean watch) {
      this.watchFiles = watch;
      return this;
    }

    /** Resolves relative paths against this directory instead of the process's, for tests. */
    Builder workingDirectory(Path directory) {
      this.workingDirectory = directory;
      return this;
    }

    /**
     * Builds the provider: reads and parses the {@code .env} file and checks the secrets directory.
     *
     * @return the provider
     * @throws ConfigException listing every problem: a {@code .env} file or secrets directory that
     *     does not exist or cannot be read, and every malformed line of the {@code .env} file
     */
    public EnvSecretProvider build() {
      return Assembly.build(this);
    }

    static Map<String, String> copy(Map<String, String> map, String what) {
      Map<String, String> copy = new LinkedHashMap<>();
      map.forEach(
          (k, v) -> {
            requireNonNull(k, what + " holds a null name");
            requireNonNull(v, what + " holds a null value");
            copy.put(k, v);
          });
      return copy;
    }
  }
}
