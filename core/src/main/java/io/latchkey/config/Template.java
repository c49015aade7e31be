package io.latchkey.config;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.function.IntFunction;

/**
 * A derivation template such as {@code postgresql://app:${POSTGRES_PASSWORD}@${POSTGRES_HOST}/app},
 * split once into literal parts and setting names so that rendering it is a concatenation.
 *
 * <p>{@code ${NAME}} is replaced by the text of setting {@code NAME}; {@code ${NAME|url}} by that
 * text percent-encoded (everything but RFC 3986 unreserved characters), so that a password holding
 * {@code @}, {@code /} or {@code :} cannot change the shape of a URL; {@code $$} is a literal
 * dollar sign; any other {@code $} is literal too.
 */
final class Template {
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private final String text;
  private final String[] literals;
  private final List<String> inputs;

  /** For each placeholder, its setting's index in {@link #inputs}. */
  private final int[] slots;

  /** For each placeholder, whether its text is percent-encoded. */
  private final boolean[] encoded;

  private Template(String text, List<String> literals, List<String> names, List<Boolean> encoded) {
    this.text = text;
    this.literals = literals.toArray(new String[0]);
    this.inputs = List.copyOf(new LinkedHashSet<>(names));
    this.slots = names.stream().mapToInt(inputs::indexOf).toArray();
    this.encoded = new boolean[encoded.size()];
    for (int i = 0; i < this.encoded.length; i++) {
      this.encoded[i] = encoded.get(i);
    }
  }

  /**
   * Parses a template.
   *
   * @throws IllegalArgumentException if a placeholder is unterminated or names no valid setting
   */
  static Template parse(String text) {
    List<String> literals = new ArrayList<>();
    List<String> names = new ArrayList<>();
    List<Boolean> encoded = new ArrayList<>();
    StringBuilder literal = new StringBuilder();
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c == '$' && i + 1 < text.length() && text.charAt(i + 1) == '$') {
        literal.append('$');
        i += 2;
      } else if (c == '$' && i + 1 < text.length() && text.charAt(i + 1) == '{') {
        int end = text.indexOf('}', i + 2);
        if (end < 0) {
          throw new IllegalArgumentException(
              "template has an unterminated ${ at position " + (i + 1));
        }
        String name = text.substring(i + 2, end);
        boolean url = name.endsWith("|url");
        if (url) {
          name = name.substring(0, name.length() - "|url".length());
        }
        if (!Setting.isValidName(name)) {
          throw new IllegalArgumentException(
              "template placeholder ${" + name + "} does not name a setting");
        }
        literals.add(literal.toString());
        literal.setLength(0);
        names.add(name);
        encoded.add(url);
        i = end + 1;
      } else {
        literal.append(c);
        i++;
      }
    }
    literals.add(literal.toString());
    if (names.isEmpty()) {
      throw new IllegalArgumentException("template has no ${NAME} placeholder");
    }
    return new Template(text, literals, names, encoded);
  }

  /** The settings the template reads, each once, in order of first use. */
  List<String> inputs() {
    return inputs;
  }

  /** Renders the template; {@code textOf} gives each placeholder's text by its input index. */
  String render(IntFunction<String> textOf) {
    return render(textOf, (input, url) -> null);
  }

  /** What a placeholder shows in place of its input's text, for a masked rendering. */
  @FunctionalInterface
  interface Masks {
    /**
     * Returns the text to insert as it is (never percent-encoded) in place of input {@code input}'s
     * text, or null to insert that text as the placeholder says.
     */
    String replacement(int input, boolean url);
  }

  /**
   * Renders the template with some placeholders replaced: the report's view of a value derived from
   * secrets. The replacement is inserted verbatim, so that a masked {@code ${TOKEN|url}} reads
   * {@code ***}, not its percent-encoding.
   */
  String render(IntFunction<String> textOf, Masks masks) {
    StringBuilder out = new StringBuilder(text.length() + 32);
    for (int i = 0; i < slots.length; i++) {
      out.append(literals[i]);
      String replacement = masks.replacement(slots[i], encoded[i]);
      if (replacement != null) {
        out.append(replacement);
        continue;
      }
      String value = textOf.apply(slots[i]);
      if (encoded[i]) {
        percentEncode(value, out);
      } else {
        out.append(value);
      }
    }
    return out.append(literals[slots.length]).toString();
  }

  private static void percentEncode(String value, StringBuilder out) {
    for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if ((c >= 'A' && c <= 'Z')
          || (c >= 'a' && c <= 'z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '.'
          || c == '_'
          || c == '~') {
        out.append(c);
      } else {
        out.append('%').append(HEX[(b >> 4) & 0x0f]).append(HEX[b & 0x0f]);
      }
    }
  }

  /** The template as written. */
  String text() {
    return text;
  }
}
