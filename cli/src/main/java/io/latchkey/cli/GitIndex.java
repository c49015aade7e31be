package io.latchkey.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Answers whether a path is tracked by git by reading the repository's index file itself, in the
 * formats git writes (versions 2, 3 and 4, SHA-1 or SHA-256 object names, split and sparse
 * indexes), as {@code gitformat-index} documents them.
 *
 * <p>The doctor inspects repositories it does not trust: the one a {@code .env} file happens to sit
 * in. Running {@code git} there runs whatever that repository configures ({@code core.fsmonitor}
 * runs a program on every index read, and {@code include.path} pulls in more configuration), and no
 * set of {@code -c} overrides is known to cover every such key in every git version. Reading the
 * file runs nothing. Anything unexpected makes the answer "unknown", which gives no warning.
 */
final class GitIndex {
  private static final int SIGNATURE = 0x44495243; // "DIRC"

  /** Larger indexes exist only in huge monorepos; past this the doctor does not look. */
  private static final long MAX_BYTES = 256L << 20;

  private static final Pattern GITDIR_FILE = Pattern.compile("gitdir:\\s*(.+?)\\s*");

  private static final Pattern OBJECT_FORMAT =
      Pattern.compile("(?im)^\\s*objectformat\\s*=\\s*\"?sha256\"?\\s*$");

  private GitIndex() {}

