package io.latchkey.provider.env;

import io.latchkey.ConfigException.Problem;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Parses a {@code .env} file the way users of python-dotenv, Docker Compose and Node's dotenv
 * expect, and collects every malformed line instead of stopping at the first.
 *
 * <p>Problems name the file, the line and, where it helps, the character position; never the
 * line's text, which may hold a secret. The grammar is described in {@link EnvSecretProvider}.
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
   * The logger, created on first use: most loads log nothing, and starting SLF4J is a large part
   * of a cold start.
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

  /**
   * What a file holds: its entries by key (the last of duplicates), and every problem found.
   * Entries are meaningless when there are problems: the caller reports those instead.
   */
  record Result(Map<String, Entry> entries, List<Problem> problems) {
    Result {
      entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
      problems = List.copyOf(problems);
    }
  }

  /** A problem on a line; problems are reported in line order, whichever pass found them. */
  private record LineProblem(int line, String reason) {}

  private final String fileName;
  private final List<LineProblem> problems = new ArrayList<>();
  private final Map<String, Entry> entries = new LinkedHashMap<>();
  private String text = "";
  private int pos;
  private int line = 1;

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
    List<Problem> problems = new ArrayList<>();
    parser.problems.stream()
        .sorted(Comparator.comparingInt(LineProblem::line))
        .forEach(p -> problems.add(new Problem(where(fileName, p.line()), p.reason())));
    return new Result(parser.entries, problems);
  }

  /** Returns {@code .env line 12}: how origins and problems name a line. */
  static String where(String fileName, int line) {
    return fileName + " line " + line;
  }

  /**
   * Decodes strict UTF-8 one line at a time, so that a bad byte is reported on its own line and
   * the other lines are still checked. Every line break ({@code \r\n}, {@code \n} or a lone
   * {@code \r}) becomes {@code \n}, so that a multi-line value reads the same on every platform.
   */
  private String decode(byte[] bytes) {
    int start = 0;
    if (bytes.length >= 3
        && (bytes[0] & 0xff) == 0xef
        && (bytes[1] & 0xff) == 0xbb
        && (bytes[2] & 0xff) == 0xbf) {
      start = 3;
    }
    StringBuilder out = new StringBuilder(bytes.length);
    int lineNumber = 1;
    int lineStart = start;
    int i = start;
    while (i <= bytes.length) {
      if (i == bytes.length) {
        out.append(decodeLine(bytes, lineStart, i, lineNumber));
        break;
      }
      byte b = bytes[i];
      if (b == '\n' || b == '\r') {
        out.append(decodeLine(bytes, lineStart, i, lineNumber)).append('\n');
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

  private String decodeLine(byte[] bytes, int from, int to, int lineNumber) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes, from, to - from))
          .toString();
    } catch (CharacterCodingException e) {
      problems.add(new LineProblem(lineNumber, "is not valid UTF-8"));
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
    int lineStart = pos;
    int entryLine = line;
    int lineEnd = lineEnd(pos);
    int i = skipBlanks(pos, lineEnd);
    if (i == lineEnd || text.charAt(i) == '#') {
      nextLine(lineEnd);
      return;
    }
    int keyStart = skipExport(i, lineEnd);
    int equals = text.indexOf('=', keyStart);
    if (equals < 0 || equals > lineEnd) {
      problem(entryLine, "missing '=' (expected KEY=value)");
      nextLine(lineEnd);
      return;
    }
    int keyEnd = equals;
    while (keyEnd > keyStart && isBlank(text.charAt(keyEnd - 1))) {
      keyEnd--;
    }
    String keyProblem = keyProblem(keyStart, keyEnd, lineStart);
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
        Log.LOG.debug(
            "{}: {} was already set on line {}; the later value wins",
            where(fileName, entryLine),
            key,
            previous.line());
      }
      entries.put(key, new Entry(key, value, entryLine));
    }
  }

  /** Skips an {@code export} prefix, as shell-sourced files have; {@code export=1} is a key. */
  private int skipExport(int i, int lineEnd) {
    String export = "export";
    int after = i + export.length();
    if (text.startsWith(export, i) && after < lineEnd && isBlank(text.charAt(after))) {
      int keyStart = skipBlanks(after, lineEnd);
      if (keyStart < lineEnd && text.charAt(keyStart) != '=') {
        return keyStart;
      }
    }
    return i;
  }

  /** Returns why the key is invalid, naming a character position, or {@code null} if valid. */
  private String keyProblem(int keyStart, int keyEnd, int lineStart) {
    if (keyStart == keyEnd) {
      return "missing the name before '='";
    }
    for (int k = keyStart; k < keyEnd; k++) {
      char c = text.charAt(k);
      int column = k - lineStart + 1;
      if (k == keyStart && !(isLetter(c) || c == '_')) {
        return "invalid name: character "
            + column
            + " must be a letter or '_' (names are letters, digits, '_', '.' and '-')";
      }
      if (!(isLetter(c) || isDigit(c) || c == '_' || c == '.' || c == '-')) {
        return "invalid name: character "
            + column
            + " is not allowed (names are letters, digits, '_', '.' and '-')";
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
    if (v < lineEnd && text.charAt(v) == '\'') {
      return parseSingleQuoted(v, lineEnd, entryLine);
    }
    if (v < lineEnd && text.charAt(v) == '"') {
      return parseDoubleQuoted(v, lineEnd, entryLine);
    }
    return parseUnquoted(v, lineEnd, entryLine);
  }

  private String parseSingleQuoted(int open, int lineEnd, int entryLine) {
    int close = text.indexOf('\'', open + 1);
    if (close < 0) {
      return unterminated("single", "'", lineEnd, entryLine);
    }
    String value = text.substring(open + 1, close);
    return afterClosingQuote(close, value);
  }

  private String parseDoubleQuoted(int open, int lineEnd, int entryLine) {
    StringBuilder value = new StringBuilder();
    int i = open + 1;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c == '"') {
        String result = value.toString();
        warnIfInterpolated(result, entryLine);
        return afterClosingQuote(i, result);
      }
      if (c == '\\' && i + 1 < text.length()) {
        char next = text.charAt(i + 1);
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
   * Records an unterminated quote and resumes on the line after the opening one, so that the
   * lines the quote would have swallowed are still checked and their problems reported too.
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

  /** Accepts blanks and a comment after a closing quote, and nothing else. */
  private String afterClosingQuote(int close, String value) {
    line += countNewlines(pos, close);
    int closeLineEnd = lineEnd(close);
    int i = skipBlanks(close + 1, closeLineEnd);
    String result = value;
    if (i < closeLineEnd && text.charAt(i) != '#') {
      problem(line, "unexpected text after the closing quote (start a comment with ' #')");
      result = null;
    }
    nextLine(closeLineEnd);
    return result;
  }

  private String parseUnquoted(int v, int lineEnd, int entryLine) {
    int end = lineEnd;
    for (int i = v; i < lineEnd; i++) {
      // As in Docker Compose, '#' starts a comment only after a blank: "a#b" is a value.
      if (text.charAt(i) == '#' && isBlank(text.charAt(i - 1))) {
        end = i;
        break;
      }
    }
    while (end > v && isBlank(text.charAt(end - 1))) {
      end--;
    }
    String value = text.substring(v, end);
    warnIfInterpolated(value, entryLine);
    nextLine(lineEnd);
    return value;
  }

  /**
   * Interpolation is not implemented: values are taken as written, which is what a password with a
   * '$' in it needs. A value that looks like it expects interpolation earns a warning naming the
   * line (never the value), because its user is likely to expect a substitution.
   */
  private void warnIfInterpolated(String value, int entryLine) {
    if (value.contains("${")) {
      Log.LOG.warn(
          "{}: the value uses ${...} syntax, but variables are not interpolated; it is used as"
              + " written (single-quote it to silence this warning)",
          where(fileName, entryLine));
    }
  }

  private void problem(int lineNumber, String reason) {
    problems.add(new LineProblem(lineNumber, reason));
  }

  private void nextLine(int lineEnd) {
    pos = lineEnd + 1;
    line++;
  }

  private int lineEnd(int from) {
    int end = text.indexOf('\n', from);
    return end < 0 ? text.length() : end;
  }

  private int skipBlanks(int from, int to) {
    int i = from;
    while (i < to && isBlank(text.charAt(i))) {
      i++;
    }
    return i;
  }

  private int countNewlines(int from, int to) {
    int n = 0;
    for (int i = from; i < to; i++) {
      if (text.charAt(i) == '\n') {
        n++;
      }
    }
    return n;
  }

  private static boolean isBlank(char c) {
    return c == ' ' || c == '\t';
  }

  private static boolean isLetter(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }
}
