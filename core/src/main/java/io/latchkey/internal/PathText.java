package io.latchkey.internal;

import java.nio.file.Path;
import java.util.Collection;
import java.util.List;

/**
 * What an error says about a path a setting holds ({@code NAME_FILE}, {@code LATCHKEY_ENV_FILE},
 * {@code LATCHKEY_SECRETS_DIR}): the path itself when the value looks like one, and otherwise the
 * reason alone with a note that the value is not shown, because a value that does not look like a
 * path is most likely a secret typed into the wrong variable.
 *
 * <p>A value looks like a path when all of these hold:
 *
 * <ul>
 *   <li>it has 1 to {@value #MAX_LENGTH} characters and no blank at either end;
 *   <li>it holds only letters (any script), digits, combining marks, inner spaces and {@code / \ .
 *       _ - ~ ( )}, plus a {@code :} only after a drive letter ({@code C:\}): no control characters
 *       and none of the characters URLs, credentials and encodings are made of ({@code @ : + = % ?
 *       # & ; $ " '} and the rest);
 *   <li>it has a separator ({@code /} or {@code \}), which every absolute path and every {@code
 *       ./}, {@code ../} or {@code ~/} path has, or is {@code .} or {@code ..}; a bare name such as
 *       {@code prod.env} is indistinguishable from a password and must be written {@code
 *       ./prod.env} to be quoted;
 *   <li>no word (run of letters and digits) starts with a known token prefix ({@code ghp_}, {@code
 *       sk-}, {@code xoxb-}, {@code AKIA}, {@code eyJ}, a PEM {@code BEGIN} and others);
 *   <li>it does not look random: at least two switches between upper case, lower case and digits
 *       inside words (runs of letters and digits), and more than one per eight letters and digits,
 *       is random. A single capital starting a word part ({@code MyConfig}) and digits ending a
 *       word ({@code app2}) are no switch. Random text switches about every other character; names
 *       such as {@code db_password}, {@code JohnSmith} or {@code junit4471960} rarely. The JVM's
 *       temporary directory (random on macOS) and a Kubernetes pod's directory are left out of this
 *       count, being the system's names; other directories with random names make a path unquoted;
 *   <li>it neither contains nor is contained in a value of the secret the setting stands for (for
 *       {@code API_TOKEN_FILE}, any {@code API_TOKEN}): the value a {@code _FILE} variable must
 *       never hold is the secret itself.
 * </ul>
 *
 * <p>The rule decides on the value as written; a relative path is then quoted as resolved against
 * the working directory. A file that was opened is not subject to it: its name in an origin or a
 * {@code .env line N} problem is shown, since it demonstrably names a file.
 *
 * <p>The env provider, the GCP provider ({@code GOOGLE_APPLICATION_CREDENTIALS}) and the command
 * line's options ({@code --env-file}, {@code --key-file} and the rest) follow this one rule. Not
 * part of the API: the package is exported only to the modules that use it.
 */
public final class PathText {
  /** The longest value quoted: longer ones are rare as paths and common as keys and tokens. */
  public static final int MAX_LENGTH = 256;

  /** The note a problem carries instead of the value. */
  public static final String NOT_SHOWN = "value not shown: it does not look like a path";

  /** Prefixes of common credentials, matched at the start of a word. */
  private static final List<String> TOKEN_PREFIXES =
      List.of(
          "ghp_",
          "gho_",
          "ghu_",
          "ghs_",
          "ghr_",
          "github_pat_",
          "glpat-",
          "xoxa-",
          "xoxb-",
          "xoxp-",
          "xoxr-",
          "xoxs-",
          "sk-",
          "sk_live_",
          "sk_test_",
          "rk_live_",
          "rk_test_",
          "pk_live_",
          "AKIA",
          "ASIA",
          "AIza",
          "ya29.",
          "hvs.",
          "hvb.",
          "npm_",
          "pypi-",
          "SG.",
          "dop_v1_",
          "eyJ",
          "BEGIN",
          "PRIVATE");

