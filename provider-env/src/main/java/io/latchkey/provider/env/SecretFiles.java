package io.latchkey.provider.env;

import io.latchkey.ConfigException;
import io.latchkey.internal.PathText;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Reads a file that holds one secret, as {@code NAME_FILE} and secrets directories name them.
 *
 * <p>Errors name the setting and the path (when it looks like one: see {@link PathText}), never a
 * byte of the content.
 */
final class SecretFiles {
  /**
   * The largest file read: Kubernetes caps a secret at 1 MiB, and a larger file is a mistake (such
   * as {@code NAME_FILE=/dev/zero}) rather than a secret.
   */
  static final int MAX_BYTES = 1 << 20;

  /** What a problem says after "larger than". */
  static final String BOUND = "1 MiB; expected a file holding one secret";

  private SecretFiles() {}

  /**
   * Returns the file's content, decoded as UTF-8, with one trailing line break ({@code \n} or
   * {@code \r\n}) removed, as {@code echo secret > file} writes it.
   *
   * @param path the file
   * @param named how problems name the file: the path, or nothing when the value does not look like
   *     one (see {@link PathText})
   * @param setting the setting a problem is reported against, such as {@code DB_PASSWORD_FILE}
   * @param context where the setting came from, added to the reason, such as {@code named in the
   *     environment}; may be empty
   * @throws ConfigException if the file is missing, unreadable, a directory, a loop of symbolic
   *     links, too large, not UTF-8, or empty (nothing, or a line break alone): a file mounted
   *     before its content was written holds no secret, and the value is never taken for unset
   */
  static String read(Path path, PathText named, String setting, String context) {
    return text(FileContent.read(path, MAX_BYTES), named, setting, context);
  }

  /**
   * Returns the value a reading of such a file holds, as {@link #read} does. A configuration load
   * and a resolver's first fetch both read through here, so both refuse an empty file alike, as a
   * poll does (see {@link MountedFiles}).
   *
   * @throws ConfigException if the reading found a fault, or the content is not UTF-8 or is empty
   */
  static String text(FileContent.Reading reading, PathText named, String setting, String context) {
    if (reading.fault() != null) {
      throw problem(setting, reading.reason(named, context, BOUND), named, reading.cause());
    }
    String content = decode(reading.bytes());
    if (content == null) {
      throw problem(
          setting,
          FileContent.Reading.of(FileContent.Fault.NOT_UTF8).reason(named, context, BOUND),
          named,
          null);
    }
    String value = stripOneLineBreak(content);
    if (value.isEmpty()) {
      throw problem(
          setting,
          FileContent.Reading.of(FileContent.Fault.EMPTY).reason(named, context, BOUND),
          named,
          null);
    }
    return value;
  }

  /** Decodes strict UTF-8, or returns {@code null} if the bytes are not UTF-8. */
  static String decode(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  /** Removes one trailing {@code \n} or {@code \r\n}; a second one is part of the value. */
  static String stripOneLineBreak(String content) {
    if (content.endsWith("\r\n")) {
      return content.substring(0, content.length() - 2);
    }
    if (content.endsWith("\n")) {
      return content.substring(0, content.length() - 1);
    }
    return content;
  }

  private static ConfigException problem(
      String setting, String reason, PathText named, IOException cause) {
    ConfigException e = new ConfigException(setting, reason);
    // NIO messages name the path and the operating system's reason, never the file's content; but
    // a path that is not shown must not come back through the cause either.
    if (cause != null && named.isShown()) {
      e.initCause(cause);
    }
    return e;
  }
}
