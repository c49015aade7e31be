package io.latchkey.cli;

import io.latchkey.LatchkeyException;
import io.latchkey.Secret;
import io.latchkey.config.Config;
import io.latchkey.config.ConfigSchema;
import io.latchkey.config.ConfigSource;
import io.latchkey.config.ConfigValue;
import io.latchkey.config.KeyList;
import io.latchkey.config.Setting;
import io.latchkey.internal.PathText;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The checks behind {@code doctor}'s warnings: ways a configuration that loads fine still leaks.
 * Each returns warning texts that name a file or a setting, say why it matters and how to fix it,
 * and never contain a value.
 */
final class ConfigChecks {
  /** Values shorter than this match too much by chance ({@code 1}, {@code true}, {@code app}). */
  static final int MIN_SECRET_LENGTH = 4;

  private static final String PREVIOUS_SUFFIX = "_PREVIOUS";

  private ConfigChecks() {}

  /**
   * Warns if a {@code .env} file can be read by users other than its owner. File systems without
   * POSIX permissions, and files that cannot be inspected, give no warning.
   *
   * @param file the file as the user named it
   * @param name the file as errors may name it ({@link PathText})
   */
  static Optional<String> dotenvPermissions(Path file, String name) {
    Set<PosixFilePermission> permissions;
    try {
      permissions = Files.getPosixFilePermissions(file);
    } catch (UnsupportedOperationException | IOException e) {
      return Optional.empty();
    }
    boolean group = permissions.contains(PosixFilePermission.GROUP_READ);
    boolean others = permissions.contains(PosixFilePermission.OTHERS_READ);
    if (!group && !others) {
      return Optional.empty();
    }
    String who = group && others ? "group and others" : group ? "its group" : "others";
    return Optional.of(
        ".env file "
            + name
            + " is readable by "
            + who
            + ", and it holds secrets; restrict it with: chmod 600 "
            + (name.equals(file.toString()) ? file : "FILE"));
  }

  /**
   * Warns if a {@code .env} file is tracked by git, that is, its secrets are in the repository's
   * history for everyone who clones it. The index is read directly ({@link GitIndex}), so nothing
   * the inspected repository configures runs. A file outside a work tree, or an index that cannot
   * be read, gives no warning.
   *
   * @param file the file as the user named it
   * @param name the file as errors may name it ({@link PathText})
   */
  static Optional<String> dotenvTrackedByGit(Path file, String name) {
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    Path real;
    try {
      real = file.toRealPath();
    } catch (IOException e) {
      return Optional.empty();
    }
    Optional<Path> workTree = workTree(real.getParent());
    if (workTree.isEmpty() || !isTracked(workTree.get(), workTree.get().relativize(real))) {
      return Optional.empty();
    }
    return Optional.of(
        ".env file "
            + name
            + " is tracked by git, so its secrets are in the repository for everyone who clones"
            + " it; untrack it with: git rm --cached "
            + (name.equals(file.toString()) ? file : "FILE")
            + ", add it to .gitignore, and rotate the secrets it held");
  }

  /** The nearest directory at or above {@code dir} holding {@code .git} (a directory or a file). */
  static Optional<Path> workTree(Path dir) {
    for (Path d = dir; d != null; d = d.getParent()) {
      if (Files.exists(d.resolve(".git"))) {
        return Optional.of(d);
      }
    }
    return Optional.empty();
  }

  /** Read from the index file, never by running git: see {@link GitIndex} for why. */
  private static boolean isTracked(Path workTree, Path relative) {
    return GitIndex.isTracked(workTree, relative).orElse(false);
  }

  /**
   * Warns, once per setting, about each secret setting whose value appears in one of this process's
   * arguments, where every local user can read it ({@code ps}, {@code /proc}).
   *
   * <p>The values compared are the raw texts the source holds under the setting's name and its
   * deprecated names (for a key list, also each entry of {@code NAME_PREVIOUS}), and the loaded
   * value when there is one, so that derived secrets count too and an invalid configuration is
   * still checked.
   *
   * @param schema the schema
   * @param source where the values came from
   * @param config the loaded configuration, or empty if it did not load
   * @param commandLine the process's arguments
   */
  static List<String> secretsOnCommandLine(
      ConfigSchema schema, ConfigSource source, Optional<Config> config, List<String> commandLine) {
    List<String> warnings = new ArrayList<>();
    if (commandLine.isEmpty()) {
      return warnings;
    }
    for (Setting<?> setting : schema.settings()) {
      if (!setting.isSecret()) {
        continue;
      }
      Set<String> values = new LinkedHashSet<>();
      boolean keyList = setting.type().endsWith("key-list");
      List<String> names = new ArrayList<>();
      names.add(setting.name());
      names.addAll(setting.aliases());
      for (String name : names) {
        raw(source, name).ifPresent(values::add);
        if (keyList) {
          raw(source, name + PREVIOUS_SUFFIX).ifPresent(v -> addEntries(v, values));
        }
      }
      config.ifPresent(c -> loaded(c, setting.name(), values));
      if (appearsIn(values, commandLine)) {
        warnings.add(
            "the value of "
                + setting.name()
                + " appears on this process's command line, where every local user can read it"
                + " (ps, /proc); pass it through the environment, the .env file or a secrets"
                + " file instead, and rotate it");
      }
    }
    return warnings;
  }

  /**
   * The values the environment holds for the schema's secret settings (names, deprecated names, and
   * each {@code NAME_PREVIOUS} entry of a key list), known before any file is read, so that a path
   * error never quotes one of them.
   */
  static List<String> secretValues(ConfigSchema schema, Map<String, String> env) {
    List<String> values = new ArrayList<>();
    for (Setting<?> setting : schema.settings()) {
      if (!setting.isSecret()) {
        continue;
      }
      List<String> names = new ArrayList<>();
      names.add(setting.name());
      names.addAll(setting.aliases());
      for (String name : names) {
        String value = env.get(name);
        if (value != null && !value.isBlank()) {
          values.add(value.strip());
        }
        String previous = env.get(name + PREVIOUS_SUFFIX);
        if (previous != null && setting.type().endsWith("key-list")) {
          addEntries(previous, values);
        }
      }
    }
    return values;
  }

  private static Optional<String> raw(ConfigSource source, String name) {
    try {
      return source.get(name).map(ConfigValue::text);
    } catch (LatchkeyException e) {
      // The load reports an unreadable value; here it simply cannot be compared.
      return Optional.empty();
    }
  }

  private static void addEntries(String list, Collection<String> values) {
    for (String entry : list.split(",", -1)) {
      values.add(entry.strip());
    }
  }

  private static void loaded(Config config, String name, Collection<String> values) {
    Optional<Object> value = config.find(name, Object.class);
    if (value.isEmpty()) {
      return;
    }
    Object v = value.get();
    if (v instanceof Secret secret) {
      reveal(secret, values);
    } else if (v instanceof KeyList keys) {
      keys.all().forEach(k -> reveal(k, values));
    } else if (v instanceof Collection<?> list) {
      list.forEach(e -> values.add(String.valueOf(e)));
    } else {
      values.add(String.valueOf(v));
    }
  }

  private static void reveal(Secret secret, Collection<String> values) {
    if (!secret.isWiped()) {
      values.add(secret.reveal());
    }
  }

  private static boolean appearsIn(Collection<String> values, List<String> commandLine) {
    for (String value : values) {
      if (value.length() < MIN_SECRET_LENGTH) {
        continue;
      }
      for (String arg : commandLine) {
        if (arg != null && arg.contains(value)) {
          return true;
        }
      }
    }
    return false;
  }
}
