package io.latchkey.scan;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Values given to a setting whose name says it is secret: {@code DB_PASSWORD=…}, {@code
 * "client_secret": "…"}, {@code api_key: …}, {@code --token …}, {@code <password>…</password>},
 * {@code .password("…")}, {@code ?access_token=…}, {@code Authorization: Bearer …}.
 *
 * <p>A name counts when a keyword ({@code password}, {@code secret}, {@code token}, {@code
 * api_key}…) is one of its words, not part of a longer word ({@code tokenizer}, {@code secretary})
 * and not qualified by a word that makes it something else ({@code token_url}, {@code
 * password_hash}, {@code next_page_token}). The value counts when it is a literal (not a variable,
 * a call, a path, a URL or a template), at least 8 characters without blanks, mixes two classes of
 * characters, has high entropy for its length, is not a placeholder ({@code changeme}, {@code xxx},
 * {@code ${VAR}}, {@code <password>}, {@code your-api-key}), and does not carry the prefix of a
 * provider whose own rule rejected it.
 */
final class AssignmentDetector implements Detector {
  private static final List<String> KEYWORDS =
      List.of(
          "password",
          "passwd",
          "pwd",
          "passphrase",
          "secret",
          "token",
          "api_key",
          "apikey",
          "api-key",
          "api.key",
          "access_key",
          "accesskey",
          "access.key",
          "auth_key",
          "private_key",
          "bearer");

  private static final int BEARER = KEYWORDS.indexOf("bearer");

  /** Continuations that keep the keyword's meaning: {@code secretkey}, {@code tokenvalue}. */
  private static final Set<String> COMPOUNDS = Set.of("key", "keys", "value", "str", "string");

  /** Words after the keyword that make the setting something other than the secret itself. */
  private static final Set<String> NOT_AFTER =
      Set.of(
          ("hash hashed digest sha1 sha256 sha512 md5 checksum fingerprint length len count type name names file files path dir url uri "
                  + "endpoint field label policy expire expires expiry expiration ttl timeout min max "
                  + "prefix suffix header env var ref arn version regex pattern format algorithm algo "
                  + "mode strength hint reset required enabled provider store manager service source "
                  + "validator input rotation schema size kind location id ids index limit lifetime "
                  + "duration age param params class template placeholder mask masked salt rounds "
                  + "iterations cost error errors message")
              .split(" "));

  /** Words before the keyword that make the setting something other than a secret. */
  private static final Set<String> NOT_BEFORE =
      Set.of(
          ("next page continuation cursor sync resume csrf xsrf max min num is has show hide "
                  + "use enable disable require forgot reset no default sample example test fake "
                  + "dummy mock")
              .split(" "));

  /**
   * Prefixes whose own rule decides: a value that rule rejected (a bad checksum, a placeholder) is
   * not a secret by its format, whatever its entropy.
   */
  private static final List<String> PROVIDER_PREFIXES =
      Stream.concat(TokenDetector.PREFIXES.stream(), Stream.of("AKIA", "ASIA", "eyJ", "-----"))
          .toList();

  /** Latchkey's references and the names cloud secret stores give secrets: not values. */
  private static final List<String> REFERENCES =
      List.of(
          "aws:",
          "gcp:",
          "vault:",
          "env:",
          "ref:",
          "arn:",
          "projects/",
          "secretsmanager:",
          "http://",
          "https://",
          "file:",
          "ENC[",
          "sha256:",
          "sha512-",
          "sha1-");

  private static final int MAX_NAME = 64;
  private static final int MIN_VALUE = 8;
  private static final int MAX_VALUE = 1024;

  /** Where an unquoted value ends. */
  private static final Chars.Set UNQUOTED = c -> c > ' ' && "\"'`,;&()[]{}<>".indexOf(c) < 0;

  @Override
  public List<String> keywords() {
    return KEYWORDS;
  }

  @Override
  public List<Rule> rules() {
    return List.of(Rules.GENERIC_SECRET);
  }

