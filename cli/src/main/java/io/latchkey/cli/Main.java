package io.latchkey.cli;

import io.latchkey.ConfigException;
import io.latchkey.InvalidTokenException;
import io.latchkey.LatchkeyException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.MaxValuesExceededException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The {@code latchkey} command line: {@code keygen}, {@code encrypt}, {@code decrypt}, {@code
 * rotate}, {@code reencrypt}, {@code doctor}, {@code docs}, {@code scan} and {@code hook}.
 *
 * <p>Exit status 0 means success, 1 a rejected input (a bad token, a missing or invalid key, an
 * unreadable key file, an invalid configuration) and 2 a usage error. Every failure is reported as
 * one line on standard error, except that {@code doctor} lists every problem of an invalid
 * configuration on a line of its own.
 *
 * <h2>Security</h2>
 *
 * <p>Keys are read from an environment variable ({@code --key-env}) or a file ({@code --key-file}),
 * never from an argument, because process listings show arguments. Error messages name settings and
 * input lines, never a key, a token or a plaintext, and arguments that the parser rejects are not
 * echoed: a key pasted in the wrong place must not end up in a CI log.
 *
 * @since 0.1
 */
@Command(
    name = "latchkey",
    scope = ScopeType.INHERIT,
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description =
        "Generates keys; encrypts, decrypts and rotates Fernet and AES-GCM tokens; re-encrypts"
            + " stored tokens in a database; checks a configuration against its schema and"
            + " generates its documentation; refuses secrets and .env files in commits.",
    footer = {
      "",
      "Keys come from --key-env NAME (NAME holds the current key, NAME_PREVIOUS",
      "older ones, comma-separated) or --key-file PATH (one key per line, the",
      "current key first). Exit status: 0 success, 1 rejected input, 2 usage error."
    })
public final class Main implements Callable<Integer> {

  /**
   * Option and command names may be echoed in errors; anything else the user typed may not. Only
   * lower-case words joined by dashes count, at most 24 characters: {@code --} followed by a short
   * mixed-case password is a password.
   */
  private static final Pattern OPTION_NAME =
      Pattern.compile("--(?=.{1,24}$)[a-z][a-z0-9]*(?:-[a-z0-9]+)*|-[A-Za-z]");

  /** A quoted part of a picocli message. */
  private static final Pattern QUOTED = Pattern.compile("'([^']*)'");

  /** The shortest run of an argument that may not appear in a message. */
  private static final int ECHO_RUN = 12;

  /** A command name, which is worth echoing; keys and tokens are longer and never match. */
  private static final Pattern COMMAND_NAME = Pattern.compile("[a-z][a-z0-9-]{0,19}");

  private final Io io;

  @Spec CommandSpec spec;

  private Main(Io io) {
    this.io = io;
  }

  /**
   * Runs the command line and exits the JVM with its status.
   *
   * @param args the command and its options
   */
  public static void main(String[] args) {
    System.exit(run(args, System.in, System.out, System.err, System.getenv()));
  }

  /** Runs the command line against the given streams and environment, for tests. */
  static int run(
      String[] args, InputStream in, PrintStream out, PrintStream err, Map<String, String> env) {
    return run(args, in, out, err, env, ProcessArguments::current);
  }

