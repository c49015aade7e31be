package io.latchkey.cli;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Turns a file name git lists ({@code git ls-files -z}: the name's bytes as the file system holds
 * them) into the {@link Path} of that very file.
 *
 * <p>The JDK names files with text, which it turns into bytes in the platform's file-name encoding
 * ({@code sun.jnu.encoding}, from the locale, on Unix). A name that is not valid in it, such as a
 * Latin-1 {@code caf\xe9.txt} under a UTF-8 locale, has no text that names it: decoded with a
 * replacement character it names another file, or none. Such a name is found instead by listing its
 * directory, whose entries the JDK holds as the bytes the system gave, and matching each entry's
 * bytes (its {@code file:} URI percent-encodes them one by one). On Windows names are UTF-16 and
 * git lists them in UTF-8, which always decodes.
 *
 * <p>One instance serves one scan, and lists each directory it needs at most once.
 */
final class FileNames {
  private static final Charset NAMES = namesCharset();

  /** The entries of the directories listed so far, by their names' bytes as ISO-8859-1 text. */
  private final Map<Path, Map<String, Path>> listed = new HashMap<>();

  /**
   * The file {@code name} ({@code /} between its names) names under {@code dir}.
   *
   * @throws NoSuchFileException if there is no such file
   * @throws IOException if a directory on the way cannot be listed
   */
  Path resolve(Path dir, byte[] name) throws IOException {
    String text = decode(name);
    if (text != null) {
      try {
        return dir.resolve(text);
      } catch (InvalidPathException e) {
        // each name on its own, below
      }
    }
    Path path = dir;
    int start = 0;
    for (int i = 0; i <= name.length; i++) {
      if (i == name.length || name[i] == '/') {
        if (i > start) {
          path = child(path, Arrays.copyOfRange(name, start, i));
        }
        start = i + 1;
      }
    }
    return path;
  }

  /** One name under a directory: as text when it decodes exactly, else found by its bytes. */
  private Path child(Path dir, byte[] name) throws IOException {
    String text = decode(name);
    if (text != null) {
      try {
        return dir.resolve(text);
      } catch (InvalidPathException e) {
        // found by its bytes, below
      }
    }
    Map<String, Path> entries = listed.get(dir);
    if (entries == null) {
      entries = new HashMap<>();
      try (Stream<Path> list = Files.list(dir)) {
        for (Path entry : (Iterable<Path>) list::iterator) {
          entries.put(bytes(entry), entry);
        }
      }
      listed.put(dir, entries);
    }
    Path found = entries.get(new String(name, StandardCharsets.ISO_8859_1));
    if (found == null) {
      throw new NoSuchFileException(dir.toString());
    }
    return found;
  }

  /** The bytes of an entry's last name, from its URI, as ISO-8859-1 text. */
  private static String bytes(Path entry) {
    String raw = entry.toAbsolutePath().toUri().getRawPath();
    int end = raw.endsWith("/") && raw.length() > 1 ? raw.length() - 1 : raw.length();
    int start = raw.lastIndexOf('/', end - 1) + 1;
    StringBuilder out = new StringBuilder(end - start);
    for (int i = start; i < end; i++) {
      char c = raw.charAt(i);
      if (c == '%' && i + 2 < end) {
        out.append((char) Integer.parseInt(raw.substring(i + 1, i + 3), 16));
        i += 2;
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  /** The name as text in the file-name encoding, or {@code null} if it is not exactly that. */
  private static String decode(byte[] name) {
    try {
      String text =
          NAMES
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(name))
              .toString();
      return Arrays.equals(text.getBytes(NAMES), name) ? text : null;
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  /** The JDK's file-name encoding on Unix; UTF-8, as git for Windows lists names, on Windows. */
  private static Charset namesCharset() {
    if (File.separatorChar != '/') {
      return StandardCharsets.UTF_8;
    }
    for (String property : new String[] {"sun.jnu.encoding", "native.encoding"}) {
      String name = System.getProperty(property);
      if (name != null) {
        try {
          return Charset.forName(name);
        } catch (IllegalArgumentException e) {
          // try the next
        }
      }
    }
    return Charset.defaultCharset();
  }
}
