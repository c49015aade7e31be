package io.latchkey.scan;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.latchkey.testsupport.Leaks;
import io.latchkey.testsupport.ScanCorpus;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * No output of the scanner holds a value it found: for every credential of the corpus, neither the
 * finding's {@code toString()}, its excerpt, its fingerprint, the sanitised file, nor any exception
 * the scanner throws when handed the value by mistake holds the credential in any form {@link
 * Leaks} knows (raw, encoded, or any eight characters in a row).
 */
final class ScanCanaryTest {
  /** Every finding of the corpus, with the credential it covers: the label's and its own span. */
  private record Found(Finding finding, List<String> values) {}

  private static List<Found> corpusFindings() throws IOException {
    Map<String, List<ScanCorpus.Label>> byFile = new HashMap<>();
    ScanCorpus.labels()
        .forEach(l -> byFile.computeIfAbsent(l.file(), f -> new ArrayList<>()).add(l));
    List<Found> all = new ArrayList<>();
    for (Map.Entry<String, List<ScanCorpus.Label>> file : byFile.entrySet()) {
      String text = Files.readString(ScanCorpusTest.CORPUS.resolve(file.getKey()), UTF_8);
      for (Finding f : SecretScanner.defaults().scan(text)) {
        for (ScanCorpus.Label l : file.getValue()) {
          if (l.line() == f.line() && l.rule().equals(f.rule().id())) {
            String covered = text.substring((int) f.offset(), (int) f.offset() + f.length());
            all.add(new Found(f, List.of(l.value(), covered)));
          }
        }
      }
    }
    return all;
  }

  @Test
  void findings_ofEveryCorpusCredential_holdNoValue() throws IOException {
    List<Found> found = corpusFindings();
    assertThat(found).hasSize(ScanCorpus.labels().size());
    for (Found f : found) {
      for (String value : f.values()) {
        String where = f.finding().rule().id() + " finding";
        Leaks.assertNoLeak(where + " toString()", f.finding().toString(), value);
        Leaks.assertNoLeak(where + " excerpt", f.finding().excerpt(), value);
        Leaks.assertNoLeak(where + " fingerprint", f.finding().fingerprint(), value);
        Leaks.assertNoLeak(where + " rule", f.finding().rule().toString(), value);
      }
    }
  }

  @Test
  void sanitizer_onEveryCorpusFile_leavesNoValue() throws IOException {
    Map<String, List<ScanCorpus.Label>> byFile = new HashMap<>();
    ScanCorpus.labels()
        .forEach(l -> byFile.computeIfAbsent(l.file(), f -> new ArrayList<>()).add(l));
    for (Map.Entry<String, List<ScanCorpus.Label>> file : byFile.entrySet()) {
      String text = Files.readString(ScanCorpusTest.CORPUS.resolve(file.getKey()), UTF_8);
      String clean = Sanitizer.defaults().clean(text);
      for (ScanCorpus.Label l : file.getValue()) {
        Leaks.assertNoLeak(l + " sanitised", clean, l.value());
      }
    }
  }

  @Test
  void exceptions_whenAValueIsPassedByMistake_doNotRepeatIt() {
    for (ScanCorpus.Label l : ScanCorpus.labels()) {
      String value = l.value();
      // A value of 32 lower-case hex digits is a well-formed fingerprint, and accepted as one.
      if (!value.matches("[0-9a-f]{32}")) {
        assertThatThrownBy(() -> SecretScanner.defaults().withAllowed(List.of(value)))
            .satisfies(e -> Leaks.assertNoLeak(e, value));
      }
      assertThatThrownBy(() -> SecretScanner.defaults().withoutRules(List.of(value)))
          .satisfies(e -> Leaks.assertNoLeak(e, value));
      assertThatThrownBy(() -> SecretScanner.rule(value))
          .satisfies(e -> Leaks.assertNoLeak(e, value));
    }
  }

  @Test
  void readerFailure_isPassedOnAsItIs_withNothingOfTheText() {
    String value = ScanCorpus.labels().get(0).value();
    Reader failing =
        new StringReader("token: " + value + "\n") {
          private int reads;

          @Override
          public int read(char[] buffer, int offset, int length) throws IOException {
            if (reads++ > 0) {
              throw new IOException("disk gone");
            }
            return super.read(buffer, offset, length);
          }
        };
    assertThatThrownBy(() -> SecretScanner.defaults().scan(failing))
        .isInstanceOf(IOException.class)
        .hasMessage("disk gone")
        .satisfies(e -> Leaks.assertNoLeak(e, value));
  }

  @Test
  void scannerAndSanitizer_toString_holdNoAllowedValue() {
    String fingerprint =
        SecretScanner.defaults().scan("GITHUB_TOKEN=" + ghp()).get(0).fingerprint();
    SecretScanner scanner = SecretScanner.defaults().withAllowed(List.of(fingerprint));
    assertThat(scanner.toString()).doesNotContain(fingerprint);
    assertThat(Sanitizer.of(scanner).toString()).doesNotContain(fingerprint);
  }

  private static String ghp() {
    return ScanCorpus.labels().stream()
        .filter(l -> l.rule().equals("github-token"))
        .findFirst()
        .orElseThrow()
        .value();
  }
}
