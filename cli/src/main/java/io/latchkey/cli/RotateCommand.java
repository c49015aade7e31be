package io.latchkey.cli;

import io.latchkey.KeyRing;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Re-encrypts a token under the current key, keeping its timestamp where one is written. */
@Command(
    name = "rotate",
    header = "Re-encrypts a token under the current key.",
    description = {
      "Re-encrypts a token read from standard input under the current key, keeping its",
      "timestamp, and prints the new token. With --lines each line is one token.",
      "AES-GCM tokens come out without a time unless --timestamp is given (then a token",
      "that had none is stamped with the current time)."
    })
final class RotateCommand extends RingCommand {

  @Mixin TimestampOption timestamp;

  RotateCommand(Io io) {
    super(io);
  }

  @Override
  boolean timestamps() {
    return timestamp.timestamp;
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
