package io.latchkey.provider.env;

import io.latchkey.ConfigException.Problem;
import io.latchkey.config.ConfigValue;
import io.latchkey.config.Origin;
import io.latchkey.internal.PathText;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads a {@code .env} file into a {@link Layer}, reporting every problem without a value. */
final class DotenvFile {
  /** The largest .env file read: far above any real one, small enough to hold in memory. */
  static final int MAX_BYTES = 16 << 20;

  /** What a problem says after "larger than". */
  static final String BOUND = "16 MiB; expected a .env file";

  private DotenvFile() {}

  /**
   * A file read and parsed.
   *
   * @param layer what it holds
   * @param bytes what was parsed, or {@code null} if the file could not be read
   */
  record Loaded(Layer layer, byte[] bytes) {
    @Override
    public String toString() {
      return "Loaded[" + layer + "]";
    }
  }

  /**
   * Reads and parses the file; every problem (the file missing or unreadable, each malformed line)
   * is added to {@code found}, and the layer holds what could be read.
   *
   * @param named how problems name the file
   * @param dotenvSetting the setting problems with the file itself are reported against
   */
  static Loaded read(Path path, PathText named, String dotenvSetting, List<Problem> found) {
    // Bounded, so that a path such as /dev/zero or a huge file given by mistake cannot exhaust the
    // heap.
    FileContent.Reading reading = FileContent.read(path, MAX_BYTES);
    if (reading.fault() != null) {
      found.add(new Problem(dotenvSetting, reading.reason(named, "", BOUND)));
      return new Loaded(Layer.EMPTY, null);
    }
    return new Loaded(parse(path, reading.bytes(), found), reading.bytes());
  }

  /**
   * Parses a .env file's bytes, adding every malformed line to {@code found}, and logs the notes on
   * it (see {@link DotenvParser.Result#log()}).
   */
  static Layer parse(Path path, byte[] bytes, List<Problem> found) {
    Parsed parsed = parseQuietly(path, bytes, found);
    parsed.result().log();
    return parsed.layer();
  }

  /**
   * A file parsed without logging, for a poll that may read the same content again and again: the
   * notes are logged once, when the content is taken.
   *
   * @param layer what it holds
   * @param result the parse, whose {@link DotenvParser.Result#log()} writes the notes
   */
  record Parsed(Layer layer, DotenvParser.Result result) {}

  /** Parses as {@link #parse} does, and logs nothing. */
  static Parsed parseQuietly(Path path, byte[] bytes, List<Problem> found) {
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
    return new Parsed(new Layer(fileName, values), result);
  }
}