  /**
   * Runs the command line against the given streams, environment and process command line, so that
   * a test can show {@code doctor} a secret on the command line without starting a process.
   */
  static int run(
      String[] args,
      InputStream in,
      PrintStream out,
      PrintStream err,
      Map<String, String> env,
      Supplier<List<String>> commandLine) {
    Io io = new Io(in, out, err, env, commandLine);
    PrintWriter outWriter = writer(out);
    PrintWriter errWriter = writer(err);
    String command = "latchkey";
    try {
      CommandLine cl =
          new CommandLine(new Main(io))
              .addSubcommand(new KeygenCommand(io))
              .addSubcommand(new EncryptCommand(io))
              .addSubcommand(new DecryptCommand(io))
              .addSubcommand(new RotateCommand(io))
              .addSubcommand(new ReencryptCommand(io))
              .addSubcommand(new DoctorCommand(io))
              .addSubcommand(new DocsCommand(io))
              .addSubcommand(new ScanCommand(io))
              .addSubcommand(
                  new CommandLine(new HookCommand(io)).addSubcommand(new HookCommand.Install(io)));
      // "@file" would read arguments from a file: surprising in a tool that handles secrets.
      cl.setExpandAtFiles(false);
      // "-hsP…" would be -h and more: a key that starts with a dash would print the help and
      // succeed instead of being refused.
      cl.setPosixClusteredShortOptionsAllowed(false);
      // Every path option: the JDK's message for a path it cannot represent quotes the input.
      cl.registerConverter(Path.class, new Converters.PathArg());
      cl.setOut(outWriter);
      cl.setErr(errWriter);
      cl.setParameterExceptionHandler(Main::usageError);
      cl.setExecutionExceptionHandler(
          (ex, failed, parseResult) -> {
            io.fail(failed.getCommandSpec().qualifiedName(), reason(ex));
            return 1;
          });
      return cl.execute(args);
    } catch (RuntimeException | Error e) {
      // Never a stack trace: frames and causes may carry values.
      io.fail(command, "internal error (" + e.getClass().getSimpleName() + ")");
      return 1;
    } finally {
      outWriter.flush();
      errWriter.flush();
      out.flush();
      err.flush();
    }
  }

  /** Prints the usage to standard error: a command is required. */
  @Override
  public Integer call() {
    io.fail("latchkey", "missing command");
    spec.commandLine().usage(spec.commandLine().getErr());
    return CommandLine.ExitCode.USAGE;
  }

