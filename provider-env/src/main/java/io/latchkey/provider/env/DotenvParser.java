package io.latchkey.provider.env;

import io.latchkey.ConfigException.Problem;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Parses a {@code .env} file the way users of python-dotenv, Docker Compose and Node's dotenv
 * expect, and collects every malformed line instead of stopping at the first.
 *
 * <p>Problems name the file and the line, never the line's text, which may hold a secret, nor a
 * character position in it: a "name" may be a secret pasted on a line of its own, and a position in
 * it, like its length, is derived from it. A name that looks like such a value (see {@link
 * VariableNames}) is refused. At most {@link #MAX_PROBLEMS} problems are listed, followed by one
 * that counts the rest, so that a large broken file cannot make a message of many megabytes. The
 * grammar is described in {@link EnvSecretProvider}.
 *
 * <p>The parser logs nothing itself: {@link Result#log()} writes its notes (a value that uses
 * {@code ${...}}, a name set twice), so that a file parsed on every poll is noted once, when its
 * content is taken.
 *
 * <p>Parsing takes time linear in the file's size: each character is examined a bounded number of
 * times, whatever the mix of good and bad lines. A search for {@code =} stops at the end of its
 * line. A search for a closing quote either finds it, and parsing goes on after it, or runs off the
 * end of the file, and that happens at most once per kind of quote: no later value can open with a
 * {@code '} the failed search did not find, nor with a {@code "} it read as the second half of a
 * {@code \"} escape (a value's opening quote follows {@code =} or a blank, never a backslash).
 * {@link Result#charsExamined()} counts the work, so that a test can check this without a clock.
 *
 * <p>This replaces dotenv-java 3.2 rather than wrapping it: dotenv-java rejects {@code export},
 * keeps single quotes, processes no escapes, cuts an unquoted value at any {@code #}, rejects a
 * byte-order mark, gives no line numbers, stops at the first malformed line and quotes that line,
 * secret and all, in its exception. Its public API reads only whole files (falling back to the
 * class path), so pre-processing would mean writing the secrets to a second file. The tests run
 * both parsers side by side and pin each difference.
 */
final class DotenvParser {
  /**
   * The logger, created on first use: most loads log nothing, and starting SLF4J is a large part of
   * a cold start.
   */
  private static final class Log {
    static final Logger LOG = LoggerFactory.getLogger(DotenvParser.class);
  }

  /** One {@code KEY=value} entry; {@code toString()} shows the key and line, never the value. */
  record Entry(String key, String value, int line) {
    @Override
    public String toString() {
      return "Entry[key=" + key + ", line=" + line + "]";
    }
  }

  /** A name set again on a later line: the later value wins, and a debug line says so. */
  record Duplicate(String key, int line, int previousLine) {}

  /**
   * What a file holds: its entries by key (the last of duplicates), and the problems found (at most
   * {@link #MAX_PROBLEMS}, then one counting the rest). Entries are meaningless when there are
   * problems: the caller reports those instead.
   *
   * @param charsExamined the bytes decoded plus the characters parsed, counting each time one is
   *     looked at: the parser's work, which stays within a small multiple of the file's size
   * @param interpolated the lines whose value uses {@code ${...}}, in order
   * @param duplicates the names set more than once, in the order of their later line
   */
  record Result(
      String fileName,
      Map<String, Entry> entries,
      List<Problem> problems,
      long charsExamined,
      List<Integer> interpolated,
      List<Duplicate> duplicates) {
    Result {
      entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
      problems = List.copyOf(problems);
      interpolated = List.copyOf(interpolated);
      duplicates = List.copyOf(duplicates);
    }

    /**
     * Logs the notes on the file: a warning for each value that uses {@code ${...}}, naming the
     * line and never the value, and a debug line for each name set twice.
     */
    void log() {
      for (Duplicate d : duplicates) {
        Log.LOG.debug(
            "{}: {} was already set on line {}; the later value wins",
            where(fileName, d.line()),
            d.key(),
            d.previousLine());
      }
      for (int entryLine : interpolated) {
        Log.LOG.warn(
            "{}: the value uses ${...} syntax, but variables are not interpolated; it is used as"
                + " written (single-quote it to silence this warning)",
            where(fileName, entryLine));
      }
    }

    /** Counts, never the entries' values nor the work, which follows the file's size. */
    @Override
    public String toString() {
      return "Result["
          + fileName
          + ", "
          + entries.size()
          + " entries, "
          + problems.size()
          + " problems]";
    }
  }

  /**
   * The most problems listed for one file; the rest are counted in one more problem. A hundred is
   * more than anyone reads, and keeps the exception message to a few kilobytes.
   */
  static final int MAX_PROBLEMS = 100;

  /** A problem on a line; problems are reported in line order, whichever pass found them. */
  private record LineProblem(int line, String reason) {}

  /**
   * The first {@link #MAX_PROBLEMS} problems one pass finds, and how many it found in all. Each
   * pass finds its problems in line order, so its first ones are its lowest-numbered ones.
   */
  private static final class Problems {
    final List<LineProblem> first = new ArrayList<>();
    long total;

    void add(int line, String reason) {
      total++;
      if (first.size() < MAX_PROBLEMS) {
        first.add(new LineProblem(line, reason));
      }
    }
  }

  private final String fileName;
  private final Problems decodeProblems = new Problems();
  private final Problems parseProblems = new Problems();
  private final Map<String, Entry> entries = new LinkedHashMap<>();
  private final List<Integer> interpolated = new ArrayList<>();
  private final List<Duplicate> duplicates = new ArrayList<>();
  private String text = "";
  private int pos;
  private int line = 1;
  private long examined;

  private DotenvParser(String fileName) {
    this.fileName = fileName;
  }

  /**
   * Parses a file's bytes.
   *
   * @param fileName the file's name (not its path), used in origins and problems
   * @param content the file's bytes, UTF-8 with or without a byte-order mark
   */
  static Result parse(String fileName, byte[] content) {
    DotenvParser parser = new DotenvParser(fileName);
    parser.text = parser.decode(content);
    parser.parseAll();
    return new Result(
        fileName,
        parser.entries,
        parser.problems(),
        parser.examined,
        parser.interpolated,
        parser.duplicates);
  }

  /**
   * Merges the two passes' problems in line order (a decoding problem first on a shared line),
   * keeps the first {@link #MAX_PROBLEMS} and counts the rest in one more, against the file.
   */
  private List<Problem> problems() {
    List<LineProblem> a = decodeProblems.first;
    List<LineProblem> b = parseProblems.first;
    List<Problem> merged = new ArrayList<>();
    int i = 0;
    int j = 0;
    while (merged.size() < MAX_PROBLEMS && (i < a.size() || j < b.size())) {
      LineProblem next =
          j >= b.size() || (i < a.size() && a.get(i).line() <= b.get(j).line())
              ? a.get(i++)
              : b.get(j++);
      merged.add(new Problem(where(fileName, next.line()), next.reason()));
    }
    long more = decodeProblems.total + parseProblems.total - merged.size();
    if (more > 0) {
      merged.add(
          new Problem(
              fileName,
              "and "
                  + more
                  + " more "
                  + (more == 1 ? "problem" : "problems")
                  + " (only the first "
                  + MAX_PROBLEMS
                  + " are listed)"));
    }
    return merged;
  }

  /** Returns {@code .env line 12}: how origins and problems name a line. */
  static String where(String fileName, int line) {
    return fileName + " line " + line;
  }

  /**
   * Decodes strict UTF-8 one line at a time, so that a bad byte is reported on its own line and the
   * other lines are still checked. Every line break ({@code \r\n}, {@code \n} or a lone {@code \r})
   * becomes {@code \n}, so that a multi-line value reads the same on every platform.
   */
  private String decode(byte[] bytes) {
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    int start = 0;
    if (bytes.length >= 3
        && (bytes[0] & 0xff) == 0xef
        && (bytes[1] & 0xff) == 0xbb
        && (bytes[2] & 0xff) == 0xbf) {
      start = 3;
    }
    examined += bytes.length;
    StringBuilder out = new StringBuilder(bytes.length);
    int lineNumber = 1;
    int lineStart = start;
    int i = start;
    while (i <= bytes.length) {
      if (i == bytes.length) {
        out.append(decodeLine(decoder, bytes, lineStart, i, lineNumber));
        break;
      }
      byte b = bytes[i];
      if (b == '\n' || b == '\r') {
        out.append(decodeLine(decoder, bytes, lineStart, i, lineNumber)).append('\n');
        // CR and LF never occur inside a multi-byte UTF-8 sequence, so splitting here is safe.
        i += (b == '\r' && i + 1 < bytes.length && bytes[i + 1] == '\n') ? 2 : 1;
        lineStart = i;
        lineNumber++;
      } else {
        i++;
      }
    }
    return out.toString();
  }

  /** Decodes one line; the decoder is reused, as its decode(ByteBuffer) resets it first. */
  private String decodeLine(
      CharsetDecoder decoder, byte[] bytes, int from, int to, int lineNumber) {
    if (from == to) {
      return "";
    }
    examined += to - from;
    try {
      return decoder.decode(ByteBuffer.wrap(bytes, from, to - from)).toString();
    } catch (CharacterCodingException e) {
      decodeProblems.add(lineNumber, "is not valid UTF-8");
      return new String(bytes, from, to - from, StandardCharsets.UTF_8);
    }
  }

  private void parseAll() {
    while (pos < text.length()) {
      parseLine();
    }
  }

  /** Parses the entry (or blank line, or comment) that starts at {@link #pos}. */
  private void parseLine() {
    int entryLine = line;
    int lineEnd = lineEnd(pos);
    int i = skipBlanks(pos, lineEnd);
    if (i == lineEnd || charAt(i) == '#') {
      nextLine(lineEnd);
      return;
    }
    int keyStart = skipExport(i, lineEnd);
    // Bounded by the line: an unbounded search ran to the end of the file for every line without
    // '=', which made a file of such lines quadratic.
    int equals = indexOf('=', keyStart, lineEnd);
    if (equals < 0) {
      problem(entryLine, "missing '=' (expected KEY=value)");
      nextLine(lineEnd);
      return;
    }
    int keyEnd = equals;
    while (keyEnd > keyStart && isBlank(charAt(keyEnd - 1))) {
      keyEnd--;
    }
    String keyProblem = keyProblem(keyStart, keyEnd);
    if (keyProblem != null) {
      problem(entryLine, keyProblem);
    }
    // The value is parsed even when the key is bad, so that a quoted value spanning several lines
    // is skipped as a whole instead of producing a spurious problem for each of its lines.
    String value = parseValue(skipBlanks(equals + 1, lineEnd), lineEnd, entryLine);
    if (keyProblem == null && value != null) {
      String key = text.substring(keyStart, keyEnd);
      Entry previous = entries.remove(key);
      if (previous != null) {
        duplicates.add(new Duplicate(key, entryLine, previous.line()));
      }
      entries.put(key, new Entry(key, value, entryLine));
    }
  }

  /** Skips an {@code export} prefix, as shell-sourced files have; {@code export=1} is a key. */
  private int skipExport(int i, int lineEnd) {
    String export = "export";
    int after = i + export.length();
    examined += export.length();
    if (text.startsWith(export, i) && after < lineEnd && isBlank(charAt(after))) {
      int keyStart = skipBlanks(after, lineEnd);
      if (keyStart < lineEnd && charAt(keyStart) != '=') {
        return keyStart;
      }
    }
    return i;
  }

  private static final String NAME_CHARACTERS =
      "(names are ASCII letters, digits, '_', '.' and '-')";

  /**
   * Returns why the key is invalid, or {@code null} if valid. No reason gives a character position:
   * the text before {@code =} may be a pasted secret, and a position in it says something about it.
   */
  private String keyProblem(int keyStart, int keyEnd) {
    if (keyStart == keyEnd) {
      return "missing the name before '='";
    }
    examined += keyEnd - keyStart;
    if (VariableNames.looksLikeValue(text.substring(keyStart, keyEnd))) {
      return "looks like a pasted value, not a variable name";
    }
    if (!(isLetter(charAt(keyStart)) || charAt(keyStart) == '_')) {
      return "invalid name: it must start with an ASCII letter or '_' " + NAME_CHARACTERS;
    }
    for (int k = keyStart; k < keyEnd; k++) {
      char c = charAt(k);
      if (!(isLetter(c) || isDigit(c) || c == '_' || c == '.' || c == '-')) {
        return "invalid name: it holds a character that is not allowed " + NAME_CHARACTERS;
      }
    }
    return null;
  }

  /**
   * Parses the value starting at {@code v} and moves {@link #pos} to the start of the next entry.
   *
   * @return the value, or {@code null} if it is malformed (the problem is recorded)
   */
  private String parseValue(int v, int lineEnd, int entryLine) {
    if (v < lineEnd && charAt(v) == '\'') {
      return parseSingleQuoted(v, lineEnd, entryLine);
    }
    if (v < lineEnd && charAt(v) == '"') {
      return parseDoubleQuoted(v, lineEnd, entryLine);
    }
    return parseUnquoted(v, lineEnd, entryLine);
  }

  private String parseSingleQuoted(int open, int lineEnd, int entryLine) {
    int close = indexOf('\'', open + 1, text.length());
    if (close < 0) {
      return unterminated("single", "'", lineEnd, entryLine);
    }
    String value = text.substring(open + 1, close);
    return afterClosingQuote(close, value, entryLine);
  }

  private String parseDoubleQuoted(int open, int lineEnd, int entryLine) {
    StringBuilder value = new StringBuilder();
    int i = open + 1;
    while (i < text.length()) {
      char c = charAt(i);
      if (c == '"') {
        String result = value.toString();
        noteIfInterpolated(result, entryLine);
        return afterClosingQuote(i, result, entryLine);
      }
      if (c == '\\' && i + 1 < text.length()) {
        char next = charAt(i + 1);
        switch (next) {
          case 'n' -> value.append('\n');
          case 't' -> value.append('\t');
          case 'r' -> value.append('\r');
          case '"' -> value.append('"');
          case '\\' -> value.append('\\');
          // Other escapes stay as written, as in Docker Compose: "C:\temp" keeps its backslash.
          default -> value.append(c).append(next);
        }
        i += 2;
      } else {
        value.append(c);
        i++;
      }
    }
    return unterminated("double", "\"", lineEnd, entryLine);
  }

  /**
   * Records an unterminated quote and resumes on the line after the opening one, so that the lines
   * the quote would have swallowed are still checked and their problems reported too.
   */
  private String unterminated(String kind, String quote, int lineEnd, int entryLine) {
    problem(
        entryLine,
        "unterminated "
            + kind
            + "-quoted value: no closing "
            + quote
            + " before the end of the file");
    nextLine(lineEnd);
    return null;
  }

  /**
   * Accepts blanks and a comment after a closing quote, and nothing else. Text after a quote that
   * closes on a later line is reported on the line that opened it, naming both: most often the
   * quote the parser took for the closing one belongs to a later value, and a backslash before the
   * intended closing quote ({@code "C:\temp\"}) escaped it.
   */
  private String afterClosingQuote(int close, String value, int entryLine) {
    line += countNewlines(pos, close);
    int closeLineEnd = lineEnd(close);
    int i = skipBlanks(close + 1, closeLineEnd);
    String result = value;
    if (i < closeLineEnd && charAt(i) != '#') {
      if (line == entryLine) {
        problem(line, "unexpected text after the closing quote (start a comment with ' #')");
      } else {
        problem(
            entryLine,
            "the quoted value that opens here closes on line "
                + line
                + ", followed by unexpected text; if it should end on this line, check for a"
                + " backslash before its closing quote (write \\\\ for a backslash)");
      }
      result = null;
    }
    nextLine(closeLineEnd);
    return result;
  }

  private String parseUnquoted(int v, int lineEnd, int entryLine) {
    int end = lineEnd;
    for (int i = v; i < lineEnd; i++) {
      // As in Docker Compose, '#' starts a comment only after a blank: "a#b" is a value.
      if (charAt(i) == '#' && isBlank(charAt(i - 1))) {
        end = i;
        break;
      }
    }
    while (end > v && isBlank(charAt(end - 1))) {
      end--;
    }
    String value = text.substring(v, end);
    noteIfInterpolated(value, entryLine);
    nextLine(lineEnd);
    return value;
  }

  /**
   * Interpolation is not implemented: values are taken as written, which is what a password with a
   * '$' in it needs. A value that looks like it expects interpolation earns a warning naming the
   * line (never the value), because its user is likely to expect a substitution.
   */
  private void noteIfInterpolated(String value, int entryLine) {
    examined += value.length();
    if (value.contains("${")) {
      interpolated.add(entryLine);
    }
  }

  private void problem(int lineNumber, String reason) {
    parseProblems.add(lineNumber, reason);
  }

  private void nextLine(int lineEnd) {
    pos = lineEnd + 1;
    line++;
  }

  private int lineEnd(int from) {
    int end = indexOf('\n', from, text.length());
    return end < 0 ? text.length() : end;
  }

  /** Finds {@code c} in {@code [from, to)}, or returns -1; never looks past {@code to}. */
  private int indexOf(char c, int from, int to) {
    for (int i = from; i < to; i++) {
      if (charAt(i) == c) {
        return i;
      }
    }
    return -1;
  }

  private int skipBlanks(int from, int to) {
    int i = from;
    while (i < to && isBlank(charAt(i))) {
      i++;
    }
    return i;
  }

  private int countNewlines(int from, int to) {
    int n = 0;
    for (int i = from; i < to; i++) {
      if (charAt(i) == '\n') {
        n++;
      }
    }
    return n;
  }

  /** Every read of the text goes through here, so that {@link #examined} counts the work. */
  private char charAt(int i) {
    examined++;
    return text.charAt(i);
  }

  /**
   * The blanks around keys and unquoted values and before an inline comment: the characters that
   * both python-dotenv ({@code \s} in a Python 3 str pattern, and {@code str.strip()}) and Node's
   * dotenv ({@code \s} and {@code String.prototype.trim()}) treat as white space, less the line
   * breaks. That is tab, vertical tab, form feed, U+2028, U+2029 and the Unicode space separators
   * (category Zs: space, the no-break spaces U+00A0 and U+202F, U+1680, U+2000 to U+200A, U+205F,
   * U+3000). Left out because only one of the two strips them: U+001C to U+001F and U+0085 (Python
   * only), and U+FEFF (Node only).
   */
  static boolean isBlank(char c) {
    return c == ' '
        || c == '\t'
        || c == '\u000b'
        || c == '\f'
        || c == '\u2028'
        || c == '\u2029'
        || Character.getType(c) == Character.SPACE_SEPARATOR;
  }

  private static boolean isLetter(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }
}
