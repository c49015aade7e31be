package io.latchkey.scan;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.testsupport.SyntheticSecrets;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Texts larger than a window: every credential found once, whole, wherever the windows fall. */
final class ScannerStreamTest {
  private static final int STEP = Engine.WINDOW - Engine.OVERLAP;

  private final SyntheticSecrets secrets = new SyntheticSecrets(new SplittableRandom(11));
  private final SecretScanner scanner = SecretScanner.defaults();

  /** A reader that hands out a few characters at a time, as a pipe does. */
  private static final class Trickle extends Reader {
    private final Reader in;
    private final SplittableRandom random = new SplittableRandom(5);

    Trickle(String text) {
      this.in = new StringReader(text);
    }

    @Override
    public int read(char[] buffer, int offset, int length) throws IOException {
      return in.read(buffer, offset, Math.min(length, 1 + random.nextInt(5000)));
    }

    @Override
    public void close() {}
  }

  /**
   * Filler lines, with a credential placed so that it starts at each given offset (give or take the
   * rest of a line), and the offsets and lines they really start at.
   */
  private record Placed(String text, List<Long> offsets, List<Long> lines, List<String> values) {}

  private Placed place(int length, List<Integer> wanted) {
    StringBuilder text = new StringBuilder(length + 4096);
    List<Long> offsets = new ArrayList<>();
    List<Long> lines = new ArrayList<>();
    List<String> values = new ArrayList<>();
    long line = 1;
    int next = 0;
    while (text.length() < length) {
      if (next < wanted.size() && text.length() + 80 >= wanted.get(next)) {
        int pad = Math.max(0, wanted.get(next) - text.length() - 7);
        String value =
            switch (next % 3) {
              case 0 -> secrets.githubToken("ghp_");
              case 1 -> secrets.jwt();
              default -> secrets.pemPrivateKey("RSA");
            };
        text.append(" ".repeat(pad)).append("token: ");
        offsets.add((long) text.length() + (next % 3 == 2 ? value.indexOf('\n') + 1 : 0));
        lines.add(line + (next % 3 == 2 ? 1 : 0));
        values.add(value);
        text.append(value).append('\n');
        line += value.chars().filter(c -> c == '\n').count() + 1;
        next++;
      } else {
        text.append("2024-05-14T09:21:38Z INFO worker-3 synced batch 4f1a rows=812 took=31ms\n");
        line++;
      }
    }
    return new Placed(text.toString(), offsets, lines, values);
  }

  @Test
  void scan_credentialsAcrossEveryWindowEdge_areFoundOnceWithTheirPlace() throws IOException {
    List<Integer> wanted = new ArrayList<>();
    for (int w = 1; w <= 3; w++) {
      int end = STEP * (w - 1) + Engine.WINDOW; // where window w ends
      int accept = end - Engine.SPAN; // where window w stops reporting
      for (int d : new int[] {-3000, -40, -20, -1, 0, 1, 20}) {
        wanted.add(end + d);
        wanted.add(accept + d);
      }
    }
    wanted.sort(Integer::compare);
    Placed placed = place(STEP * 4 + Engine.WINDOW, wanted);

    List<Finding> fromString = scanner.scan(placed.text());
    List<Finding> fromReader = scanner.scan(new Trickle(placed.text()));

    assertThat(fromString).extracting(Finding::offset).isEqualTo(placed.offsets());
    assertThat(fromString).extracting(Finding::line).isEqualTo(placed.lines());
    assertThat(fromReader).isEqualTo(fromString);
    for (int i = 0; i < fromString.size(); i++) {
      Finding f = fromString.get(i);
      String covered = placed.text().substring((int) f.offset(), (int) f.offset() + f.length());
      assertThat(placed.values().get(i).replace("\n", "")).contains(covered.replace("\n", ""));
    }
  }

  @Test
  void scan_aSingleLineLongerThanAWindow_countsColumns() throws IOException {
    String token = secrets.githubToken("ghu_");
    String text = "x".repeat(Engine.WINDOW * 2 + 17) + " " + token + " " + "y".repeat(5000);
    List<Finding> found = scanner.scan(new StringReader(text));
    assertThat(found).hasSize(1);
    assertThat(found.get(0).line()).isEqualTo(1);
    assertThat(found.get(0).column()).isEqualTo(Engine.WINDOW * 2 + 19);
  }

  @Test
  void scan_emptyAndTinyTexts_findNothing() throws IOException {
    assertThat(scanner.scan("")).isEmpty();
    assertThat(scanner.scan("x")).isEmpty();
    assertThat(scanner.scan(new StringReader(""))).isEmpty();
  }

  @Test
  void scan_sinkReceivesFindingsAsTheyAreKnown() throws IOException {
    Placed placed = place(Engine.WINDOW * 3, List.of(1000, Engine.WINDOW + 5000));
    List<Long> seen = new ArrayList<>();
    long count = scanner.scan(new StringReader(placed.text()), f -> seen.add(f.offset()));
    assertThat(count).isEqualTo(2);
    assertThat(seen).isEqualTo(placed.offsets());
  }
}
