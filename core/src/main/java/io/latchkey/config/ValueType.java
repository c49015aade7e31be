package io.latchkey.config;

import io.latchkey.Secret;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.function.Function;

/**
 * How one type of setting is parsed, described in docs and errors, and printed back.
 *
 * <p>A parser's failure reason says what is wrong ("is not an integer") and never contains the text
 * it was given, so that the loader can decide, per setting, whether to quote the value. Everything
 * a parser needs (enum lookup tables, allowed schemes) is computed here, once, when the schema is
 * built; parsing itself compiles no pattern and reflects on nothing.
 */
final class ValueType<T> {

  /** Why a text is not a value of the type; the reason never contains the text. */
  static final class Invalid extends Exception {
    private static final long serialVersionUID = 1L;

    Invalid(String reason) {
      // Only the reason matters, and failures are expected input: skip the stack trace.
      super(reason, null, false, false);
    }
  }

  /** Turns a text into a value, or says why it cannot. */
  @FunctionalInterface
  interface Parser<T> {
    T parse(String text) throws Invalid;
  }

  /** The type names a JSON schema or an {@link Env} annotation may use. */
  static final List<String> NAMES =
      List.of(
          "string",
          "integer",
          "port",
          "boolean",
          "duration",
          "uri",
          "url",
          "enum",
          "list",
          "secret",
          "fernet-key",
          "key-list",
          "fernet-key-list");

  /** The element types a list may have. */
  static final List<String> ELEMENT_NAMES =
      List.of("string", "integer", "port", "boolean", "duration", "uri", "url", "enum");

  static final ValueType<String> STRING =
      new ValueType<>("string", String.class, "string", "a string", s -> s, s -> s, false);

  static final ValueType<Integer> PORT =
      new ValueType<>(
          "port",
          Integer.class,
          "port (1 to 65535)",
          "a port number from 1 to 65535",
          s -> ValueParsers.parseInt(s, 1, 65535),
          String::valueOf,
          true);

  static final ValueType<Boolean> BOOLEAN =
      new ValueType<>(
          "boolean",
          Boolean.class,
          "boolean (true/false, yes/no, 1/0)",
          "one of true, false, yes, no, 1, 0 (any case)",
          ValueParsers::parseBoolean,
          String::valueOf,
          true);

  static final ValueType<Duration> DURATION =
      new ValueType<>(
          "duration",
          Duration.class,
          "duration (such as 500ms, 30s, 5m, 2h, 1d or PT30S)",
          "a duration such as 500ms, 30s, 5m, 2h, 1d, or ISO-8601 such as PT30S",
          ValueParsers::parseDuration,
          ValueParsers::formatDuration,
          true);

  static final ValueType<Secret> SECRET =
      new ValueType<>(
          "secret", Secret.class, "secret", "a secret", Secret::of, Secret::reveal, false);

  static final String FERNET_EXPECTED =
      "a Fernet key (32 bytes of URL-safe base64, 44 characters), such as one printed by"
          + " 'latchkey keygen'";

  static final ValueType<Secret> FERNET_KEY =
      new ValueType<>(
          "fernet-key",
          Secret.class,
          "Fernet key (44 characters of URL-safe base64)",
          FERNET_EXPECTED,
          ValueParsers::parseFernetKey,
          Secret::reveal,
          true);

  final String name;
  final Class<T> javaType;
  final String display;
  final String expected;
  private final Parser<T> parser;
  private final Function<? super T, String> formatter;

  /** Whether surrounding whitespace is dropped before parsing; strings and secrets keep it. */
  final boolean strips;

  /** Whether {@link #format} gives text that parses back to the same value. */
  final boolean roundTrips;

  /** A list's entry type; null for other types. */
  final ValueType<?> element;

  private ValueType(
      String name,
      Class<T> javaType,
      String display,
      String expected,
      Parser<T> parser,
      Function<? super T, String> formatter,
      boolean strips) {
    this(name, javaType, display, expected, parser, formatter, strips, null);
  }

