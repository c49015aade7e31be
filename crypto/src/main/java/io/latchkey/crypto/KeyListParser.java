package io.latchkey.crypto;

import io.latchkey.ConfigException;
import io.latchkey.ConfigException.Problem;
import io.latchkey.Secret;
import io.latchkey.crypto.internal.EnvironmentKeys;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads Fernet key lists from the environment, from a configuration's key list and from key files,
 * collecting every problem before throwing so that one start-up attempt reports them all.
 */
final class KeyListParser {
  private KeyListParser() {}

  static List<FernetKey> fromEnvironment(String name, Map<String, String> env) {
    List<String> candidates = new ArrayList<>();
    List<String> sources = new ArrayList<>();
    for (EnvironmentKeys.Entry entry : EnvironmentKeys.entries(name, env)) {
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
      sources.add(name + EnvironmentKeys.PREVIOUS_SUFFIX + " entry " + (i + 1));
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
        problem = EnvironmentKeys.BLANK_ENTRY;
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