  private final String shown;

  private PathText(String shown) {
    this.shown = shown;
  }

  /**
   * Decides how errors name a path.
   *
   * @param typed the value as the setting holds it
   * @param resolved the path it names, resolved against the working directory
   * @param secrets values of the secret the setting stands for, never to be quoted; may be empty
   * @return the decision
   */
  public static PathText of(String typed, Path resolved, Collection<String> secrets) {
    boolean show = looksLikePath(typed) && !overlaps(typed, secrets);
    return new PathText(show ? resolved.toString() : null);
  }

  /**
   * Decides for a path given as a {@link Path}, which no secret stands behind.
   *
   * @param path the path
   * @return the decision
   */
  public static PathText of(Path path) {
    return of(path.toString(), path, List.of());
  }

  /**
   * Names a path the library chose itself, such as the default {@code .env}: always shown.
   *
   * @param path the path
   * @return the decision, which shows it
   */
  public static PathText builtIn(Path path) {
    return new PathText(path.toString());
  }

  /**
   * Names a value typed into a setting or option for an error: the value itself when it looks like
   * a path and holds none of {@code secrets}, and otherwise the setting followed by {@code
   * (}{@value #NOT_SHOWN}{@code )}.
   *
   * @param setting the variable or option, such as {@code --env-file}
   * @param typed the value as typed
   * @param secrets values that must never be quoted; may be empty
   * @return the value, or the setting and the note
   */
  public static String name(String setting, String typed, Collection<String> secrets) {
    return looksLikePath(typed) && !overlaps(typed, secrets)
        ? typed
        : setting + " (" + NOT_SHOWN + ")";
  }

  /**
   * Tells whether errors quote the path.
   *
   * @return whether the path is shown
   */
  public boolean isShown() {
    return shown != null;
  }

  /**
   * Returns a problem's reason: {@code /run/secrets/db does not exist (named in the environment)}
   * when the path is shown, {@code is not a readable file (named in the environment; value not
   * shown: it does not look like a path)} when it is not.
   *
   * @param shownReason what is wrong, after the path: {@code does not exist}
   * @param hiddenReason what is wrong, with the setting as its subject: {@code is not a readable
   *     file}
   * @param context where the setting was found, such as {@code named in .env line 3}; may be empty
   * @return the reason
   */
  public String reason(String shownReason, String hiddenReason, String context) {
    if (shown != null) {
      return shown + " " + shownReason + (context.isEmpty() ? "" : " (" + context + ")");
    }
    return hiddenReason + " (" + (context.isEmpty() ? "" : context + "; ") + NOT_SHOWN + ")";
  }

  /**
   * Applies the rule in the class description, without the secret-overlap part.
   *
   * @param value the value as typed
   * @return whether it looks like a path
   */
  public static boolean looksLikePath(String value) {
    int length = value.length();
    if (length == 0 || length > MAX_LENGTH) {
      return false;
    }
    if (value.equals(".") || value.equals("..")) {
      return true;
    }
    boolean separator = false;
    for (int i = 0; i < length; i++) {
      char c = value.charAt(i);
      if (c == '/' || c == '\\') {
        separator = true;
      } else if (c == ' ') {
        if (i == 0 || i == length - 1) {
          return false;
        }
      } else if (c == ':') {
        if (i != 1 || !isAsciiLetter(value.charAt(0))) {
          return false;
        }
      } else if (!(c == '.' || c == '_' || c == '-' || c == '~' || c == '(' || c == ')')
          && !isWordCharacter(value.codePointAt(i))) {
        return false;
      } else if (Character.isHighSurrogate(c)) {
        i++; // a letter outside the BMP, checked whole by isWordCharacter
      }
    }
    return separator && !hasTokenPrefix(value) && !looksRandom(withoutSystemDirectory(value));
  }

