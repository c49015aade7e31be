package io.latchkey.provider.env;

import io.latchkey.ConfigException.Problem;
import io.latchkey.config.ConfigValue;
import io.latchkey.config.Origin;
import io.latchkey.provider.env.internal.PathText;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads a {@code .env} file into a {@link Layer}, reporting every problem without a value. */
final class DotenvFile {
  /** The largest .env file read: far above any real one, small enough to hold in memory. */
  static final int MAX_BYTES = 16 << 20;

  private DotenvFile() {}

  /**
   * Reads and parses the file; every problem (the file missing or unreadable, each malformed line)
   * is added to {@code found}, and the layer holds what could be read.
   *
   * @param named how problems name the file
   * @param dotenvSetting the setting problems with the file itself are reported against
   */
  static Layer read(Path path, PathText named, String dotenvSetting, List<Problem> found) {
    if (Files.isDirectory(path)) {
      found.add(
          new Problem(
              dotenvSetting,
              named.reason("is a directory, not a file", "names a directory, not a file", "")));
      return Layer.EMPTY;
    }
    byte[] bytes;
    try (InputStream in = Files.newInputStream(path)) {
      // Bounded, so that a path such as /dev/zero or a huge file given by mistake cannot
      // exhaust the heap.
      bytes = in.readNBytes(MAX_BYTES + 1);
    } catch (NoSuchFileException e) {
      found.add(
          new Problem(dotenvSetting, named.reason("does not exist", "is not a readable file", "")));
      return Layer.EMPTY;
    } catch (AccessDeniedException e) {
      found.add(
          new Problem(
              dotenvSetting,
              named.reason(
                  "cannot be read (permission denied)",
                  "names a file that cannot be read (permission denied)",
                  "")));
      return Layer.EMPTY;
    } catch (IOException e) {
      String why = "(" + e.getClass().getSimpleName() + ")";
      found.add(
          new Problem(
              dotenvSetting,
              named.reason(
                  "cannot be read " + why, "names a file that cannot be read " + why, "")));
      return Layer.EMPTY;
    }
    if (bytes.length > MAX_BYTES) {
      found.add(
          new Problem(
              dotenvSetting,
              named.reason(
                  "is larger than 16 MiB; expected a .env file",
                  "names a file larger than 16 MiB; expected a .env file",
                  "")));
      return Layer.EMPTY;
    }
    // The file was read, so its name is a file's name, not a value typed by mistake: problems
    // and origins name it (.env line 12) whatever it looks like.
    String fileName = path.getFileName().toString();
    DotenvParser.Result result = DotenvParser.parse(fileName, bytes);
    found.addAll(result.problems());
    Map<String, ConfigValue> values = new LinkedHashMap<>();
    for (DotenvParser.Entry entry : result.entries().values()) {
      Origin origin = Origin.of(Origin.Kind.DOTENV, DotenvParser.where(fileName, entry.line()));
      values.put(entry.key(), new ConfigValue(entry.key(), entry.value(), origin));
    }
    return new Layer(fileName, values);
  }
}
