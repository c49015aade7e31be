package io.latchkey.redact;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.Secret;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.Writer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Random texts with random values embedded, in random forms, overlapping and adjacent, checked
 * against a slow oracle that finds every occurrence of every form with {@link String#indexOf} and
 * masks the union: every occurrence is masked, nothing else changes, the label is the leftmost
 * longest occurrence's, and redacting twice changes nothing more. The streams give what the string
 * path gives, however the text is cut.
 *
 * <p>Each case draws from {@code new SplittableRandom(SEED + case)}; a failure names the case.
 */
final class RedactorPropertyTest {
  private static final long SEED = 0x12EDAC7L;
  private static final int CASES = 600;

  /** Values and filler draw from these; no '*', '[' or ']', so masks cannot form a value. */
  private static final String ALPHABET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_+/=%:@&?#\"'\\ <>.,;";

  private static final String[] WIDE = {"é", "ß", "中", "€", "😀", "\n", "\t"};

  @Test
  void redact_randomTextsWithRandomValues_masksExactlyTheUnionOfOccurrences() {
    for (int c = 0; c < CASES; c++) {
      SplittableRandom random = new SplittableRandom(SEED + c);
      Redactor.Mask mask = random.nextBoolean() ? Redactor.Mask.STARS : Redactor.Mask.NAME;
      Map<String, String> values = randomValues(random);
      Redactor redactor = build(values, mask);
      Map<String, String> forms = forms(values);
      String text = randomText(random, new ArrayList<>(forms.keySet()));

      String expected = Oracle.redact(text, forms, mask);
      String actual = redactor.redact(text);

      assertThat(actual).as("case %d", c).isEqualTo(expected);
      assertThat(redactor.redact(actual)).as("case %d, redacted twice", c).isEqualTo(actual);
    }
  }

  @Test
  void redact_textWithoutValues_returnsTheSameInstance() {
    for (int c = 0; c < CASES; c++) {
      SplittableRandom random = new SplittableRandom(SEED + c);
      Map<String, String> values = randomValues(random);
      Redactor redactor = build(values, Redactor.Mask.STARS);
      String text = randomText(random, List.of());
      if (Oracle.redact(text, forms(values), Redactor.Mask.STARS).equals(text)) {
        assertThat(redactor.redact(text)).as("case %d", c).isSameAs(text);
        assertThat(redactor.find(text)).as("case %d", c).isEmpty();
      }
    }
  }

  @Test
  void streams_anyCutOfTheText_giveWhatTheStringPathGives() throws IOException {
    for (int c = 0; c < CASES / 3; c++) {
      SplittableRandom random = new SplittableRandom(SEED + c);
      Map<String, String> values = randomValues(random);
      Redactor redactor = build(values, Redactor.Mask.NAME);
      String text = randomText(random, new ArrayList<>(forms(values).keySet()));
      String expected = redactor.redact(text);

      StringWriter sink = new StringWriter();
      try (Writer out = redactor.wrap(sink)) {
        int i = 0;
        while (i < text.length()) {
          int n = Math.min(text.length() - i, random.nextInt(1, 40));
          if (random.nextBoolean()) {
            out.write(text, i, n);
          } else {
            out.write(text.toCharArray(), i, n);
          }
          i += n;
        }
      }
      assertThat(sink.toString()).as("case %d, writer", c).isEqualTo(expected);

      StringBuilder read = new StringBuilder();
      try (var in = redactor.wrap(new StringReader(text))) {
        char[] buffer = new char[random.nextInt(1, 64)];
        int n;
        while ((n = in.read(buffer, 0, random.nextInt(1, buffer.length + 1))) >= 0) {
          read.append(buffer, 0, n);
        }
      }
      assertThat(read.toString()).as("case %d, reader", c).isEqualTo(expected);
    }
  }

  @Test
  void redactInPlace_fromAnIndex_masksOnlyAfterIt() {
    for (int c = 0; c < CASES / 3; c++) {
      SplittableRandom random = new SplittableRandom(SEED + c);
      Map<String, String> values = randomValues(random);
      Redactor redactor = build(values, Redactor.Mask.STARS);
      String head = randomText(random, new ArrayList<>(forms(values).keySet()));
      String tail = randomText(random, new ArrayList<>(forms(values).keySet()));
      StringBuilder buffer = new StringBuilder(head).append(tail);

      int masks = redactor.redact(buffer, head.length());

      assertThat(buffer.toString()).as("case %d", c).isEqualTo(head + redactor.redact(tail));
      assertThat(masks).as("case %d", c).isEqualTo(redactor.find(tail).size());
    }
  }

  /** 1 to 12 values, some short, some sharing a prefix or an overlap with another. */
  private static Map<String, String> randomValues(SplittableRandom random) {
    Map<String, String> values = new LinkedHashMap<>();
    int n = random.nextInt(1, 13);
    for (int i = 0; i < n; i++) {
      String value;
      int kind = random.nextInt(10);
      if (kind == 0 && !values.isEmpty()) {
        String other = pick(random, new ArrayList<>(values.values()));
        value = other.substring(cut(other, other.length() / 2)) + randomString(random, 4, 12);
      } else if (kind == 1 && !values.isEmpty()) {
        String other = pick(random, new ArrayList<>(values.values()));
        value = other.substring(0, cut(other, Math.max(1, other.length() - 3)));
      } else if (kind == 2) {
        value = randomString(random, 1, 8);
      } else {
        value = randomString(random, 8, 40);
      }
      values.put("S" + i, value);
    }
    return values;
  }

  /** Moves a cut off the middle of a surrogate pair: a secret holds UTF-8, so whole code points. */
  private static int cut(String s, int at) {
    return at < s.length() && Character.isLowSurrogate(s.charAt(at)) ? at + 1 : at;
  }

  private static Redactor build(Map<String, String> values, Redactor.Mask mask) {
    Redactor.Builder builder = Redactor.builder().mask(mask);
    values.forEach((name, value) -> builder.value(name, Secret.of(value)));
    return builder.build();
  }

  /**
   * Every form of every value long enough, to its name; the first value to give a form names it.
   */
  private static Map<String, String> forms(Map<String, String> values) {
    Map<String, String> forms = new LinkedHashMap<>();
    values.forEach(
        (name, value) -> {
          if (value.length() >= Redactor.DEFAULT_MIN_LENGTH) {
            Encodings.of(value).forEach(form -> forms.putIfAbsent(form, name));
          }
        });
    return forms;
  }

  private static String randomText(SplittableRandom random, List<String> forms) {
    StringBuilder text = new StringBuilder();
    int parts = random.nextInt(0, 12);
    for (int i = 0; i < parts; i++) {
      int kind = random.nextInt(6);
      if (kind < 3 || forms.isEmpty()) {
        text.append(randomString(random, 0, 30));
      } else if (kind == 3 && text.length() > 4) {
        // Overlap the previous part: an occurrence that begins inside another.
        String form = pick(random, forms);
        int back = random.nextInt(1, Math.min(text.length(), form.length()));
        text.setLength(text.length() - back);
        text.append(form);
      } else {
        text.append(pick(random, forms));
      }
    }
    return text.toString();
  }

  private static String randomString(SplittableRandom random, int min, int max) {
    int length = random.nextInt(min, max + 1);
    StringBuilder out = new StringBuilder(length);
    while (out.length() < length) {
      if (random.nextInt(12) == 0) {
        out.append(WIDE[random.nextInt(WIDE.length)]);
      } else {
        out.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
      }
    }
    return out.toString();
  }

  private static <T> T pick(SplittableRandom random, List<T> list) {
    return list.get(random.nextInt(list.size()));
  }
}
