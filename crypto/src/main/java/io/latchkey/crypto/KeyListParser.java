package io.latchkey.crypto;

import io.latchkey.ConfigException;
import io.latchkey.ConfigException.Problem;
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

  static List<FernetKey> fromEnvironment(String name, Map<String, String> env) {
    List<Problem> problems = new ArrayList<>();
    List<String> candidates = new ArrayList<>();
    List<String> sources = new ArrayList<>();

    String current = env.get(name);
    if (current == null || current.isBlank()) {
      problems.add(
          new Problem(
              name,
              "is not set; expected a Fernet key (32 bytes of URL-safe base64, 44 characters),"
                  + " such as one printed by 'latchkey keygen'"));
    } else {
      candidates.add(current);
      sources.add(name);
    }

    String previousName = name + PREVIOUS_SUFFIX;
    String previous = env.get(previousName);
    if (previous != null && !previous.isBlank()) {
      String[] entries = previous.split(",", -1);
      for (int i = 0; i < entries.length; i++) {
        String source = previousName + " entry " + (i + 1);
        if (entries[i].isBlank()) {
          problems.add(
              new Problem(
                  source,
                  "is blank; remove the extra comma, or restore the key that was there"));
        } else {
          candidates.add(entries[i]);
          sources.add(source);
        }
      }
    }
    return parseAll(candidates, sources, problems);
  }

  static List<FernetKey> fromLines(String file, List<String> lines) {
    List<Problem> problems = new ArrayList<>();
    List<String> candidates = new ArrayList<>();
    List<String> sources = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (!line.isEmpty() && !line.startsWith("#")) {
        candidates.add(line);
        sources.add(file + " line " + (i + 1));
      }
    }
    if (candidates.isEmpty() && problems.isEmpty()) {
      problems.add(new Problem(file, "holds no key; expected one Fernet key per line"));
    }
    return parseAll(candidates, sources, problems);
  }

  private static List<FernetKey> parseAll(
      List<String> candidates, List<String> sources, List<Problem> problems) {
    List<FernetKey> keys = new ArrayList<>();
    for (int i = 0; i < candidates.size(); i++) {
      String problem = FernetKey.problemWith(candidates.get(i));
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
