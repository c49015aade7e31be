package io.latchkey.log4j2;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.Secret;
import io.latchkey.redact.Redactor;
import io.latchkey.testsupport.Leaks;
import io.latchkey.testsupport.LogCanary;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.status.StatusData;
import org.apache.logging.log4j.status.StatusListener;
import org.apache.logging.log4j.status.StatusLogger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The installation point: replaced atomically, closed only by its own holder, failures reported.
 */
final class LatchkeyLog4j2Test {
  private static final Redactor OTHER =
      Redactor.builder().value("OTHER", Secret.of("another-secret-9f3kQ")).build();

  @AfterEach
  void nothingStaysInstalled() {
    assertThat(LatchkeyLog4j2.isInstalled()).isFalse();
  }

  @Test
  void close_ofAReplacedInstallation_leavesTheNewOneInForce() {
    LatchkeyLog4j2 first = LatchkeyLog4j2.install(Log4j2FileTest.canaryRedactor());
    LatchkeyLog4j2 second = LatchkeyLog4j2.install(OTHER);
    first.close();

    assertThat(LatchkeyLog4j2.current()).isSameAs(second);
    assertThat(LatchkeyLog4j2.current().clean(LogCanary.TOKEN + " another-secret-9f3kQ"))
        .isEqualTo(LogCanary.TOKEN + " ***");

    second.close();
    second.close();
    assertThat(LatchkeyLog4j2.current()).isNull();
  }

  @Test
  void clean_aTextWithoutValues_isTheSameInstance() {
    LatchkeyLog4j2 installed = LatchkeyLog4j2.install(Log4j2FileTest.canaryRedactor());
    try {
      String text = "nothing secret here";

      assertThat(installed.clean(text)).isSameAs(text);
    } finally {
      installed.close();
    }
  }

  @Test
  void reportFailure_namesTheExceptionClassOnly() {
    List<StatusData> reported = new CopyOnWriteArrayList<>();
    StatusListener listener =
        new StatusListener() {
          @Override
          public void log(StatusData data) {
            reported.add(data);
          }

          @Override
          public Level getStatusLevel() {
            return Level.ERROR;
          }

          @Override
          public void close() {}
        };
    StatusLogger.getLogger().registerListener(listener);
    try {
      LatchkeyLog4j2.reportFailure(new IllegalStateException("cannot clean " + LogCanary.TOKEN));
    } finally {
      StatusLogger.getLogger().removeListener(listener);
    }

    assertThat(reported).hasSize(1);
    String message = reported.get(0).getMessage().getFormattedMessage();
    assertThat(message).contains("java.lang.IllegalStateException");
    assertThat(reported.get(0).getThrowable()).isNull();
    Leaks.assertNoLeak("the status message", message, LogCanary.TOKEN);
  }

  @Test
  void toString_givesCountsOnly() {
    LatchkeyLog4j2 installed = LatchkeyLog4j2.install(Log4j2FileTest.canaryRedactor(), t -> t);
    try {
      assertThat(installed.toString())
          .startsWith("LatchkeyLog4j2[Redactor[values=1")
          .endsWith(", with a cleaner]");
      Leaks.assertNoLeak("toString()", installed.toString(), LogCanary.TOKEN);
    } finally {
      installed.close();
    }
  }
}
