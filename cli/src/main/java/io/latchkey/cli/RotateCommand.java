package io.latchkey.cli;

import io.latchkey.KeyRing;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine.Command;

/** Re-encrypts a token under the current key, keeping its timestamp. */
@Command(
    name = "rotate",
    header = "Re-encrypts a token under the current key.",
    description = {
      "Re-encrypts a token read from standard input under the current key, keeping its",
      "timestamp, and prints the new token. With --lines each line is one token."
    })
final class RotateCommand extends RingCommand {

  RotateCommand(Io io) {
    super(io);
  }

  @Override
  byte[] whole(KeyRing ring, byte[] input) {
    return (ring.rotate(token(input)) + "\n").getBytes(StandardCharsets.US_ASCII);
  }

  @Override
  byte[] line(KeyRing ring, byte[] line) {
    return ring.rotate(token(line)).getBytes(StandardCharsets.US_ASCII);
  }
}
