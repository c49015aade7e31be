package io.latchkey.provider.env;

import static io.latchkey.provider.env.EnvSecretProvider.DEFAULT_ENV_FILE;
import static io.latchkey.provider.env.EnvSecretProvider.ENV_FILE_VARIABLE;
import static io.latchkey.provider.env.EnvSecretProvider.NO_ENV_FILE;
import static io.latchkey.provider.env.EnvSecretProvider.SECRETS_DIR_VARIABLE;

import io.latchkey.ConfigException;
import io.latchkey.ConfigException.Problem;
import io.latchkey.config.Origin;
import io.latchkey.internal.PathText;
import io.latchkey.provider.env.EnvSecretProvider.Builder.DotenvChoice;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * Turns a {@link EnvSecretProvider.Builder}'s settings into a provider: applies {@value
 * EnvSecretProvider#ENV_FILE_VARIABLE} and {@value EnvSecretProvider#SECRETS_DIR_VARIABLE}, reads
 * and parses the {@code .env} file, checks the secrets directory, and reports every problem in one
 * {@link ConfigException}.
 */
final class Assembly {
  private Assembly() {}

  /** As {@link EnvSecretProvider.Builder#build()} documents. */
  static EnvSecretProvider build(EnvSecretProvider.Builder b) {
    Map<String, String> env =
        b.environment != null
            ? b.environment
            : EnvSecretProvider.Builder.copy(System.getenv(), "env");
    if (b.settingsFromEnvironment) {
      applyEnvironmentSettings(b, env);
    }
    List<Problem> found = new ArrayList<>(b.problems);
    Layer overrideLayer = Layer.of("the overrides", b.overrides, Origin.of(Origin.Kind.OVERRIDE));
    Layer envLayer = Layer.of("the environment", env, Origin.of(Origin.Kind.ENV));

    Path dotenvPath = null;
    if (b.dotenvChoice == DotenvChoice.FILE) {
      dotenvPath = resolve(b, b.dotenvFile);
    } else if (b.dotenvChoice == DotenvChoice.DEFAULT) {
      Path candidate = resolve(b, Path.of(DEFAULT_ENV_FILE));
      if (Files.isRegularFile(candidate)) {
        dotenvPath = candidate;
      } else if (Files.exists(candidate)) {
        // Python virtual environments are often called .env: not a file to read.
        LoggerFactory.getLogger(EnvSecretProvider.class)
            .debug("{} is not a regular file; reading no .env file", candidate);
      }
    }
    Layer dotenvLayer = Layer.EMPTY;
    DotenvFile.Loaded dotenv = null;
    PathText dotenvNamed = null;
    if (dotenvPath != null) {
      // No typed value: the default .env, a name of our own.
      dotenvNamed =
          b.dotenvTyped == null
              ? PathText.builtIn(dotenvPath)
              : PathText.of(b.dotenvTyped, dotenvPath, List.of());
      dotenv = DotenvFile.read(dotenvPath, dotenvNamed, b.dotenvSetting, found);
      dotenvLayer = dotenv.layer();
    }

    SecretsDirectory secrets =
        b.secretsDir == null
            ? null
            : SecretsDirectory.open(
                resolve(b, b.secretsDir), b.secretsDirTyped, b.secretsDirSetting, found);

    if (!found.isEmpty()) {
      throw new ConfigException(found);
    }
    Layers layers =
        new Layers(overrideLayer, envLayer, dotenvLayer, dotenvPath, secrets, b.workingDirectory);
    MountedFiles files = new MountedFiles();
    if (dotenv != null && dotenv.bytes() != null) {
      files.holdDotenv(
          dotenvPath,
          dotenvNamed,
          b.dotenvSetting,
          dotenv.bytes(),
          dotenvLayer.size(),
          layers::replaceDotenv);
    }
    return new EnvSecretProvider(
        layers, files, new FilePoller(files, b.pollInterval, b.watchFiles));
  }

  /** Applies the two variables to whatever was not set explicitly. */
  private static void applyEnvironmentSettings(
      EnvSecretProvider.Builder b, Map<String, String> env) {
    String envFile = env.get(ENV_FILE_VARIABLE);
    if (b.dotenvChoice == DotenvChoice.DEFAULT && envFile != null && !envFile.isBlank()) {
      if (envFile.strip().equals(NO_ENV_FILE)) {
        b.noDotenv();
      } else {
        String typed = envFile.strip();
        b.dotenvFile(path(b, ENV_FILE_VARIABLE, typed), ENV_FILE_VARIABLE, typed);
      }
    }
    String dir = env.get(SECRETS_DIR_VARIABLE);
    if (b.secretsDir == null && dir != null && !dir.isBlank()) {
      String typed = dir.strip();
      b.secretsDir(path(b, SECRETS_DIR_VARIABLE, typed), SECRETS_DIR_VARIABLE, typed);
    }
  }

  /** Parses a path from a variable, recording a problem (without the text) if it is invalid. */
  private static Path path(EnvSecretProvider.Builder b, String variable, String text) {
    try {
      return Path.of(text);
    } catch (InvalidPathException e) {
      b.problems.add(new Problem(variable, "is not a valid path"));
      return null;
    }
  }

  private static Path resolve(EnvSecretProvider.Builder b, Path path) {
    return b.workingDirectory == null ? path : b.workingDirectory.resolve(path);
  }
}
