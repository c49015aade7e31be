package io.latchkey.cli;

import io.latchkey.ConfigException;
import io.latchkey.Secret;
import io.latchkey.crypto.FernetKey;
import io.latchkey.crypto.aead.AesGcmKey;
import io.latchkey.crypto.aead.TokenFormat;
import io.latchkey.internal.PathText;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Prints new random keys, one per line, Fernet unless {@code --format aes-gcm} says otherwise, or
 * writes them to a new key file with {@code --out}.
 */
@Command(
    name = "keygen",
    header = "Prints new random keys, or writes them to a new key file.",
    description = {
      "Prints a new random Fernet key (44 characters of URL-safe base64), or with",
      "--format aes-gcm an AES-256-GCM key ('lkk.' and 44 characters).",
      "Store it in an environment variable or a key file; never pass it as an argument.",
      "--out FILE writes the keys to FILE instead, a file it creates readable by its",
      "owner only (where the file system has POSIX permissions); a FILE that exists",
      "is refused and left as it is, since it may hold a key in use."
    },
    footer = {
      "",
      "Examples:",
      "  latchkey keygen --format aes-gcm --out data-key.txt",
      "  export APP_KEY=\"$(latchkey keygen)\"",
      "",
      "Exit status: 0 success, 1 the --out file exists or cannot be written, 2 usage error."
    })
final class KeygenCommand implements Callable<Integer> {
  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");

  @Option(
      names = "--count",
      paramLabel = "N",
      defaultValue = "1",
      converter = Converters.PositiveInt.class,
      description = "how many keys to print (default: ${DEFAULT-VALUE})")
  int count = 1;

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      defaultValue = "fernet",
      converter = FormatOption.Converter.class,
      description = "key format: fernet or aes-gcm (default: ${DEFAULT-VALUE})")
  TokenFormat format = TokenFormat.FERNET;

  @Option(
      names = "--out",
      paramLabel = "FILE",
      converter = Converters.KeyFile.class,
      description =
          "write the keys to FILE, created readable by its owner only; an existing FILE is"
              + " refused")
  Path out;

  private final Io io;

  KeygenCommand(Io io) {
    this.io = io;
  }

  @Override
  public Integer call() {
    if (out != null) {
      writeFile();
      return 0;
    }
    for (int i = 0; i < count; i++) {
      byte[] line = nextLine();
      io.out().write(line, 0, line.length);
      Arrays.fill(line, (byte) 0);
    }
    io.finishOutput();
    return 0;
  }

  /** A new key and a line break. */
  private byte[] nextLine() {
    Secret encoded =
        format == TokenFormat.AES_GCM
            ? AesGcmKey.generate().encoded()
            : FernetKey.generate().encoded();
    byte[] key = encoded.revealBytes();
    byte[] line = Arrays.copyOf(key, key.length + 1);
    line[key.length] = '\n';
    Arrays.fill(key, (byte) 0);
    encoded.wipe();
    return line;
  }

  /**
   * Creates the {@code --out} file, never replacing one (a key in use would be lost, and the data
   * under it), with owner-only permissions from its creation rather than set once the key is in it,
   * and forces the keys to the disk. A file left half written is removed.
   */
  private void writeFile() {
    String name = PathText.name("--out", out.toString(), List.of());
    FileChannel channel;
    try {
      Set<StandardOpenOption> options =
          Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      channel =
          out.getFileSystem().supportedFileAttributeViews().contains("posix")
              ? FileChannel.open(out, options, PosixFilePermissions.asFileAttribute(OWNER_ONLY))
              : FileChannel.open(out, options);
    } catch (FileAlreadyExistsException e) {
      throw new ConfigException(
          name,
          "already exists; --out never replaces a file, which may hold a key in use: choose"
              + " another name");
    } catch (NoSuchFileException e) {
      throw new ConfigException(name, "cannot be created: its directory does not exist");
    } catch (AccessDeniedException e) {
      throw new ConfigException(name, "cannot be created: permission denied");
    } catch (IOException e) {
      throw new ConfigException(name, "cannot be created");
    }
    try (channel) {
      for (int i = 0; i < count; i++) {
        byte[] line = nextLine();
        try {
          ByteBuffer buffer = ByteBuffer.wrap(line);
          while (buffer.hasRemaining()) {
            channel.write(buffer);
          }
        } finally {
          Arrays.fill(line, (byte) 0);
        }
      }
      channel.force(true);
    } catch (IOException e) {
      String removed;
      try {
        Files.deleteIfExists(out);
        removed = "it was removed";
      } catch (IOException notRemoved) {
        removed = "it may hold part of a key: remove it";
      }
      throw new ConfigException(name, "cannot be written; " + removed);
    }
  }
}
