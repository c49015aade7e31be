package io.latchkey.internal;

import io.latchkey.ConfigException;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Tells the name of a variable from a key passed where the name belongs, as in {@code
 * SigningKeyRing.fromEnvironment(System.getenv("SESSION_SIGNING_KEY"))}: every loader names the
 * variables it reads in its problems, so such a "name" would reach the log that reports them. Not
 * part of the API: the package is exported only to the modules that use it.
 *
 * <p>The rule looks at how often the text changes between lower case, upper case and digits inside
 * a word (a run of ASCII letters and digits). A capital followed by lower case starts a capitalised
 * word and is no change, unless it ends a run of capitals ({@code HTTPServer} changes once). Names
 * change rarely: {@code APP_ENCRYPTION_KEY} never, {@code jwtSecretKeyV2Id} five times. Random text
 * changes every two or three characters: a generated signing or API key some twenty times. A name
 * is taken for a value when it changes at least {@value #MIN_CHANGES} times and its parts (the runs
 * between changes) are shorter than {@value #MAX_AVERAGE_PART} characters on average, or when a
 * word is {@value #MIN_HEX_DIGITS} hex digits or more, letters and digits both. References ({@code
 * aws:prod/app#APP_KEY}), dotted and kebab-case names pass: their separators only end words.
 *
 * <p>No rule tells every name from every key: a long camel-case name ({@code
 * myAppV2ApiKeyForTheS3Bucket}) reads as random text. So a name is refused only where it would be
 * shown because nothing is set under it, which is always so of a key passed as a name; a name that
 * merely looks random, with its variable set, loads as before. A followed name ({@code following})
 * is the exception: it is shown in the provider's failures and in every later problem and log line,
 * so one that looks like a key is refused before anything is resolved ({@link #requireName}). A
 * parser's source and a key list's name are replaced by {@link #GIVEN} when they look like a key
 * ({@link #shown}). A required setting of a schema whose name looks like a key is reported under
 * {@link #GIVEN} when it is not set. The env provider has a rule of the same kind for the names of
 * a {@code .env} file; it is private to that module, which this one does not depend on.
 */
public final class SettingNames {
  /** Fewer changes than this is a name whatever its length. */
  static final int MIN_CHANGES = 8;

  /** Random base64 averages about two characters a part; names' parts are words. */
  static final int MAX_AVERAGE_PART = 5;

  /** The shortest key in hex a word is taken for: 128 bits. */
  static final int MIN_HEX_DIGITS = 32;

  /** Where a problem with a name that is not shown is reported. */
  public static final String GIVEN = "the setting name given";

  /** Why a name is not shown, and what was expected instead. */
  public static final String NOT_SHOWN =
      "is not a valid setting name, or names a variable that is not set (not shown, in case it is a"
          + " key); pass the name of the variable that holds the key, not the key itself";

  /**
   * Why a followed name is refused: the name of a followed source appears in every problem, log
   * line and {@code toString()} of its keys, and resolving it would name it in the provider's own
   * failures, so a name that looks like a key is refused before anything is resolved.
   */
  public static final String NOT_FOLLOWED =
      "looks like a key, not the name of a variable (not shown, in case it is one); pass the name"
          + " or the reference of the variable that holds the key, not the key itself";

  // The kinds of character the rule tells apart; OTHER ends a word.
  private static final int OTHER = 0;
  private static final int LOWER = 1;
  private static final int UPPER = 2;
  private static final int DIGIT = 3;

  private SettingNames() {}

  /**
   * Refuses a name that looks like a key where a problem would show it: when the variable it names
   * is unset or blank, so that the loader would report that variable as not set.
   *
   * @param name the name a loader was given, such as {@code SESSION_SIGNING_KEY} or {@code API_KEY}
   * @param variable the variable that must be set under it: {@code name}, or {@code name_SHA256}
   * @param env the variables the loader reads
   * @throws ConfigException reported under {@link #GIVEN}, without the name, if the name looks like
   *     a key and {@code variable} is not set
   */
  public static void requireShown(String name, String variable, Map<String, String> env) {
    String value = env.get(variable);
    if ((value == null || value.isBlank()) && looksLikeValue(name)) {
      throw new ConfigException(GIVEN, NOT_SHOWN);
    }
  }

  /**
   * Refuses a name that looks like a key, whether or not anything is set under it: for a loader
   * that resolves the name through a provider before it could tell ({@code following}), where the
   * provider's own failures and every later problem and log line name it.
   *
   * @param name the name or reference a loader was given, such as {@code APP_ENCRYPTION_KEY}
   * @throws ConfigException reported under {@link #GIVEN}, without the name, if it looks like a key
   */
  public static void requireName(String name) {
    if (looksLikeValueAsReference(name)) {
      throw new ConfigException(GIVEN, NOT_FOLLOWED);
    }
  }

  /**
   * Tells whether the name of a secret a provider is told to read (its configuration secret: a
   * name, an ARN, a path or a reference) looks like a secret's value rather than a name: when it
   * looks like a key by the rule for followed names, has a word that starts as a known token does
   * ({@code ghp_}, {@code hvs.}, {@code eyJ}, a PEM {@code BEGIN}: the prefixes {@link PathText}
   * knows), or holds a blank, a control character, a quote or a brace, which no backend's secret
   * names allow and pasted JSON and PEM text always hold. Such a name would be quoted in every
   * failure of the view and in the log, so the providers refuse it without quoting it.
   *
   * @param name the name as the setting or the builder was given it
   * @return {@code true} if it must be refused unquoted
   */
  public static boolean looksLikeSecretValue(String name) {
    return looksLikeValueAsReference(name)
        || PathText.hasTokenPrefix(name)
        || name.chars()
            .anyMatch(
                c ->
                    Character.isWhitespace(c)
                        || Character.isISOControl(c)
                        || "\"'{}".indexOf(c) >= 0);
  }

  /**
   * Tells whether a name or reference looks like a key. A reference with a scheme ({@code
   * kv:tenants/7f9c2ba4-e88f-11e9-81b4-2a2ae2dbcce4/APP_KEY}) is judged a part at a time (the parts
   * of its path, its version and its field), a canonical UUID passing, as a backend's paths hold
   * ids; text without a scheme is judged whole, as a key has none.
   */
  static boolean looksLikeValueAsReference(String name) {
    int colon = name.indexOf(':');
    if (colon <= 0 || !isScheme(name, colon)) {
      return looksLikeValue(name);
    }
    for (String part : name.substring(colon + 1).split("[/#@]")) {
      if (!UUID.matcher(part).matches() && looksLikeValue(part)) {
        return true;
      }
    }
    return false;
  }

  private static final Pattern UUID =
      Pattern.compile(
          "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

  /** A URI scheme's letters, as references' schemes are: a letter, then letters, digits, +.-. */
  private static boolean isScheme(String name, int end) {
    for (int i = 0; i < end; i++) {
      char c = name.charAt(i);
      boolean letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
      if (!letter && (i == 0 || !((c >= '0' && c <= '9') || c == '+' || c == '.' || c == '-'))) {
        return false;
      }
    }
    return true;
  }

  /**
   * The name a problem is reported under: {@code source} itself, or {@link #GIVEN} when it looks
   * like a key, as when a parser's two string arguments are swapped ({@code parse(name, key)}).
   *
   * @param source the setting, list entry or file line a value came from
   * @return {@code source}, or {@link #GIVEN}
   */
  public static String shown(String source) {
    return looksLikeValue(source) ? GIVEN : source;
  }

  /**
   * Tells whether a name looks like a key rather than the name of a variable, by the rule the class
   * describes.
   *
   * @param name the name
   * @return {@code true} if it must not be shown
   */
  public static boolean looksLikeValue(String name) {
    int changes = 0;
    int parts = 0;
    int alphanumerics = 0;
    int previous = OTHER;
    int run = 0; // characters of the previous kind so far
    int wordStart = 0;
    for (int i = 0; i <= name.length(); i++) {
      int kind = i < name.length() ? kind(name.charAt(i)) : OTHER;
      if (kind == OTHER) {
        if (previous != OTHER && isLongHex(name, wordStart, i)) {
          return true;
        }
        previous = OTHER;
        continue;
      }
      alphanumerics++;
      if (previous == OTHER) {
        parts++;
        wordStart = i;
        run = 0;
      } else if (kind != previous) {
        // A capital then lower case starts a capitalised word, unless it ends an acronym.
        if (previous != UPPER || kind != LOWER || run > 1) {
          changes++;
          parts++;
        }
        run = 0;
      }
      run++;
      previous = kind;
    }
    return changes >= MIN_CHANGES && alphanumerics < MAX_AVERAGE_PART * parts;
  }

  /**
   * Whether the word {@code [start, end)} is a key in hex: {@value #MIN_HEX_DIGITS} hex digits or
   * more, letters and digits both. Hex changes kind less often than base64 (six letters to ten
   * digits), and a 128-bit key in hex may change fewer than {@value #MIN_CHANGES} times.
   */
  private static boolean isLongHex(String name, int start, int end) {
    if (end - start < MIN_HEX_DIGITS) {
      return false;
    }
    boolean letter = false;
    boolean digit = false;
    for (int i = start; i < end; i++) {
      char c = name.charAt(i);
      if (c >= '0' && c <= '9') {
        digit = true;
      } else if ((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')) {
        letter = true;
      } else {
        return false;
      }
    }
    return letter && digit;
  }

  private static int kind(char c) {
    if (c >= 'a' && c <= 'z') {
      return LOWER;
    }
    if (c >= 'A' && c <= 'Z') {
      return UPPER;
    }
    return c >= '0' && c <= '9' ? DIGIT : OTHER;
  }
}
