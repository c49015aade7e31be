package io.latchkey.cli;

import io.latchkey.ConfigException;
import io.latchkey.config.ConfigSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the JSON schema that {@code doctor} and {@code docs} take with {@code --schema}. */
final class SchemaFile {
  /** Where the JSON parser stopped, which is all of its message that is worth repeating. */
  private static final Pattern JSON_POSITION = Pattern.compile("at line \\d+, column \\d+$");

  private static final String NOT_JSON = "is not valid JSON";

  private SchemaFile() {}

  /**
   * Reads a schema, or throws one {@link ConfigException} naming the file and every problem in it.
   * The file is named as the user gave it; the parser's own words are dropped, because they quote
   * the text around the error.
   */
  static ConfigSchema read(Path file) {
    if (!Files.exists(file)) {
      throw new ConfigException(file.toString(), "does not exist");
    }
    if (Files.isDirectory(file)) {
      throw new ConfigException(file.toString(), "is a directory, not a JSON schema file");
    }
    try {
      return ConfigSchema.fromJson(file);
    } catch (ConfigException e) {
      List<ConfigException.Problem> problems =
          e.problems().stream().map(SchemaFile::withoutJsonExcerpt).toList();
      throw new ConfigException(problems);
    }
  }

  private static ConfigException.Problem withoutJsonExcerpt(ConfigException.Problem problem) {
    if (!problem.reason().startsWith(NOT_JSON)) {
      return problem;
    }
    Matcher at = JSON_POSITION.matcher(problem.reason());
    String reason = at.find() ? NOT_JSON + " (" + at.group() + ")" : NOT_JSON;
    return new ConfigException.Problem(problem.setting(), reason);
  }
}
