package io.latchkey.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The committed allow-list of {@code scan}: one fingerprint a line, then anything (a note of what
 * it is, a rule, a path), with {@code #} starting a comment. Fingerprints, never values: the file
 * is committed and read by everyone.
 *
 * <pre>
 * # Fake keys of the payment tests; not secrets.
 * 3f1c0a9be2d84c7f9a1e5b6c7d8e9f01  stripe-key  src/test/resources/payments.json
 * </pre>
 */
final class AllowList {
  /** The file's name, at the top of the work tree (or in the directory scanned outside one). */
  static final String FILE_NAME = ".latchkey-allow";

  private static final Pattern FINGERPRINT = Pattern.compile("[0-9a-f]{32}");

  private AllowList() {}

  /** Thrown for a line that is not a fingerprint; the message names the line, not its text. */
  static final class Invalid extends Exception {
    private static final long serialVersionUID = 1L;

    Invalid(String message) {
      super(message);
    }
  }

  /**
   * Reads an allow-list; a missing file allows nothing.
   *
   * @param file the file
   * @param required whether a missing file is an error (it was named on the command line)
   */
  static Set<String> read(Path file, boolean required) throws IOException, Invalid {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      if (required) {
        throw new Invalid("the allow-list file does not exist");
      }
      return Set.of();
    }
    Set<String> fingerprints = new HashSet<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      int hash = line.indexOf('#');
      String content = (hash >= 0 ? line.substring(0, hash) : line).strip();
      if (content.isEmpty()) {
        continue;
      }
      String first = content.split("\\s+", 2)[0];
      if (!FINGERPRINT.matcher(first).matches()) {
        // The line is not repeated: someone may have pasted the secret itself.
        throw new Invalid(
            FILE_NAME + " line " + (i + 1) + ": not a fingerprint (32 lower-case hex digits)");
      }
      fingerprints.add(first);
    }
    return Set.copyOf(fingerprints);
  }
}
