package io.latchkey.reencrypt;

import io.latchkey.reencrypt.ReencryptionReport.Failure;
import io.latchkey.reencrypt.ReencryptionReport.TargetResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Renders a {@link ReencryptionReport} as the short table operators read. */
final class ReportTable {
  /** How many failed rows per target the table shows. */
  private static final int FAILURES_SHOWN = 20;

  private ReportTable() {}

  static String render(ReencryptionReport report) {
    List<TargetResult> targets = report.targets();
    boolean dryRun = report.isDryRun();
    StringBuilder sb =
        new StringBuilder("re-encryption to primary key ").append(report.primaryKeyId());
    if (dryRun) {
      sb.append(" (dry run: nothing was written)");
    }
    sb.append('\n');
    if (!targets.isEmpty()) {
      // The column appears only in runs that encrypted plaintext, so other tables stay as they
      // were.
      boolean encrypted = report.encrypted() > 0;
      int width = "target".length();
      for (TargetResult t : targets) {
        width = Math.max(width, t.name().length());
      }
      String nameFormat = "%-" + width + "s";
      List<String> header = new ArrayList<>(List.of("scanned", dryRun ? "to rotate" : "rotated"));
      if (encrypted) {
        header.add(dryRun ? "to encrypt" : "encrypted");
      }
      header.addAll(List.of("current", "changed", "empty", "failed", "counted"));
      sb.append(String.format(Locale.ROOT, nameFormat, "target"))
          .append(columns(header))
          .append("  status\n");
      for (TargetResult t : targets) {
        sb.append(String.format(Locale.ROOT, nameFormat, t.name()))
            .append(
                columns(
                    numbers(
                        encrypted,
                        t.scanned(),
                        t.rotated(),
                        t.encrypted(),
                        t.alreadyCurrent(),
                        t.skippedChanged(),
                        t.empty(),
                        t.failed(),
                        counted(t))))
            .append("  ")
            .append(status(t))
            .append('\n');
      }
      if (targets.size() > 1) {
        sb.append(String.format(Locale.ROOT, nameFormat, "total"))
            .append(
                columns(
                    numbers(
                        encrypted,
                        report.scanned(),
                        report.rotated(),
                        report.encrypted(),
                        report.alreadyCurrent(),
                        report.skippedChanged(),
                        report.empty(),
                        report.failed(),
                        countedTotal(targets))))
            .append('\n');
      }
    }
    if (report.failed() > 0) {
      sb.append("failed rows (left as they were):\n");
      for (TargetResult t : targets) {
        List<Failure> fs = t.failures();
        for (int i = 0; i < Math.min(fs.size(), FAILURES_SHOWN); i++) {
          sb.append("  ").append(t.name()).append(' ').append(fs.get(i)).append('\n');
        }
        long more = t.failed() - Math.min(fs.size(), FAILURES_SHOWN);
        if (more > 0) {
          sb.append("  ").append(t.name()).append(": ").append(more).append(" more\n");
        }
      }
    }
    for (TargetResult t : targets) {
      t.abortReason()
          .ifPresent(
              r -> sb.append("aborted ").append(t.name()).append(": ").append(r).append('\n'));
    }
    for (String note : report.notes()) {
      sb.append("note: ").append(note).append('\n');
    }
    sb.append("result: ").append(report.verdict());
    return sb.toString();
  }

  private static List<String> numbers(
      boolean withEncrypted,
      long scanned,
      long rotated,
      long encrypted,
      long current,
      long changed,
      long empty,
      long failed,
      String counted) {
    List<String> cells = new ArrayList<>();
    cells.add(Long.toString(scanned));
    cells.add(Long.toString(rotated));
    if (withEncrypted) {
      cells.add(Long.toString(encrypted));
    }
    for (long n : new long[] {current, changed, empty, failed}) {
      cells.add(Long.toString(n));
    }
    cells.add(counted);
    return cells;
  }

  private static String columns(List<String> cells) {
    StringBuilder sb = new StringBuilder();
    for (String cell : cells) {
      sb.append(String.format(Locale.ROOT, "%10s", cell));
    }
    return sb.toString();
  }

  static String counted(TargetResult t) {
    if (t.countedAtStart().isEmpty()) {
      return "?";
    }
    long start = t.countedAtStart().getAsLong();
    if (t.countedAtEnd().isEmpty() || t.countedAtEnd().getAsLong() == start) {
      return Long.toString(start);
    }
    return start + "->" + t.countedAtEnd().getAsLong();
  }

  /** The sum of the targets' row counts, or blank when one of them is unknown or changed. */
  private static String countedTotal(List<TargetResult> targets) {
    long total = 0;
    for (TargetResult t : targets) {
      if (t.countedAtStart().isEmpty()
          || (t.countedAtEnd().isPresent()
              && t.countedAtEnd().getAsLong() != t.countedAtStart().getAsLong())) {
        return "";
      }
      total += t.countedAtStart().getAsLong();
    }
    return Long.toString(total);
  }

  static String status(TargetResult t) {
    if (t.abortReason().isPresent()) {
      return "aborted" + t.lastKey().map(k -> " after key " + KeyText.of(k)).orElse("");
    }
    if (!t.completed()) {
      return "stopped"
          + t.lastKey().map(k -> " after key " + KeyText.of(k)).orElse(" before the first row");
    }
    return "done";
  }
}
