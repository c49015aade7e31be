package io.latchkey.cli;

import io.latchkey.KeyRing;
import java.time.Duration;
import java.util.Arrays;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Decrypts a token with any key of the ring and writes the plaintext. */
@Command(
    name = "decrypt",
    header = "Decrypts a token and writes the plaintext.",
    description = {
      "Decrypts a token read from standard input with the current or an older key",
      "and writes the plaintext exactly, without adding a line break.",
      "With --lines each line is one token and gets one plaintext line."
    })
final class DecryptCommand extends RingCommand {
  @Option(
      names = "--ttl",
      paramLabel = "SECONDS",
      converter = Converters.PositiveSeconds.class,
      description =
          "reject tokens made more than SECONDS ago (and AES-GCM tokens made without --timestamp,"
              + " which cannot show their age)")
  Duration ttl;

  DecryptCommand(Io io) {
    super(io);
  }

  @Override
  byte[] whole(KeyRing ring, byte[] input) {
    return open(ring, token(input));
  }

  @Override
  byte[] line(KeyRing ring, byte[] line) throws RejectedLine {
    byte[] plaintext = open(ring, token(line));
    for (byte b : plaintext) {
      if (b == '\n' || b == '\r') {
        Arrays.fill(plaintext, (byte) 0);
        throw new RejectedLine("plaintext contains a line break; decrypt it without --lines");
      }
    }
    return plaintext;
  }

  private byte[] open(KeyRing ring, String token) {
    return ttl == null ? ring.decrypt(token) : ring.decrypt(token, ttl);
  }
}
