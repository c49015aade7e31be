package io.latchkey.provider.vault;

import io.latchkey.SecretRef;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/** Vault paths: validation and percent-encoding, segment by segment. */
final class VaultPaths {
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private VaultPaths() {}

  /**
   * Returns why a path is not a usable Vault path (empty, a leading or trailing {@code /}, an
   * empty, {@code .} or {@code ..} segment), or null if it is.
   */
  static String problem(String path) {
    if (path.isEmpty()) {
      return "is empty";
    }
    for (String segment : List.of(path.split("/", -1))) {
      if (segment.isEmpty()) {
        return "has an empty segment (a leading, trailing or doubled '/')";
      }
      if (segment.equals(".") || segment.equals("..")) {
        return "has a '" + segment + "' segment";
      }
    }
    return null;
  }

  /**
   * Returns the path if it is a usable Vault path.
   *
   * @param what what the path is, for the message: {@code auth mount}
   * @throws IllegalArgumentException naming {@code what} and the {@link #problem}
   */
  static String checked(String path, String what) {
    String problem = problem(path);
    if (problem != null) {
      throw new IllegalArgumentException(what + " " + problem);
    }
    return path;
  }

  /** Percent-encodes each segment of a path, keeping the {@code /} between them. */
  static String encode(String path) {
    StringBuilder sb = new StringBuilder(path.length() + 8);
    for (byte b : path.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xFF;
      if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '.'
          || c == '_'
          || c == '~'
          || c == '/') {
        sb.append((char) c);
      } else {
        sb.append('%').append(HEX[c >> 4]).append(HEX[c & 0xF]);
      }
    }
    return sb.toString();
  }

  /** Strips leading and trailing slashes, as Vault does for mount paths. */
  static String trimSlashes(String path) {
    int start = 0;
    int end = path.length();
    while (start < end && path.charAt(start) == '/') {
      start++;
    }
    while (end > start && path.charAt(end - 1) == '/') {
      end--;
    }
    return path.substring(start, end);
  }

  /**
   * Reads {@code LATCHKEY_VAULT_CONFIG_PATH}: a reference, with or without {@code vault:}.
   *
   * @throws IllegalArgumentException if it is not a valid reference or Vault path; the message
   *     never quotes the text
   */
  static SecretRef configReference(String path) {
    String text = path.strip();
    String full = text.startsWith("vault:") ? text : "vault:" + text;
    Optional<SecretRef.Problem> syntax = SecretRef.problem(full);
    if (syntax.isPresent()) {
      throw new IllegalArgumentException(
          "config path is not a valid reference: " + syntax.get().reason());
    }
    SecretRef ref = SecretRef.parse(full);
    checked(ref.path(), "config path");
    return ref;
  }
}
