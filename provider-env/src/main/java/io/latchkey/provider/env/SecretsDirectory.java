package io.latchkey.provider.env;

import io.latchkey.ConfigException;
import io.latchkey.ConfigException.Problem;
import io.latchkey.config.ConfigValue;
import io.latchkey.config.Origin;
import io.latchkey.internal.PathText;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * A directory with one file per secret, as Docker ({@code /run/secrets}) and Kubernetes (a secret
 * volume) mount them.
 *
 * <p>A configuration load reads the files on every lookup; a resolver's fetches read each once and
 * then what the polls of {@link MountedFiles} take in. Hidden entries are ignored: Kubernetes keeps
 * its atomic-update machinery in {@code ..data} and {@code ..2024_…} directories and exposes each
 * secret as a symbolic link through them, which is followed.
 */
final class SecretsDirectory {
  /**
   * The names looked up as files: no separator, no leading dot, so that no name reaches outside the
   * directory ({@code ../etc/passwd}) or into its hidden entries.
   */
  private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]*");

  private final Path directory;
  private final String setting;

  SecretsDirectory(Path directory, String setting) {
    this.directory = directory;
    this.setting = setting;
  }

  /**
   * Opens the directory a setting names, or adds a problem to {@code found} and returns {@code
   * null} if it is not an existing directory.
   *
   * @param typed the setting's value as written, which decides whether problems quote the path
   */
  static SecretsDirectory open(Path dir, String typed, String setting, List<Problem> found) {
    PathText named = PathText.of(typed, dir, List.of());
    if (Files.isDirectory(dir)) {
      return new SecretsDirectory(dir, setting);
    }
    if (Files.exists(dir)) {
      found.add(
          new Problem(
              setting, named.reason("is not a directory", "names a file, not a directory", "")));
    } else {
      found.add(
          new Problem(setting, named.reason("does not exist", "is not an existing directory", "")));
    }
    return null;
  }

  Path directory() {
    return directory;
  }

  /**
   * Finds the file named exactly {@code name}, or else its lower-case form ({@code db_password} for
   * {@code DB_PASSWORD}).
   *
   * @param files reads the file, or serves what it holds for it
   * @throws ConfigException if the file exists but cannot be read
   */
  Optional<ConfigValue> find(String name, SecretFileSource files) {
    if (!FILE_NAME.matcher(name).matches()) {
      return Optional.empty();
    }
    Optional<ConfigValue> exact = read(name, name, files);
    if (exact.isPresent()) {
      return exact;
    }
    String lower = name.toLowerCase(Locale.ROOT);
    return lower.equals(name) ? Optional.empty() : read(name, lower, files);
  }

  private Optional<ConfigValue> read(String name, String fileName, SecretFileSource files) {
    Path file = directory.resolve(fileName);
    if (!files.holds(file) && !Files.isRegularFile(file)) {
      return Optional.empty();
    }
    String text = files.read(file, PathText.of(file), name, "in the secrets directory");
    return Optional.of(new ConfigValue(name, text, Origin.of(Origin.Kind.SECRETS_DIR, fileName)));
  }

  /**
   * Lists the names the directory resolves: an all-lower-case file name is listed in upper case,
   * the form environment names take, which {@link #find(String, SecretFileSource)} resolves to it.
   *
   * @throws ConfigException if the directory cannot be listed
   */
  Set<String> names() {
    Set<String> names = new TreeSet<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
      for (Path entry : entries) {
        String fileName = entry.getFileName().toString();
        if (FILE_NAME.matcher(fileName).matches() && Files.isRegularFile(entry)) {
          String upper = fileName.toUpperCase(Locale.ROOT);
          names.add(fileName.toLowerCase(Locale.ROOT).equals(fileName) ? upper : fileName);
        }
      }
    } catch (IOException e) {
      PathText named = PathText.of(directory);
      String why = "(" + e.getClass().getSimpleName() + ")";
      ConfigException problem =
          new ConfigException(
              setting,
              named.reason(
                  "cannot be listed " + why, "names a directory that cannot be listed " + why, ""));
      if (named.isShown()) {
        problem.initCause(e);
      }
      throw problem;
    }
    return names;
  }

  @Override
  public String toString() {
    return "SecretsDirectory[" + directory + "]";
  }
}
