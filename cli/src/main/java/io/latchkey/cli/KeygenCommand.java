package io.latchkey.cli;

import io.latchkey.Secret;
import io.latchkey.crypto.FernetKey;
import io.latchkey.crypto.aead.AesGcmKey;
import io.latchkey.crypto.aead.TokenFormat;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Prints new random keys, one per line, Fernet unless {@code --format aes-gcm} says otherwise. */
@Command(
    name = "keygen",
    header = "Prints new random keys.",
    description = {
      "Prints a new random Fernet key (44 characters of URL-safe base64), or with",
      "--format aes-gcm an AES-256-GCM key ('lkk.' and 44 characters).",
      "Store it in an environment variable or a key file; never pass it as an argument."
    })
final class KeygenCommand implements Callable<Integer> {
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

  private final Io io;

  KeygenCommand(Io io) {
    this.io = io;
  }

  @Override
  public Integer call() {
    for (int i = 0; i < count; i++) {
      Secret encoded =
          format == TokenFormat.AES_GCM
              ? AesGcmKey.generate().encoded()
              : FernetKey.generate().encoded();
      byte[] key = encoded.revealBytes();
      io.out().write(key, 0, key.length);
      io.out().println();
      Arrays.fill(key, (byte) 0);
      encoded.wipe();
    }
    io.finishOutput();
    return 0;
  }
}