  private ValueType(
      String name,
      Class<T> javaType,
      String display,
      String expected,
      Parser<T> parser,
      Function<? super T, String> formatter,
      boolean strips,
      ValueType<?> element) {
    this.name = name;
    this.javaType = javaType;
    this.display = display;
    this.expected = expected;
    this.parser = parser;
    this.formatter = formatter;
    this.strips = strips;
    this.roundTrips = true;
    this.element = element;
  }

  private ValueType(ValueType<T> base, boolean roundTrips) {
    this.name = base.name;
    this.javaType = base.javaType;
    this.display = base.display;
    this.expected = base.expected;
    this.parser = base.parser;
    this.formatter = base.formatter;
    this.strips = base.strips;
    this.roundTrips = roundTrips;
    this.element = base.element;
  }

  /** Parses a raw text, stripped first where the type ignores surrounding whitespace. */
  T parse(String text) throws Invalid {
    return parser.parse(strips ? text.strip() : text);
  }

  /** Prints a value the way a user would write it, so that parsing it gives the value back. */
  String format(Object value) {
    return formatter.apply(javaType.cast(value));
  }

  boolean isSecret() {
    return javaType == Secret.class || javaType == KeyList.class;
  }

  boolean isUri() {
    return javaType == URI.class;
  }

  boolean isKeyList() {
    return javaType == KeyList.class;
  }

  /** The type of a key list's entries, for key-list types; this type otherwise. */
  ValueType<Secret> keyListEntry() {
    return name.equals("fernet-key-list") ? FERNET_KEY : SECRET;
  }

  // ---- factories for parameterised types ----

  static ValueType<Integer> integer(int min, int max) {
    if (min > max) {
      throw new IllegalArgumentException("min " + min + " is greater than max " + max);
    }
    String range;
    String expected;
    if (min == Integer.MIN_VALUE && max == Integer.MAX_VALUE) {
      range = "";
      expected = "an integer";
    } else if (max == Integer.MAX_VALUE) {
      range = " (at least " + min + ")";
      expected = "an integer of at least " + min;
    } else if (min == Integer.MIN_VALUE) {
      range = " (at most " + max + ")";
      expected = "an integer of at most " + max;
    } else {
      range = " (" + min + " to " + max + ")";
      expected = "an integer from " + min + " to " + max;
    }
    return new ValueType<>(
        "integer",
        Integer.class,
        "integer" + range,
        expected,
        s -> ValueParsers.parseInt(s, min, max),
        String::valueOf,
        true);
  }

  static ValueType<URI> uri(List<String> schemes) {
    List<String> allowed = new ArrayList<>();
    for (String scheme : schemes) {
      if (scheme.isEmpty() || !ValueParsers.isSchemeName(scheme)) {
        throw new IllegalArgumentException("'" + scheme + "' is not a URI scheme");
      }
      String lower = scheme.toLowerCase(Locale.ROOT);
      if (allowed.contains(lower)) {
        throw new IllegalArgumentException("scheme '" + scheme + "' is listed twice");
      }
      allowed.add(lower);
    }
    Set<String> allowedSet = Set.copyOf(allowed);
    String list = String.join(", ", allowed);
    return new ValueType<>(
        "uri",
        URI.class,
        allowed.isEmpty() ? "URI" : "URI (" + list + ")",
        allowed.isEmpty()
            ? "an absolute URI"
            : "an absolute URI with scheme " + String.join(" or ", allowed),
        s -> ValueParsers.parseUri(s, allowedSet),
        URI::toString,
        true);
  }

  static <E extends Enum<E>> ValueType<E> enumeration(Class<E> type) {
    E[] constants = type.getEnumConstants();
    if (constants == null || constants.length == 0) {
      throw new IllegalArgumentException(type.getName() + " has no constants");
    }
    Map<String, E> byKey = new LinkedHashMap<>();
    for (E constant : constants) {
      byKey.put(ValueParsers.enumKey(constant.name()), constant);
    }
    String allowed = String.join(", ", byKey.keySet());
    return new ValueType<>(
        "enum",
        type,
        "one of " + allowed,
        "one of " + allowed + " (any case)",
        s -> ValueParsers.lookup(byKey, s),
        e -> ValueParsers.enumKey(e.name()),
        true);
  }

