package io.latchkey.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A minimal {@code .env} reader for tests: {@code NAME=value} lines, {@code #} comments, values
 * optionally in double quotes; each value's origin names the file and line, as the environment
 * provider's do.
 */
final class EnvFileSource implements ConfigSource {
  private final Map<String, ConfigValue> values = new HashMap<>();
  private final String file;

  EnvFileSource(Path path) {
    this.file = path.getFileName().toString();
    List<String> lines;
    try {
      lines = Files.readAllLines(path, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      int eq = line.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException(file + " line " + (i + 1) + ": missing '='");
      }
      String name = line.substring(0, eq).strip();
      String value = line.substring(eq + 1);
      if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
        value = value.substring(1, value.length() - 1);
      }
      Origin origin = Origin.of(Origin.Kind.DOTENV, file + " line " + (i + 1));
      values.put(name, new ConfigValue(name, value, origin));
    }
  }

  static EnvFileSource write(Path dir, String... lines) throws IOException {
    Path path = dir.resolve(".env");
    Files.write(path, List.of(lines), StandardCharsets.UTF_8);
    return new EnvFileSource(path);
  }

  @Override
  public Optional<ConfigValue> get(String name) {
    return Optional.ofNullable(values.get(name));
  }

  @Override
  public Set<String> names() {
    return new TreeSet<>(values.keySet());
  }

  @Override
  public String description() {
    return ".env (" + file + ")";
  }
}
