package io.latchkey.cli;

import io.latchkey.crypto.aead.AesGcmKey;
import io.latchkey.crypto.aead.TokenFormat;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * The {@code --format} option of the commands that work with keys: {@code fernet} or {@code
 * aes-gcm}. Left out, the format is the keys' own (an AES-GCM key starts with {@code lkk.}).
 */
final class FormatOption {
  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      converter = Converter.class,
      description = "token format: fernet or aes-gcm (default: the format of the keys)")
  TokenFormat format;

  /** The format given, or the one the current key is written in. */
  TokenFormat orOf(String currentKey) {
    if (format != null) {
      return format;
    }
    return currentKey != null && currentKey.strip().startsWith(AesGcmKey.PREFIX)
        ? TokenFormat.AES_GCM
        : TokenFormat.FERNET;
  }

  /** Names the formats without echoing what was typed. */
  static final class Converter implements ITypeConverter<TokenFormat> {
    @Override
    public TokenFormat convert(String value) {
      try {
        return TokenFormat.of(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException("expected fernet or aes-gcm");
      }
    }
  }
}
