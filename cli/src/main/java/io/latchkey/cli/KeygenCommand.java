package io.latchkey.cli;

import io.latchkey.Secret;
import io.latchkey.crypto.FernetKey;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Prints new random Fernet keys, one per line. */
@Command(
    name = "keygen",
    header = "Prints new random Fernet keys.",
    description = {
      "Prints a new random Fernet key: 44 characters of URL-safe base64.",
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

  private final Io io;

  KeygenCommand(Io io) {
    this.io = io;
  }

  @Override
  public Integer call() {
    for (int i = 0; i < count; i++) {
      Secret encoded = FernetKey.generate().encoded();
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
