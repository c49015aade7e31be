package io.latchkey.cli;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.latchkey.ConfigException;
import io.latchkey.config.Config;
import io.latchkey.config.ConfigReport;
import io.latchkey.config.ConfigSchema;
import io.latchkey.internal.PathText;
import io.latchkey.provider.env.EnvSecretProvider;
import io.latchkey.resolver.SecretProviders;
import io.latchkey.spi.SecretProvider;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Loads and checks a configuration against its schema, and prints it masked. */
@Command(
    name = "doctor",
    header = "Checks the configuration against a schema and prints it, masked.",
    description = {
      "Loads every setting that the JSON schema declares from the secret provider",
      "that SECRET_PROVIDER names (by default env: the environment, the .env file",
      "and, if one is given, a secrets directory), checks each, and prints the",
      "effective configuration with every secret and URL password masked, then a",
      "summary line. If any setting is invalid, it lists every problem on standard",
      "error instead, naming settings, never values.",
      "",
      "It also warns on standard error, without printing a value, when the .env",
      "file is readable by group or others, when it is tracked by git, when a",
      "secret's value appears on this process's command line, and when a",
      "deprecated name is in use. Warnings do not change the exit status unless",
      "--strict is given."
    },
    footer = {
      "",
      "Examples:",
      "  latchkey doctor --schema config/schema.json",
      "  latchkey doctor --schema config/schema.json --env-file staging.env --strict",
      "  latchkey doctor --schema config/schema.json --no-env-file \\",
      "      --secrets-dir /run/secrets",
      "",
      "Exit status: 0 the configuration is valid (with or without warnings); 1 it is",
      "invalid, the schema cannot be read, or --strict was given and there are",
      "warnings; 2 usage error."
    })
final class DoctorCommand implements Callable<Integer> {

  /** Which {@code .env} file to read; by default, what the env provider reads. */
  static final class DotenvChoice {
    @Option(
        names = "--env-file",
        paramLabel = "FILE",
        description =
            "read this .env file (default: $LATCHKEY_ENV_FILE, else .env in the working"
                + " directory if there is one)")
    Path file;

    @Option(names = "--no-env-file", description = "read no .env file at all")
    boolean none;
  }

  @Option(
      names = "--schema",
      required = true,
      paramLabel = "FILE",
      description = "the JSON schema that declares the settings")
  Path schemaFile;

  @ArgGroup(exclusive = true)
  DotenvChoice dotenv;

  @Option(
      names = "--secrets-dir",
      paramLabel = "DIR",
      description =
          "also read secrets from DIR, one file per secret (default: $LATCHKEY_SECRETS_DIR,"
              + " else none)")
  Path secretsDir;

  @Option(names = "--strict", description = "exit 1 when there is any warning")
  boolean strict;

  @Spec CommandSpec spec;

  private final Io io;

  DoctorCommand(Io io) {
    this.io = io;
  }

  @Override
  public Integer call() {
    boolean env = isEnvProvider(io.env());
    if (!env && (dotenv != null || secretsDir != null)) {
      throw new UsageError(
          spec.commandLine(),
          "--env-file, --no-env-file and --secrets-dir apply only when SECRET_PROVIDER is env");
    }
    ConfigSchema schema = SchemaFile.read(schemaFile);
    List<String> secrets = ConfigChecks.secretValues(schema, io.env());
    List<String> warnings = new ArrayList<>();
    if (env) {
      Optional<ConfigException> unusable = unusablePaths(secrets);
      if (unusable.isPresent()) {
        return invalid(unusable.get(), warnings);
      }
      dotenvInUse()
          .ifPresent(
              file -> {
                String name = dotenvName(file, secrets);
                ConfigChecks.dotenvPermissions(file, name).ifPresent(warnings::add);
                ConfigChecks.dotenvTrackedByGit(file, name).ifPresent(warnings::add);
              });
    }
    SecretProvider provider;
    try {
      provider = env ? envProvider() : SecretProviders.select(io.env());
    } catch (ConfigException e) {
      return invalid(e, warnings);
    }
    try (provider) {
      Config config;
      try {
        config = schema.load(provider);
      } catch (ConfigException e) {
        warnings.addAll(commandLineWarnings(schema, provider, Optional.empty()));
        return invalid(e, warnings);
      }
      warnings.addAll(commandLineWarnings(schema, provider, Optional.of(config)));
      return valid(config.report(), warnings);
    }
  }

  private int valid(ConfigReport report, List<String> warnings) {
    printWarnings(warnings);
    // Core logs each deprecated name once, through SLF4J, on standard error: counted, not repeated.
    int total = warnings.size() + deprecatedNames(report);
    byte[] table = (report.toTable() + summary(report, total) + "\n").getBytes(UTF_8);
    io.out().write(table, 0, table.length);
    io.finishOutput();
    if (strict && total > 0) {
      io.fail(spec.qualifiedName(), plural(total, "warning") + " and --strict was given");
      return 1;
    }
    return 0;
  }

  private int invalid(ConfigException e, List<String> warnings) {
    printWarnings(warnings);
    List<ConfigException.Problem> problems = e.problems();
    StringBuilder sb =
        new StringBuilder(spec.qualifiedName())
            .append(": invalid configuration (")
            .append(plural(problems.size(), "problem"))
            .append("):");
    for (ConfigException.Problem p : problems) {
      sb.append(System.lineSeparator()).append("  ").append(p);
    }
    io.err().println(sb);
    io.err().flush();
    return 1;
  }