  static ValueType<String> oneOf(List<String> values) {
    if (values.isEmpty()) {
      throw new IllegalArgumentException("an enum needs at least one allowed value");
    }
    Map<String, String> byKey = new LinkedHashMap<>();
    for (String value : values) {
      if (value.isBlank() || !value.strip().equals(value)) {
        throw new IllegalArgumentException(
            "allowed value '" + value + "' is blank or has surrounding whitespace");
      }
      if (byKey.put(ValueParsers.enumKey(value), value) != null) {
        throw new IllegalArgumentException("allowed value '" + value + "' is listed twice");
      }
    }
    String allowed = String.join(", ", byKey.values());
    return new ValueType<>(
        "enum",
        String.class,
        "one of " + allowed,
        "one of " + allowed + " (any case)",
        s -> ValueParsers.lookup(byKey, s),
        s -> s,
        true);
  }

  @SuppressWarnings("unchecked") // List<E> has no class literal of its own
  static <E> ValueType<List<E>> list(ValueType<E> element) {
    if (element.javaType == List.class || element.isSecret()) {
      throw new IllegalArgumentException("a list cannot hold " + element.name + " entries");
    }
    return new ValueType<>(
        "list",
        (Class<List<E>>) (Class<?>) List.class,
        "comma-separated list of " + element.display,
        "a comma-separated list whose entries are each " + element.expected,
        s -> ValueParsers.parseList(s, element),
        values -> {
          StringJoiner joined = new StringJoiner(",");
          for (E value : values) {
            joined.add(element.format(value));
          }
          return joined.toString();
        },
        true,
        element);
  }

  static ValueType<KeyList> keyList(boolean fernet) {
    String name = fernet ? "fernet-key-list" : "key-list";
    ValueType<Secret> entry = fernet ? FERNET_KEY : SECRET;
    return new ValueType<>(
        name,
        KeyList.class,
        fernet ? "Fernet key list (44 characters of URL-safe base64 each)" : "key list",
        entry.expected,
        s -> KeyList.of(entry.parse(s), List.of()),
        k -> k.current().reveal(),
        true);
  }

  static <T> ValueType<T> custom(String name, Class<T> type, Function<String, ? extends T> parser) {
    ValueType<T> base =
        new ValueType<T>(
            name,
            type,
            name,
            "a valid " + name,
            s -> {
              T value;
              try {
                value = parser.apply(s);
              } catch (VirtualMachineError | ThreadDeath e) {
                throw e;
              } catch (Throwable e) {
                // A parser's own message may quote the text, which may be secret: keep the type
                // only. An Error (an assertion in the parser) is treated like any exception, so
                // that it neither carries the text out of the load nor hides the other problems.
                if (e instanceof InterruptedException) {
                  Thread.currentThread().interrupt();
                }
                throw new Invalid(
                    "is not a valid " + name + " (" + e.getClass().getSimpleName() + ")");
              }
              if (value == null) {
                throw new Invalid("is not a valid " + name);
              }
              return value;
            },
            String::valueOf,
            true);
    return new ValueType<>(base, false);
  }

  /**
   * A type that checks its text as {@code base} does but holds it as a {@link Secret}, for record
   * components such as a database URL that carries a password.
   */
  static ValueType<Secret> secretHolder(ValueType<?> base) {
    return new ValueType<>(
        base.name,
        Secret.class,
        base.display,
        base.expected,
        s -> {
          base.parse(s);
          return Secret.of(s);
        },
        Secret::reveal,
        base.strips);
  }

  /**
   * Options of a type given by name: an integer's range, a URI's schemes, an enum's values, a
   * list's element type. Null (or, for an enum, a null class) when not given.
   */
  record Options(
      Integer min,
      Integer max,
      List<String> schemes,
      List<String> values,
      String element,
      Class<? extends Enum<?>> enumType) {
    static final Options NONE = new Options(null, null, null, null, null, null);
  }

