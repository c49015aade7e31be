package io.latchkey.crypto.reencrypt;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.ToLongFunction;

/**
 * What a {@link ReencryptionJob} run did, target by target: rows scanned, rotated, already under
 * the primary key, skipped because the application changed them meanwhile, empty, and failed (with
 * the keys of the failed rows).
 *
 * <p>{@link #toString()} renders a short table for operators:
 *
 * <pre>
 * re-encryption to primary key 5f1c0a9e
 * target               scanned   rotated   current   changed     empty    failed  status
 * credentials.secret      5000      4990         5         0         3         2  done
 * failed rows (left as they were):
 *   credentials.secret key 17: token was made with another key or has been altered
 *   credentials.secret key 4711: malformed token
 * result: NOT clean: 2 rows cannot be read with any key of the ring
 * </pre>
 *
 * <h2>Security</h2>
 *
 * <p>A report holds names, row keys, key identifiers, counts and fixed reasons. It never holds a
 * ciphertext, a plaintext or a key, so it can be printed and logged as it is.
 *
 * @since 0.1
 */
public final class ReencryptionReport {
  /** The most failed rows a report lists per target; the count of failed rows is always exact. */
  public static final int MAX_FAILURES_LISTED = 1000;

  /** How many failed rows per target {@link #toString()} shows. */
  private static final int FAILURES_SHOWN = 20;

  /**
   * A row that was left untouched because no key of the ring could read it.
   *
   * @param key the row's key, as a string
   * @param reason why, without any value: one of the fixed {@linkplain
   *     io.latchkey.InvalidTokenException.Reason reasons}, or the class of an unexpected error
   */
  public record Failure(String key, String reason) {
    /**
     * Validates the components.
     *
     * @param key the row's key
     * @param reason why the row failed
     */
    public Failure {
      requireNonNull(key, "key");
      requireNonNull(reason, "reason");
    }

    /** Returns {@code key KEY: REASON}. */
    @Override
    public String toString() {
      return "key " + key + ": " + reason;
    }
  }

  /**
   * The result for one target.
   *
   * @param name the target's {@linkplain CiphertextStore#name() name}
   * @param scanned rows read
   * @param rotated rows re-encrypted under the primary key and written; in a dry run, rows that
   *     would have been
   * @param alreadyCurrent rows already under the primary key, left as they were
   * @param skippedChanged rows re-encrypted but not written, because the application changed them
   *     after they were read (the application's value is kept)
   * @param empty rows with a {@code NULL} or empty ciphertext, left as they were
   * @param failed rows no key of the ring could read, left as they were
   * @param failures the failed rows, at most {@link #MAX_FAILURES_LISTED}, in key order
   * @param completed whether the target was read to its end
   * @param abortReason why the target was abandoned before its end, if it was; never a value
   * @param lastKey the key of the last row processed, as a string; empty if no row was
   */
  public record TargetResult(
      String name,
      long scanned,
      long rotated,
      long alreadyCurrent,
      long skippedChanged,
      long empty,
      long failed,
      List<Failure> failures,
      boolean completed,
      Optional<String> abortReason,
      Optional<String> lastKey) {

    /**
     * Validates the components and copies the failure list.
     *
     * @param name the target's name
     * @param scanned rows read
     * @param rotated rows re-encrypted
     * @param alreadyCurrent rows already under the primary key
     * @param skippedChanged rows changed concurrently
     * @param empty rows without a ciphertext
     * @param failed rows that could not be read
     * @param failures the failed rows listed
     * @param completed whether the target was read to its end
     * @param abortReason why the target was abandoned, if it was
     * @param lastKey the last key processed, if any
     */
    public TargetResult {
      requireNonNull(name, "name");
      failures = List.copyOf(failures);
      requireNonNull(abortReason, "abortReason");
      requireNonNull(lastKey, "lastKey");
    }

    /**
     * Tells whether this target was read to its end with no failed row.
     *
     * @return {@code true} if completed, not aborted and with no failure
     */
    public boolean isClean() {
      return completed && abortReason.isEmpty() && failed == 0;
    }

    /** Returns the counts and status, without the list of failures. */
    @Override
    public String toString() {
      return "TargetResult[name="
          + name
          + ", scanned="
          + scanned
          + ", rotated="
          + rotated
          + ", alreadyCurrent="
          + alreadyCurrent
          + ", skippedChanged="
          + skippedChanged
          + ", empty="
          + empty
          + ", failed="
          + failed
          + ", status="
          + status(this)
          + "]";
    }
  }

