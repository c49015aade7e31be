package io.latchkey.cli;

import io.latchkey.ConfigException;
import io.latchkey.KeyRing;
import io.latchkey.crypto.FernetKey;
import io.latchkey.crypto.FernetKeyRing;
import io.latchkey.crypto.aead.AesGcmKey;
import io.latchkey.crypto.aead.AesGcmKeyRing;
import io.latchkey.crypto.aead.TokenFormat;
import io.latchkey.internal.PathText;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
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
import java.util.function.BiFunction;

/**
 * Reads the key file that {@code --key-file} names: one key per line, the current key first; blank
 * lines and lines starting with {@code #} are ignored.
 *
 * <p>The CLI reads the file itself rather than through {@link FernetKeyRing#read(Path)} or {@link
 * AesGcmKeyRing#read(Path)}, which read the same format (a leading byte-order mark included), so
 * that every error names the file through {@link PathText}, as every path error of the CLI does,
 * and so that the decoded text is cleared once parsed.
 */
final class KeyFile {
  private static final char BYTE_ORDER_MARK = '\uFEFF';

  /** A key file holds a few keys; anything this large is not one, and is not read whole. */
  static final int MAX_BYTES = 1 << 20;

  private static final String TOO_LARGE = "is larger than 1 MiB; expected a key file";

  private KeyFile() {}

  /**
   * Reads the ring a key file holds, in the format given or, without one, the format of its first
   * key; an AES-GCM ring writes timed tokens when {@code timestamps} is set.
   *
   * @throws ConfigException naming the file (as {@link PathText} allows) and every bad line
   */
  static KeyRing read(Path file, FormatOption format, boolean timestamps) {
    String name = PathText.name("--key-file", file.toString(), List.of());
    char[] text = decode(name, bytes(file, name));
    try {
      return parse(name, text, format, timestamps);
    } finally {
      Arrays.fill(text, '\0');
    }
  }

  /**
   * Reads at most {@link #MAX_BYTES}, from a regular file alone: the size of a device such as
   * {@code /dev/zero} is 0, so only a read bounded as it goes stops it, and opening a FIFO blocks
   * until a writer comes, so one is refused before it is opened. One byte past the bound is read,
   * for a file that grows after its size was checked.
   */
  private static byte[] bytes(Path file, String name) {
    try {
      BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
      if (attributes.isDirectory()) {
        throw new ConfigException(name, "is a directory; expected a key file");
      }
      if (!attributes.isRegularFile()) {
        throw new ConfigException(
            name,
            "is not a regular file (a device, a pipe or a socket), refused without being opened;"
                + " expected a key file");
      }
      if (attributes.size() > MAX_BYTES) {
        throw new ConfigException(name, TOO_LARGE);
      }
      byte[] bytes;
      try (InputStream in = Files.newInputStream(file)) {
        bytes = in.readNBytes(MAX_BYTES + 1);
      }
      if (bytes.length > MAX_BYTES) {
        Arrays.fill(bytes, (byte) 0);
        throw new ConfigException(name, TOO_LARGE);
      }
      return bytes;
    } catch (NoSuchFileException e) {
      throw new ConfigException(name, "does not exist");
    } catch (AccessDeniedException e) {
      throw new ConfigException(name, "cannot be read: permission denied");
    } catch (IOException e) {
      throw new ConfigException(name, "cannot be read");
    }
  }

  private static char[] decode(String name, byte[] bytes) {
    try {
      CharBuffer chars =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes));
      char[] text = new char[chars.remaining()];
      chars.get(text);
      if (chars.hasArray()) {
        Arrays.fill(chars.array(), '\0');
      }
      return text;
    } catch (CharacterCodingException e) {
      throw new ConfigException(name, "is not UTF-8 text; expected one key per line");
    } finally {
      Arrays.fill(bytes, (byte) 0);
    }
  }

  /** Lines end in LF, CRLF or a lone CR; one byte-order mark at the very start is skipped. */
  static KeyRing parse(String name, char[] text, FormatOption format, boolean timestamps) {
    int start = text.length > 0 && text[0] == BYTE_ORDER_MARK ? 1 : 0;
    List<CharSequence> lines = new ArrayList<>();
    List<String> sources = new ArrayList<>();
    int lineNumber = 0;
    int i = start;
    while (i < text.length) {
      int end = i;
      while (end < text.length && text[end] != '\n' && text[end] != '\r') {
        end++;
      }
      lineNumber++;
      CharSequence line = CharBuffer.wrap(text, i, end - i);
      if (!isBlankOrComment(line)) {
        lines.add(line);
        sources.add(name + " line " + lineNumber);
      }
      i =
          end < text.length && text[end] == '\r' && end + 1 < text.length && text[end + 1] == '\n'
              ? end + 2
              : end + 1;
    }
    TokenFormat f = format.orOf(lines.isEmpty() ? null : lines.get(0).toString());
    if (f != TokenFormat.AES_GCM) {
      return FernetKeyRing.builder()
          .keys(parseAll(name, lines, sources, "Fernet key", FernetKey::parse))
          .build();
    }
    List<AesGcmKey> keys = parseAll(name, lines, sources, "AES-GCM key", AesGcmKey::parse);
    try {
      return AesGcmKeyRing.builder().keys(keys).timestamps(timestamps).build();
    } catch (IllegalArgumentException e) {
      // Two keys whose ids collide: a problem of the file, named as the library's loaders name it.
      throw new ConfigException(name, e.getMessage());
    }
  }

  /** Parses every key line, collecting every problem before throwing. */
  private static <K> List<K> parseAll(
      String name,
      List<CharSequence> lines,
      List<String> sources,
      String noun,
      BiFunction<CharSequence, String, K> parser) {
    List<ConfigException.Problem> problems = new ArrayList<>();
    List<K> keys = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      try {
        keys.add(parser.apply(lines.get(i), sources.get(i)));
      } catch (ConfigException e) {
        problems.addAll(e.problems());
      }
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    if (keys.isEmpty()) {
      throw new ConfigException(name, "holds no key; expected one " + noun + " per line");
    }
    return keys;
  }

  private static boolean isBlankOrComment(CharSequence line) {
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (!Character.isWhitespace(c)) {
        return c == '#';
      }
    }
    return true;
  }
}
