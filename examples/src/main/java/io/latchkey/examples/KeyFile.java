package io.latchkey.examples;

import io.latchkey.Secret;
import io.latchkey.config.KeyList;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The quickstart's mounted key file: one key per line, the current one first, in a secrets
 * directory of its own, replaced the way a platform replaces a mounted secret: written beside the
 * file, then moved over it in one step, so that a reader never sees it half-written.
 */
final class KeyFile {
  /** The file name the env provider maps {@code APP_ENCRYPTION_KEY} to in a secrets directory. */
  private static final String NAME = "app_encryption_key";

  private final Path directory;

  private KeyFile(Path directory) {
    this.directory = directory;
  }

  /** Creates {@code scratch/keys/app_encryption_key}, owner-only, holding the configured keys. */
  static KeyFile mount(Path scratch, KeyList keys) throws IOException {
    KeyFile file = new KeyFile(Files.createDirectories(scratch.resolve("keys")));
    List<Secret> all = new ArrayList<>();
    all.add(keys.current());
    all.addAll(keys.previous());
    file.replace(all.toArray(new Secret[0]));
    return file;
  }

  Path directory() {
    return directory;
  }

  Path file() {
    return directory.resolve(NAME);
  }

  /** Replaces the file with these keys, the current one first, in one atomic move. */
  void replace(Secret... keys) throws IOException {
    StringBuilder text = new StringBuilder();
    for (Secret key : keys) {
      text.append(key.reveal().strip()).append('\n');
    }
    // A hidden name: the secrets directory never serves it.
    Path next = directory.resolve("." + NAME + ".next");
    Files.deleteIfExists(next);
    Files.write(
        Files.createFile(next, ownerOnly()), text.toString().getBytes(StandardCharsets.UTF_8));
    Files.move(next, file(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** Removes the file and its directory. */
  void delete() throws IOException {
    Files.deleteIfExists(directory.resolve("." + NAME + ".next"));
    Files.deleteIfExists(file());
    Files.deleteIfExists(directory);
  }

  /** Owner-only permissions from the first byte, where the file system has POSIX permissions. */
  static FileAttribute<?>[] ownerOnly() {
    return FileSystems.getDefault().supportedFileAttributeViews().contains("posix")
        ? new FileAttribute<?>[] {
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))
        }
        : new FileAttribute<?>[0];
  }

  @Override
  public String toString() {
    return "KeyFile[" + Arrays.asList(directory, NAME) + "]";
  }
}