  @Override
  public void detect(Window w, int keyword, int start, int end, Candidates out) {
    char[] t = w.chars;
    int n = w.length;
    if (keyword == BEARER) {
      bearer(w, start, end, out);
      return;
    }
    int nameStart = Chars.runBack(t, start, 0, Chars.NAME, MAX_NAME + 1);
    int nameEnd = Chars.run(t, end, n, Chars.NAME, MAX_NAME + 1);
    if (start - nameStart > MAX_NAME || nameEnd - end > MAX_NAME) {
      return;
    }
    boolean flag = nameStart + 2 <= start && t[nameStart] == '-' && t[nameStart + 1] == '-';
    while (nameStart < start && (t[nameStart] == '-' || t[nameStart] == '.')) {
      nameStart++;
    }
    if (!isSecretName(t, nameStart, start, end, nameEnd)) {
      return;
    }
    // A call takes a literal only when the method is named for the secret: password("…"),
    // setApiKey('…'); not secret.getMethod("…") nor createToken(ttl).
    if (nameEnd < n
        && t[nameEnd] == '('
        && (end != nameEnd
            || nameEnd + 1 >= n
            || (t[nameEnd + 1] != '"' && t[nameEnd + 1] != '\''))) {
      return;
    }
    int valueStart = valueStart(t, n, nameStart, nameEnd, flag);
    if (valueStart < 0) {
      return;
    }
    value(w, valueStart, nameStart, nameEnd, KEYWORDS.get(keyword), out);
  }

  /** {@code Bearer <token>}, as in an authorization header. */
  private static void bearer(Window w, int start, int end, Candidates out) {
    char[] t = w.chars;
    int n = w.length;
    if (end >= n || t[end] != ' ' || (start > 0 && Chars.isAlnum(t[start - 1]))) {
      return;
    }
    int valueStart = end + 1;
    int valueEnd =
        Chars.run(
            t, valueStart, n, c -> Chars.isAlnum(c) || "-._~+/=".indexOf(c) >= 0, MAX_VALUE + 1);
    if (isSecretValue(w, valueStart, valueEnd)) {
      out.add(Rules.GENERIC_SECRET, valueStart, valueEnd, "Bearer " + Excerpts.MASK);
    }
  }

  /**
   * Whether a name holding the keyword at {@code [start, end)} names a secret: the keyword is a
   * word of it (not the start or end of a longer word, unless a known compound), and no word around
   * it turns it into something else.
   */
  private static boolean isSecretName(char[] t, int nameStart, int start, int end, int nameEnd) {
    boolean upperKeyword = Chars.isUpper(t[start]) && Chars.isUpper(t[end - 1]);
    if (end < nameEnd) {
      char next = t[end];
      boolean continues =
          Chars.isLower(next) || Chars.isDigit(next) || (upperKeyword && Chars.isUpper(next));
      if (continues) {
        int wordEnd = end;
        while (wordEnd < nameEnd && Chars.isAlnum(t[wordEnd]) && !isCamelBreak(t, wordEnd)) {
          wordEnd++;
        }
        if (!COMPOUNDS.contains(new String(t, end, wordEnd - end).toLowerCase(Locale.ROOT))) {
          return false;
        }
      }
    }
    if (start > nameStart) {
      char previous = t[start - 1];
      boolean joined =
          (Chars.isLower(previous) && Chars.isLower(t[start]))
              || (Chars.isUpper(previous) && upperKeyword);
      // "mytoken" and "accesstoken" read as compounds; "pwd" inside a word ("cwd" aside) does not.
      if (joined && end - start <= 3) {
        return false;
      }
    }
    for (String word : words(t, end, nameEnd)) {
      if (NOT_AFTER.contains(word)) {
        return false;
      }
    }
    for (String word : words(t, nameStart, start)) {
      if (NOT_BEFORE.contains(word)) {
        return false;
      }
    }
    return true;
  }

  private static boolean isCamelBreak(char[] t, int i) {
    return Chars.isUpper(t[i]) && i > 0 && Chars.isLower(t[i - 1]);
  }

  /** The words of {@code t[from, to)}, split at separators and at camel-case humps, lower case. */
  private static List<String> words(char[] t, int from, int to) {
    List<String> words = new java.util.ArrayList<>();
    int wordStart = -1;
    for (int i = from; i <= to; i++) {
      boolean letter = i < to && Chars.isAlnum(t[i]);
      if (wordStart >= 0 && (!letter || isCamelBreak(t, i))) {
        words.add(new String(t, wordStart, i - wordStart).toLowerCase(Locale.ROOT));
        wordStart = -1;
      }
      if (letter && wordStart < 0) {
        wordStart = i;
      }
    }
    return words;
  }