  private final String primaryKeyId;
  private final boolean dryRun;
  private final boolean stopped;
  private final List<TargetResult> targets;
  private final List<String> notes;

  ReencryptionReport(
      String primaryKeyId,
      boolean dryRun,
      boolean stopped,
      List<TargetResult> targets,
      List<String> notes) {
    this.primaryKeyId = requireNonNull(primaryKeyId, "primaryKeyId");
    this.dryRun = dryRun;
    this.stopped = stopped;
    this.targets = List.copyOf(targets);
    this.notes = List.copyOf(notes);
  }

  /**
   * Returns the identifier of the key ring's primary key, the key rows were rotated to.
   *
   * @return the key identifier
   */
  public String primaryKeyId() {
    return primaryKeyId;
  }

  /**
   * Tells whether this was a dry run, which counted what it would do and wrote nothing.
   *
   * @return {@code true} for a dry run
   */
  public boolean isDryRun() {
    return dryRun;
  }

  /**
   * Tells whether the run was stopped (by {@link ReencryptionJob#stop()} or an interrupt) before it
   * had read every target to its end. Run the job again to finish: rows already under the primary
   * key are skipped.
   *
   * @return {@code true} if the run was stopped
   */
  public boolean isStopped() {
    return stopped;
  }

  /**
   * Returns the result for each target, in the order the job processed them; a target the run did
   * not reach before it was stopped is absent.
   *
   * @return an unmodifiable list
   */
  public List<TargetResult> targets() {
    return targets;
  }

  /**
   * Returns remarks about the run as a whole, such as why nothing needed doing.
   *
   * @return an unmodifiable list, often empty
   */
  public List<String> notes() {
    return notes;
  }

  /**
   * Returns the rows read, over all targets.
   *
   * @return the total
   */
  public long scanned() {
    return sum(TargetResult::scanned);
  }

  /**
   * Returns the rows re-encrypted and written (in a dry run: that would have been), over all
   * targets.
   *
   * @return the total
   */
  public long rotated() {
    return sum(TargetResult::rotated);
  }

  /**
   * Returns the rows already under the primary key, over all targets.
   *
   * @return the total
   */
  public long alreadyCurrent() {
    return sum(TargetResult::alreadyCurrent);
  }

  /**
   * Returns the rows not written because the application changed them during the run, over all
   * targets.
   *
   * @return the total
   */
  public long skippedChanged() {
    return sum(TargetResult::skippedChanged);
  }

  /**
   * Returns the rows without a ciphertext, over all targets.
   *
   * @return the total
   */
  public long empty() {
    return sum(TargetResult::empty);
  }

  /**
   * Returns the rows no key of the ring could read, over all targets.
   *
   * @return the total
   */
  public long failed() {
    return sum(TargetResult::failed);
  }

  /**
   * Tells whether the run read every target to its end with no failed row and no aborted target.
   *
   * <p>After a clean run that was not a {@linkplain #isDryRun() dry run}, every row the run read is
   * under the primary key, except rows the application wrote during the run ({@link
   * #skippedChanged()}): an application running with the same ring writes those under the primary
   * key too. A second run that rotates nothing confirms it, and the previous keys can then be
   * retired.
   *
   * @return {@code true} if the run was not stopped, no target was aborted and no row failed
   */
  public boolean isClean() {
    return !stopped && targets.stream().allMatch(TargetResult::isClean);
  }

