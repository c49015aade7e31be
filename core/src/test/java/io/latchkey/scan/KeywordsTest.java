package io.latchkey.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The keyword automaton against a naive search of every keyword at every position. */
final class KeywordsTest {
  private static List<String> hits(Keywords k, List<String> words, String text) {
    List<String> found = new ArrayList<>();
    k.run(text.toCharArray(), 0, text.length(), (w, end) -> found.add(words.get(w) + "@" + end));
    return found;
  }

  @Test
  void run_reportsOverlappingKeywordsInAnyCase_longestFirstAtOneEnd() {
    List<String> words = List.of("sk-", "sk-ant-", "ant", "token", "to");
    Keywords k = Keywords.compile(words);
    assertThat(hits(k, words, "SK-ANT-x Token"))
        .containsExactly("sk-@3", "ant@6", "sk-ant-@7", "to@11", "token@14");
  }

  @Test
  void run_nonAsciiCharacters_breakMatches() {
    List<String> words = List.of("secret");
    Keywords k = Keywords.compile(words);
    assertThat(hits(k, words, "secr\u00e9t secret\u00e9")).containsExactly("secret@13");
  }

  @Test
  void run_agreesWithANaiveSearch_onRandomTexts() {
    List<String> words = List.of("ab", "abc", "bca", "c", "aab", "-----begin", "://", "xox");
    Keywords k = Keywords.compile(words);
    SplittableRandom random = new SplittableRandom(3);
    String alphabet = "abcABC-:/xo ";
    for (int round = 0; round < 300; round++) {
      StringBuilder text = new StringBuilder();
      int length = random.nextInt(60);
      for (int i = 0; i < length; i++) {
        text.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      String lower = text.toString().toLowerCase(Locale.ROOT);
      List<String> expected = new ArrayList<>();
      for (int end = 1; end <= lower.length(); end++) {
        List<String> atEnd = new ArrayList<>();
        for (String w : words) {
          if (end >= w.length() && lower.startsWith(w, end - w.length())) {
            atEnd.add(w);
          }
        }
        atEnd.sort((a, b) -> b.length() - a.length());
        for (String w : atEnd) {
          expected.add(w + "@" + end);
        }
      }
      assertThat(hits(k, words, text.toString())).as(text.toString()).isEqualTo(expected);
    }
  }

  @Test
  void compile_refusesDuplicatesAndNonAscii() {
    assertThatThrownBy(() -> Keywords.compile(List.of("Token", "token")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Keywords.compile(List.of("cl\u00e9")))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