  /**
   * Where the value assigned to the name begins, or -1 when the name is not assigned a value: past
   * a closing quote, an operator ({@code =}, {@code :}, {@code :=}, {@code =>}, {@code ?=}) or a
   * call's parenthesis, or the {@code >} of an element, or the blank after a {@code --flag}; or the
   * {@code value="…"} of an XML element whose {@code key} is the name.
   */
  private static int valueStart(char[] t, int n, int nameStart, int nameEnd, boolean flag) {
    int i = nameEnd;
    if (i < n && nameStart > 0 && t[nameStart - 1] == '<' && t[i] == '>') {
      return i + 1;
    }
    boolean quotedName = true;
    if (i + 1 < n && t[i] == '\\' && t[i + 1] == '"') {
      i += 2;
    } else if (i < n && (t[i] == '"' || t[i] == '\'' || t[i] == '`')) {
      i++;
    } else {
      quotedName = false;
    }
    int blanks = i;
    while (i < n && (t[i] == ' ' || t[i] == '\t')) {
      i++;
    }
    if (i >= n) {
      return -1;
    }
    char c = t[i];
    char d = i + 1 < n ? t[i + 1] : '\0';
    if (c == '=' && d != '=' && d != '~') {
      i++;
    } else if (c == ':' && d == '=') {
      i += 2;
    } else if (c == '=' && d == '>') {
      i += 2;
    } else if (c == '?' && d == '=') {
      i += 2;
    } else if (c == ':' && (quotedName || d == ' ' || d == '\t' || d == '"' || d == '\'')) {
      // An unquoted name and a colon are a YAML key only with a blank or a quote after the colon;
      // "secret:db-AbCdEf" is a segment of an ARN or a URN.
      i++;
    } else if (c == '(' && i == nameEnd) {
      i++;
    } else if (flag && i == blanks + 1 && t[blanks] == ' ') {
      return i;
    } else if (Chars.atIgnoreCase(t, i, n, "value=") && i > blanks) {
      i += "value=".length();
    } else {
      return -1;
    }
    while (i < n && (t[i] == ' ' || t[i] == '\t')) {
      i++;
    }
    return i < n ? i : -1;
  }

  /** Reads the value at {@code valueStart}, quoted or not, and reports it if it is a secret. */
  private static void value(
      Window w, int valueStart, int nameStart, int nameEnd, String keyword, Candidates out) {
    char[] t = w.chars;
    int n = w.length;
    int i = valueStart;
    if (i >= n) {
      return;
    }
    if (i + 1 < n && "bBrRuUfF".indexOf(t[i]) >= 0 && (t[i + 1] == '"' || t[i + 1] == '\'')) {
      i++; // Python's b"", r"", u"" and f"" literals
    }
    int from;
    int to;
    if (i + 1 < n && t[i] == '\\' && t[i + 1] == '"') {
      from = i + 2;
      to = Chars.indexOf(t, from, Math.min(n, from + MAX_VALUE + 2), "\\\"");
    } else if (t[i] == '"' || t[i] == '\'' || t[i] == '`') {
      char quote = t[i];
      from = i + 1;
      to = from;
      int limit = Math.min(n, from + MAX_VALUE + 1);
      while (to < limit && t[to] != quote && t[to] != '\n') {
        to += t[to] == '\\' ? 2 : 1;
      }
      if (to >= limit || t[to] != quote) {
        return;
      }
    } else {
      from = i;
      to = Chars.run(t, from, n, UNQUOTED, MAX_VALUE + 1);
      // A call or an indexed read is code, not a value.
      if (to < n && (t[to] == '(' || t[to] == '[')) {
        return;
      }
      if (isCode(w.text(from, to), isCodeContext(t, n, from, to))) {
        return;
      }
    }
    if (to < 0) {
      return;
    }
    // A value inside a string literal of code ends with the literal's escaped line break.
    while (to - from >= 2 && t[to - 2] == '\\' && "nrt".indexOf(t[to - 1]) >= 0) {
      to -= 2;
    }
    // A value that names itself ("MYTOKEN1", "my_api_key_here") stands for one.
    if (!isSecretValue(w, from, to)
        || Chars.indexOfIgnoreCase(t, from, to, keyword.replace("_", "")) >= 0
        || Chars.indexOfIgnoreCase(t, from, to, keyword) >= 0) {
      return;
    }
    String shown =
        Excerpts.isName(t, nameStart, nameEnd)
            ? w.text(nameStart, nameEnd) + "=" + Excerpts.MASK
            : Excerpts.MASK;
    out.add(Rules.GENERIC_SECRET, from, to, shown);
  }