  private long sum(ToLongFunction<TargetResult> f) {
    return targets.stream().mapToLong(f).sum();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ReencryptionReport r
        && dryRun == r.dryRun
        && stopped == r.stopped
        && primaryKeyId.equals(r.primaryKeyId)
        && targets.equals(r.targets)
        && notes.equals(r.notes);
  }

  @Override
  public int hashCode() {
    return Objects.hash(primaryKeyId, dryRun, stopped, targets, notes);
  }

  /**
   * Returns a short table for operators: one line per target, totals, the first failed rows of each
   * target, aborts, notes and a one-line verdict.
   */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("re-encryption to primary key ").append(primaryKeyId);
    if (dryRun) {
      sb.append(" (dry run: nothing was written)");
    }
    sb.append('\n');
    if (!targets.isEmpty()) {
      int width = "target".length();
      for (TargetResult t : targets) {
        width = Math.max(width, t.name().length());
      }
      String nameFormat = "%-" + width + "s";
      String numbers = "%10s%10s%10s%10s%10s%10s";
      sb.append(String.format(Locale.ROOT, nameFormat, "target"))
          .append(
              String.format(
                  Locale.ROOT,
                  numbers,
                  "scanned",
                  dryRun ? "to rotate" : "rotated",
                  "current",
                  "changed",
                  "empty",
                  "failed"))
          .append("  status\n");
      for (TargetResult t : targets) {
        sb.append(String.format(Locale.ROOT, nameFormat, t.name()))
            .append(
                String.format(
                    Locale.ROOT,
                    numbers,
                    t.scanned(),
                    t.rotated(),
                    t.alreadyCurrent(),
                    t.skippedChanged(),
                    t.empty(),
                    t.failed()))
            .append("  ")
            .append(status(t))
            .append('\n');
      }
      if (targets.size() > 1) {
        sb.append(String.format(Locale.ROOT, nameFormat, "total"))
            .append(
                String.format(
                    Locale.ROOT,
                    numbers,
                    scanned(),
                    rotated(),
                    alreadyCurrent(),
                    skippedChanged(),
                    empty(),
                    failed()))
            .append('\n');
      }
    }
    if (failed() > 0) {
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
    for (String note : notes) {
      sb.append("note: ").append(note).append('\n');
    }
    sb.append("result: ").append(verdict());
    return sb.toString();
  }

  private String verdict() {
    StringBuilder problems = new StringBuilder();
    long failed = failed();
    if (failed > 0) {
      problems
          .append(failed)
          .append(failed == 1 ? " row cannot" : " rows cannot")
          .append(" be read with any key of the ring");
    }
    long aborted = targets.stream().filter(t -> t.abortReason().isPresent()).count();
    if (aborted > 0) {
      problems.append(problems.length() > 0 ? "; " : "").append(aborted);
      problems.append(aborted == 1 ? " target aborted" : " targets aborted");
    }
    if (stopped) {
      problems
          .append(problems.length() > 0 ? "; " : "")
          .append("stopped before the end: run again");
    }
    if (problems.length() > 0) {
      return "NOT clean: " + problems;
    }
    if (dryRun) {
      return "clean dry run: "
          + rotated()
          + (rotated() == 1 ? " row needs" : " rows need")
          + " rotating";
    }
    if (skippedChanged() > 0) {
      return "clean; "
          + skippedChanged()
          + " rows changed during the run: run again to confirm before retiring old keys";
    }
    return "clean";
  }

  private static String status(TargetResult t) {
    if (t.abortReason().isPresent()) {
      return "aborted" + t.lastKey().map(k -> " after key " + k).orElse("");
    }
    if (!t.completed()) {
      return "stopped" + t.lastKey().map(k -> " after key " + k).orElse(" before the first row");
    }
    return "done";
  }
}
