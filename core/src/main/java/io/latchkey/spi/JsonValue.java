package io.latchkey.spi;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.math.BigDecimal;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A strictly read JSON value, for providers: the one reader of JSON secrets ({@code #field}
 * references) and of the services' answers, so that every provider agrees on what a field is and
 * refuses an answer whose members do not have the type the service defines.
 *
 * <p>The text must be one JSON value (RFC 8259) that also follows I-JSON (RFC 7493): member names
 * unique within an object, no unpaired surrogate in a string. A byte-order mark before it is
 * skipped; nesting deeper than {@value #MAX_DEPTH} is refused. Errors are {@link
 * IllegalArgumentException}s that say what was expected, or the member and the type it had, never
 * any of the text nor a position in it: a secret's JSON, or an answer that carries one, is as
 * secret as its value, and a position would tell how long a part of it is.
 *
 * <p>One rule for {@code null}: a member whose value is {@code null} reads as absent, by {@link
 * #field}, by the {@code optional...} readers and by the required readers, which refuse it as
 * missing.
 *
 * <p>Serialisation never writes the text: Jackson writes {@link #toString()}, the type and length
 * only, and refuses to read a value; Gson writes {@code {}}, since every field is {@code
 * transient}; Java serialisation refuses.
 *
 * <pre>{@code
 * JsonValue answer = JsonValue.parse(body);
 * String name = answer.string("Name");                       // required, must be a string
 * Optional<String> value = answer.optionalString("SecretString");
 * long version = answer.object("metadata").integer("version"); // 2.7 is refused
 * Optional<String> password = JsonValue.field(secretText, "password");
 * }</pre>
 *
 * @since 0.1
 */
public final class JsonValue {
  /** Deeper nesting than this is refused rather than risking a stack overflow: {@value}. */
  public static final int MAX_DEPTH = 256;

  /** The JSON types. */
  public enum Type {
    /** {@code {...}} */
    OBJECT,
    /** {@code [...]} */
    ARRAY,
    /** {@code "..."} */
    STRING,
    /** a number */
    NUMBER,
    /** {@code true} or {@code false} */
    BOOLEAN,
    /** {@code null} */
    NULL;

    private String article() {
      return this == OBJECT || this == ARRAY ? "an " + label() : "a " + label();
    }

    private String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  // Transient so that reflective serialisers (Gson, Jackson with field visibility) skip them: the
  // text may be a secret.
  private final transient Type type;
  private final transient String source;
  private final transient int start;
  private final transient int end;
  // Decoded string, or null; members by name for objects; elements for arrays.
  private final transient String string;
  private final transient Map<String, JsonValue> members;
  private final transient List<JsonValue> elements;

  private JsonValue(
      Type type,
      String source,
      int start,
      int end,
      String string,
      Map<String, JsonValue> members,
      List<JsonValue> elements) {
    this.type = type;
    this.source = source;
    this.start = start;
    this.end = end;
    this.string = string;
    this.members = members;
    this.elements = elements;
  }

  /**
   * Reads a JSON text.
   *
   * @param text the text
   * @return its value
   * @throws IllegalArgumentException if the text is not one well-formed I-JSON value; the message
   *     says what was expected, never the text nor a position in it
   */
  public static JsonValue parse(String text) {
    requireNonNull(text, "text");
    return new JsonParser(text).document();
  }

  /**
   * Reads member {@code name} of a secret whose value is a JSON object: the rule every provider
   * applies to a {@code #field} reference. A string member is returned decoded; a number, boolean,
   * object or array as its JSON text exactly as written; a {@code null} member as absent.
   *
   * @param secretText the secret's value
   * @param name the member's name
   * @return the member's value, or empty if the object has no such member or it is {@code null}
   * @throws IllegalArgumentException if the value is not a well-formed JSON object; the message
   *     never quotes the text
   */
  public static Optional<String> field(String secretText, String name) {
    requireNonNull(secretText, "secretText");
    requireNonNull(name, "name");
    JsonValue value = parse(secretText);
    if (value.type != Type.OBJECT) {
      throw new IllegalArgumentException(
          "the value is " + value.type.article() + ", not an object");
    }
    JsonValue member = value.members.get(name);
    if (member == null || member.type == Type.NULL) {
      return Optional.empty();
    }
    return Optional.of(member.type == Type.STRING ? member.string : member.text());
  }

  /**
   * Returns an object's members by {@link #field}'s rule: a string decoded, a number, boolean,
   * object or array as its JSON text as written, a {@code null} member left out.
   *
   * @return the members by name, in the order written
   * @throws IllegalArgumentException if this is not an object
   */
  public Map<String, String> fields() {
    expect(Type.OBJECT, "the value");
    Map<String, String> out = new LinkedHashMap<>();
    members.forEach(
        (name, member) -> {
          if (member.type != Type.NULL) {
            out.put(name, member.type == Type.STRING ? member.string : member.text());
          }
        });
    return Collections.unmodifiableMap(out);
  }

  /**
   * Returns the type.
   *
   * @return the type
   */
  public Type type() {
    return type;
  }

  /**
   * Returns this value's JSON text exactly as written.
   *
   * @return the text
   */
  public String text() {
    return source.substring(start, end);
  }

  /**
   * Returns the decoded string.
   *
   * @return the string
   * @throws IllegalArgumentException if this is not a string
   */
  public String asString() {
    expect(Type.STRING, "the value");
    return string;
  }

  /**
   * Returns the integer.
   *
   * @return the integer
   * @throws IllegalArgumentException if this is not a number written as an integer ({@code 2}, not
   *     {@code 2.0} or {@code 2e0}) that fits a {@code long}
   */
  public long asInteger() {
    return integerOf(this, "the value");
  }

  /**
   * Returns the number.
   *
   * @return the number, exactly as written
   * @throws IllegalArgumentException if this is not a number
   */
  public BigDecimal asDecimal() {
    expect(Type.NUMBER, "the value");
    return new BigDecimal(text());
  }

  /**
   * Returns the boolean.
   *
   * @return the boolean
   * @throws IllegalArgumentException if this is not {@code true} or {@code false}
   */
  public boolean asBoolean() {
    expect(Type.BOOLEAN, "the value");
    return source.charAt(start) == 't';
  }

  /**
   * Returns an array's elements.
   *
   * @return the elements, in order
   * @throws IllegalArgumentException if this is not an array
   */
  public List<JsonValue> elements() {
    expect(Type.ARRAY, "the value");
    return elements;
  }

  /**
   * Returns an object's member names.
   *
   * @return the names, in the order written
   * @throws IllegalArgumentException if this is not an object
   */
  public Set<String> names() {
    expect(Type.OBJECT, "the value");
    return members.keySet();
  }

  /**
   * Returns an object's member, {@code null} members included.
   *
   * @param name the member's name
   * @return the member, or empty if there is none
   * @throws IllegalArgumentException if this is not an object
   */
  public Optional<JsonValue> member(String name) {
    requireNonNull(name, "name");
    expect(Type.OBJECT, "the value");
    return Optional.ofNullable(members.get(name));
  }

  /**
   * Returns an object's string member.
   *
   * @param name the member's name
   * @return the decoded string
   * @throws IllegalArgumentException if this is not an object, or the member is missing, {@code
   *     null} or not a string
   */
  public String string(String name) {
    return required(name, Type.STRING).string;
  }

  /**
   * Returns an object's string member, if present.
   *
   * @param name the member's name
   * @return the decoded string, or empty if the member is missing or {@code null}
   * @throws IllegalArgumentException if this is not an object, or the member is not a string
   */
  public Optional<String> optionalString(String name) {
    return optional(name, Type.STRING).map(v -> v.string);
  }

  /**
   * Returns an object's integer member.
   *
   * @param name the member's name
   * @return the integer
   * @throws IllegalArgumentException if this is not an object, or the member is missing, {@code
   *     null}, or not an integer that fits a {@code long}
   */
  public long integer(String name) {
    return integerOf(required(name, Type.NUMBER), memberName(name));
  }

  /**
   * Returns an object's integer member, if present.
   *
   * @param name the member's name
   * @return the integer, or empty if the member is missing or {@code null}
   * @throws IllegalArgumentException if this is not an object, or the member is not an integer that
   *     fits a {@code long}
   */
  public Optional<Long> optionalInteger(String name) {
    return optional(name, Type.NUMBER).map(v -> integerOf(v, memberName(name)));
  }

  /**
   * Returns an object's number member, if present.
   *
   * @param name the member's name
   * @return the number exactly as written, or empty if the member is missing or {@code null}
   * @throws IllegalArgumentException if this is not an object, or the member is not a number
   */
  public Optional<BigDecimal> optionalDecimal(String name) {
    return optional(name, Type.NUMBER).map(JsonValue::asDecimal);
  }

  /**
   * Returns an object's boolean member, if present.
   *
   * @param name the member's name
   * @return the boolean, or empty if the member is missing or {@code null}
   * @throws IllegalArgumentException if this is not an object, or the member is not a boolean
   */
  public Optional<Boolean> optionalBoolean(String name) {
    return optional(name, Type.BOOLEAN).map(JsonValue::asBoolean);
  }

  /**
   * Returns an object's object member.
   *
   * @param name the member's name
   * @return the member
   * @throws IllegalArgumentException if this is not an object, or the member is missing, {@code
   *     null} or not an object
   */
  public JsonValue object(String name) {
    return required(name, Type.OBJECT);
  }

  /**
   * Returns an object's object member, if present.
   *
   * @param name the member's name
   * @return the member, or empty if it is missing or {@code null}
   * @throws IllegalArgumentException if this is not an object, or the member is not an object
   */
  public Optional<JsonValue> optionalObject(String name) {
    return optional(name, Type.OBJECT);
  }

  /**
   * Returns an object's array member, if present.
   *
   * @param name the member's name
   * @return the elements, or empty if the member is missing or {@code null}
   * @throws IllegalArgumentException if this is not an object, or the member is not an array
   */
  public Optional<List<JsonValue>> optionalArray(String name) {
    return optional(name, Type.ARRAY).map(v -> v.elements);
  }

  /**
   * Returns an object's array member whose elements are all strings, if present.
   *
   * @param name the member's name
   * @return the decoded strings, or empty if the member is missing or {@code null}
   * @throws IllegalArgumentException if this is not an object, the member is not an array, or an
   *     element is not a string
   */
  public Optional<List<String>> optionalStrings(String name) {
    return optionalArray(name)
        .map(
            list ->
                list.stream()
                    .map(
                        e -> {
                          if (e.type != Type.STRING) {
                            throw new IllegalArgumentException(
                                "an element of "
                                    + memberName(name)
                                    + " is "
                                    + e.type.article()
                                    + ", expected a string");
                          }
                          return e.string;
                        })
                    .toList());
  }

  /**
   * Returns the type and length only: the text may be a secret. Jackson writes the same string.
   *
   * @return the description
   */
  @com.fasterxml.jackson.annotation.JsonValue
  @Override
  public String toString() {
    return "JsonValue[" + type.label() + ", " + (end - start) + " chars]";
  }

  /**
   * What Jackson calls to read a {@code JsonValue}: it refuses, without quoting what it was given.
   * Without a creator, Jackson's own refusal quotes the JSON string, which would be its text. It
   * takes an {@code Object}, not a {@code String}: Jackson would also use a {@code String} factory
   * for map keys, and quote the key in the failure.
   */
  @JsonCreator
  @SuppressWarnings("unused")
  private static JsonValue fromJson(Object ignored) {
    throw new IllegalArgumentException(
        "io.latchkey.spi.JsonValue is not read from JSON, which would hold its text;"
            + " parse the text with JsonValue.parse");
  }

  private JsonValue required(String name, Type wanted) {
    return optional(name, wanted)
        .orElseThrow(() -> new IllegalArgumentException(memberName(name) + " is missing"));
  }

  private Optional<JsonValue> optional(String name, Type wanted) {
    requireNonNull(name, "name");
    expect(Type.OBJECT, "the value");
    JsonValue member = members.get(name);
    if (member == null || member.type == Type.NULL) {
      return Optional.empty();
    }
    member.expect(wanted, memberName(name));
    return Optional.of(member);
  }

  private void expect(Type wanted, String what) {
    if (type != wanted) {
      throw new IllegalArgumentException(
          what + " is " + type.article() + ", expected " + wanted.article());
    }
  }

  private static long integerOf(JsonValue v, String what) {
    v.expect(Type.NUMBER, what);
    String digits = v.text();
    for (int i = digits.charAt(0) == '-' ? 1 : 0; i < digits.length(); i++) {
      if (digits.charAt(i) < '0' || digits.charAt(i) > '9') {
        throw new IllegalArgumentException(what + " is not an integer");
      }
    }
    try {
      return Long.parseLong(digits);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(what + " is an integer too large for 64 bits");
    }
  }

  /**
   * Writes a text as a JSON string, for a provider that sends JSON: quotes, with {@code "}, {@code
   * \} and the control characters escaped; every other character as it is (the text is sent as
   * UTF-8).
   *
   * @param text the text
   * @return the JSON string, quotes included
   */
  public static String quote(String text) {
    StringBuilder out = new StringBuilder(text.length() + 2).append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c < 0x20) {
        out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.append('"').toString();
  }

  /** Member names are the service's, never the secret's values, so they may be named. */
  private static String memberName(String name) {
    return "member '" + name + "'";
  }

  static JsonValue object(String source, int start, int end, Map<String, JsonValue> m) {
    return new JsonValue(
        Type.OBJECT, source, start, end, null, Collections.unmodifiableMap(m), null);
  }

  static JsonValue array(String source, int start, int end, List<JsonValue> elements) {
    return new JsonValue(Type.ARRAY, source, start, end, null, null, List.copyOf(elements));
  }

  static JsonValue string(String source, int start, int end, String decoded) {
    return new JsonValue(Type.STRING, source, start, end, decoded, null, null);
  }

  static JsonValue scalar(Type type, String source, int start, int end) {
    return new JsonValue(type, source, start, end, null, null, null);
  }
}