  /**
   * Drops a leading directory whose random name is the system's, not a secret's: the JVM's
   * temporary directory (on macOS under {@code /var/folders/xx/<random>/T/}) and a Kubernetes pod's
   * directory ({@code /var/lib/kubelet/pods/<uid>/}).
   */
  private static String withoutSystemDirectory(String value) {
    String temp = System.getProperty("java.io.tmpdir", "");
    if (temp.endsWith("/") || temp.endsWith("\\")) {
      temp = temp.substring(0, temp.length() - 1);
    }
    if (temp.length() > 1
        && value.length() > temp.length() + 1
        && value.startsWith(temp)
        && (value.charAt(temp.length()) == '/' || value.charAt(temp.length()) == '\\')) {
      return value.substring(temp.length() + 1);
    }
    String pods = "/var/lib/kubelet/pods/";
    if (value.startsWith(pods)) {
      int end = value.indexOf('/', pods.length());
      return end < 0 ? "" : value.substring(end + 1);
    }
    return value;
  }

  private static boolean isWordCharacter(int cp) {
    int type = Character.getType(cp);
    return Character.isLetterOrDigit(cp)
        || type == Character.NON_SPACING_MARK
        || type == Character.COMBINING_SPACING_MARK;
  }

  private static boolean isAsciiLetter(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
  }

  /** Whether a word of {@code value} starts with a prefix of {@code TOKEN_PREFIXES}. */
  static boolean hasTokenPrefix(String value) {
    for (String prefix : TOKEN_PREFIXES) {
      for (int at = value.indexOf(prefix); at >= 0; at = value.indexOf(prefix, at + 1)) {
        if (at == 0 || !Character.isLetterOrDigit(value.charAt(at - 1))) {
          return true;
        }
      }
    }
    return false;
  }

  private static final int OTHER = 0;
  private static final int UPPER = 1;
  private static final int LOWER = 2;
  private static final int DIGIT = 3;

  /** Counts switches between upper case, lower case and digits inside words (see the class). */
  private static boolean looksRandom(String value) {
    int alphanumerics = 0;
    int switches = 0;
    int previous = -1;
    int run = 0;
    int length = value.length();
    for (int i = 0; i < length; i++) {
      char c = value.charAt(i);
      if (!Character.isLetterOrDigit(c)) {
        previous = -1;
        continue;
      }
      alphanumerics++;
      int kind = kind(c);
      if (previous < 0 || kind == previous) {
        run = previous < 0 ? 1 : run + 1;
      } else {
        boolean capitalized = previous == UPPER && kind == LOWER && run == 1;
        boolean trailingDigits = kind == DIGIT && digitsToEndOfWord(value, i);
        if (!capitalized && !trailingDigits) {
          switches++;
        }
        run = 1;
      }
      previous = kind;
    }
    return switches >= 2 && switches * 8 > alphanumerics;
  }

  private static int kind(char c) {
    if (Character.isUpperCase(c)) {
      return UPPER;
    }
    if (Character.isLowerCase(c)) {
      return LOWER;
    }
    return Character.isDigit(c) ? DIGIT : OTHER;
  }

  private static boolean digitsToEndOfWord(String value, int from) {
    for (int i = from; i < value.length(); i++) {
      char c = value.charAt(i);
      if (!Character.isLetterOrDigit(c)) {
        return true;
      }
      if (!Character.isDigit(c)) {
        return false;
      }
    }
    return true;
  }

  private static boolean overlaps(String value, Collection<String> secrets) {
    for (String secret : secrets) {
      if (!secret.isEmpty() && (value.contains(secret) || secret.contains(value))) {
        return true;
      }
    }
    return false;
  }

  /** Returns the path when it is shown, and a placeholder otherwise; never the hidden value. */
  @Override
  public String toString() {
    return shown != null ? shown : "(" + NOT_SHOWN + ")";
  }
}
