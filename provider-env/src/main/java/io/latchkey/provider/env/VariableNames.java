package io.latchkey.provider.env;

/**
 * Tells a variable name from a secret that landed where a name belongs: a key pasted on its own
 * line after an editor wrapped {@code APP_ENCRYPTION_KEY=}, whose {@code =} padding makes the line
 * read as {@code KEY=value}. Such a "name" must never be listed, logged or looked up.
 *
 * <p>{@link io.latchkey.internal.PathText}'s rule for paths does not fit names: it takes {@code
 * myApiKey} for random text, and its token prefixes match names such as {@code PRIVATE_KEY} and
 * {@code npm_config_registry}. This rule counts the parts a name is made of instead. Inside each
 * word (a run of ASCII letters and digits) a part is a run of lower case, a capitalised word
 * ({@code Api}), an acronym ({@code HTTP} in {@code HTTPServer}) or a run of digits (one that ends
 * the word belongs to the part before it: {@code V2}, {@code app2}). Names have few parts, and long
 * ones: {@code databasePasswordFile} has three, {@code APP_ENCRYPTION_KEY} one per word. Random
 * text changes kind every two or three characters. A name is taken for a value when its words hold
 * at least {@value #MIN_SPLITS} more parts than there are words, and its parts are shorter than
 * {@value #MAX_AVERAGE_PART} characters on average: every Fernet key of 2,000 random ones, and
 * about 98% of 32-character hex strings. An AWS access key id ({@code AKIA} or {@code ASIA} and 16
 * more capitals and digits) and a JSON web token ({@code eyJ...}) are recognised by their shape as
 * well.
 */
final class VariableNames {
  /** Parts beyond one per word: {@code jwtSecretKeyV2Id}, with five, is still a name. */
  static final int MIN_SPLITS = 6;

  /** Random base64 averages under two characters a part, hex about three. */
  static final int MAX_AVERAGE_PART = 4;

  private VariableNames() {}

  /** Whether {@code name} looks like a pasted value rather than a variable name. */
  static boolean looksLikeValue(String name) {
    if (name.startsWith("eyJ") && name.length() > 12) {
      return true;
    }
    int parts = 0;
    int words = 0;
    int alphanumerics = 0;
    int n = name.length();
    int i = 0;
    while (i < n) {
      if (!isAlphanumeric(name.charAt(i))) {
        i++;
        continue;
      }
      int end = i;
      while (end < n && isAlphanumeric(name.charAt(end))) {
        end++;
      }
      if (isAwsKeyId(name, i, end)) {
        return true;
      }
      words++;
      alphanumerics += end - i;
      parts += parts(name, i, end);
      i = end;
    }
    return parts - words >= MIN_SPLITS && alphanumerics < MAX_AVERAGE_PART * parts;
  }

  /** Counts the parts of the word {@code [start, end)}, as the class describes them. */
  private static int parts(String word, int start, int end) {
    int parts = 0;
    int i = start;
    while (i < end) {
      char c = word.charAt(i);
      int j = i;
      if (isDigit(c)) {
        while (j < end && isDigit(word.charAt(j))) {
          j++;
        }
        if (j < end || parts == 0) {
          parts++;
        }
      } else if (isLower(c)) {
        while (j < end && isLower(word.charAt(j))) {
          j++;
        }
        parts++;
      } else {
        while (j < end && isUpper(word.charAt(j))) {
          j++;
        }
        parts++;
        if (j < end && isLower(word.charAt(j))) {
          // The last capital starts a capitalised word: HTTPServer is HTTP and Server.
          if (j - i > 1) {
            parts++;
          }
          while (j < end && isLower(word.charAt(j))) {
            j++;
          }
        }
      }
      i = j;
    }
    return parts;
  }

  private static boolean isAwsKeyId(String name, int start, int end) {
    if (end - start != 20 || !(name.startsWith("AKIA", start) || name.startsWith("ASIA", start))) {
      return false;
    }
    boolean digit = false;
    for (int i = start + 4; i < end; i++) {
      char c = name.charAt(i);
      if (isLower(c)) {
        return false;
      }
      digit |= isDigit(c);
    }
    return digit;
  }

  private static boolean isAlphanumeric(char c) {
    return isDigit(c) || isLower(c) || isUpper(c);
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isLower(char c) {
    return c >= 'a' && c <= 'z';
  }

  private static boolean isUpper(char c) {
    return c >= 'A' && c <= 'Z';
  }
}
