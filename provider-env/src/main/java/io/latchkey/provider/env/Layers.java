package io.latchkey.provider.env;

import io.latchkey.config.ConfigValue;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The env provider's layers in order of precedence (overrides, the environment, the {@code .env}
 * file, the secrets directory) and the lookup through them that {@link
 * EnvSecretProvider#get(String)} documents.
 */
final class Layers {
  private final Layer overrides;
  private final Layer environment;
  private volatile Layer dotenv;
  private final Path dotenvPath;
  private final SecretsDirectory secretsDirectory;
  private final Path workingDirectory;

  /**
   * @param dotenvPath the {@code .env} file read, or {@code null}
   * @param secretsDirectory the secrets directory, or {@code null}
   * @param workingDirectory what relative paths are resolved against, or {@code null} for the
   *     process's
   */
  Layers(
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
   * Looks a name or slash reference up, highest precedence first: in each layer the name as given,
   * then the environment name it maps to.
   *
   * @param files reads the files that {@code NAME_FILE} and the secrets directory name
   * @throws io.latchkey.ConfigException if the winning layer sets both {@code NAME} and {@code
   *     NAME_FILE}, or a file it names cannot be read
   * @throws IllegalArgumentException if no layer has the reference as written and it cannot be
   *     mapped to an environment name
   */
  Optional<ConfigValue> get(String reference, SecretFileSource files) {
    String problem = ReferenceNames.problem(reference);
    List<String> candidates = new ArrayList<>(2);
    candidates.add(reference);
    if (problem == null) {
      String mapped = ReferenceNames.map(reference);
      if (!mapped.equals(reference)) {
        candidates.add(mapped);
      }
    }
    for (Layer layer : List.of(overrides, environment, dotenv)) {
      for (String candidate : candidates) {
        Optional<ConfigValue> value =
            layer.lookup(candidate, workingDirectory, this::valuesOf, files);
        if (value.isPresent()) {
          return value;
        }
      }
    }
    if (secretsDirectory != null) {
      for (String candidate : candidates) {
        Optional<ConfigValue> value = secretsDirectory.find(candidate, files);
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

  /** Replaces the {@code .env} file's layer with the one parsed from its new content. */
  void replaceDotenv(Layer layer) {
    dotenv = layer;
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
   * Returns every name the layers resolve, sorted and unmodifiable.
   *
   * @throws io.latchkey.ConfigException if the secrets directory can no longer be listed
   */
  Set<String> names() {
    Set<String> names = new TreeSet<>();
    for (Layer layer : List.of(overrides, environment, dotenv)) {
      layer.addNames(names);
    }
    if (secretsDirectory != null) {
      names.addAll(secretsDirectory.names());
    }
    return Collections.unmodifiableSet(names);
  }

  /** Describes the layers by their sizes and paths; never a value. */
  String description() {
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

  @Override
  public String toString() {
    return "Layers[" + description() + "]";
  }
}
