package io.latchkey.crypto.internal;

import io.latchkey.ConfigException;
import io.latchkey.ConfigException.Problem;
import io.latchkey.Secret;
import io.latchkey.internal.SettingNames;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Reads key lists (the current key first, then previous ones) from the environment, from a
 * configuration's key list and from key files, for any kind of key, collecting every problem before
 * throwing so that one start-up attempt reports them all. Not part of the API: the package is not
 * exported.
 */
public final class KeyLists {
  private static final String BYTE_ORDER_MARK = "\uFEFF";

  /** A key file holds a few keys; anything larger is not one, and is not read whole: 1 MiB. */
  public static final int MAX_FILE_BYTES = 1 << 20;

  private static final String NOT_REGULAR =
      "is not a regular file (a device, a pipe or a socket), refused without being opened;"
          + " expected a key file";

  private static final String TOO_LARGE = "is larger than 1 MiB; expected a key file";

  private static final String MISSING_NOT_SHOWN = "the key file given";

  private static final String MISSING_REASON_NOT_SHOWN =
      "does not exist (not shown, in case it is a key); pass the path of a key file, not a key";

  private KeyLists() {}

  /**
   * What a key list needs to know about one kind of key.
   *
   * @param <K> the key type
   */
  public interface Shape<K> {
    /**
     * Describes what is wrong with a key string.
     *
     * @param key the key as written
     * @return the problem, naming no part of the key, or null when the key is valid
     */
    String problemWith(CharSequence key);

    /**
     * Parses a key string that {@link #problemWith(CharSequence)} accepted.
     *
     * @param key the key as written
     * @param source the setting or file line it came from
     * @return the key
     */
    K parse(CharSequence key, String source);

    /**
     * Describes a valid key, as in "expected <i>a Fernet key (…)</i>".
     *
     * @return the description
     */
    String expected();

    /**
     * Names the kind of key, as in "one <i>Fernet key</i> per line".
     *
     * @return the name
     */
    String noun();

    /**
     * Names the command that prints a new key, quoted.
     *
     * @return the command
     */
    String keygen();
  }

  /**
   * Reads {@code NAME} and {@code NAME_PREVIOUS} (see {@link EnvironmentKeys}).
   *
   * @param <K> the key type
   * @param name the variable holding the current key
   * @param env the variables to read
   * @param shape the kind of key
   * @return the keys, the current one first
   * @throws ConfigException listing every problem, or if {@code name} looks like a key rather than
   *     a variable's name and nothing is set under it ({@link SettingNames}; the problem does not
   *     show it)
   */
  public static <K> List<K> fromEnvironment(String name, Map<String, String> env, Shape<K> shape) {
    List<String> candidates = new ArrayList<>();
    List<String> sources = new ArrayList<>();
    for (EnvironmentKeys.Entry entry : EnvironmentKeys.entries(name, env)) {
      candidates.add(entry.value());
      sources.add(entry.source());
    }
    return parseAll(candidates, sources, candidates.get(0).isBlank(), shape);
  }

  /**
   * Reads a key list that a configuration schema loaded.
   *
   * @param <K> the key type
   * @param name the setting the list came from; one that looks like a key is reported as {@link
   *     SettingNames#GIVEN}
   * @param current the current key
   * @param previous the previous keys, most recent first
   * @param shape the kind of key
   * @return the keys, the current one first
   * @throws ConfigException listing every problem
   */
  public static <K> List<K> fromKeyList(
      String name, Secret current, List<Secret> previous, Shape<K> shape) {
    List<String> candidates = new ArrayList<>();
    List<String> sources = new ArrayList<>();
    String shown = SettingNames.shown(name);
    String previousName =
        shown.equals(name) ? name + EnvironmentKeys.PREVIOUS_SUFFIX : shown + ", previous key";
    candidates.add(current.reveal().strip());
    sources.add(shown);
    for (int i = 0; i < previous.size(); i++) {
      candidates.add(previous.get(i).reveal().strip());
      sources.add(previousName + " entry " + (i + 1));
    }
    return parseAll(candidates, sources, candidates.get(0).isEmpty(), shape);
  }

