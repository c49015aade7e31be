package io.latchkey.reencrypt;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.reencrypt.ReencryptionReport.Failure;
import io.latchkey.reencrypt.ReencryptionReport.TargetResult;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
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
        Optional.of("99"),
        OptionalLong.of(rotated + failed + 5),
        OptionalLong.of(rotated + failed + 5));
  }

  private static TargetResult counted(
      long scanned, long changed, long empty, long start, long end) {
    return new TargetResult(
        "a",
        scanned,
        0,
        scanned - changed - empty,
        changed,
        empty,
        0,
        List.of(),
        true,
        Optional.empty(),
        Optional.of("9"),
        start < 0 ? OptionalLong.empty() : OptionalLong.of(start),
        end < 0 ? OptionalLong.empty() : OptionalLong.of(end));
  }

  private static ReencryptionReport report(TargetResult t) {
    return new ReencryptionReport("k", false, false, List.of(t), List.of());
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
                    + "  counted  status",
                "credentials.secret      4996      4990         5         0         0         1 "
                    + "     4996  done",
                "webhooks.url              15        10         5         0         0         0 "
                    + "       15  done",
                "total                   5011      5000        10         0         0         1 "
                    + "     5011",
                "failed rows (left as they were):",
                "  credentials.secret key 17: token was made with another key or has been altered",
                "result: NOT clean: 1 row cannot be read with any key of the ring"));
    assertThat(report.isClean()).isFalse();
    assertThat(report.rotated()).isEqualTo(5000);
  }

  @Test
  void toString_withPlaintextEncrypted_addsTheEncryptedColumn() {
    TargetResult t =
        new TargetResult(
            "credentials.secret",
            20,
            4,
            10,
            5,
            0,
            1,
            0,
            List.of(),
            true,
            Optional.empty(),
            Optional.of("20"),
            OptionalLong.of(20),
            OptionalLong.of(20));
    ReencryptionReport report = report(t);

    assertThat(report.encrypted()).isEqualTo(10);
    assertThat(report.isClean()).isTrue();
    assertThat(report.toString())
        .contains(
            "target               scanned   rotated encrypted   current   changed     empty    failed"
                + "   counted  status")
        .contains(
            "credentials.secret        20         4        10         5         0         1         0"
                + "        20  done");
    assertThat(t.toString()).contains("rotated=4, encrypted=10, alreadyCurrent=5");
    ReencryptionReport dryRun = new ReencryptionReport("k", true, false, List.of(t), List.of());
    assertThat(dryRun.toString()).contains("to encrypt");
    assertThat(dryRun.problems())
        .containsExactly("dry run: 14 rows not under the primary key yet (nothing was written)");
  }

  @Test
  void isClean_onlyWhenEveryTargetFinishedWithoutFailure() {
    TargetResult ok = done("a", 3, 0);
    TargetResult aborted =
        new TargetResult(
            "b",
            0,
            0,
            0,
            0,
            0,
            0,
            List.of(),
            false,
            Optional.of("b: gone"),
            Optional.empty(),
            OptionalLong.of(4),
            OptionalLong.empty());
    TargetResult stopped =
        new TargetResult(
            "c",
            10,
            10,
            0,
            0,
            0,
            0,
            List.of(),
            false,
            Optional.empty(),
            Optional.of("10"),
            OptionalLong.of(20),
            OptionalLong.empty());

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
  void verdict_dryRunWithRowsToRotate_isNotClean() {
    ReencryptionReport dry =
        new ReencryptionReport("k", true, false, List.of(done("a", 3, 0)), List.of());

    assertThat(dry.isClean()).isFalse();
    assertThat(dry.toString())
        .startsWith("re-encryption to primary key k (dry run: nothing was written)")
        .contains("to rotate")
        .endsWith(
            "result: NOT clean: dry run: 3 rows not under the primary key yet (nothing was"
                + " written)");
  }

  @Test
  void verdict_dryRunWithNothingToRotate_isCleanAndSaysSo() {
    ReencryptionReport dry =
        new ReencryptionReport("k", true, false, List.of(done("a", 0, 0)), List.of());

    assertThat(dry.isClean()).isTrue();
    assertThat(dry.verdict())
        .isEqualTo(
            "clean: all 5 rows read; every value is under the primary key; dry run: nothing"
                + " needed writing; not covered: rows the application wrote behind the job's"
                + " position while it ran");
  }

  @Test
  void verdict_emptyRows_areCleanButCountedInTheVerdict() {
    ReencryptionReport r = report(counted(10, 0, 2, 10, 10));

    assertThat(r.isClean()).isTrue();
    assertThat(r.toString())
        .endsWith(
            "result: clean: all 10 rows read; every value is under the primary key; 2 rows hold"
                + " no value (NULL or empty); not covered: rows the application wrote behind the"
                + " job's position while it ran");
  }

  @Test
  void verdict_rowsChangedDuringTheRun_isNotCleanAndSaysRunAgain() {
    ReencryptionReport r = report(counted(10, 2, 0, 10, 10));

    assertThat(r.isClean()).isFalse();
    assertThat(r.targets().get(0).isClean()).isFalse();
    assertThat(r.problems())
        .containsExactly(
            "a: 2 rows changed by the application during the run and not verified: run again to"
                + " confirm");
  }

  @Test
  void verdict_countsDifferFromRowsRead_isNotCleanAndSaysWhy() {
    assertThat(report(counted(10, 0, 0, 10, 11)).problems())
        .containsExactly(
            "a: rows were inserted or deleted during the run (10 counted at the start, 11 at the"
                + " end, 10 read): run again to confirm");
    assertThat(report(counted(10, 0, 0, 10, 11)).toString()).contains("10->11  done");
    assertThat(report(counted(8, 0, 0, 10, 10)).problems())
        .containsExactly(
            "a: 8 rows read but 10 counted: the store's pages missed or repeated rows (is its key"
                + " unique and never NULL?)");
    assertThat(report(counted(10, 0, 0, -1, -1)).problems())
        .containsExactly("a: rows not counted, so the run cannot show that it read them all");
    assertThat(report(counted(10, 0, 0, -1, -1)).toString()).contains("?  done");
    assertThat(report(counted(10, 0, 0, 10, -1)).problems())
        .containsExactly(
            "a: rows not counted at the end, so the run cannot show that it read them all");
    assertThat(report(counted(10, 0, 0, 10, 10)).isClean()).isTrue();
  }

  @Test
  void verdict_everyProblem_isListedInOneLine() {
    ReencryptionReport r =
        new ReencryptionReport(
            "k", false, false, List.of(done("a", 3, 2), counted(8, 1, 0, 9, 9)), List.of());

    assertThat(r.verdict())
        .startsWith("NOT clean: 2 rows cannot be read with any key of the ring; a: 1 row changed")
        .contains("; a: 8 rows read but 9 counted")
        .doesNotContain("\n");
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
                + " empty=0, failed=1, counted=9, status=done]");
  }

  @Test
  void primaryChangedDuringTheRun_isNotCleanAndSaysSo() {
    ReencryptionReport same =
        new ReencryptionReport(
            "k1", false, false, List.of(done("a", 3, 0)), List.of(), Optional.empty());
    ReencryptionReport changed =
        new ReencryptionReport(
            "k1", false, false, List.of(done("a", 3, 0)), List.of(), Optional.of("k2"));

    assertThat(same.isClean()).isTrue();
    assertThat(same)
        .isEqualTo(new ReencryptionReport("k1", false, false, List.of(done("a", 3, 0)), List.of()));
    assertThat(changed.isClean()).isFalse();
    assertThat(changed.verdict())
        .isEqualTo(
            "NOT clean: the key ring's primary key changed during the run, from k1 to k2: the rows"
                + " were verified and written under k1; run again with the new ring");
    assertThat(changed).isNotEqualTo(same);
  }

  @Test
  void toString_keysWithLineBreaksAndEscapes_cannotForgeOrHideALine() {
    String forged = "a\nresult: clean: all 1 row read; every value is under the primary key";
    TargetResult stopped =
        new TargetResult(
            "t.c",
            1,
            0,
            0,
            0,
            0,
            1,
            List.of(new Failure(forged, "malformed token")),
            false,
            Optional.empty(),
            Optional.of("b\r\u001b[2K\u2028\u202e"),
            OptionalLong.of(1),
            OptionalLong.empty());

    String text = report(stopped).toString();

    assertThat(text.lines().filter(l -> l.startsWith("result:"))).hasSize(1);
    assertThat(text.lines().filter(l -> l.contains("clean: all 1 row read"))).hasSize(1);
    assertThat(text)
        .contains("  t.c key a\\x0aresult: clean: all 1 row read;")
        .contains("stopped after key b\\x0d\\x1b[2K\\u2028\\u202e")
        .doesNotContain("\r")
        .doesNotContain("\u001b")
        .containsPattern("\nresult: NOT clean: [^\n]*$");
    assertThat(new Failure("x\ty", "r").toString()).isEqualTo("key x\\x09y: r");
    assertThat(KeyText.of(17L)).isEqualTo("17");
    assertThat(KeyText.of("clé-😀")).isEqualTo("clé-😀");
    assertThat(KeyText.of("\ud800x")).isEqualTo("\\ud800x");
  }
}
