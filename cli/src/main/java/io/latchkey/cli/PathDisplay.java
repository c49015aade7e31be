package io.latchkey.cli;

import java.io.File;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;

/**
 * How every path error of the command line names the path: quoted only when the text looks like a
 * path, because a value typed into {@code --env-file}, {@code --key-file}, {@code --schema} and the
 * like by mistake is often the secret itself, and an error that quotes it prints it to a terminal
 * or a CI log.
 *
 * <p>A value is shown when all of these hold: it is at most {@value #MAX_LENGTH} characters long,
 * has no surrounding whitespace and no control, format or shell-significant character; it is
 * absolute, starts with {@code ./}, {@code ../} or {@code ~/}, or is a relative path of lower-case
 * words with a separator ({@code config/schema.json}); no segment looks like a token (a long run
 * without a dot that mixes letters and digits or upper and lower case); it is not a Fernet or
 * AES-GCM key or token; and it does not contain a secret the caller knows. Anything else is
 * replaced by {@link #NOT_SHOWN}, after the option's name.
 */
final class PathDisplay {
  /** Said instead of a value that is not shown. */
  static final String NOT_SHOWN = "(value not shown: it does not look like a path)";

  /** Longer than any path typed by hand; keys, tokens and pasted blobs are often longer. */
  static final int MAX_LENGTH = 200;

  /** Known secrets shorter than this match ordinary path text by chance. */
  private static final int MIN_SECRET_LENGTH = 4;

  /** Characters that shape URLs, shells and credentials, and rarely appear in a path. */
  private static final String NEVER_IN_A_PATH = "\"'`$|;&<>*?=@%#{}[],+!:";

  /** A relative path without a prefix: lower-case words, digits, dots, dashes, underscores. */
  private static final Pattern WORD = Pattern.compile("[a-z0-9._-]+");

  /** The alphabet of base64, base64url and hex: what keys and tokens are made of. */
  private static final Pattern TOKEN_ALPHABET = Pattern.compile("[A-Za-z0-9+/_=-]+");

  private static final Pattern WINDOWS_ABSOLUTE = Pattern.compile("[A-Za-z]:[\\\\/].*");

  private PathDisplay() {}

  /**
   * Names a path given to an option for an error message.
   *
   * @param option the option, such as {@code --env-file}, named when the value is not shown
   * @param path the path as the user gave it
   * @param secrets values the caller knows to be secret; a path containing one is never shown
   * @return the path, or the option followed by {@link #NOT_SHOWN}
   */
  static String of(String option, Path path, Collection<String> secrets) {
    return of(option, path.toString(), secrets);
  }

  /** As {@link #of(String, Path, Collection)}, for a path that is still text. */
  static String of(String option, String value, Collection<String> secrets) {
    return isShown(value, secrets) ? value : option + " " + NOT_SHOWN;
  }

  /** As {@link #of(String, Path, Collection)}, when no secret is known. */
  static String of(String option, Path path) {
    return of(option, path, List.of());
  }

  /** Whether {@code value} may be quoted in an error. */
  static boolean isShown(String value, Collection<String> secrets) {
    if (value.isEmpty() || value.length() > MAX_LENGTH || !value.equals(value.strip())) {
      return false;
    }
    for (String secret : secrets) {
      if (secret != null
          && secret.strip().length() >= MIN_SECRET_LENGTH
          && value.contains(secret.strip())) {
        return false;
      }
    }
    if (!value.codePoints().allMatch(PathDisplay::isPathCharacter)) {
      return false;
    }
    boolean windows = File.separatorChar == '\\';
    if (!windows && value.indexOf('\\') >= 0) {
      return false; // an escape or a pasted Windows path; neither is worth the risk
    }
    boolean prefixed =
        value.startsWith("/")
            || value.startsWith("./")
            || value.startsWith("../")
            || value.startsWith("~/")
            || (windows && (WINDOWS_ABSOLUTE.matcher(value).matches() || value.startsWith("\\\\")));
    String[] segments = value.split(windows ? "[/\\\\]" : "/");
    if (!prefixed) {
      if (segments.length < 2) {
        return false; // a bare word: as likely a password as a file name
      }
      for (String segment : segments) {
        if (!segment.isEmpty() && !WORD.matcher(segment).matches()) {
          return false;
        }
      }
    }
    for (String segment : segments) {
      if (looksLikeToken(segment)) {
        return false;
      }
    }
    return !isKeyMaterial(value);
  }

  /** Printable: no control, format or separator character other than a plain space. */
  private static boolean isPathCharacter(int c) {
    if (c == ' ') {
      return true;
    }
    if (Character.isISOControl(c) || Character.isWhitespace(c) || Character.isSpaceChar(c)) {
      return false;
    }
    int type = Character.getType(c);
    if (type == Character.FORMAT
        || type == Character.PRIVATE_USE
        || type == Character.SURROGATE
        || type == Character.UNASSIGNED) {
      return false;
    }
    return c > 0x7e || NEVER_IN_A_PATH.indexOf(c) < 0;
  }

  /**
   * A segment without a dot that is long and mixes character classes as random strings do; file and
   * directory names are words, and {@code junit12345} has no upper case.
   */
  static boolean looksLikeToken(String segment) {
    if (segment.length() < 8 || segment.indexOf('.') >= 0) {
      return false;
    }
    boolean upper = segment.chars().anyMatch(c -> c >= 'A' && c <= 'Z');
    boolean lower = segment.chars().anyMatch(c -> c >= 'a' && c <= 'z');
    boolean digit = segment.chars().anyMatch(c -> c >= '0' && c <= '9');
    if (upper && lower && digit) {
      return true;
    }
    return segment.length() >= 20 && TOKEN_ALPHABET.matcher(segment).matches() && upper && lower;
  }

  /**
   * A Fernet or AES-GCM key or token, the secrets this tool handles, whatever else the value looks
   * like.
   */
  static boolean isKeyMaterial(String value) {
    String v = value.startsWith("./") ? value.substring(2) : value;
    return v.startsWith("gAAAA")
        || ((v.startsWith("lk.") || v.startsWith("lkk.")) && v.length() >= 48)
        || (v.length() == 44 && TOKEN_ALPHABET.matcher(v).matches());
  }
}
