package io.latchkey.cli;

import io.latchkey.KeyRing;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Encrypts standard input with the current key and prints the token. */
@Command(
    name = "encrypt",
    header = "Encrypts standard input and prints the token.",
    description = {
      "Encrypts standard input with the current key and prints the token.",
      "Without --lines the exact bytes of standard input are one message;",
      "with --lines each line (UTF-8) is one message and gets one token line.",
      "AES-GCM tokens record no time unless --timestamp is given."
    })
final class EncryptCommand extends RingCommand {
  private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder();

  @Mixin TimestampOption timestamp;

  EncryptCommand(Io io) {
    super(io);
  }

  @Override
  boolean timestamps() {
    return timestamp.timestamp;
  }

  @Override
  byte[] whole(KeyRing ring, byte[] input) {
    return (ring.encrypt(input) + "\n").getBytes(StandardCharsets.US_ASCII);
  }

  @Override
  byte[] line(KeyRing ring, byte[] line) throws RejectedLine {
    try {
      // Only checked: the token holds the line's bytes as they are.
      utf8.decode(ByteBuffer.wrap(line));
    } catch (CharacterCodingException e) {
      throw new RejectedLine("line is not valid UTF-8");
    }
    return ring.encrypt(line).getBytes(StandardCharsets.US_ASCII);
  }
}