  private static PrintWriter writer(PrintStream stream) {
    return new PrintWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), true);
  }

  /** Picocli's short error, the synopsis and a hint, with every user-typed value left out. */
  private static int usageError(ParameterException ex, String[] args) {
    CommandLine cl = ex.getCommandLine();
    PrintWriter err = cl.getErr();
    String name = cl.getCommandSpec().qualifiedName();
    err.println(name + ": " + usageMessage(ex, args));
    UnmatchedArgumentException.printSuggestions(ex, err);
    err.print(cl.getHelp().fullSynopsis());
    err.println("Try '" + name + " --help' for more information.");
    return cl.getCommandSpec().exitCodeOnInvalidInput();
  }

  private static String usageMessage(ParameterException ex, String[] args) {
    if (ex instanceof UnmatchedArgumentException unmatched) {
      String first = unmatched.getUnmatched().isEmpty() ? "" : unmatched.getUnmatched().get(0);
      String option = first.split("=", 2)[0];
      if (unmatched.isUnknownOption() && OPTION_NAME.matcher(option).matches()) {
        return "unknown option '" + option + "'";
      }
      boolean hasCommands = !ex.getCommandLine().getSubcommands().isEmpty();
      if (hasCommands && COMMAND_NAME.matcher(first).matches()) {
        return "unknown command '" + first + "'";
      }
      return "unexpected argument (not shown); keys and tokens are read from the environment,"
          + " a key file or standard input, never from arguments";
    }
    if (ex instanceof MaxValuesExceededException) {
      // Picocli's message here lists the values given.
      return "an option was given more than once";
    }
    if (ex instanceof UsageError) {
      // The commands' own usage errors name options and reasons, never what was typed.
      return ex.getMessage();
    }
    // Picocli quotes what the user typed ("Invalid value for option '--ttl': 'x' is not an int",
    // "Expected parameter for option '--key-env' but found '-Ab…='"): only the names the command
    // declares may stay quoted, whatever the typed text looks like.
    Set<String> names = declaredNames(ex.getCommandLine());
    Matcher quoted = QUOTED.matcher(ex.getMessage());
    StringBuilder message = new StringBuilder();
    while (quoted.find()) {
      String inside = quoted.group(1);
      quoted.appendReplacement(
          message,
          Matcher.quoteReplacement(names.contains(inside) ? quoted.group() : "(not shown)"));
    }
    quoted.appendTail(message);
    // And should picocli ever word a value without quotes, the whole message goes.
    return echoesAnArgument(message.toString(), args, names)
        ? "invalid arguments (not shown); see the usage below"
        : message.toString();
  }

  /** The option names, parameter labels and subcommand names of a command and its parents. */
  private static Set<String> declaredNames(CommandLine cl) {
    Set<String> names = new HashSet<>();
    for (CommandLine c = cl; c != null; c = c.getParent()) {
      CommandSpec spec = c.getCommandSpec();
      for (var option : spec.options()) {
        names.add(option.paramLabel());
        for (String name : option.names()) {
          names.add(name);
          names.add(name + "=" + option.paramLabel());
        }
      }
      spec.positionalParameters().forEach(p -> names.add(p.paramLabel()));
      names.addAll(c.getSubcommands().keySet());
    }
    return names;
  }

  /**
   * Whether a message holds a run of {@value #ECHO_RUN} characters of an argument's value (the text
   * after an option name and its {@code =}, or the whole argument), the way {@code Leaks} checks
   * what a test prints.
   */
  private static boolean echoesAnArgument(String message, String[] args, Set<String> names) {
    for (String arg : args) {
      int eq = arg.indexOf('=');
      String value = eq > 0 && names.contains(arg.substring(0, eq)) ? arg.substring(eq + 1) : arg;
      if (names.contains(value)) {
        continue;
      }
      int run = Math.min(ECHO_RUN, value.length());
      for (int i = 0; run >= 4 && i + run <= value.length(); i++) {
        if (message.contains(value.substring(i, i + run))) {
          return true;
        }
      }
    }
    return false;
  }

  private static String reason(Exception ex) {
    if (ex instanceof ConfigException config) {
      return config.problems().stream()
          .map(ConfigException.Problem::toString)
          .collect(Collectors.joining("; "));
    }
    if (ex instanceof InvalidTokenException invalid) {
      return invalid.getMessage();
    }
    if (ex instanceof LatchkeyException latchkey) {
      // Messages of Latchkey's own exceptions are value-free by contract.
      return latchkey.getMessage().replaceAll("\\s*\\R\\s*", "; ");
    }
    if (ex instanceof IOException) {
      return "input/output error";
    }
    return "internal error (" + ex.getClass().getSimpleName() + ")";
  }

  /**
   * The project version and the commit the jar was built from, as the build recorded them in {@code
   * version.properties} and {@code git.properties}: {@code latchkey 0.1.0 (commit 0123456789ab)}. A
   * build outside a git work tree (a source archive) has no commit to record, and says {@code
   * unknown}.
   */
  static final class Version implements IVersionProvider {
    /** As many hex digits as {@code git rev-parse --short=12} prints. */
    private static final int COMMIT_LENGTH = 12;

    private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}");

    @Override
    public String[] getVersion() {
      return new String[] {line(load("version.properties"), load("git.properties"))};
    }

    /** The project's version, as the build recorded it, or {@code unknown}. */
    static String number() {
      return load("version.properties").getProperty("version", "unknown").strip();
    }

    /** The version line, from the two recorded files (either may be empty). */
    static String line(Properties version, Properties git) {
      String commit = git.getProperty("git.commit.id", "").strip();
      return "latchkey "
          + version.getProperty("version", "unknown").strip()
          + " (commit "
          + (COMMIT.matcher(commit).matches() ? commit.substring(0, COMMIT_LENGTH) : "unknown")
          + ")";
    }

    private static Properties load(String resource) {
      Properties properties = new Properties();
      try (InputStream in = Version.class.getResourceAsStream(resource)) {
        if (in != null) {
          properties.load(in);
        }
      } catch (IOException e) {
        // Left empty, so printed as "unknown": a version is not worth failing for.
      }
      return properties;
    }
  }
}