  /**
   * Whether {@code t[from, to)} is a literal that looks like a secret rather than anything else.
   */
  private static boolean isSecretValue(Window w, int from, int to) {
    char[] t = w.chars;
    int length = to - from;
    if (length < MIN_VALUE || length > MAX_VALUE) {
      return false;
    }
    for (int i = from; i < to; i++) {
      if (t[i] <= ' ') {
        return false;
      }
    }
    String value = w.text(from, to);
    if (PROVIDER_PREFIXES.stream().anyMatch(value::startsWith)
        || REFERENCES.stream().anyMatch(value::startsWith)) {
      return false;
    }
    int classes = Chars.classes(t, from, to);
    char first = value.charAt(0);
    if (first == '/' || first == '~' || value.startsWith("./") || value.startsWith("../")) {
      return false; // a path to where the secret is kept
    }
    if ((value.indexOf('{') >= 0 && value.indexOf('}') >= 0) || isEmail(value)) {
      return false;
    }
    // Fernet and Latchkey's AES-GCM tokens are what an encrypted value looks like at rest.
    if ((value.startsWith("gAAAAA") && length >= 56) || (value.startsWith("lk.") && length >= 40)) {
      return false;
    }
    // A path or a name of lower-case words ("prod/app-config"), or code inside a string.
    if (value.indexOf('/') > 0 && (classes & Chars.UPPER) == 0 && isPathLike(value)) {
      return false;
    }
    if (looksLikeCode(value)) {
      return false;
    }
    // Without a letter it is a number, a version ("^3.27.11") or a date, not a key.
    if ((classes & (Chars.UPPER | Chars.LOWER)) == 0 || Chars.count(classes) < 2) {
      return false;
    }
    double needed = Math.min(3.0, Math.log(length) / Math.log(2) - 0.5);
    return Chars.entropy(t, from, to) >= needed && !Placeholders.is(value);
  }

  /**
   * An unquoted value that reads as code: a member access ({@code config.password}), or, where the
   * assignment is written as code is, a plain identifier without digits ({@code userPassword}),
   * which names a variable rather than holding a value. In a {@code .env} or YAML file the same
   * identifier is a literal.
   */
  private static boolean isCode(String value, boolean codeContext) {
    if (value.isEmpty() || !Character.isLetter(value.charAt(0))) {
      return false;
    }
    boolean digit = false;
    boolean dot = false;
    // TypeScript's non-null assertion and optional chaining end an expression too.
    int end = value.length();
    while (end > 1 && (value.charAt(end - 1) == '!' || value.charAt(end - 1) == '?')) {
      end--;
    }
    for (int i = 0; i < end; i++) {
      char c = value.charAt(i);
      if (!Chars.isAlnum(c) && c != '_' && c != '.') {
        return false;
      }
      digit |= Chars.isDigit(c);
      dot |= c == '.';
    }
    return dot || (!digit && codeContext);
  }

  /**
   * Whether an unquoted value sits where code puts an expression: before a {@code ;}, {@code ,},
   * {@code )} or <code>}</code>, or after an operator with blanks on both sides ({@code x = y}).
   */
  private static boolean isCodeContext(char[] t, int n, int from, int to) {
    if (to < n && ";,)}".indexOf(t[to]) >= 0) {
      return true;
    }
    return from >= 3
        && t[from - 1] == ' '
        && (t[from - 2] == '=' || t[from - 2] == ':')
        && t[from - 3] == ' ';
  }

  /**
   * Code around a string literal rather than a value in one: a call ({@code getValue(}, three
   * letters and a parenthesis) or a member access after one ({@code ).trim}), as when the quote
   * after {@code PASSWORD=} closes a literal instead of opening a value.
   */
  private static boolean looksLikeCode(String value) {
    if (value.contains(").") || value.contains(");")) {
      return true;
    }
    for (int open = value.indexOf('('); open >= 3; open = value.indexOf('(', open + 1)) {
      if (Character.isLetter(value.charAt(open - 1))
          && Character.isLetter(value.charAt(open - 2))
          && Character.isLetter(value.charAt(open - 3))) {
        return true;
      }
    }
    return false;
  }

  private static boolean isPathLike(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (!Chars.isLower(c) && !Chars.isDigit(c) && "/-_.".indexOf(c) < 0) {
        return false;
      }
    }
    return true;
  }

  private static boolean isEmail(String value) {
    int at = value.indexOf('@');
    return at > 0 && value.indexOf('.', at) > at + 1 && value.indexOf('@', at + 1) < 0;
  }
}