  /**
   * Whether {@code relative} (a path inside the work tree, relative to it) is in the index of the
   * work tree at {@code workTree}.
   *
   * @return the answer, or empty when the index cannot be found or read
   */
  static Optional<Boolean> isTracked(Path workTree, Path relative) {
    try {
      Optional<Path> gitDir = gitDir(workTree);
      if (gitDir.isEmpty()) {
        return Optional.empty();
      }
      Path index = gitDir.get().resolve("index");
      if (!Files.isRegularFile(index)) {
        // A repository with nothing staged yet has no index: nothing is tracked.
        return Optional.of(false);
      }
      int hashLength = hashLength(gitDir.get());
      byte[] wanted = slashed(relative).getBytes(StandardCharsets.UTF_8);
      Entries main = read(index, hashLength);
      if (main.contains(wanted)) {
        return Optional.of(true);
      }
      if (main.sharedIndex != null) {
        // Split index: most entries live in the shared index; one the split index deletes still
        // counts here, which at worst gives a warning for a file that is about to be untracked.
        Path shared = gitDir.get().resolve("sharedindex." + main.sharedIndex);
        return Optional.of(
            Files.isRegularFile(shared) && read(shared, hashLength).contains(wanted));
      }
      return Optional.of(false);
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** {@code .git} as a directory, or as a file naming one (work trees added by git, submodules). */
  static Optional<Path> gitDir(Path workTree) throws IOException {
    Path dotGit = workTree.resolve(".git");
    if (Files.isDirectory(dotGit)) {
      return Optional.of(dotGit);
    }
    if (!Files.isRegularFile(dotGit) || Files.size(dotGit) > 4096) {
      return Optional.empty();
    }
    String text = Files.readString(dotGit, StandardCharsets.UTF_8).strip();
    Matcher m = GITDIR_FILE.matcher(text);
    if (!m.matches()) {
      return Optional.empty();
    }
    Path dir = workTree.resolve(m.group(1));
    return Files.isDirectory(dir) ? Optional.of(dir) : Optional.empty();
  }

  /**
   * SHA-256 repositories say so in their configuration; a linked work tree's git directory keeps
   * the configuration in the common directory that its {@code commondir} file names.
   */
  private static int hashLength(Path gitDir) throws IOException {
    Path common = gitDir;
    Path commondir = gitDir.resolve("commondir");
    if (Files.isRegularFile(commondir)) {
      common = gitDir.resolve(Files.readString(commondir, StandardCharsets.UTF_8).strip());
    }
    Path config = common.resolve("config");
    if (Files.isRegularFile(config) && Files.size(config) < (1 << 20)) {
      String text = Files.readString(config, StandardCharsets.ISO_8859_1);
      if (OBJECT_FORMAT.matcher(text).find()) {
        return 32;
      }
    }
    return 20;
  }

  private static String slashed(Path relative) {
    StringBuilder sb = new StringBuilder();
    for (Path part : relative) {
      if (sb.length() > 0) {
        sb.append('/');
      }
      sb.append(part);
    }
    return sb.toString();
  }

  /** The paths of one index file, and the shared index it points to, if any. */
  static final class Entries {
    final byte[][] paths;
    final String sharedIndex;

    Entries(byte[][] paths, String sharedIndex) {
      this.paths = paths;
      this.sharedIndex = sharedIndex;
    }

    /** The path itself, or a sparse-directory entry ({@code dir/}) that holds it. */
    boolean contains(byte[] wanted) {
      for (byte[] path : paths) {
        if (Arrays.equals(path, wanted)) {
          return true;
        }
        if (path.length > 0
            && path[path.length - 1] == '/'
            && path.length < wanted.length
            && Arrays.equals(path, 0, path.length, wanted, 0, path.length)) {
          return true;
        }
      }
      return false;
    }
  }

  static Entries read(Path file, int hashLength) throws IOException {
    if (Files.size(file) > MAX_BYTES) {
      throw new IOException("index too large");
    }
    return parse(Files.readAllBytes(file), hashLength);
  }

  /**
   * Parses an index: a 12-byte header, the entries, then extensions, then a checksum. Entries are
   * fixed fields (40 bytes of stat data, the object name, 2 bytes of flags, and 2 more in version 3
   * and later when the extended flag is set), then the path: NUL-padded to a multiple of 8 in
   * versions 2 and 3, prefix-compressed against the previous path in version 4.
   */
  static Entries parse(byte[] bytes, int hashLength) {
    ByteBuffer in = ByteBuffer.wrap(bytes);
    if (in.getInt() != SIGNATURE) {
      throw new IllegalArgumentException("not an index");
    }
    int version = in.getInt();
    if (version < 2 || version > 4) {
      throw new IllegalArgumentException("index version");
    }
    int count = in.getInt();
    if (count < 0 || count > bytes.length / 40) {
      throw new IllegalArgumentException("entry count");
    }
    byte[][] paths = new byte[count][];
    byte[] previous = new byte[0];
    for (int i = 0; i < count; i++) {
      int start = in.position();
      in.position(start + 40 + hashLength);
      int flags = in.getShort() & 0xffff;
      if (version >= 3 && (flags & 0x4000) != 0) {
        in.getShort();
      }
      byte[] path;
      if (version == 4) {
        int strip = (int) varint(in);
        if (strip > previous.length) {
          throw new IllegalArgumentException("prefix");
        }
        byte[] suffix = untilNul(in);
        path = new byte[previous.length - strip + suffix.length];
        System.arraycopy(previous, 0, path, 0, previous.length - strip);
        System.arraycopy(suffix, 0, path, previous.length - strip, suffix.length);
      } else {
        path = untilNul(in);
        // One to eight NULs end the entry at a multiple of eight bytes from its start.
        int length = in.position() - start;
        in.position(start + ((length + 7) & ~7));
      }
      paths[i] = path;
      previous = path;
    }
    return new Entries(paths, sharedIndex(in, bytes.length - hashLength, hashLength));
  }

  /** The {@code link} extension names the shared index of a split index by its object name. */
  private static String sharedIndex(ByteBuffer in, int end, int hashLength) {
    while (in.position() + 8 <= end) {
      byte[] signature = new byte[4];
      in.get(signature);
      int size = in.getInt();
      if (size < 0 || in.position() + size > end) {
        return null;
      }
      if (new String(signature, StandardCharsets.US_ASCII).equals("link") && size >= hashLength) {
        byte[] name = new byte[hashLength];
        in.get(name);
        return HexFormat.of().formatHex(name).toLowerCase(Locale.ROOT);
      }
      in.position(in.position() + size);
    }
    return null;
  }

  /** Git's offset encoding: 7 bits a byte, high bit set on all but the last, plus one per step. */
  private static long varint(ByteBuffer in) {
    int b = in.get() & 0xff;
    long value = b & 0x7f;
    while ((b & 0x80) != 0) {
      b = in.get() & 0xff;
      value = ((value + 1) << 7) | (b & 0x7f);
      if (value > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("varint");
      }
    }
    return value;
  }

  private static byte[] untilNul(ByteBuffer in) {
    int start = in.position();
    while (in.get() != 0) {
      // scanning; BufferUnderflowException ends a truncated file
    }
    byte[] path = new byte[in.position() - 1 - start];
    in.get(start, path);
    return path;
  }
}
