package io.latchkey.provider.env;

import java.util.Optional;

/**
 * Reads one member of a JSON object (RFC 8259), for references such as {@code
 * env:DB_CREDENTIALS#password} where the variable holds a JSON document, as an ECS task does when
 * it injects a whole Secrets Manager secret into one variable.
 *
 * <p>The module depends on core alone, so rather than bring in a JSON library for one lookup this
 * is a strict recursive-descent reader: the whole text is validated, a string member is returned
 * decoded, any other member as its JSON text exactly as written. When a name appears twice the last
 * one wins, as in Jackson and JavaScript.
 *
 * <p>Errors say what is wrong and where (a character position), never quote the text.
 */
final class JsonFields {
  /** Deeper nesting than this is refused rather than risking a stack overflow on hostile input. */
  private static final int MAX_DEPTH = 256;

  private final String text;
  private int pos;

  /** Thrown when the text is not a JSON object; the message gives the position only. */
  static final class NotAnObjectException extends Exception {
    private static final long serialVersionUID = 1L;

    NotAnObjectException(String message) {
      super(message, null, false, false);
    }
  }

  private JsonFields(String text) {
    this.text = text;
  }

  /**
   * Returns the member {@code field} of the JSON object {@code text}.
   *
   * @return the member's value (a string decoded, anything else as written), or empty if the object
   *     has no such member
   * @throws NotAnObjectException if {@code text} is not a well-formed JSON object
   */
  static Optional<String> member(String text, String field) throws NotAnObjectException {
    return new JsonFields(text).readMember(field);
  }

  private Optional<String> readMember(String field) throws NotAnObjectException {
    skipBlanks();
    if (pos < text.length() && text.charAt(pos) == '\uFEFF') {
      pos++;
      skipBlanks();
    }
    if (pos >= text.length() || text.charAt(pos) != '{') {
      throw new NotAnObjectException("the value is not a JSON object");
    }
    pos++;
    String found = members(1, field);
    skipBlanks();
    if (pos != text.length()) {
      throw error(pos, "the end of the text");
    }
    return Optional.ofNullable(found);
  }

  private void value(int depth) throws NotAnObjectException {
    if (depth > MAX_DEPTH) {
      throw new NotAnObjectException(
          "the value is not a JSON object this provider reads: nesting deeper than " + MAX_DEPTH);
    }
    char c = peek();
    switch (c) {
      case '{' -> {
        pos++;
        members(depth, null);
      }
      case '[' -> {
        pos++;
        skipBlanks();
        if (peek() == ']') {
          pos++;
          return;
        }
        while (true) {
          skipBlanks();
          value(depth + 1);
          skipBlanks();
          char next = peek();
          pos++;
          if (next == ']') {
            return;
          }
          if (next != ',') {
            throw error(pos - 1, "',' or ']'");
          }
        }
      }
      case '"' -> {
        pos++;
        string();
      }
      case 't' -> literal("true");
      case 'f' -> literal("false");
      case 'n' -> literal("null");
      default -> number();
    }
  }

  /**
   * Reads an object's members up to and including its closing brace (the opening one was consumed),
   * and returns the last member named {@code field}: a string decoded, anything else as written;
   * {@code null} if there is none or {@code field} is {@code null}.
   */
  private String members(int depth, String field) throws NotAnObjectException {
    String found = null;
    skipBlanks();
    if (peek() == '}') {
      pos++;
      return null;
    }
    while (true) {
      skipBlanks();
      expect('"', "a member name");
      String name = string();
      skipBlanks();
      expect(':', "':'");
      skipBlanks();
      int start = pos;
      if (peek() == '"') {
        pos++;
        String decoded = string();
        if (name.equals(field)) {
          found = decoded;
        }
      } else {
        value(depth + 1);
        if (name.equals(field)) {
          found = text.substring(start, pos);
        }
      }
      skipBlanks();
      char next = peek();
      pos++;
      if (next == '}') {
        return found;
      }
      if (next != ',') {
        throw error(pos - 1, "',' or '}'");
      }
    }
  }

  /** Reads a string whose opening quote was consumed; returns it decoded. */
  private String string() throws NotAnObjectException {
    StringBuilder out = new StringBuilder();
    while (true) {
      if (pos >= text.length()) {
        throw error(pos, "a closing '\"'");
      }
      char c = text.charAt(pos++);
      if (c == '"') {
        return out.toString();
      }
      if (c < 0x20) {
        throw error(pos - 1, "an escaped control character");
      }
      if (c != '\\') {
        out.append(c);
        continue;
      }
      if (pos >= text.length()) {
        throw error(pos, "an escape sequence");
      }
      char e = text.charAt(pos++);
      switch (e) {
        case '"', '\\', '/' -> out.append(e);
        case 'b' -> out.append('\b');
        case 'f' -> out.append('\f');
        case 'n' -> out.append('\n');
        case 'r' -> out.append('\r');
        case 't' -> out.append('\t');
        case 'u' -> {
          if (pos + 4 > text.length()) {
            throw error(pos, "four hex digits");
          }
          int code = 0;
          for (int i = 0; i < 4; i++) {
            int digit = Character.digit(text.charAt(pos + i), 16);
            if (digit < 0) {
              throw error(pos + i, "a hex digit");
            }
            code = code * 16 + digit;
          }
          pos += 4;
          out.append((char) code);
        }
        default -> throw error(pos - 1, "a valid escape");
      }
    }
  }

  private void number() throws NotAnObjectException {
    int start = pos;
    if (peek() == '-') {
      pos++;
    }
    if (peek() == '0') {
      pos++;
    } else if (isDigit(peek()) && peek() != '0') {
      digits();
    } else {
      throw error(start, "a JSON value");
    }
    if (peek() == '.') {
      pos++;
      if (!isDigit(peek())) {
        throw error(pos, "a digit");
      }
      digits();
    }
    if (peek() == 'e' || peek() == 'E') {
      pos++;
      if (peek() == '+' || peek() == '-') {
        pos++;
      }
      if (!isDigit(peek())) {
        throw error(pos, "a digit");
      }
      digits();
    }
  }

  private void digits() {
    while (isDigit(peek())) {
      pos++;
    }
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private void literal(String word) throws NotAnObjectException {
    if (!text.startsWith(word, pos)) {
      throw error(pos, "a JSON value");
    }
    pos += word.length();
  }

  private void expect(char c, String what) throws NotAnObjectException {
    if (peek() != c) {
      throw error(pos, what);
    }
    pos++;
  }

  /** Returns the next character, or U+0000 at the end (never valid where a token is expected). */
  private char peek() {
    return pos < text.length() ? text.charAt(pos) : '\0';
  }

  private void skipBlanks() {
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        return;
      }
      pos++;
    }
  }

  private NotAnObjectException error(int at, String expected) {
    return new NotAnObjectException(
        "the value is not a well-formed JSON object: expected "
            + expected
            + " at character "
            + (at + 1));
  }
}
