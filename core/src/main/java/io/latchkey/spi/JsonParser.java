package io.latchkey.spi;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The recursive-descent reader behind {@link JsonValue#parse}: RFC 8259 grammar, I-JSON's unique
 * names and well-formed strings. Linear in the text's length; depth bounded.
 */
final class JsonParser {
  private final String text;
  private int pos;

  JsonParser(String text) {
    this.text = text;
  }

  JsonValue document() {
    if (text.startsWith("\uFEFF")) {
      pos = 1;
    }
    skipBlanks();
    JsonValue value = value(1);
    skipBlanks();
    if (pos != text.length()) {
      throw error("the end of the text");
    }
    return value;
  }

  private JsonValue value(int depth) {
    if (depth > JsonValue.MAX_DEPTH) {
      throw new IllegalArgumentException("JSON nested deeper than " + JsonValue.MAX_DEPTH);
    }
    int start = pos;
    return switch (peek()) {
      case '{' -> object(depth, start);
      case '[' -> array(depth, start);
      case '"' -> {
        pos++;
        String decoded = string();
        yield JsonValue.string(text, start, pos, decoded);
      }
      case 't' -> literal("true", JsonValue.Type.BOOLEAN);
      case 'f' -> literal("false", JsonValue.Type.BOOLEAN);
      case 'n' -> literal("null", JsonValue.Type.NULL);
      default -> number();
    };
  }

  private JsonValue object(int depth, int start) {
    pos++;
    Map<String, JsonValue> members = new LinkedHashMap<>();
    skipBlanks();
    if (peek() == '}') {
      pos++;
      return JsonValue.object(text, start, pos, members);
    }
    while (true) {
      skipBlanks();
      expect('"', "a member name");
      String name = string();
      skipBlanks();
      expect(':', "':'");
      skipBlanks();
      if (members.put(name, value(depth + 1)) != null) {
        // I-JSON: a reader that kept the first and one that kept the last would disagree.
        throw new IllegalArgumentException("JSON object has a member name twice");
      }
      skipBlanks();
      char next = peek();
      pos++;
      if (next == '}') {
        return JsonValue.object(text, start, pos, members);
      }
      if (next != ',') {
        throw error("',' or '}'");
      }
    }
  }

  private JsonValue array(int depth, int start) {
    pos++;
    List<JsonValue> elements = new ArrayList<>();
    skipBlanks();
    if (peek() == ']') {
      pos++;
      return JsonValue.array(text, start, pos, elements);
    }
    while (true) {
      skipBlanks();
      elements.add(value(depth + 1));
      skipBlanks();
      char next = peek();
      pos++;
      if (next == ']') {
        return JsonValue.array(text, start, pos, elements);
      }
      if (next != ',') {
        throw error("',' or ']'");
      }
    }
  }

  /** Reads a string whose opening quote was consumed; returns it decoded. */
  private String string() {
    StringBuilder out = new StringBuilder();
    while (true) {
      if (pos >= text.length()) {
        throw error("a closing '\"'");
      }
      char c = text.charAt(pos++);
      if (c == '"') {
        return checkSurrogates(out);
      }
      if (c < 0x20) {
        throw error("an escaped control character");
      }
      if (c != '\\') {
        out.append(c);
        continue;
      }
      if (pos >= text.length()) {
        throw error("an escape sequence");
      }
      char e = text.charAt(pos++);
      switch (e) {
        case '"', '\\', '/' -> out.append(e);
        case 'b' -> out.append('\b');
        case 'f' -> out.append('\f');
        case 'n' -> out.append('\n');
        case 'r' -> out.append('\r');
        case 't' -> out.append('\t');
        case 'u' -> out.append(hex4());
        default -> throw error("a valid escape");
      }
    }
  }

  private char hex4() {
    if (pos + 4 > text.length()) {
      throw error("four hex digits");
    }
    int code = 0;
    for (int i = 0; i < 4; i++) {
      char h = text.charAt(pos + i);
      // ASCII only: Character.digit also takes other scripts' digits.
      int digit = h < 0x80 ? Character.digit(h, 16) : -1;
      if (digit < 0) {
        throw error("a hex digit");
      }
      code = code * 16 + digit;
    }
    pos += 4;
    return (char) code;
  }

  private String checkSurrogates(StringBuilder s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        throw new IllegalArgumentException("JSON string has an unpaired surrogate");
      }
    }
    return s.toString();
  }

  private JsonValue number() {
    int start = pos;
    if (peek() == '-') {
      pos++;
    }
    if (peek() == '0') {
      pos++;
    } else if (isDigit(peek())) {
      digits();
    } else {
      throw error("a JSON value");
    }
    if (peek() == '.') {
      pos++;
      if (!isDigit(peek())) {
        throw error("a digit");
      }
      digits();
    }
    if (peek() == 'e' || peek() == 'E') {
      pos++;
      if (peek() == '+' || peek() == '-') {
        pos++;
      }
      if (!isDigit(peek())) {
        throw error("a digit");
      }
      digits();
    }
    return JsonValue.scalar(JsonValue.Type.NUMBER, text, start, pos);
  }

  private void digits() {
    while (isDigit(peek())) {
      pos++;
    }
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private JsonValue literal(String word, JsonValue.Type type) {
    if (!text.startsWith(word, pos)) {
      throw error("a JSON value");
    }
    int start = pos;
    pos += word.length();
    return JsonValue.scalar(type, text, start, pos);
  }

  private void expect(char c, String what) {
    if (peek() != c) {
      throw error(what);
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

  // No position: the text may be a secret's JSON, or an answer that carries one, and a position
  // would tell how long a part of it is.
  private IllegalArgumentException error(String expected) {
    return new IllegalArgumentException("malformed JSON: expected " + expected);
  }
}
