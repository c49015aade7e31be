package io.latchkey.provider.env;

import io.latchkey.ConfigException;
import io.latchkey.provider.env.internal.PathText;
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
   * @throws ConfigException if the file is missing, unreadable, a directory, too large or not UTF-8
   */
  static String read(Path path, PathText named, String setting, String context) {
    if (Files.isDirectory(path)) {
      throw problem(
          setting,
          named.reason("is a directory, not a file", "names a directory, not a file", context),
          named,
          null);
    }
    byte[] bytes;
    try (InputStream in = Files.newInputStream(path)) {
      bytes = in.readNBytes(MAX_BYTES + 1);
    } catch (NoSuchFileException e) {
      throw problem(
          setting, named.reason("does not exist", "is not a readable file", context), named, e);
    } catch (AccessDeniedException e) {
      throw problem(
          setting,
          named.reason(
              "cannot be read (permission denied)",
              "names a file that cannot be read (permission denied)",
              context),
          named,
          e);
    } catch (IOException e) {
      // The one-line reason stays short; the attached cause carries the system's own detail.
      String why = "(" + e.getClass().getSimpleName() + ")";
      throw problem(
          setting,
          named.reason("cannot be read " + why, "names a file that cannot be read " + why, context),
          named,
          e);
    }
    if (bytes.length > MAX_BYTES) {
      throw problem(
          setting,
          named.reason(
              "is larger than 1 MiB; expected a file holding one secret",
              "names a file larger than 1 MiB; expected a file holding one secret",
              context),
          named,
          null);
    }
    String content;
    try {
      content =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes))
              .toString();
    } catch (CharacterCodingException e) {
      throw problem(
          setting,
          named.reason("is not valid UTF-8", "names a file that is not valid UTF-8", context),
          named,
          null);
    }
    return stripOneLineBreak(content);
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
