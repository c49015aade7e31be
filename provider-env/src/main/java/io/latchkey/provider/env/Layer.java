package io.latchkey.provider.env;

import io.latchkey.ConfigException;
import io.latchkey.config.ConfigValue;
import io.latchkey.config.Origin;
import io.latchkey.internal.PathText;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * One layer of names and values in which {@code NAME_FILE} applies: the overrides, the environment
 * or the {@code .env} file.
 */
record Layer(String label, Map<String, ConfigValue> values) {
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
      String name,
      Path workingDirectory,
      Function<String, List<String>> valuesOf,
      SecretFileSource files) {
    ConfigValue direct = values.get(name);
    String fileVariable = name + EnvSecretProvider.FILE_SUFFIX;
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
    return Optional.of(readFile(name, fileVariable, file, workingDirectory, valuesOf, files));
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
      Function<String, List<String>> valuesOf,
      SecretFileSource files) {
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
    String text = files.read(path, named, fileVariable, context);
    return new ConfigValue(name, text, Origin.of(Origin.Kind.FILE, path.toString()));
  }

  private String where(ConfigValue file) {
    return file.origin().kind() == Origin.Kind.DOTENV ? file.origin().detail() : label;
  }

  void addNames(Set<String> names) {
    values.forEach(
        (k, v) -> {
          names.add(k);
          if (k.endsWith(EnvSecretProvider.FILE_SUFFIX)
              && k.length() > EnvSecretProvider.FILE_SUFFIX.length()
              && !v.text().isEmpty()) {
            names.add(k.substring(0, k.length() - EnvSecretProvider.FILE_SUFFIX.length()));
          }
        });
  }

  @Override
  public String toString() {
    return "Layer[" + label + ", " + values.size() + " names]";
  }
}
