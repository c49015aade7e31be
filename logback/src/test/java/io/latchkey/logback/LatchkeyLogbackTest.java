package io.latchkey.logback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.spi.ContextAwareBase;
import ch.qos.logback.core.status.Status;
import io.latchkey.Secret;
import io.latchkey.redact.Redactor;
import io.latchkey.testsupport.Leaks;
import io.latchkey.testsupport.LogCanary;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** One installation at a time, swapped atomically, a cleaner after the redactor, and failures. */
final class LatchkeyLogbackTest {
  private static final String OTHER = "another-secret-9f3kQ";

  private final LoggerContext context = new LoggerContext();
  private final ContextAwareBase reporter = new ContextAwareBase();

  LatchkeyLogbackTest() {
    reporter.setContext(context);
  }

  @AfterEach
  void nothingStaysInstalled() {
    assertThat(LatchkeyLogback.isInstalled()).isFalse();
  }

  private String clean(String text) {
    return LatchkeyLogback.clean(text, reporter);
  }

  /** A redactor of {@link LogCanary#TOKEN}, masked by name. */
  static Redactor canaryRedactor() {
    return Redactor.builder()
        .value(LogCanary.NAME, Secret.of(LogCanary.TOKEN))
        .mask(Redactor.Mask.NAME)
        .build();
  }

  private static Redactor otherRedactor() {
    return Redactor.builder().value("OTHER", Secret.of(OTHER)).build();
  }

  @Test
  void clean_beforeInstallation_returnsTheSameText() {
    String text = "token " + LogCanary.TOKEN;

    assertThat(clean(text)).isSameAs(text);
  }

  @Test
  void install_again_replacesTheEarlierInstallation() {
    LatchkeyLogback.install(canaryRedactor());
    LatchkeyLogback second = LatchkeyLogback.install(otherRedactor());
    try {
      assertThat(clean(LogCanary.TOKEN + " " + OTHER)).isEqualTo(LogCanary.TOKEN + " ***");
    } finally {
      second.close();
    }
  }

  @Test
  void close_ofAReplacedInstallation_leavesTheNewOneInForce() {
    LatchkeyLogback first = LatchkeyLogback.install(canaryRedactor());
    LatchkeyLogback second = LatchkeyLogback.install(otherRedactor());
    try {
      first.close();

      assertThat(LatchkeyLogback.isInstalled()).isTrue();
      assertThat(clean(OTHER)).isEqualTo("***");
    } finally {
      second.close();
    }
  }

  @Test
  void close_twice_isHarmless() {
    LatchkeyLogback installed = LatchkeyLogback.install(canaryRedactor());
    installed.close();
    installed.close();

    assertThat(LatchkeyLogback.isInstalled()).isFalse();
  }

  @Test
  void cleaner_runsAfterTheRedactor_onTheRedactedText() {
    StringBuilder seen = new StringBuilder();
    LatchkeyLogback installed =
        LatchkeyLogback.install(
            canaryRedactor(),
            text -> {
              seen.append(text);
              return text.replace("AKIAEXAMPLEKEY", "[AWS_KEY]");
            });
    try {
      assertThat(clean("key AKIAEXAMPLEKEY token " + LogCanary.TOKEN))
          .isEqualTo("key [AWS_KEY] token " + LogCanary.MASK);
    } finally {
      installed.close();
    }
    assertThat(seen).hasToString("key AKIAEXAMPLEKEY token " + LogCanary.MASK);
  }

  @Test
  void theSecretScannersSanitizer_asTheCleaner_masksCredentialsNeverLoaded() {
    // A GitHub token the process never loaded: the scanner knows its shape and checksum.
    String github =
        new io.latchkey.testsupport.SyntheticSecrets(new java.util.SplittableRandom(7))
            .githubToken("ghp_");
    LatchkeyLogback installed =
        LatchkeyLogback.install(canaryRedactor(), io.latchkey.scan.Sanitizer.defaults()::clean);
    try {
      String cleaned = clean("pushed with " + github + " and " + LogCanary.TOKEN);
      assertThat(cleaned).contains(LogCanary.MASK).contains("[REDACTED:");
      Leaks.assertNoLeak("the cleaned line", cleaned, github);
      Leaks.assertNoLeak("the cleaned line", cleaned, LogCanary.TOKEN);
    } finally {
      installed.close();
    }
  }

  @Test
  void cleaner_thatThrows_withholdsTheTextAndReportsOnlyTheExceptionClass() {
    LatchkeyLogback installed =
        LatchkeyLogback.install(
            canaryRedactor(),
            text -> {
              throw new IllegalStateException("cannot clean " + text);
            });
    try {
      assertThat(clean("token " + LogCanary.TOKEN)).isEqualTo(LatchkeyLogback.REDACTION_FAILED);
    } finally {
      installed.close();
    }
    Status status = context.getStatusManager().getCopyOfStatusList().get(0);
    assertThat(status.getLevel()).isEqualTo(Status.ERROR);
    assertThat(status.getMessage()).contains("java.lang.IllegalStateException");
    assertThat(status.getThrowable()).isNull();
    Leaks.assertNoLeak("the status message", status.getMessage(), LogCanary.TOKEN);
  }

  @Test
  void cleaner_thatReturnsNull_withholdsTheText() {
    LatchkeyLogback installed = LatchkeyLogback.install(canaryRedactor(), text -> null);
    try {
      assertThat(clean("token")).isEqualTo(LatchkeyLogback.REDACTION_FAILED);
    } finally {
      installed.close();
    }
  }

  @Test
  void install_concurrentlyWithLogging_redactsEachTextWhollyByOneInstallation() throws Exception {
    AtomicInteger mixed = new AtomicInteger();
    String both = LogCanary.TOKEN + " " + OTHER;
    Thread logging =
        new Thread(
            () -> {
              for (int i = 0; i < 20_000; i++) {
                String out = clean(both);
                boolean first = out.equals(LogCanary.MASK + " " + OTHER);
                boolean second = out.equals(LogCanary.TOKEN + " ***");
                if (!first && !second) {
                  mixed.incrementAndGet();
                }
              }
            });
    Redactor a = canaryRedactor();
    Redactor b = otherRedactor();
    LatchkeyLogback last = LatchkeyLogback.install(a);
    logging.start();
    for (int i = 0; logging.isAlive(); i++) {
      last = LatchkeyLogback.install(i % 2 == 0 ? b : a);
    }
    logging.join();
    last.close();

    assertThat(mixed).hasValue(0);
  }

  @Test
  void install_null_throws() {
    assertThatNullPointerException().isThrownBy(() -> LatchkeyLogback.install(null));
    assertThatNullPointerException()
        .isThrownBy(() -> LatchkeyLogback.install(canaryRedactor(), null));
  }

  @Test
  void toString_givesCountsOnly() {
    LatchkeyLogback installed = LatchkeyLogback.install(canaryRedactor(), t -> t);
    try {
      assertThat(installed.toString())
          .startsWith("LatchkeyLogback[Redactor[values=1")
          .endsWith(", with a cleaner]");
      Leaks.assertNoLeak("toString()", installed.toString(), LogCanary.TOKEN);
    } finally {
      installed.close();
    }
  }
}