  /**
   * Reads a key file: one key per line, the current key first; blank lines, lines starting with
   * {@code #} and a leading UTF-8 byte-order mark are ignored. Only a regular file (after following
   * symbolic links) of at most {@link #MAX_FILE_BYTES} is read: a FIFO, a terminal or a device such
   * as {@code /dev/zero} is refused without being opened, and at most one byte past the bound is
   * read, for a file that grows after its size was checked.
   *
   * @param <K> the key type
   * @param file the key file
   * @param shape the kind of key
   * @return the keys, the current one first
   * @throws ConfigException naming the file and line of every bad key, or naming the file if it
   *     holds no key or cannot be read: missing, a directory, not a regular file, larger than the
   *     bound, unreadable or not UTF-8. A path that does not exist and looks like a key ({@link
   *     SettingNames}) is not shown
   */
  public static <K> List<K> read(Path file, Shape<K> shape) {
    String name = file.toString();
    String text;
    byte[] bytes = bytes(file, name);
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes))
              .toString();
    } catch (CharacterCodingException e) {
      throw new ConfigException(name, "is not UTF-8 text; expected one key per line");
    } finally {
      Arrays.fill(bytes, (byte) 0);
    }
    // Lines end as BufferedReader ends them: LF, CRLF or a lone CR.
    String[] lines = withoutByteOrderMark(text).split("\r\n|\r|\n", -1);
    List<String> candidates = new ArrayList<>();
    List<String> sources = new ArrayList<>();
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (!line.isEmpty() && !line.startsWith("#")) {
        candidates.add(line);
        sources.add(name + " line " + (i + 1));
      }
    }
    if (candidates.isEmpty()) {
      throw new ConfigException(name, "holds no key; expected one " + shape.noun() + " per line");
    }
    return parseAll(candidates, sources, false, shape);
  }

  /**
   * Reads the bytes of a key file, bounded, refusing anything that is not a regular file before
   * opening it: opening a FIFO blocks until a writer comes, and a device never ends.
   */
  private static byte[] bytes(Path file, String name) {
    // A key (or a key list) passed where the path belongs names no file the system can read: every
    // failure would show it as the file's name.
    String shown = SettingNames.looksLikeValue(name) ? MISSING_NOT_SHOWN : name;
    String notShown = shown.equals(name) ? "" : " (not shown, in case it is a key)";
    try {
      BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
      if (attributes.isDirectory()) {
        throw new ConfigException(shown, "is a directory" + notShown + "; expected a key file");
      }
      if (!attributes.isRegularFile()) {
        throw new ConfigException(shown, NOT_REGULAR + notShown);
      }
      if (attributes.size() > MAX_FILE_BYTES) {
        throw new ConfigException(shown, TOO_LARGE + notShown);
      }
      byte[] bytes;
      try (InputStream in = Files.newInputStream(file)) {
        bytes = in.readNBytes(MAX_FILE_BYTES + 1);
      }
      if (bytes.length > MAX_FILE_BYTES) {
        Arrays.fill(bytes, (byte) 0);
        throw new ConfigException(shown, TOO_LARGE + notShown);
      }
      return bytes;
    } catch (NoSuchFileException e) {
      if (!notShown.isEmpty()) {
        throw new ConfigException(MISSING_NOT_SHOWN, MISSING_REASON_NOT_SHOWN);
      }
      throw new ConfigException(name, "does not exist");
    } catch (AccessDeniedException e) {
      throw new ConfigException(shown, "cannot be read: permission denied" + notShown);
    } catch (IOException e) {
      // Such as a name too long for the file system, or a path through a regular file.
      throw new ConfigException(shown, "cannot be read" + notShown);
    }
  }

  /**
   * Drops one UTF-8 byte-order mark (U+FEFF) from the start of a text read from a file, as every
   * reader of keys does: {@link String#strip()} keeps it, and it would become part of the first
   * key.
   *
   * @param text the text of a file, or of a variable that may hold one
   * @return the text without a leading byte-order mark
   */
  public static String withoutByteOrderMark(String text) {
    // Editors on Windows write a byte-order mark; .env files with one are read, so are key files.
    return text.startsWith(BYTE_ORDER_MARK) ? text.substring(1) : text;
  }

  /** Parses every candidate in order; the first is the current key, the rest previous ones. */
  private static <K> List<K> parseAll(
      List<String> candidates, List<String> sources, boolean currentMissing, Shape<K> shape) {
    List<Problem> problems = new ArrayList<>();
    List<K> keys = new ArrayList<>();
    for (int i = 0; i < candidates.size(); i++) {
      String problem;
      if (i == 0 && currentMissing) {
        problem =
            "is not set; expected "
                + shape.expected()
                + ", such as one printed by "
                + shape.keygen();
      } else if (candidates.get(i).isBlank()) {
        problem = EnvironmentKeys.BLANK_ENTRY;
      } else {
        problem = shape.problemWith(candidates.get(i));
      }
      if (problem != null) {
        problems.add(new Problem(sources.get(i), problem));
      } else if (problems.isEmpty()) {
        keys.add(shape.parse(candidates.get(i), sources.get(i)));
      }
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return keys;
  }
}
