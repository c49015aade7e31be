package io.latchkey.provider.env;

import io.latchkey.internal.PathText;
import java.nio.file.Path;

/**
 * How a lookup reads a file that holds one secret: straight from the disk, as a configuration load
 * does, or through the {@link MountedFiles} a resolver's fetches go through.
 */
interface SecretFileSource {
  /** Reads the disk on every call. */
  SecretFileSource DIRECT =
      new SecretFileSource() {
        @Override
        public String read(Path path, PathText named, String setting, String context) {
          return SecretFiles.read(path, named, setting, context);
        }

        @Override
        public boolean holds(Path path) {
          return false;
        }
      };

  /**
   * Returns the file's value, as {@link SecretFiles#read} documents.
   *
   * @throws io.latchkey.ConfigException if the file cannot be read
   */
  String read(Path path, PathText named, String setting, String context);

  /**
   * Tells whether this source holds a value for the file whatever the disk says right now, so that
   * a secrets-directory file that vanished for a moment is still looked up.
   */
  boolean holds(Path path);
}
