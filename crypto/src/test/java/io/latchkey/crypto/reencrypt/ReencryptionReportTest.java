package io.latchkey.crypto.reencrypt;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.crypto.reencrypt.ReencryptionReport.Failure;
import io.latchkey.crypto.reencrypt.ReencryptionReport.TargetResult;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

final class ReencryptionReportTest {

  private static TargetResult done(String name, long rotated, long failed) {
    List<Failure> failures =
        failed > 0
            ? List.of(new Failure("17", "token was made with another key or has been altered"))
            : List.of();
    return new TargetResult(
        name,
        rotated + failed + 5,
        rotated,
        5,
        0,
        0,
        failed,
        failures,
        true,
        Optional.empty(),
        Optional.of("99"));
  }

  @Test
  void toString_rendersATableWithTotalsFailuresAndVerdict() {
    ReencryptionReport report =
        new ReencryptionReport(
            "5f1c0a9e",
            false,
            false,
            List.of(done("credentials.secret", 4990, 1), done("webhooks.url", 10, 0)),
            List.of());

    assertThat(report.toString())
        .isEqualTo(
            String.join(
                "\n",
                "re-encryption to primary key 5f1c0a9e",
                "target               scanned   rotated   current   changed     empty    failed "
                    + " status",
                "credentials.secret      4996      4990         5         0         0         1 "
                    + " done",
                "webhooks.url              15        10         5         0         0         0 "
                    + " done",
                "total                   5011      5000        10         0         0         1",
                "failed rows (left as they were):",
                "  credentials.secret key 17: token was made with another key or has been altered",
                "result: NOT clean: 1 row cannot be read with any key of the ring"));
    assertThat(report.isClean()).isFalse();
    assertThat(report.rotated()).isEqualTo(5000);
  }

  @Test
  void isClean_onlyWhenEveryTargetFinishedWithoutFailure() {
    TargetResult ok = done("a", 3, 0);
    TargetResult aborted =
        new TargetResult(
            "b", 0, 0, 0, 0, 0, 0, List.of(), false, Optional.of("b: gone"), Optional.empty());
    TargetResult stopped =
        new TargetResult(
            "c", 10, 10, 0, 0, 0, 0, List.of(), false, Optional.empty(), Optional.of("10"));

    assertThat(new ReencryptionReport("k", false, false, List.of(ok), List.of()).isClean())
        .isTrue();
    assertThat(new ReencryptionReport("k", false, false, List.of(ok, aborted), List.of()).isClean())
        .isFalse();
    ReencryptionReport stoppedReport =
        new ReencryptionReport("k", false, true, List.of(stopped), List.of());
    assertThat(stoppedReport.isClean()).isFalse();
    assertThat(stoppedReport.toString())
        .contains("stopped after key 10")
        .endsWith("result: NOT clean: stopped before the end: run again");
    assertThat(
            new ReencryptionReport("k", false, false, List.of(ok, aborted), List.of()).toString())
        .contains("aborted b: b: gone")
        .endsWith("result: NOT clean: 1 target aborted");
  }

  @Test
  void toString_dryRunAndConcurrentChanges_sayWhatToDoNext() {
    ReencryptionReport dry =
        new ReencryptionReport("k", true, false, List.of(done("a", 3, 0)), List.of());
    assertThat(dry.toString())
        .startsWith("re-encryption to primary key k (dry run: nothing was written)")
        .contains("to rotate")
        .endsWith("result: clean dry run: 3 rows need rotating");
    TargetResult changed =
        new TargetResult(
            "a", 10, 8, 0, 2, 0, 0, List.of(), true, Optional.empty(), Optional.of("10"));
    assertThat(new ReencryptionReport("k", false, false, List.of(changed), List.of()).toString())
        .endsWith(
            "result: clean; 2 rows changed during the run: run again to confirm before retiring old"
                + " keys");
  }

  @Test
  void equals_comparesEverything() {
    ReencryptionReport a =
        new ReencryptionReport("k", false, false, List.of(done("a", 3, 0)), List.of("n"));
    ReencryptionReport b =
        new ReencryptionReport("k", false, false, List.of(done("a", 3, 0)), List.of("n"));
    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
    assertThat(a)
        .isNotEqualTo(
            new ReencryptionReport("k", true, false, List.of(done("a", 3, 0)), List.of("n")));
    assertThat(done("a", 3, 1).toString())
        .isEqualTo(
            "TargetResult[name=a, scanned=9, rotated=3, alreadyCurrent=5, skippedChanged=0,"
                + " empty=0, failed=1, status=done]");
  }
}
