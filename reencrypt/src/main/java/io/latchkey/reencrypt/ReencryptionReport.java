package io.latchkey.reencrypt;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.ToLongFunction;

/**
 * What a {@link ReencryptionJob} run did, target by target: rows scanned, rotated, encrypted (rows
 * that held a plaintext, in a run that encrypts plaintext), already under the primary key, skipped
 * because the application changed them meanwhile, empty, and failed (with the keys of the failed
 * rows), and the target's row count at the start and at the end of the run.
 *
 * <p>A report is {@linkplain #isClean() clean} only when it shows that every row of every target
 * was read and that every value read decrypts under the primary key; {@link #problems()} says why
 * it is not. {@link #toString()} renders a short table for operators:
 *
 * <pre>
 * re-encryption to primary key 5f1c0a9e
 * target               scanned   rotated   current   changed     empty    failed   counted  status
 * credentials.secret      5000      4990         5         0         3         2      5000  done
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

    /**
     * Returns {@code key KEY: REASON}, with control and other non-printing characters of the key
     * written as {@code \xNN} or {@code \}{@code uNNNN}, so that a key cannot forge a line of a
     * report.
     */
    @Override
    public String toString() {
      return "key " + KeyText.of(key) + ": " + reason;
    }
  }

  /**
   * The result for one target.
   *
   * @param name the target's {@linkplain CiphertextStore#name() name}
   * @param scanned rows read
   * @param rotated rows re-encrypted under the primary key and written; in a dry run, rows that
   *     would have been
   * @param encrypted rows that held a plaintext and were encrypted under the primary key and
   *     written, in a run that {@linkplain ReencryptionJob.Builder#encryptPlaintext(boolean)
   *     encrypts plaintext}; in a dry run, rows that would have been
   * @param alreadyCurrent rows already under the primary key, left as they were
   * @param skippedChanged rows re-encrypted but not written, because the application changed them
   *     after they were read (the application's value is kept)
   * @param empty rows with a {@code NULL} or empty ciphertext, left as they were
   * @param failed rows no key of the ring could read, left as they were
   * @param failures the failed rows, at most {@link #MAX_FAILURES_LISTED}, in key order
   * @param completed whether the target was read to its end
   * @param abortReason why the target was abandoned before its end, if it was; never a value
   * @param lastKey the key of the last row processed, as a string; empty if no row was
   * @param countedAtStart the target's {@linkplain CiphertextStore#count() row count} before the
   *     first row was read; empty if the store cannot count or counting failed
   * @param countedAtEnd the target's row count after the last row was read; empty if the store
   *     cannot count, counting failed, or the target was not read to its end
   */
  public record TargetResult(
      String name,
      long scanned,
      long rotated,
      long encrypted,
      long alreadyCurrent,
      long skippedChanged,
      long empty,
      long failed,
      List<Failure> failures,
      boolean completed,
      Optional<String> abortReason,
      Optional<String> lastKey,
      OptionalLong countedAtStart,
      OptionalLong countedAtEnd) {

    /**
     * Validates the components and copies the failure list.
     *
     * @param name the target's name
     * @param scanned rows read
     * @param rotated rows re-encrypted
     * @param encrypted plaintext rows encrypted
     * @param alreadyCurrent rows already under the primary key
     * @param skippedChanged rows changed concurrently
     * @param empty rows without a ciphertext
     * @param failed rows that could not be read
     * @param failures the failed rows listed
     * @param completed whether the target was read to its end
     * @param abortReason why the target was abandoned, if it was
     * @param lastKey the last key processed, if any
     * @param countedAtStart the row count before the first read, if known
     * @param countedAtEnd the row count after the last read, if known
     */
    public TargetResult {
      requireNonNull(name, "name");
      failures = List.copyOf(failures);
      requireNonNull(abortReason, "abortReason");
      requireNonNull(lastKey, "lastKey");
      requireNonNull(countedAtStart, "countedAtStart");
      requireNonNull(countedAtEnd, "countedAtEnd");
    }

    /**
     * Creates a result of a run that encrypted no plaintext: {@link #encrypted()} is zero.
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
     * @param countedAtStart the row count before the first read, if known
     * @param countedAtEnd the row count after the last read, if known
     */
    public TargetResult(
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
        Optional<String> lastKey,
        OptionalLong countedAtStart,
        OptionalLong countedAtEnd) {
      this(
          name,
          scanned,
          rotated,
          0,
          alreadyCurrent,
          skippedChanged,
          empty,
          failed,
          failures,
          completed,
          abortReason,
          lastKey,
          countedAtStart,
          countedAtEnd);
    }

    /**
     * Tells whether this target shows that every one of its rows was read and is under the primary
     * key (or holds no value).
     *
     * <p>That is: the target was read to its end, no row failed, no row was left unverified because
     * the application changed it during the run, and the rows read equal the row count taken before
     * the first read and after the last one. A dry run's rows that still need rotating are judged
     * by {@link ReencryptionReport#isClean()}, which knows it was a dry run.
     *
     * @return {@code true} if this target's part of the report is clean
     */
    public boolean isClean() {
      return completed && abortReason.isEmpty() && failed == 0 && unverified().isEmpty();
    }

    /**
     * Why a target read to its end does not show that every row was read and verified: rows changed
     * concurrently, or rows read that do not match the rows counted. Empty for a target that was
     * stopped or aborted, which the verdict reports as such.
     */
    List<String> unverified() {
      if (!completed || abortReason.isPresent()) {
        return List.of();
      }
      List<String> problems = new ArrayList<>();
      if (skippedChanged > 0) {
        problems.add(
            name
                + ": "
                + rows(skippedChanged)
                + " changed by the application during the run and not verified: run again to"
                + " confirm");
      }
      if (countedAtStart.isEmpty() || countedAtEnd.isEmpty()) {
        problems.add(
            name
                + ": rows not counted"
                + (countedAtStart.isEmpty() && countedAtEnd.isEmpty()
                    ? ""
                    : countedAtStart.isEmpty() ? " at the start" : " at the end")
                + ", so the run cannot show that it read them all");
      } else if (countedAtStart.getAsLong() != countedAtEnd.getAsLong()) {
        problems.add(
            name
                + ": rows were inserted or deleted during the run ("
                + countedAtStart.getAsLong()
                + " counted at the start, "
                + countedAtEnd.getAsLong()
                + " at the end, "
                + scanned
                + " read): run again to confirm");
      } else if (countedAtStart.getAsLong() != scanned) {
        problems.add(
            name
                + ": "
                + scanned
                + " rows read but "
                + countedAtStart.getAsLong()
                + " counted: the store's pages missed or repeated rows (is its key unique and"
                + " never NULL?)");
      }
      return problems;
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
          + (encrypted > 0 ? ", encrypted=" + encrypted : "")
          + ", alreadyCurrent="
          + alreadyCurrent
          + ", skippedChanged="
          + skippedChanged
          + ", empty="
          + empty
          + ", failed="
          + failed
          + ", counted="
          + ReportTable.counted(this)
          + ", status="
          + ReportTable.status(this)
          + "]";
    }
  }

  private final String primaryKeyId;
  private final boolean dryRun;
  private final boolean stopped;
  private final List<TargetResult> targets;
  private final List<String> notes;
  private final Optional<String> primaryChangedTo;
  private final List<String> primaryUncheckedAt;

  ReencryptionReport(
      String primaryKeyId,
      boolean dryRun,
      boolean stopped,
      List<TargetResult> targets,
      List<String> notes) {
    this(primaryKeyId, dryRun, stopped, targets, notes, Optional.empty());
  }

  /**
   * @param primaryChangedTo the key ring's primary key id at the end of a target, if it was no
   *     longer {@code primaryKeyId}: the ring was swapped during the run
   */
  ReencryptionReport(
      String primaryKeyId,
      boolean dryRun,
      boolean stopped,
      List<TargetResult> targets,
      List<String> notes,
      Optional<String> primaryChangedTo) {
    this(primaryKeyId, dryRun, stopped, targets, notes, primaryChangedTo, List.of());
  }

  /**
   * @param primaryUncheckedAt the targets at whose end the key ring's primary key could not be
   *     read, so that whether it changed was not checked
   */
  ReencryptionReport(
      String primaryKeyId,
      boolean dryRun,
      boolean stopped,
      List<TargetResult> targets,
      List<String> notes,
      Optional<String> primaryChangedTo,
      List<String> primaryUncheckedAt) {
    this.primaryKeyId = requireNonNull(primaryKeyId, "primaryKeyId");
    this.dryRun = dryRun;
    this.stopped = stopped;
    this.targets = List.copyOf(targets);
    this.notes = List.copyOf(notes);
    this.primaryChangedTo = requireNonNull(primaryChangedTo, "primaryChangedTo");
    this.primaryUncheckedAt = List.copyOf(primaryUncheckedAt);
  }

  /**
   * Returns the identifier of the key ring's primary key, the key rows were rotated to: for a
   * swappable ring, the primary key of the ring that was current when the run started.
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
   * Returns the rows that held a plaintext and were encrypted and written (in a dry run: that would
   * have been), over all targets.
   *
   * @return the total
   */
  public long encrypted() {
    return sum(TargetResult::encrypted);
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
   * Tells whether the run showed that every row of every target was read and that every value it
   * read decrypts under the primary key, so that the previous keys can be retired.
   *
   * <p>Clean means all of these: the run was not stopped and no target was aborted; no row failed
   * (no key of the ring could read it); no row was changed by the application between this run's
   * read and write (such a row was not verified; a rerun verifies it); the key ring's primary key
   * was still {@link #primaryKeyId()} at the end of each target (a swappable ring swapped during
   * the run leaves the rows under the key the run started with, not the new one); each target's row
   * count, taken before its first read and after its last, equals the rows read (a store that
   * cannot count is never clean); and, in a {@linkplain #isDryRun() dry run}, no row needed
   * rotating or encrypting. Rows that hold no value ({@code NULL} or empty) are counted as
   * {@linkplain #empty() empty}: they do not stop a report from being clean, and the verdict says
   * how many there are.
   *
   * <p>What a clean report vouches for, when rows are inserted and deleted while it runs: every row
   * that was in a target from the start of the run to its end was read (the store's pages, in key
   * order over a key that is unique and never {@code NULL}, cover them, and the equal counts
   * confirm it). A row inserted behind the job's position while it ran is not read; the application
   * wrote it with its own ring. The counts show such an insert only when nothing else changes them:
   * <b>if the application also deletes a row during the run, the counts agree with the rows read
   * and the report is clean, although the inserted row was not read</b> (and may be under an old
   * key, if an instance still wrote with one). Step 4 of the rotation runbook, a run with the new
   * key alone once no instance writes with the old one, reads every row that exists by then.
   *
   * @return {@code true} if {@link #problems()} is empty
   */
  public boolean isClean() {
    return problems().isEmpty();
  }

  /**
   * Returns why the report is not {@linkplain #isClean() clean}, one reason per element, each
   * naming the target and counts, never a value.
   *
   * @return an unmodifiable list; empty when the report is clean
   */
  public List<String> problems() {
    List<String> problems = new ArrayList<>();
    long failed = failed();
    if (failed > 0) {
      problems.add(rows(failed) + " cannot be read with any key of the ring");
    }
    long aborted = targets.stream().filter(t -> t.abortReason().isPresent()).count();
    if (aborted > 0) {
      problems.add(aborted + (aborted == 1 ? " target aborted" : " targets aborted"));
    }
    if (stopped) {
      problems.add("stopped before the end: run again");
    }
    primaryChangedTo.ifPresent(
        live ->
            problems.add(
                "the key ring's primary key changed during the run, from "
                    + primaryKeyId
                    + " to "
                    + live
                    + ": the rows were verified and written under "
                    + primaryKeyId
                    + "; run again with the new ring"));
    if (primaryChangedTo.isEmpty() && !primaryUncheckedAt.isEmpty()) {
      problems.add(
          "the key ring's primary key could not be read at the end of "
              + String.join(", ", primaryUncheckedAt)
              + ": whether it changed during the run was not checked; run again");
    }
    for (TargetResult t : targets) {
      problems.addAll(t.unverified());
    }
    if (dryRun && rotated() + encrypted() > 0) {
      problems.add(
          "dry run: "
              + rows(rotated() + encrypted())
              + " not under the primary key yet (nothing was written)");
    }
    return List.copyOf(problems);
  }

  /** What a clean verdict ends with: the rows it cannot vouch for ({@link #isClean()} says why). */
  static final String NOT_COVERED =
      "not covered: rows the application wrote behind the job's position while it ran";

  /**
   * Returns the one-line verdict that ends {@link #toString()}: {@code clean: ...} with the rows
   * read and what the run did not cover ({@value #NOT_COVERED}: see {@link #isClean()}), or {@code
   * NOT clean: ...} with every {@linkplain #problems() problem}.
   *
   * @return the verdict, without the {@code result: } prefix
   */
  public String verdict() {
    List<String> problems = problems();
    if (!problems.isEmpty()) {
      return "NOT clean: " + String.join("; ", problems);
    }
    StringBuilder sb =
        new StringBuilder("clean: all ")
            .append(scanned())
            .append(scanned() == 1 ? " row" : " rows")
            .append(" read; every value is under the primary key");
    if (empty() > 0) {
      sb.append("; ")
          .append(rows(empty()))
          .append(empty() == 1 ? " holds" : " hold")
          .append(" no value (NULL or empty)");
    }
    if (dryRun) {
      sb.append("; dry run: nothing needed writing");
    }
    // What a clean report cannot vouch for is said in the verdict itself, not only in the docs.
    return sb.append("; ").append(NOT_COVERED).toString();
  }

  static String rows(long n) {
    return n + (n == 1 ? " row" : " rows");
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
        && notes.equals(r.notes)
        && primaryChangedTo.equals(r.primaryChangedTo)
        && primaryUncheckedAt.equals(r.primaryUncheckedAt);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        primaryKeyId, dryRun, stopped, targets, notes, primaryChangedTo, primaryUncheckedAt);
  }

  /**
   * Returns a short table for operators: one line per target, totals, the first failed rows of each
   * target, aborts, notes and a one-line verdict. The {@code encrypted} column appears when the run
   * encrypted plaintext rows.
   */
  @Override
  public String toString() {
    return ReportTable.render(this);
  }
}
