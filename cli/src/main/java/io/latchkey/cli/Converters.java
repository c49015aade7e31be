package io.latchkey.cli;

import io.latchkey.ConfigException;
import io.latchkey.crypto.FernetKey;
import io.latchkey.crypto.aead.AesGcmKey;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Option converters whose error messages never repeat the value: it may be a key typed where a name
 * or a path was expected.
 */
final class Converters {
  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  /** The alphabet of base64, base64url and hex: what keys and tokens are made of. */
  private static final Pattern TOKEN_ALPHABET = Pattern.compile("[A-Za-z0-9+/_=-]+");

  private Converters() {}

  /** A whole number of at least one. */
  static final class PositiveInt implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      return (int) positive(value, "expected a whole number from 1 to " + Integer.MAX_VALUE);
    }
  }

  /** A time-to-live in whole seconds, at least one. */
  static final class PositiveSeconds implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      return Duration.ofSeconds(
          positive(value, "expected a whole number of seconds from 1 to " + Integer.MAX_VALUE));
    }
  }

  /** The name of an environment variable, so that a key typed here is refused, not looked up. */
  static final class EnvName implements ITypeConverter<String> {
    @Override
    public String convert(String value) {
      if (!ENV_NAME.matcher(value).matches()) {
        throw new TypeConversionException(
            "expected the name of an environment variable (letters, digits and '_'), not a key");
      }
      return value;
    }
  }

  /**
   * The path of a key file. A key or a token given instead is refused here, because the key ring's
   * error would name the file, that is, print the key.
   */
  static final class KeyFile implements ITypeConverter<Path> {
    @Override
    public Path convert(String value) {
      Path path = new PathArg().convert(value);
      if (!Files.exists(path) && (isKey(value) || isKeyMaterial(value))) {
        throw new TypeConversionException("expected the path of a key file, not a key or a token");
      }
      return path;
    }

    /**
     * A Fernet or AES-GCM key or token, the secrets this tool handles, whatever else the value
     * looks like.
     */
    static boolean isKeyMaterial(String value) {
      String v = value.startsWith("./") ? value.substring(2) : value;
      // The shortest AES-GCM token (untimed, empty plaintext) is 47 characters, a key 48.
      return v.startsWith("gAAAA")
          || (v.startsWith("lk.") && v.length() >= 47)
          || (v.startsWith("lkk.") && v.length() >= 48)
          || (v.length() == 44 && TOKEN_ALPHABET.matcher(v).matches());
    }

    private static boolean isKey(String value) {
      try {
        FernetKey.parse(value);
        return true;
      } catch (ConfigException e) {
        return value.strip().startsWith(AesGcmKey.PREFIX);
      }
    }
  }

  /**
   * A path, refused without repeating it when the platform cannot represent it (a NUL character,
   * for instance): the JDK's own message quotes the input.
   */
  static final class PathArg implements ITypeConverter<Path> {
    @Override
    public Path convert(String value) {
      try {
        return Path.of(value);
      } catch (InvalidPathException e) {
        throw new TypeConversionException("expected a path");
      }
    }
  }

  /** Bounded to an int: a larger time-to-live means nothing and would overflow when added. */
  private static long positive(String value, String expected) {
    long n;
    try {
      n = Long.parseLong(value.strip());
    } catch (NumberFormatException e) {
      throw new TypeConversionException(expected);
    }
    if (n < 1 || n > Integer.MAX_VALUE) {
      throw new TypeConversionException(expected);
    }
    return n;
  }
}
