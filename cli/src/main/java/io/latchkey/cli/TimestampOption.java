package io.latchkey.cli;

import picocli.CommandLine.Option;

/**
 * The {@code --timestamp} option of the commands that write tokens: AES-GCM tokens are untimed
 * unless it is given (docs/encryption.md, "Timed or untimed"); Fernet tokens always record the
 * time, so it changes nothing for them.
 */
final class TimestampOption {
  @Option(
      names = "--timestamp",
      description = {
        "aes-gcm: write tokens that record when they were made (the timed layout, 8 bytes",
        "longer), so that decrypt --ttl can check their age; without it AES-GCM tokens carry",
        "no time and decrypt --ttl rejects them as expired. Fernet tokens always carry one."
      })
  boolean timestamp;
}
