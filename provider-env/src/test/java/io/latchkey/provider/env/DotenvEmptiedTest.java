package io.latchkey.provider.env;

import static io.latchkey.provider.env.Testing.CANARY;
import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.ConfigException.Problem;
import io.latchkey.SecretRef;
import io.latchkey.testsupport.CapturingSlf4jProvider;
import io.latchkey.testsupport.Leaks;
import io.latchkey.testsupport.LogCapture;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.event.Level;

/**
 * A {@code .env} file cut down to content that holds no entry ({@code echo > .env} leaves one line
 * break; an editor may write a byte-order mark or a line break first; a file may be left with its
 * comments only) is refused by the polls as an empty file is, so the values it served stay; a file
 * that had no entry from the start still takes such content. Polled by hand, no background thread.
 */
final class DotenvEmptiedTest {
  private static final SecretRef DB = SecretRef.parse("DB_PASSWORD");
  private static final String SERVED = "DB_PASSWORD=" + CANARY + "\nOTHER=x\n";
  private static final long SEED = 0xD07E4L;

  @TempDir Path dir;

  private LogCapture log;

  @BeforeEach
  void capture() {
    log = LogCapture.start();
  }

  @AfterEach
  void noValueLogged() {
    log.close();
    Leaks.assertNoLeak("the log", log.text(), CANARY);
  }

  private static EnvSecretProvider provider(Path dotenv) {
    return EnvSecretProvider.builder()
        .environment(Map.of())
        .dotenvFile(dotenv)
        .pollInterval(Duration.ZERO)
        .build();
  }

  private List<String> warnings() {
    return log.events().stream()
        .filter(e -> e.level() == Level.WARN)
        .map(CapturingSlf4jProvider.Event::message)
        .toList();
  }

  @Test
  void emptiedToALineBreak_keepsThePreviousValues_andReportsItEmptyOnce() {
    Path dotenv = Testing.write(dir.resolve(".env"), SERVED);
    EnvSecretProvider env = provider(dotenv);
    assertThat(env.fetch(DB).value().reveal()).isEqualTo(CANARY);

    Testing.write(dotenv, "\n"); // what `echo > .env` leaves
    env.poll();
    env.poll();
    env.poll();

    assertThat(env.fetch(DB).value().reveal()).isEqualTo(CANARY);
    assertThat(env.sourceProblems())
        .containsExactly(
            new Problem(".env file", dotenv + " is empty; serving the previous value"));
    assertThat(warnings())
        .containsExactly(
            ".env file: " + dotenv + " is empty; serving the previous value until it is fixed");

    Testing.write(dotenv, "DB_PASSWORD=rotated-value\n");
    env.poll();
    env.poll();
    assertThat(env.fetch(DB).value().reveal()).isEqualTo("rotated-value");
    assertThat(env.sourceProblems()).isEmpty();
  }

  @Test
  void emptiedToAnyContentWithoutEntries_isRefused() {
    for (int c = 0; c < 200; c++) {
      SplittableRandom random = new SplittableRandom(SEED + c);
      Path dotenv = Testing.write(dir.resolve(".env" + c), SERVED);
      EnvSecretProvider env = provider(dotenv);
      env.fetch(DB);

      String blank = withoutEntries(random);
      Testing.write(dotenv, blank);
      env.poll();
      env.poll();

      assertThat(env.fetch(DB).value().reveal())
          .as("case %d: %s", c, blank.replace("\n", "\\n").replace("\r", "\\r"))
          .isEqualTo(CANARY);
      assertThat(env.fetch(SecretRef.parse("OTHER")).value().reveal()).isEqualTo("x");
      assertThat(env.sourceProblems())
          .as("case %d", c)
          .extracting(Problem::reason)
          .containsExactly(dotenv + " is empty; serving the previous value");
    }
  }

  @Test
  void emptyFromTheStart_takesContentWithoutEntries_andThenEntries_asBefore() {
    for (String start : List.of("", "\n", "\uFEFF", "# nothing yet\n")) {
      Path dotenv = Testing.write(dir.resolve(".env-" + start.length()), start);
      EnvSecretProvider env = provider(dotenv);
      assertThat(env.get("DB_PASSWORD")).isEmpty();

      Testing.write(dotenv, "\n\n# still nothing\n");
      env.poll();
      env.poll();
      assertThat(env.sourceProblems()).as("start %s", start.length()).isEmpty();

      Testing.write(dotenv, "DB_PASSWORD=" + CANARY + "\n");
      env.poll();
      env.poll();
      assertThat(env.fetch(DB).value().reveal()).isEqualTo(CANARY);
      assertThat(env.sourceProblems()).isEmpty();
    }
    assertThat(warnings()).isEmpty();
  }

  /** Content that parses to no entry: line breaks, blanks, comments, a byte-order mark. */
  private static String withoutEntries(SplittableRandom random) {
    StringBuilder out = new StringBuilder(random.nextBoolean() ? "\uFEFF" : "");
    int lines = random.nextInt(0, 6);
    for (int i = 0; i < lines; i++) {
      switch (random.nextInt(4)) {
        case 0 -> out.append(" \t".repeat(random.nextInt(0, 3)));
        case 1 -> out.append("# DB_PASSWORD=").append(random.nextInt(1000));
        case 2 -> out.append("   #");
        default -> {}
      }
      out.append(random.nextBoolean() ? "\n" : "\r\n");
    }
    if (out.length() == 0) {
      out.append('\n');
    }
    return out.toString();
  }
}
