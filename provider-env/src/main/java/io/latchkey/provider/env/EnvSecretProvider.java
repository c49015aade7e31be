package io.latchkey.provider.env;

import static java.util.Objects.requireNonNull;

import io.latchkey.ConfigException;
import io.latchkey.ConfigException.Problem;
import io.latchkey.ProviderException;
import io.latchkey.Secret;
import io.latchkey.SecretNotFoundException;
import io.latchkey.SecretRef;
import io.latchkey.config.ConfigValue;
import io.latchkey.config.Origin;
import io.latchkey.spi.JsonValue;
import io.latchkey.spi.SecretProvider;
import io.latchkey.spi.SecretVersion;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * <h2>{@code NAME_FILE}</h2>
 *
 * <p>In the first three layers, {@code NAME_FILE=/run/secrets/db} stands for {@code NAME}: the
 * value is the file's content, with one trailing line break ({@code \n} or {@code \r\n}) removed
 * (origin {@code file}, detail the path). A layer's {@code NAME_FILE} counts as that layer setting
 * {@code NAME}: a {@code DB_PASSWORD_FILE} in the environment wins over a {@code DB_PASSWORD} in
 * {@code .env}, and a {@code DB_PASSWORD} in the environment wins over a {@code DB_PASSWORD_FILE}
 * in {@code .env}. As in the Docker official images' {@code file_env}, a layer that sets both to
 * non-empty values is an error, an empty {@code NAME} beside a {@code NAME_FILE} counts as unset,
 * and an empty {@code NAME_FILE} counts as unset. A relative path is resolved against the working
 * directory. The file is read on every lookup, so a rotated mounted secret is seen on the next one;
 * cache through the resolver.
 *
 * <h2>References</h2>
 *
 * <p>{@link #get(String)} takes an environment name ({@code DB_PASSWORD}) or a slash reference
 * ({@code llm_api_key/control_plane}), which {@link #environmentName(String)} maps to {@code
 * LLM_API_KEY_CONTROL_PLANE}. In each layer the name exactly as given is tried first, then the
 * mapped name: layers take precedence over the mapping, so an environment {@code LLM_API_KEY} wins
 * over a {@code .env} {@code llm_api_key} when {@code llm_api_key} is asked for.
 *
 * <h2>{@code .env} files</h2>
 *
 * <p>The format is the common ground of python-dotenv, Docker Compose and Node's dotenv; where they
 * differ, it does what the shell does (single quotes literal, {@code #} a comment only after a
 * blank):
 *
 * <ul>
 *   <li>{@code KEY=value}, optionally preceded by {@code export}, with blanks allowed around {@code
 *       =}; a key is ASCII letters, digits, {@code _}, {@code .} and {@code -}, not starting with a
 *       digit;
 *   <li>a blank is what python-dotenv and Node's dotenv both strip: tab, vertical tab, form feed,
 *       U+2028, U+2029 and the Unicode space separators, the no-break spaces included;
 *   <li>lines starting with {@code #} are comments; after an unquoted value, {@code #} starts a
 *       comment only after a blank ({@code a#b} is a value, {@code a #b} is {@code a});
 *   <li>unquoted values are trimmed; {@code KEY=} is the empty value;
 *   <li>{@code 'single quotes'} are literal: no escapes, may span several lines;
 *   <li>{@code "double quotes"} process {@code \n}, {@code \t}, {@code \r}, {@code \"} and {@code
 *       \\} (any other backslash stays as written) and may span several lines;
 *   <li>a key set twice takes its last value (logged at DEBUG, without the value);
 *   <li>the file is UTF-8, with or without a byte-order mark; {@code \r\n}, {@code \n} and {@code
 *       \r} end lines, and a line break inside a quoted value reads as {@code \n};
 *   <li>{@code ${VAR}} is not interpolated: the value is used as written, and {@code ${...}} in an
 *       unquoted or double-quoted value logs a warning naming the line (never the value).
 * </ul>
 *
 * <p>Malformed lines (no {@code =}, an invalid key, an unterminated quote, text after a closing
 * quote, bytes that are not UTF-8) are all reported in one {@link ConfigException}, each as {@code
 * .env line N} and the reason, never with the line's text; past the first 100, one more problem
 * counts the rest. Parsing takes time linear in the file's size.
 *
 * <p>The {@code .env} file is parsed once, when the provider is built; a secrets directory and
 * {@code NAME_FILE} files are read on each lookup.
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
 * <p>Instances are immutable and thread-safe.
 *
 * @since 0.1
 */
public final class EnvSecretProvider implements SecretProvider {
  /** The largest .env file read: far above any real one, small enough to hold in memory. */
  static final int MAX_DOTENV_BYTES = 16 << 20;

  /**
   * The logger, created on first use: most loads log nothing, and starting SLF4J is a large part of
   * a cold start.
   */
  private static final class Log {
    static final Logger LOG = LoggerFactory.getLogger(EnvSecretProvider.class);
  }

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
  private final transient Layer overrides;
  private final transient Layer environment;
  private final transient Layer dotenv;
  private final transient Path dotenvPath;
  private final transient SecretsDirectory secretsDirectory;
  private final transient Path workingDirectory;

  private EnvSecretProvider(
      Layer overrides,
      Layer environment,
      Layer dotenv,
      Path dotenvPath,
      SecretsDirectory secretsDirectory,
      Path workingDirectory) {
    this.overrides = overrides;
    this.environment = environment;
    this.dotenv = dotenv;
    this.dotenvPath = dotenvPath;
    this.secretsDirectory = secretsDirectory;
    this.workingDirectory = workingDirectory;
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
   *     gives the position, not the reference, in case a value was passed by mistake
   */
  public static String environmentName(String reference) {
    requireNonNull(reference, "reference");
    String problem = mappingProblem(reference);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
    StringBuilder name = new StringBuilder(reference.length());
    for (int i = 0; i < reference.length(); i++) {
      char c = reference.charAt(i);
      name.append(c == '/' || c == '-' || c == '.' ? '_' : Character.toUpperCase(c));
    }
    return name.toString();
  }

  private static String mappingProblem(String reference) {
    if (reference.isEmpty()) {
      return "reference is empty; expected a name such as llm_api_key/control_plane";
    }
    String prefix =
        "reference (" + reference.length() + " characters) cannot map to an environment name: ";
    for (int i = 0; i < reference.length(); i++) {
      char c = reference.charAt(i);
      int position = i + 1;
      if (c == '/') {
        boolean emptyBefore = i == 0 || reference.charAt(i - 1) == '/';
        boolean last = i == reference.length() - 1;
        if (emptyBefore || last) {
          return prefix
              + "empty segment at position "
              + position
              + " (a leading, trailing or doubled '/')";
        }
      } else if (!((c >= 'A' && c <= 'Z')
          || (c >= 'a' && c <= 'z')
          || (c >= '0' && c <= '9')
          || c == '_'
          || c == '.'
          || c == '-')) {
        return prefix
            + "the character at position "
            + position
            + " is not allowed (use letters, digits, '_', '.', '-' and '/')";
      }
    }
    return null;
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
    String problem = mappingProblem(reference);
    List<String> candidates = new ArrayList<>(2);
    candidates.add(reference);
    if (problem == null) {
      String mapped = environmentName(reference);
      if (!mapped.equals(reference)) {
        candidates.add(mapped);
      }
    }
    for (Layer layer : List.of(overrides, environment, dotenv)) {
      for (String candidate : candidates) {
        Optional<ConfigValue> value = layer.lookup(candidate, workingDirectory, this::valuesOf);
        if (value.isPresent()) {
          return value;
        }
      }
    }
    if (secretsDirectory != null) {
      for (String candidate : candidates) {
        Optional<ConfigValue> value = secretsDirectory.find(candidate);
        if (value.isPresent()) {
          return value;
        }
      }
    }
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
    return Optional.empty();
  }

  /**
   * Returns every non-empty value the layers hold for {@code name}: the texts a path in {@code
   * NAME_FILE} must never be quoted beside, in case the secret was typed there by mistake.
   */
  private List<String> valuesOf(String name) {
    List<String> values = new ArrayList<>(3);
    for (Layer layer : List.of(overrides, environment, dotenv)) {
      ConfigValue value = layer.values().get(name);
      if (value != null && !value.text().isEmpty()) {
        values.add(value.text());
      }
    }
    return values;
  }

  /**
   * Resolves a reference such as {@code env:DB_PASSWORD}, {@code llm_api_key/control_plane} or
   * {@code env:DB_CREDENTIALS#password}: the path is looked up as {@link #get(String)} does, and a
   * field is read from a value that holds a JSON object (a string member as it is, any other member
   * as its JSON text, exactly as written).
   *
   * <p>Files named by {@code NAME_FILE} and secrets-directory files are read on every call, so a
   * resolver that re-checks a reference sees a rotated mounted secret. The environment has no
   * versions: the version id is empty.
   *
   * @param ref a reference of scheme {@code env}
   * @return the value
   * @throws SecretNotFoundException if no layer has the name, or the value has no such field or is
   *     not a JSON object
   * @throws ProviderException of kind {@link ProviderException.Kind#UNSUPPORTED} for a reference
   *     with a version, or {@link ProviderException.Kind#OTHER} if the path cannot map to an
   *     environment name or a file it names cannot be read
   */
  @Override
  public SecretVersion fetch(SecretRef ref) {
    requireNonNull(ref, "ref");
    if (ref.version().isPresent()) {
      throw new ProviderException(
          ref, ProviderException.Kind.UNSUPPORTED, "the env provider has no versions");
    }
    Optional<ConfigValue> value;
    try {
      value = get(ref.path());
    } catch (IllegalArgumentException e) {
      throw new ProviderException(ref, ProviderException.Kind.OTHER, e.getMessage(), e);
    } catch (ConfigException e) {
      String reasons =
          e.problems().stream()
              .map(p -> p.setting() + ": " + p.reason())
              .collect(Collectors.joining("; "));
      throw new ProviderException(ref, ProviderException.Kind.OTHER, reasons, e);
    }
    if (value.isEmpty()) {
      throw new SecretNotFoundException(ref, "not set in " + description());
    }
    String text = value.get().text();
    if (ref.field().isPresent()) {
      text = member(ref, text);
    }
    return SecretVersion.of(Secret.of(text), Instant.now());
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
    if (ref.field().isEmpty()) {
      throw new IllegalArgumentException("reference " + ref + " has no field");
    }
    return new SecretVersion(
        Secret.of(member(ref, whole.value().reveal())),
        whole.versionId(),
        whole.stages(),
        whole.fetchedAt());
  }

  /** The one selection of a field, for a fetch and for a field read out of a whole value. */
  private static String member(SecretRef ref, String text) {
    String field = ref.field().orElseThrow();
    Optional<String> member;
    try {
      member = JsonValue.field(text, field);
    } catch (IllegalArgumentException e) {
      // The reader's message gives a position or a JSON type, never the text.
      throw new SecretNotFoundException(ref, e.getMessage());
    }
    return member.orElseThrow(
        () -> new SecretNotFoundException(ref, "the JSON object has no field '" + field + "'"));
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
    Set<String> names = new TreeSet<>();
    for (Layer layer : List.of(overrides, environment, dotenv)) {
      layer.addNames(names);
    }
    if (secretsDirectory != null) {
      names.addAll(secretsDirectory.names());
    }
    return Collections.unmodifiableSet(names);
  }

  /**
   * Describes the layers, such as {@code env (42 variables) + .env (/app/.env, 7 entries) + secrets
   * dir (/run/secrets) + 1 override}; never a value.
   *
   * @return the description
   */
  @Override
  public String description() {
    StringBuilder sb = new StringBuilder();
    sb.append("env (").append(count(environment.size(), "variable", "variables")).append(')');
    if (dotenvPath != null) {
      sb.append(" + .env (").append(dotenvPath).append(", ");
      sb.append(count(dotenv.size(), "entry", "entries")).append(')');
    }
    if (secretsDirectory != null) {
      sb.append(" + secrets dir (").append(secretsDirectory.directory()).append(')');
    }
    if (overrides.size() > 0) {
      sb.append(" + ").append(count(overrides.size(), "override", "overrides"));
    }
    return sb.toString();
  }

  private static String count(int n, String one, String many) {
    return n + " " + (n == 1 ? one : many);
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
    private Map<String, String> environment;
    private DotenvChoice dotenvChoice = DotenvChoice.DEFAULT;
    private Path dotenvFile;
    private String dotenvSetting = ".env file";
    private String dotenvTyped;
    private Path secretsDir;
    private String secretsDirSetting = "secrets directory";
    private String secretsDirTyped;
    private final Map<String, String> overrides = new LinkedHashMap<>();
    private final List<Problem> problems = new ArrayList<>();
    private Path workingDirectory;
    private boolean settingsFromEnvironment;

    private enum DotenvChoice {
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

    private Builder dotenvFile(Path file, String setting, String typed) {
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

    private Builder secretsDir(Path directory, String setting, String typed) {
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

    /** Applies the two variables to whatever was not set explicitly. */
    private void applyEnvironmentSettings(Map<String, String> env) {
      String envFile = env.get(ENV_FILE_VARIABLE);
      if (dotenvChoice == DotenvChoice.DEFAULT && envFile != null && !envFile.isBlank()) {
        if (envFile.strip().equals(NO_ENV_FILE)) {
          noDotenv();
        } else {
          String typed = envFile.strip();
          dotenvFile(path(ENV_FILE_VARIABLE, typed), ENV_FILE_VARIABLE, typed);
        }
      }
      String dir = env.get(SECRETS_DIR_VARIABLE);
      if (secretsDir == null && dir != null && !dir.isBlank()) {
        String typed = dir.strip();
        secretsDir(path(SECRETS_DIR_VARIABLE, typed), SECRETS_DIR_VARIABLE, typed);
      }
    }

    /** Resolves relative paths against this directory instead of the process's, for tests. */
    Builder workingDirectory(Path directory) {
      this.workingDirectory = directory;
      return this;
    }

    /** Parses a path from a variable, recording a problem (without the text) if it is invalid. */
    private Path path(String variable, String text) {
      try {
        return Path.of(text);
      } catch (InvalidPathException e) {
        problems.add(new Problem(variable, "is not a valid path"));
        return null;
      }
    }

    /**
     * Builds the provider: reads and parses the {@code .env} file and checks the secrets directory.
     *
     * @return the provider
     * @throws ConfigException listing every problem: a {@code .env} file or secrets directory that
     *     does not exist or cannot be read, and every malformed line of the {@code .env} file
     */
    public EnvSecretProvider build() {
      Map<String, String> env = environment != null ? environment : copy(System.getenv(), "env");
      if (settingsFromEnvironment) {
        applyEnvironmentSettings(env);
      }
      List<Problem> found = new ArrayList<>(problems);
      Layer overrideLayer = Layer.of("the overrides", overrides, Origin.of(Origin.Kind.OVERRIDE));
      Layer envLayer = Layer.of("the environment", env, Origin.of(Origin.Kind.ENV));

      Path dotenvPath = null;
      Layer dotenvLayer = Layer.EMPTY;
      if (dotenvChoice == DotenvChoice.FILE) {
        dotenvPath = resolve(dotenvFile);
      } else if (dotenvChoice == DotenvChoice.DEFAULT) {
        Path candidate = resolve(Path.of(DEFAULT_ENV_FILE));
        if (Files.isRegularFile(candidate)) {
          dotenvPath = candidate;
        } else if (Files.exists(candidate)) {
          // Python virtual environments are often called .env: not a file to read.
          Log.LOG.debug("{} is not a regular file; reading no .env file", candidate);
        }
      }
      if (dotenvPath != null) {
        dotenvLayer = readDotenv(dotenvPath, found);
      }

      SecretsDirectory secrets = null;
      if (secretsDir != null) {
        Path dir = resolve(secretsDir);
        PathText named = PathText.of(secretsDirTyped, dir, List.of());
        if (Files.isDirectory(dir)) {
          secrets = new SecretsDirectory(dir, secretsDirSetting);
        } else if (Files.exists(dir)) {
          found.add(
              new Problem(
                  secretsDirSetting,
                  named.reason("is not a directory", "names a file, not a directory", "")));
        } else {
          found.add(
              new Problem(
                  secretsDirSetting,
                  named.reason("does not exist", "is not an existing directory", "")));
        }
      }

      if (!found.isEmpty()) {
        throw new ConfigException(found);
      }
      return new EnvSecretProvider(
          overrideLayer, envLayer, dotenvLayer, dotenvPath, secrets, workingDirectory);
    }

    private Layer readDotenv(Path path, List<Problem> found) {
      // No typed value: the default .env, a name of our own.
      PathText named =
          dotenvTyped == null ? PathText.builtIn(path) : PathText.of(dotenvTyped, path, List.of());
      if (Files.isDirectory(path)) {
        found.add(
            new Problem(
                dotenvSetting,
                named.reason("is a directory, not a file", "names a directory, not a file", "")));
        return Layer.EMPTY;
      }
      byte[] bytes;
      try (InputStream in = Files.newInputStream(path)) {
        // Bounded, so that a path such as /dev/zero or a huge file given by mistake cannot
        // exhaust the heap.
        bytes = in.readNBytes(MAX_DOTENV_BYTES + 1);
      } catch (NoSuchFileException e) {
        found.add(
            new Problem(
                dotenvSetting, named.reason("does not exist", "is not a readable file", "")));
        return Layer.EMPTY;
      } catch (AccessDeniedException e) {
        found.add(
            new Problem(
                dotenvSetting,
                named.reason(
                    "cannot be read (permission denied)",
                    "names a file that cannot be read (permission denied)",
                    "")));
        return Layer.EMPTY;
      } catch (IOException e) {
        String why = "(" + e.getClass().getSimpleName() + ")";
        found.add(
            new Problem(
                dotenvSetting,
                named.reason(
                    "cannot be read " + why, "names a file that cannot be read " + why, "")));
        return Layer.EMPTY;
      }
      if (bytes.length > MAX_DOTENV_BYTES) {
        found.add(
            new Problem(
                dotenvSetting,
                named.reason(
                    "is larger than 16 MiB; expected a .env file",
                    "names a file larger than 16 MiB; expected a .env file",
                    "")));
        return Layer.EMPTY;
      }
      // The file was read, so its name is a file's name, not a value typed by mistake: problems
      // and origins name it (.env line 12) whatever it looks like.
      String fileName = path.getFileName().toString();
      DotenvParser.Result result = DotenvParser.parse(fileName, bytes);
      found.addAll(result.problems());
      Map<String, ConfigValue> values = new LinkedHashMap<>();
      for (DotenvParser.Entry entry : result.entries().values()) {
        Origin origin = Origin.of(Origin.Kind.DOTENV, DotenvParser.where(fileName, entry.line()));
        values.put(entry.key(), new ConfigValue(entry.key(), entry.value(), origin));
      }
      return new Layer(fileName, values);
    }

    private Path resolve(Path path) {
      return workingDirectory == null ? path : workingDirectory.resolve(path);
    }

    private static Map<String, String> copy(Map<String, String> map, String what) {
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

  /**
   * One layer of names and values in which {@code NAME_FILE} applies: the overrides, the
   * environment or the {@code .env} file.
   */
  private record Layer(String label, Map<String, ConfigValue> values) {
    static final Layer EMPTY = new Layer("no .env file", Map.of());

    Layer {
      values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    static Layer of(String label, Map<String, String> values, Origin origin) {
      Map<String, ConfigValue> layer = new LinkedHashMap<>();
      values.forEach((k, v) -> layer.put(k, new ConfigValue(k, v, origin)));
      return new Layer(label, layer);
    }

    int size() {
      return values.size();
    }

    Optional<ConfigValue> lookup(
        String name, Path workingDirectory, Function<String, List<String>> valuesOf) {
      ConfigValue direct = values.get(name);
      String fileVariable = name + FILE_SUFFIX;
      ConfigValue file = values.get(fileVariable);
      if (file == null || file.text().isEmpty()) {
        return Optional.ofNullable(direct);
      }
      if (direct != null && !direct.text().isEmpty()) {
        throw new ConfigException(
            name,
            "is set together with "
                + fileVariable
                + " in "
                + where(direct, file)
                + "; set one or the other");
      }
      return Optional.of(readFile(name, fileVariable, file, workingDirectory, valuesOf));
    }

    private String where(ConfigValue direct, ConfigValue file) {
      if (direct.origin().kind() == Origin.Kind.DOTENV) {
        return direct.origin().detail() + " and " + file.origin().detail();
      }
      return label;
    }

    private ConfigValue readFile(
        String name,
        String fileVariable,
        ConfigValue file,
        Path workingDirectory,
        Function<String, List<String>> valuesOf) {
      String context = "named in " + where(file);
      Path path;
      try {
        path = Path.of(file.text());
      } catch (InvalidPathException e) {
        throw new ConfigException(fileVariable, "is not a valid path (" + context + ")");
      }
      if (workingDirectory != null) {
        path = workingDirectory.resolve(path);
      }
      PathText named = PathText.of(file.text(), path, valuesOf.apply(name));
      String text = SecretFiles.read(path, named, fileVariable, context);
      return new ConfigValue(name, text, Origin.of(Origin.Kind.FILE, path.toString()));
    }

    private String where(ConfigValue file) {
      return file.origin().kind() == Origin.Kind.DOTENV ? file.origin().detail() : label;
    }

    void addNames(Set<String> names) {
      values.forEach(
          (k, v) -> {
            names.add(k);
            if (k.endsWith(FILE_SUFFIX)
                && k.length() > FILE_SUFFIX.length()
                && !v.text().isEmpty()) {
              names.add(k.substring(0, k.length() - FILE_SUFFIX.length()));
            }
          });
    }

    @Override
    public String toString() {
      return "Layer[" + label + ", " + values.size() + " names]";
    }
  }
}
