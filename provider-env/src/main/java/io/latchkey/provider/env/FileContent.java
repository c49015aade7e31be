package io.latchkey.provider.env;

import io.latchkey.internal.PathText;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Reads a file of bounded size, and says what is wrong with it instead of throwing: missing, a
 * directory, not a regular file, unreadable, a loop of symbolic links, or larger than the bound.
 * Only a regular file (after following symbolic links) is opened: a FIFO, a terminal or {@code
 * /dev/stdin} blocks a read until someone writes to it, which would hang a lookup and, on the poll
 * thread, every fetch waiting for the polls' lock. The size is checked before anything is read, so
 * a huge file (or a sparse one that claims to be) costs nothing, and the read is bounded as well,
 * for a file that grows while it is read.
 */
final class FileContent {
  /** What is wrong with a file; never anything about its content beyond its size. */
  enum Fault {
    MISSING("does not exist", "is not a readable file"),
    DIRECTORY("is a directory, not a file", "names a directory, not a file"),
    NOT_REGULAR(
        "is not a regular file (a device, a pipe or a socket)",
        "names something that is not a regular file (a device, a pipe or a socket)"),
    DENIED(
        "cannot be read (permission denied)",
        "names a file that cannot be read (permission denied)"),
    LOOP("is a loop of symbolic links", "names a loop of symbolic links"),
    TOO_LARGE("is larger than ", "names a file larger than "),
    UNREADABLE("cannot be read ", "names a file that cannot be read "),
    NOT_UTF8("is not valid UTF-8", "names a file that is not valid UTF-8"),
    EMPTY("is empty", "names an empty file");

    private final String shown;
    private final String hidden;

    Fault(String shown, String hidden) {
      this.shown = shown;
      this.hidden = hidden;
    }
  }

  /** The longest chain of symbolic links followed before calling it a loop, as Linux does. */
  private static final int MAX_LINKS = 40;

  private FileContent() {}

  /**
   * What reading a file gave: its bytes, or a fault.
   *
   * @param bytes the content, or {@code null} after a fault
   * @param fault what is wrong, or {@code null}
   * @param exception the simple name of the exception behind {@link Fault#UNREADABLE}, or empty
   * @param cause the exception behind the fault, if any; it names the path, never the content
   */
  record Reading(byte[] bytes, Fault fault, String exception, IOException cause) {
    static Reading of(byte[] bytes) {
      return new Reading(bytes, null, "", null);
    }

    static Reading of(Fault fault) {
      return new Reading(null, fault, "", null);
    }

    /**
     * Says what is wrong, by the path when it may be shown (see {@link PathText}).
     *
     * @param bound what {@link Fault#TOO_LARGE} says after "larger than", such as {@code 1 MiB;
     *     expected a file holding one secret}
     */
    String reason(PathText named, String context, String bound) {
      String detail =
          switch (fault) {
            case TOO_LARGE -> bound;
            case UNREADABLE -> "(" + exception + ")";
            default -> "";
          };
      return named.reason(fault.shown + detail, fault.hidden + detail, context);
    }

    /** Returns the fault, or that the file was read; never the content nor its length. */
    @Override
    public String toString() {
      return fault != null ? "Reading[" + fault + "]" : "Reading[read]";
    }
  }

  /** Reads at most {@code maxBytes}; more is {@link Fault#TOO_LARGE}. */
  static Reading read(Path path, int maxBytes) {
    try {
      BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
      if (attributes.isDirectory()) {
        return Reading.of(Fault.DIRECTORY);
      }
      if (!attributes.isRegularFile()) {
        return Reading.of(Fault.NOT_REGULAR);
      }
      if (attributes.size() > maxBytes) {
        return Reading.of(Fault.TOO_LARGE);
      }
      byte[] bytes;
      try (InputStream in = Files.newInputStream(path)) {
        bytes = in.readNBytes(maxBytes + 1);
      }
      return bytes.length > maxBytes ? Reading.of(Fault.TOO_LARGE) : Reading.of(bytes);
    } catch (NoSuchFileException e) {
      return new Reading(null, Fault.MISSING, "", e);
    } catch (AccessDeniedException e) {
      return new Reading(null, Fault.DENIED, "", e);
    } catch (FileSystemException e) {
      if (isLoop(path)) {
        return new Reading(null, Fault.LOOP, "", e);
      }
      return new Reading(null, Fault.UNREADABLE, e.getClass().getSimpleName(), e);
    } catch (IOException e) {
      // The one-line reason stays short; the cause carries the system's own detail.
      return new Reading(null, Fault.UNREADABLE, e.getClass().getSimpleName(), e);
    }
  }

  /** Follows a chain of symbolic links by hand, and says whether it never ends. */
  private static boolean isLoop(Path path) {
    Path at = path;
    try {
      for (int i = 0; i < MAX_LINKS; i++) {
        if (!Files.isSymbolicLink(at)) {
          return false;
        }
        Path target = Files.readSymbolicLink(at);
        Path parent = at.toAbsolutePath().getParent();
        at = parent == null ? target : parent.resolve(target);
      }
      return true;
    } catch (IOException | UnsupportedOperationException e) {
      return false;
    }
  }
}
