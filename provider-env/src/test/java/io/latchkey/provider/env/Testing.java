package io.latchkey.provider.env;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.latchkey.config.ConfigValue;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Writes real files for the tests and builds providers over them. */
final class Testing {
  /** A secret that must never show up in a message, a {@code toString()} or a log line. */
  static final String CANARY = "CANARY-7f3a9c";

  private Testing() {}

  static Path write(Path file, String content) {
    return write(file, content.getBytes(UTF_8));
  }

  static Path write(Path file, byte[] content) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      return Files.write(file, content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes {@code dir/.env} and returns a provider over it alone: no environment, no overrides. */
  static EnvSecretProvider dotenv(Path dir, String content) {
    Path file = write(dir.resolve(".env"), content);
    return EnvSecretProvider.builder().environment(Map.of()).dotenvFile(file).build();
  }

  static String text(EnvSecretProvider provider, String name) {
    return value(provider, name).text();
  }

  static ConfigValue value(EnvSecretProvider provider, String name) {
    return provider
        .get(name)
        .orElseThrow(() -> new AssertionError(name + " is not resolved by " + provider));
  }
}
