package io.latchkey.redact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.latchkey.Secret;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The writer and the reader: a value split anywhere across writes or reads is masked, and only the
 * characters that may begin a value are held back.
 */
final class RedactingStreamTest {
  private static final String VALUE = "sk-proj-CANARY+/=\"é0123456789";
  private static final Redactor REDACTOR =
      Redactor.builder().value("LLM_API_KEY", Secret.of(VALUE)).mask(Redactor.Mask.NAME).build();

  private static List<String> texts() {
    String base64 = Base64.getEncoder().encodeToString(VALUE.getBytes(StandardCharsets.UTF_8));
    return List.of(
        "key=" + VALUE + ";",
        "{\"key\":\"sk-proj-CANARY+/=\\\"é0123456789\"}",
        "auth " + base64 + " end",
        VALUE + VALUE.substring(0, 10) + VALUE,
        "no value here at all, sk-proj- only");
  }

  @Test
  void writer_textSplitAtEveryPosition_givesWhatRedactGives() throws IOException {
    for (String text : texts()) {
      String expected = REDACTOR.redact(text);
      for (int cut = 0; cut <= text.length(); cut++) {
        StringWriter sink = new StringWriter();
        try (Writer out = REDACTOR.wrap(sink)) {
          out.write(text, 0, cut);
          out.write(text.substring(cut));
        }
        assertThat(sink.toString()).as("cut at %d", cut).isEqualTo(expected);
      }
    }
  }

  @Test
  void writer_textSplitAtEveryPairOfPositions_givesWhatRedactGives() throws IOException {
    String text = texts().get(3);
    String expected = REDACTOR.redact(text);
    for (int i = 0; i <= text.length(); i++) {
      for (int j = i; j <= text.length(); j++) {
        StringWriter sink = new StringWriter();
        try (Writer out = REDACTOR.wrap(sink)) {
          out.write(text.substring(0, i));
          out.write(text.substring(i, j).toCharArray());
          out.append(text, j, text.length());
        }
        assertThat(sink.toString()).as("cuts at %d and %d", i, j).isEqualTo(expected);
      }
    }
  }

  @Test
  void writer_oneCharacterAtATime_givesWhatRedactGives() throws IOException {
    for (String text : texts()) {
      StringWriter sink = new StringWriter();
      try (Writer out = REDACTOR.wrap(sink)) {
        text.chars().forEach(c -> write(out, c));
      }
      assertThat(sink.toString()).isEqualTo(REDACTOR.redact(text));
    }
  }

  @Test
  void writer_holdsBackOnlyWhatMayBeginAValue_untilTheNextWriteOrClose() throws IOException {
    StringWriter sink = new StringWriter();
    Writer out = REDACTOR.wrap(sink);

    out.write("calling the API with key=");
    assertThat(sink.toString()).isEqualTo("calling the API with key=");

    out.write("sk-proj-CAN");
    out.flush();
    assertThat(sink.toString()).isEqualTo("calling the API with key=");

    out.write("ARY+/=\"é0123456789 and then");
    assertThat(sink.toString()).isEqualTo("calling the API with key=[LLM_API_KEY] and then");

    out.write(" sk-proj");
    out.close();
    assertThat(sink.toString())
        .isEqualTo("calling the API with key=[LLM_API_KEY] and then sk-proj");
  }

  @Test
  void writer_megabyteWithoutValues_holdsBackNoMoreThanTheLongestForm() throws IOException {
    StringWriter sink = new StringWriter();
    String line = "2024-05-14 INFO worker-3 synced batch 7f3a rows=120 took=15ms sk-proj-CAN\n";
    int longest = Encodings.of(VALUE).stream().mapToInt(String::length).max().orElseThrow();
    try (Writer out = REDACTOR.wrap(sink)) {
      int written = 0;
      while (written < 1 << 20) {
        out.write(line);
        written += line.length();
        assertThat(written - sink.getBuffer().length()).isLessThan(longest);
      }
    }
    assertThat(sink.getBuffer().length()).isGreaterThanOrEqualTo(1 << 20);
  }

  @Test
  void writer_occurrencesOverlappingWithoutEnd_areMaskedWithABoundedHold() throws IOException {
    Redactor periodic = Redactor.builder().value("P", Secret.of("abababab")).build();
    StringWriter sink = new StringWriter();
    try (Writer out = periodic.wrap(sink)) {
      for (int i = 0; i < 100_000; i++) {
        out.write("ab");
      }
      // The run never ends, yet what was found so far has been written.
      assertThat(sink.getBuffer().length()).isPositive();
    }
    assertThat(sink.toString()).matches("(\\*\\*\\*)+");
  }

  @Test
  void writer_afterClose_refusesToWrite() throws IOException {
    Writer out = REDACTOR.wrap(new StringWriter());
    out.close();
    out.close();
    assertThatThrownBy(() -> out.write("x")).isInstanceOf(IOException.class);
    assertThatThrownBy(out::flush).isInstanceOf(IOException.class);
  }

  @Test
  void reader_oneCharacterPerRead_givesWhatRedactGives() throws IOException {
    for (String text : texts()) {
      Reader trickle =
          new Reader() {
            private final StringReader in = new StringReader(text);

            @Override
            public int read(char[] chars, int off, int len) throws IOException {
              return in.read(chars, off, Math.min(len, 1));
            }

            @Override
            public void close() {
              in.close();
            }
          };
      StringBuilder read = new StringBuilder();
      try (Reader in = REDACTOR.wrap(trickle)) {
        int c;
        while ((c = in.read()) >= 0) {
          read.append((char) c);
        }
        assertThat(in.read(new char[4], 0, 0)).isZero();
      }
      assertThat(read.toString()).isEqualTo(REDACTOR.redact(text));
    }
  }

  @Test
  void reader_afterClose_refusesToRead() throws IOException {
    Reader in = REDACTOR.wrap(new StringReader("text"));
    in.close();
    assertThatThrownBy(in::read).isInstanceOf(IOException.class);
  }

  private static void write(Writer out, int c) {
    try {
      out.write(c);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