  /**
   * The type a JSON schema or an {@link Env} annotation names.
   *
   * @throws IllegalArgumentException if the name is unknown or an option does not apply to it: the
   *     first of {@link #optionProblems}, or what the type itself refuses
   */
  static ValueType<?> named(String name, Options options) {
    List<String> problems = optionProblems(name, options);
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(problems.get(0));
    }
    if (name.equals("list")) {
      return list(scalar(options.element() == null ? "string" : options.element(), options));
    }
    return scalar(name, options);
  }

  /**
   * Every reason {@link #named} has to refuse the name or an option given with it, each on its own:
   * an unknown name alone (nothing then says which options apply), otherwise an element type that
   * is not supported or given to a type that is not a list, and each of the range, the schemes and
   * the allowed values given to a type they do not apply to. Empty does not mean the options are
   * valid: the type checks their values itself (a range whose min is above its max).
   *
   * @param name the type's name
   * @param o the options given
   * @return the reasons, in the order {@link #named} checks them
   */
  static List<String> optionProblems(String name, Options o) {
    if (!NAMES.contains(name)) {
      return List.of("type '" + name + "' is unknown; expected one of " + String.join(", ", NAMES));
    }
    List<String> problems = new ArrayList<>();
    String scalar = name;
    if (name.equals("list")) {
      String element = o.element() == null ? "string" : o.element();
      if (!ELEMENT_NAMES.contains(element)) {
        problems.add(
            "element type '"
                + element
                + "' is not supported; expected one of "
                + String.join(", ", ELEMENT_NAMES));
        return problems;
      }
      scalar = element;
    } else if (o.element() != null) {
      problems.add("element applies to list settings only");
    }
    boolean integer = scalar.equals("integer");
    boolean uri = scalar.equals("uri") || scalar.equals("url");
    boolean enumeration = scalar.equals("enum");
    if (!integer && (o.min() != null || o.max() != null)) {
      problems.add("min and max apply to integer settings only");
    }
    if (!uri && o.schemes() != null) {
      problems.add("schemes apply to uri settings only");
    }
    if (!enumeration && o.values() != null) {
      problems.add("values apply to enum settings only");
    }
    return problems;
  }

  /** The scalar type {@code name}, whose options {@link #optionProblems} found applicable. */
  private static ValueType<?> scalar(String name, Options o) {
    switch (name) {
      case "string":
        return STRING;
      case "integer":
        return integer(
            o.min() == null ? Integer.MIN_VALUE : o.min(),
            o.max() == null ? Integer.MAX_VALUE : o.max());
      case "port":
        return PORT;
      case "boolean":
        return BOOLEAN;
      case "duration":
        return DURATION;
      case "uri":
      case "url":
        return uri(o.schemes() == null ? List.of() : o.schemes());
      case "enum":
        if (o.enumType() != null) {
          if (o.values() != null) {
            throw new IllegalArgumentException("values come from the enum; do not list them");
          }
          return anyEnumeration(o.enumType());
        }
        if (o.values() == null) {
          throw new IllegalArgumentException("an enum setting needs its allowed values");
        }
        return oneOf(o.values());
      case "secret":
        return SECRET;
      case "fernet-key":
        return FERNET_KEY;
      case "key-list":
        return keyList(false);
      case "fernet-key-list":
        return keyList(true);
      default:
        throw new IllegalArgumentException("type '" + name + "' is unknown");
    }
  }

  /** The Java type of a list element named in a JSON schema or inferred from a record component. */
  static ValueType<?> forElementClass(Class<?> type) {
    if (type == String.class) {
      return STRING;
    } else if (type == Integer.class) {
      return integer(Integer.MIN_VALUE, Integer.MAX_VALUE);
    } else if (type == Boolean.class) {
      return BOOLEAN;
    } else if (type == Duration.class) {
      return DURATION;
    } else if (type == URI.class) {
      return uri(List.of());
    } else if (type.isEnum()) {
      return anyEnumeration(type);
    }
    throw new IllegalArgumentException(
        "a list cannot hold "
            + type.getName()
            + "; supported: String, Integer, Boolean, Duration, URI and enums");
  }

  @SuppressWarnings({"unchecked", "rawtypes"}) // the class is checked to be an enum
  private static ValueType<?> anyEnumeration(Class<?> type) {
    return enumeration((Class) type);
  }
}
