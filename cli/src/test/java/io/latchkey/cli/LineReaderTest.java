package io.latchkey.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

final class LineReaderTest {

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "''|''",
        "'a'|'a'",
        "'a\\n'|'a'",
        "'a\\nb'|'a,b'",
        "'a\\r\\nb\\r\\n'|'a,b'",
        "'\\n'|'<>'",
        "'a\\n\\nb\\n'|'a,<>,b'",
        "'a\\rb\\n'|'a\\rb'",
        "'\\r'|'<>'",
      })
  void next_splitsOnNewlineAndDropsOneCarriageReturn(String input, String expected)
      throws IOException {
    String in = input.replace("\\n", "\n").replace("\\r", "\r");
    String want = expected.replace("\\n", "\n").replace("\\r", "\r");
    assertThat(String.join(",", readAll(new ByteArrayInputStream(in.getBytes(UTF_8)))))
        .isEqualTo(want);
  }

  @Test
  void next_lineSplitAcrossReads_isJoined() throws IOException {
    InputStream trickle = new TrickleInputStream("first line\nsecond\r\nthird".getBytes(UTF_8));
    assertThat(readAll(trickle)).containsExactly("first line", "second", "third");
  }

  @Test
  void next_beforeEachRead_flushes() throws IOException {
    AtomicInteger flushes = new AtomicInteger();
    LineReader reader =
        new LineReader(new TrickleInputStream("a\nb\n".getBytes(UTF_8)), flushes::incrementAndGet);
    assertThat(reader.next()).isEqualTo("a".getBytes(UTF_8));
    int afterFirst = flushes.get();
    assertThat(reader.next()).isEqualTo("b".getBytes(UTF_8));
    assertThat(reader.next()).isNull();
    assertThat(afterFirst).isPositive();
    assertThat(flushes.get()).isGreaterThan(afterFirst);
  }

  @Test
  void next_lineOverTheCap_isSkippedToItsLineBreakAndReturnedEmptyAndTooLong() throws IOException {
    byte[] input = "ok\n0123456789\n01234567\r\nlast".getBytes(UTF_8);
    LineReader reader = new LineReader(new TrickleInputStream(input), () -> {}, 8);

    assertThat(reader.next()).isEqualTo("ok".getBytes(UTF_8));
    assertThat(reader.tooLong()).isFalse();
    assertThat(reader.next()).isEmpty();
    assertThat(reader.tooLong()).isTrue();
    // 8 bytes and a \r: over the cap too, as the cap counts the bytes before the \n.
    assertThat(reader.next()).isEmpty();
    assertThat(reader.tooLong()).isTrue();
    assertThat(reader.next()).isEqualTo("last".getBytes(UTF_8));
    assertThat(reader.tooLong()).isFalse();
    assertThat(reader.next()).isNull();
  }

  @Test
  void next_lastLineOverTheCapWithoutLineBreak_isTooLong() throws IOException {
    LineReader reader =
        new LineReader(
            new ByteArrayInputStream("12345678\n123456789".getBytes(UTF_8)), () -> {}, 8);

    assertThat(reader.next()).isEqualTo("12345678".getBytes(UTF_8));
    assertThat(reader.next()).isEmpty();
    assertThat(reader.tooLong()).isTrue();
    assertThat(reader.next()).isNull();
  }

  private static List<String> readAll(InputStream in) throws IOException {
    LineReader reader = new LineReader(in, () -> {});
    List<String> lines = new ArrayList<>();
    for (byte[] line = reader.next(); line != null; line = reader.next()) {
      lines.add(line.length == 0 ? "<>" : new String(line, UTF_8));
    }
    return lines;
  }

  /** Returns at most one byte per read, as a slow pipe may. */
  private static final class TrickleInputStream extends InputStream {
    private final byte[] data;
    private int position;

    TrickleInputStream(byte[] data) {
      this.data = data;
    }

    @Override
    public int read() {
      return position < data.length ? data[position++] & 0xff : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (len == 0) {
        return 0;
      }
      int c = read();
      if (c < 0) {
        return -1;
      }
      b[off] = (byte) c;
      return 1;
    }
  }
}
