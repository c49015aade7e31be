package io.latchkey.scan;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.testsupport.ScanCorpus;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The scanner against its labelled corpus: recall and precision per rule and overall, which must
 * stay at or above {@value #MIN_RECALL} and {@value #MIN_PRECISION}. The figures are printed, and
 * written to {@code target/scan-corpus-figures.md} for {@code docs/scanning.md}.
 */
final class ScanCorpusTest {
  static final Path CORPUS = Path.of("src/test/resources/scan-corpus");

  private static final double MIN_RECALL = 0.98;
  private static final double MIN_PRECISION = 0.95;

  /** Set this property to write the corpus again from the generator, after changing it. */
  private static final String WRITE = "latchkey.scanCorpus.write";

  /** The committed files that are not generated. */
  private static final List<String> HAND_WRITTEN = List.of("README.md");

  /** Where a label or a finding is. */
  private record Place(String file, long line, String rule) {}

  /** Counts of one rule. */
  private static final class Tally {
    int truePositives;
    int falsePositives;
    int falseNegatives;

    double recall() {
      int expected = truePositives + falseNegatives;
      return expected == 0 ? 1.0 : (double) truePositives / expected;
    }

    double precision() {
      int reported = truePositives + falsePositives;
      return reported == 0 ? 1.0 : (double) truePositives / reported;
    }
  }

  static List<Path> corpusFiles() throws IOException {
    try (Stream<Path> walk = Files.walk(CORPUS)) {
      return walk.filter(Files::isRegularFile)
          .filter(p -> !HAND_WRITTEN.contains(CORPUS.relativize(p).toString()))
          .filter(p -> !p.endsWith(ScanCorpus.MANIFEST))
          .sorted()
          .toList();
    }
  }

  static String relative(Path file) {
    return CORPUS.relativize(file).toString().replace('\\', '/');
  }

  @BeforeAll
  static void writeIfAsked() {
    if (Boolean.getBoolean(WRITE)) {
      ScanCorpus.write(CORPUS);
    }
  }

  @Test
  void corpus_isWhatTheGeneratorWrites() throws IOException {
    Map<String, String> generated = ScanCorpus.files();
    for (Map.Entry<String, String> file : generated.entrySet()) {
      Path path = CORPUS.resolve(file.getKey());
      assertThat(path).as("%s is missing; run with -D%s=true", file.getKey(), WRITE).exists();
      // Compared by hash, so that a failure does not print a file full of synthetic secrets.
      assertThat(Files.readString(path, UTF_8).hashCode())
          .as("%s differs from the generator's output; run with -D%s=true", file.getKey(), WRITE)
          .isEqualTo(file.getValue().hashCode());
    }
    for (Path path : corpusFiles()) {
      assertThat(generated).as("%s is not generated", relative(path)).containsKey(relative(path));
    }
    assertThat(CORPUS.resolve("README.md")).exists();
  }

  @Test
  void corpus_holdsEnoughOfEach() throws IOException {
    List<ScanCorpus.Label> labels = ScanCorpus.labels();
    assertThat(labels).hasSizeGreaterThanOrEqualTo(300);
    Map<String, Long> byRule = new TreeMap<>();
    labels.forEach(l -> byRule.merge(l.rule(), 1L, Long::sum));
    assertThat(byRule.keySet())
        .containsExactlyInAnyOrderElementsOf(SecretScanner.rules().stream().map(Rule::id).toList());
    assertThat(byRule.values()).allMatch(n -> n >= 20);
    long negatives = 0;
    for (Path file : corpusFiles()) {
      if (relative(file).startsWith("negatives/")) {
        negatives += Files.size(file);
      }
    }
    assertThat(negatives).isGreaterThanOrEqualTo(3L << 20);
  }

  @Test
  void scanner_onTheCorpus_meetsRecallAndPrecisionPerRule() throws IOException {
    Map<Place, Integer> expected = new HashMap<>();
    Map<Place, String> values = new HashMap<>();
    for (ScanCorpus.Label l : ScanCorpus.labels()) {
      Place place = new Place(l.file(), l.line(), l.rule());
      expected.merge(place, 1, Integer::sum);
      values.put(place, l.value());
    }
    Map<String, Tally> tallies = new TreeMap<>();
    SecretScanner.rules().forEach(r -> tallies.put(r.id(), new Tally()));
    List<String> misses = new ArrayList<>();
    for (Path file : corpusFiles()) {
      String text = Files.readString(file, UTF_8);
      List<Finding> found;
      try (Reader in = Files.newBufferedReader(file, UTF_8)) {
        found = SecretScanner.defaults().scan(in);
      }
      for (Finding f : found) {
        Place place = new Place(relative(file), f.line(), f.rule().id());
        Tally tally = tallies.get(f.rule().id());
        if (expected.getOrDefault(place, 0) > 0) {
          expected.merge(place, -1, Integer::sum);
          tally.truePositives++;
          String covered = text.substring((int) f.offset(), (int) f.offset() + f.length());
          assertThat(covered.contains(values.get(place)))
              .as("the finding at %s covers the credential", place)
              .isTrue();
        } else {
          tally.falsePositives++;
          misses.add("false positive " + place);
        }
      }
    }
    expected.forEach(
        (place, left) -> {
          if (left > 0) {
            tallies.get(place.rule()).falseNegatives += left;
            misses.add("missed " + place);
          }
        });
    Tally all = new Tally();
    tallies
        .values()
        .forEach(
            t -> {
              all.truePositives += t.truePositives;
              all.falsePositives += t.falsePositives;
              all.falseNegatives += t.falseNegatives;
            });
    String table = table(tallies, all);
    System.out.println(table);
    misses.forEach(System.out::println);
    Files.createDirectories(Path.of("target"));
    Files.writeString(Path.of("target/scan-corpus-figures.md"), table, UTF_8);
    for (Map.Entry<String, Tally> rule : tallies.entrySet()) {
      assertThat(rule.getValue().recall())
          .as("recall of %s", rule.getKey())
          .isGreaterThanOrEqualTo(MIN_RECALL);
      assertThat(rule.getValue().precision())
          .as("precision of %s", rule.getKey())
          .isGreaterThanOrEqualTo(MIN_PRECISION);
    }
    assertThat(all.recall()).as("recall").isGreaterThanOrEqualTo(MIN_RECALL);
    assertThat(all.precision()).as("precision").isGreaterThanOrEqualTo(MIN_PRECISION);
  }

  private static String table(Map<String, Tally> tallies, Tally all) {
    StringBuilder out =
        new StringBuilder(
                "| rule | credentials | found | missed | false positives | recall | precision |\n")
            .append("|---|---:|---:|---:|---:|---:|---:|\n");
    tallies.forEach((rule, t) -> out.append(row("`" + rule + "`", t)));
    return out.append(row("**all rules**", all)).toString();
  }

  private static String row(String name, Tally t) {
    return String.format(
        Locale.ROOT,
        "| %s | %d | %d | %d | %d | %.3f | %.3f |%n",
        name,
        t.truePositives + t.falseNegatives,
        t.truePositives,
        t.falseNegatives,
        t.falsePositives,
        t.recall(),
        t.precision());
  }
}
