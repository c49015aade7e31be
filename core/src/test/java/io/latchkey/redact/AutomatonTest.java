package io.latchkey.redact;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The matcher on its own, where the redactor's choices cannot reach it: thousands of patterns (so
 * that most states are sparse), patterns too short for the filter, texts built to defeat the
 * filter, and the automaton run piece by piece; each checked against {@link Oracle}.
 */
final class AutomatonTest {
  private static final long SEED = 0xA40C0L;

  @Test
  void find_thousandsOfPatternsOverASmallAlphabet_matchesTheOracle() {
    SplittableRandom random = new SplittableRandom(SEED);
    Map<String, String> patterns = new LinkedHashMap<>();
    while (patterns.size() < 5_000) {
      patterns.putIfAbsent(
          random(random, "abcdefgh", random.nextInt(4, 30)), "P" + patterns.size());
    }
    Automaton automaton = compile(patterns);
    assertThat(automaton.states()).isGreaterThan(50_000);
    for (int c = 0; c < 200; c++) {
      String text = random(random, "abcdefghij", random.nextInt(0, 400));
      assertThat(render(text, automaton.find(text, 0), patterns))
          .as("text %d", c)
          .isEqualTo(Oracle.redact(text, patterns, Redactor.Mask.NAME));
    }
  }

  @Test
  void find_textThatKeepsLookingLikeAValue_givesTheSameAsWithoutTheFilter() {
    // Every position begins 20 characters of the pattern and none completes it, until the end:
    // the filter lets every position through and the walks exceed their budget.
    String pattern = "a".repeat(24) + "b";
    Map<String, String> patterns = Map.of(pattern, "P0", "aaaaaaac", "P1");
    Automaton automaton = compile(patterns);
    String text = "a".repeat(50_000) + "b" + "a".repeat(7) + "c" + "a".repeat(50_000);

    String expected = Oracle.redact(text, patterns, Redactor.Mask.NAME);
    assertThat(render(text, automaton.find(text, 0), patterns)).isEqualTo(expected);
    assertThat(expected).isEqualTo("a".repeat(49_976) + "[P0]" + "[P1]" + "a".repeat(50_000));
  }

  @Test
  void find_patternsShorterThanTheFilter_areStillFound() {
    Map<String, String> patterns = new LinkedHashMap<>();
    patterns.put("ab", "P0");
    patterns.put("abcd", "P1");
    patterns.put("x", "P2");
    Automaton automaton = compile(patterns);
    String text = "zabzabcdzxz";
    assertThat(render(text, automaton.find(text, 0), patterns))
        .isEqualTo(Oracle.redact(text, patterns, Redactor.Mask.NAME))
        .isEqualTo("z[P0]z[P1]z[P2]z");
  }

  @Test
  void run_inPieces_findsWhatOneScanFinds() {
    SplittableRandom random = new SplittableRandom(SEED + 1);
    Map<String, String> patterns = new LinkedHashMap<>();
    while (patterns.size() < 300) {
      String p = random(random, "abcdé中", random.nextInt(4, 12));
      patterns.putIfAbsent(p, "P" + patterns.size());
    }
    Automaton automaton = compile(patterns);
    for (int c = 0; c < 200; c++) {
      String text = random(random, "abcdé中 ", random.nextInt(0, 300));
      char[] chars = text.toCharArray();
      Regions pieces = new Regions();
      int state = Automaton.start();
      for (int i = 0; i < chars.length; ) {
        int to = Math.min(chars.length, i + random.nextInt(1, 10));
        state = automaton.run(chars, i, to, state, 0, pieces);
        i = to;
      }
      String expected = Oracle.redact(text, patterns, Redactor.Mask.NAME);
      assertThat(render(text, pieces.count() == 0 ? null : pieces, patterns))
          .as("text %d", c)
          .isEqualTo(expected);
      assertThat(render(text, automaton.find(text, 0), patterns)).isEqualTo(expected);
    }
  }

  @Test
  void compile_noPatterns_findsNothing() {
    Automaton automaton = Automaton.compile(List.of(), new int[0]);
    assertThat(automaton.find("anything at all", 0)).isNull();
    assertThat(automaton.patterns()).isZero();
  }

  private static Automaton compile(Map<String, String> patterns) {
    List<String> list = new ArrayList<>(patterns.keySet());
    int[] labels = new int[list.size()];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = i;
    }
    return Automaton.compile(list, labels);
  }

  /** The text with each stretch replaced by its pattern's name in brackets. */
  private static String render(String text, Regions found, Map<String, String> patterns) {
    if (found == null) {
      return text;
    }
    List<String> names = new ArrayList<>(patterns.values());
    StringBuilder out = new StringBuilder();
    int pos = 0;
    for (int r = 0; r < found.count(); r++) {
      out.append(text, pos, found.start(r))
          .append('[')
          .append(names.get(found.label(r)))
          .append(']');
      pos = found.end(r);
    }
    return out.append(text, pos, text.length()).toString();
  }

  private static String random(SplittableRandom random, String alphabet, int length) {
    StringBuilder out = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      out.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return out.toString();
  }
}