  private void printWarnings(List<String> warnings) {
    for (String warning : warnings) {
      io.err().println("warning: " + warning);
    }
    io.err().flush();
  }

  private List<String> commandLineWarnings(
      ConfigSchema schema, SecretProvider provider, Optional<Config> config) {
    return ConfigChecks.secretsOnCommandLine(schema, provider, config, io.commandLine().get());
  }

  static boolean isEnvProvider(Map<String, String> env) {
    String name = env.get(SecretProviders.VARIABLE);
    return name == null || name.isBlank() || name.strip().equals(EnvSecretProvider.NAME);
  }

  /**
   * The env provider as {@code SECRET_PROVIDER=env} builds it, each option replacing the variable
   * it stands for.
   */
  private SecretProvider envProvider() {
    EnvSecretProvider.Builder builder =
        EnvSecretProvider.builder().environment(io.env()).settingsFromEnvironment();
    if (dotenv != null && dotenv.none) {
      builder.noDotenv();
    } else if (dotenv != null) {
      builder.dotenvFile(dotenv.file);
    }
    if (secretsDir != null) {
      builder.secretsDir(secretsDir);
    }
    return builder.build();
  }

  /**
   * The files that the options name and that are missing or unusable, checked here rather than left
   * to the provider so that the error names them by {@link PathText}'s rule, which knows the
   * secrets the schema declares: a secret pasted after {@code --env-file} is never printed.
   */
  private Optional<ConfigException> unusablePaths(List<String> secrets) {
    List<ConfigException.Problem> problems = new ArrayList<>();
    if (dotenv != null && !dotenv.none) {
      String name = PathText.name("--env-file", dotenv.file.toString(), secrets);
      if (!Files.exists(dotenv.file)) {
        problems.add(new ConfigException.Problem(".env file", name + " does not exist"));
      } else if (Files.isDirectory(dotenv.file)) {
        problems.add(new ConfigException.Problem(".env file", name + " is a directory"));
      } else if (!Files.isReadable(dotenv.file)) {
        problems.add(new ConfigException.Problem(".env file", name + " cannot be read"));
      }
    }
    if (secretsDir != null) {
      String name = PathText.name("--secrets-dir", secretsDir.toString(), secrets);
      if (!Files.exists(secretsDir)) {
        problems.add(new ConfigException.Problem("secrets directory", name + " does not exist"));
      } else if (!Files.isDirectory(secretsDir)) {
        problems.add(
            new ConfigException.Problem("secrets directory", name + " is not a directory"));
      }
    }
    return problems.isEmpty() ? Optional.empty() : Optional.of(new ConfigException(problems));
  }

  /**
   * The {@code .env} file in use as warnings name it: by {@link PathText}'s rule when the user
   * typed it (the option or the variable), as it is when it is the default, which nobody typed.
   */
  private String dotenvName(Path file, List<String> secrets) {
    if (dotenv != null) {
      return PathText.name("--env-file", file.toString(), secrets);
    }
    if (variable(EnvSecretProvider.ENV_FILE_VARIABLE).isPresent()) {
      return PathText.name(EnvSecretProvider.ENV_FILE_VARIABLE, file.toString(), secrets);
    }
    return file.toString();
  }

  /** The {@code .env} file the env provider reads, worked out as it does. */
  private Optional<Path> dotenvInUse() {
    if (dotenv != null) {
      return dotenv.none ? Optional.empty() : Optional.of(dotenv.file);
    }
    Optional<String> variable = variable(EnvSecretProvider.ENV_FILE_VARIABLE);
    if (variable.isPresent()) {
      if (variable.get().equals(EnvSecretProvider.NO_ENV_FILE)) {
        return Optional.empty();
      }
      try {
        return Optional.of(Path.of(variable.get()));
      } catch (InvalidPathException e) {
        return Optional.empty(); // the provider reports it
      }
    }
    Path local = Path.of(EnvSecretProvider.DEFAULT_ENV_FILE);
    return Files.isRegularFile(local) ? Optional.of(local) : Optional.empty();
  }

  private Optional<String> variable(String name) {
    String value = io.env().get(name);
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
  }

  /** One per deprecated name that is set, as core logs them. */
  static int deprecatedNames(ConfigReport report) {
    int count = 0;
    for (ConfigReport.Row row : report.rows()) {
      String status = row.status();
      if (status.startsWith("deprecated name ")) {
        count++;
      } else if (status.startsWith("ok; deprecated ") && status.endsWith(" ignored")) {
        String names = status.substring("ok; deprecated ".length(), status.length() - 8);
        count += names.split(", ").length;
      }
    }
    return count;
  }

  static String summary(ConfigReport report, int warnings) {
    int defaults = 0;
    int derived = 0;
    int unset = 0;
    for (ConfigReport.Row row : report.rows()) {
      switch (row.status()) {
        case "default" -> defaults++;
        case "derived" -> derived++;
        case "unset (optional)" -> unset++;
        default -> {}
      }
    }
    return plural(report.rows().size(), "setting")
        + ": "
        + (report.rows().size() - defaults - derived - unset)
        + " set, "
        + defaults
        + " from defaults, "
        + derived
        + " derived, "
        + unset
        + " unset; "
        + (warnings == 0 ? "no warnings" : plural(warnings, "warning"));
  }

  private static String plural(int n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }
}
