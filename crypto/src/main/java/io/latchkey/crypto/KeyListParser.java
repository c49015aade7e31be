package io.latchkey.crypto;

import io.latchkey.ConfigException;
import io.latchkey.ConfigException.Problem;
import io.latchkey.Secret;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads key lists from the environment and from key files, collecting every problem before
 * throwing so that one start-up attempt reports them all.
 */
final class KeyListParser {
  static final String PREVIOUS_SUFFIX = "_PREVIOUS";

  private KeyListParser() {}

  /** The reason given for an empty entry inside a {@code NAME_PREVIOUS} list. */
  static final String BLANK_ENTRY =
      "is blank; remove the extra comma, or restore the key that was there";

  /**
   * One key string as read from the environment, with the setting it came from. The value is
   * unstripped, and empty when the variable is unset; {@code toString()} shows only the source.
   */
  record Entry(String source, String value) {
    /** Returns {@code Entry[source=…]}; never the value. */
    @Override
    public String toString() {
      return "Entry[source=" + source + "]";
    }
  }

  /**
   * Splits {@code NAME} and {@code NAME_PREVIOUS} into entries, the current key first: the
   * environment convention shared by every key ring. A blank or unset {@code NAME_PREVIOUS} means
   * no previous keys; an empty entry inside the list is kept, for the caller to report.
   */
  static List<Entry> environmentEntries(String name, Map<String, String> env) {
    List<Entry> entries = new ArrayList<>();
    String current = env.get(name);
    entries.add(new Entry(name, current == null ? "" : current));

    String previousName = name + PREVIOUS_SUFFIX;
    String previous = env.get(previousName);
    if (previous != null && !previous.isBlank()) {
      String[] values = previous.split(",", -1);
      for (int i = 0; i < values.length; i++) {
        entries.add(new Entry(previousName + " entry " + (i + 1), values[i]));
      }
    }
    return entries;
  }

  static List<FernetKey> fromEnvironment(String name, Map<String, String> env) {
    List<String> candidates = new ArrayList<>();
    List<String> sources = new ArrayList<>();
    for (Entry entry : environmentEntries(name, env)) {
      candidates.add(entry.value());
      sources.add(entry.source());
    }
    return parseAll(candidates, sources, candidates.get(0).isBlank());
  }

  static List<FernetKey> fromKeyList(String name, Secret current, List<Secret> previous) {
    List<String> candidates = new ArrayList<>();
    List<String> sources = new ArrayList<>();
    candidates.add(current.reveal().strip());
    sources.add(name);
    for (int i = 0; i < previous.size(); i++) {
      candidates.add(previous.get(i).reveal().strip());
      sources.add(name + PREVIOUS_SUFFIX + " entry " + (i + 1));
    }
    return parseAll(candidates, sources, candidates.get(0).isEmpty());
  }

  static List<FernetKey> fromLines(String file, List<String> lines) {
    List<String> candidates = new ArrayList<>();
    List<String> sources = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (!line.isEmpty() && !line.startsWith("#")) {
        candidates.add(line);
        sources.add(file + " line " + (i + 1));
      }
    }
    if (candidates.isEmpty()) {
      throw new ConfigException(file, "holds no key; expected one Fernet key per line");
    }
    return parseAll(candidates, sources, false);
  }

  /** Parses every candidate in order; the first is the current key, the rest previous ones. */
  private static List<FernetKey> parseAll(
      List<String> candidates, List<String> sources, boolean currentMissing) {
    List<Problem> problems = new ArrayList<>();
    List<FernetKey> keys = new ArrayList<>();
    for (int i = 0; i < candidates.size(); i++) {
      String problem;
      if (i == 0 && currentMissing) {
        problem =
            "is not set; expected a Fernet key (32 bytes of URL-safe base64, 44 characters),"
                + " such as one printed by 'latchkey keygen'";
      } else if (candidates.get(i).isBlank()) {
        problem = BLANK_ENTRY;
      } else {
        problem = FernetKey.problemWith(candidates.get(i));
      }
      if (problem != null) {
        problems.add(new Problem(sources.get(i), problem));
      } else if (problems.isEmpty()) {
        keys.add(FernetKey.parse(candidates.get(i), sources.get(i)));
      }
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return keys;
  }
}
