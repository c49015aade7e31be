package io.latchkey.cli;

import io.latchkey.ConfigException;
import io.latchkey.config.ConfigSchema;
import io.latchkey.internal.PathText;
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
    String name = PathText.name("--schema", file.toString(), List.of());
    if (!Files.exists(file)) {
      throw new ConfigException(name, "does not exist");
    }
    if (Files.isDirectory(file)) {
      throw new ConfigException(name, "is a directory, not a JSON schema file");
    }
    try {
      return ConfigSchema.fromJson(file);
    } catch (ConfigException e) {
      // Core names problems by the file name alone, which is as much the user's text as the path.
      String fileName = String.valueOf(file.getFileName());
      String shownName = name.equals(file.toString()) ? fileName : name;
      List<ConfigException.Problem> problems =
          e.problems().stream().map(p -> withoutJsonExcerpt(p, fileName, shownName)).toList();
      throw new ConfigException(problems);
    }
  }

  private static ConfigException.Problem withoutJsonExcerpt(
      ConfigException.Problem problem, String fileName, String shownName) {
    String setting = problem.setting();
    if (setting.equals(fileName)) {
      setting = shownName;
    } else if (setting.startsWith(fileName + " ")) {
      setting = shownName + setting.substring(fileName.length());
    }
    if (!problem.reason().startsWith(NOT_JSON)) {
      return new ConfigException.Problem(setting, problem.reason());
    }
    Matcher at = JSON_POSITION.matcher(problem.reason());
    String reason = at.find() ? NOT_JSON + " (" + at.group() + ")" : NOT_JSON;
    return new ConfigException.Problem(setting, reason);
  }
}
