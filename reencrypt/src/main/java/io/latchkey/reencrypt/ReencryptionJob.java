package io.latchkey.reencrypt;

import static java.util.Objects.requireNonNull;

import io.latchkey.KeyRing;
import io.latchkey.LatchkeyException;
import io.latchkey.SwappableKeyRing;
import io.latchkey.crypto.aead.AeadKeyRing;
import io.latchkey.crypto.aead.AssociatedData;
import io.latchkey.crypto.aead.SwappableAeadKeyRing;
import io.latchkey.crypto.aead.TokenFormat;
import io.latchkey.reencrypt.ReencryptionReport.TargetResult;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-encrypts every stored ciphertext of one or more targets under the key ring's primary key: the
 * step of a key rotation after the new key has become primary and before the old key is retired.
 * With a {@link io.latchkey.crypto.aead.MigrationKeyRing} it moves a column from Fernet to AES-GCM
 * or back; with {@link Builder#encryptPlaintext(boolean)} it encrypts, in place, values stored
 * before the column was encrypted (see docs/encryption.md).
 *
 * <pre>{@code
 * ReencryptionReport report =
 *     ReencryptionJob.builder(ring)
 *         .target(credentials)   // a CiphertextStore, such as a JdbcCiphertextStore
 *         .target(webhooks)
 *         .batchSize(500)
 *         .progress(p -> log.info("{}: {} rows", p.target(), p.scanned()))
 *         .build()
 *         .run();
 * }</pre>
 *
 * <p>For each row of each target, in key order and one batch at a time:
 *
 * <ul>
 *   <li>a {@code NULL} or empty ciphertext is counted as {@linkplain
 *       ReencryptionReport.TargetResult#empty() empty} and left alone;
 *   <li>a token already under the primary key is decrypted (and the plaintext wiped) to verify it,
 *       counted as {@linkplain ReencryptionReport.TargetResult#alreadyCurrent() already current}
 *       and left alone;
 *   <li>any other token is {@linkplain KeyRing#rotate(String) rotated} (same plaintext, primary
 *       key, and the token's timestamp where the ring writes one) and written back with a
 *       {@linkplain CiphertextStore#compareAndSet(List) compare-and-set}: if the application
 *       changed the row after it was read, the application's value is kept and the row is counted
 *       as {@linkplain ReencryptionReport.TargetResult#skippedChanged() skipped};
 *   <li>a token no key of the ring can read is counted as {@linkplain
 *       ReencryptionReport.TargetResult#failed() failed}, listed with its row key in the report,
 *       and never overwritten;
 *   <li>in a run that {@linkplain Builder#encryptPlaintext(boolean) encrypts plaintext}, a value
 *       that is not framed as a token is encrypted under the primary key and written back by
 *       compare-and-set, counted as {@linkplain ReencryptionReport.TargetResult#encrypted()
 *       encrypted}.
 * </ul>
 *
 * <p><b>Bound to rows.</b> A target added with {@link Builder#target(CiphertextStore, Function)}
 * reads and writes each token with associated data made from its row's key, so that an AES-GCM
 * token copied from another row fails instead of being rotated into place. The ring must then be an
 * {@link AeadKeyRing}. <b>A Fernet token is the exception</b>: the format carries no associated
 * data, so a Fernet token copied from another row reads like any other. When a {@link
 * io.latchkey.crypto.aead.MigrationKeyRing} moves a column from Fernet to AES-GCM, such a copy is
 * converted and bound to the row it is in now, and counted as rotated; when the ring writes Fernet,
 * it is rotated or left as it is, unbound. Only once a column holds AES-GCM tokens alone does the
 * binding catch every copy.
 *
 * <p><b>Counted.</b> Each target's {@linkplain CiphertextStore#count() rows are counted} before its
 * first read and after its last; the report is {@linkplain ReencryptionReport#isClean() clean} only
 * if both counts equal the rows read, so rows a store's pages missed are reported, and so are rows
 * inserted or deleted during the run whenever they change the count. They do not always: if the
 * application inserts a row behind the job's position and also deletes a row during the run, the
 * counts agree with the rows read and the report is clean, although the inserted row was not read
 * ({@link ReencryptionReport#isClean()} says what a clean report vouches for).
 *
 * <p><b>One key ring per run.</b> A {@link io.latchkey.SwappableKeyRing} or {@link
 * io.latchkey.crypto.aead.SwappableAeadKeyRing} is read once, at the start of the run: every row of
 * every target is verified and rotated with the ring that was current then, whose primary key the
 * report names, even if the application swaps the ring meanwhile. If the ring's primary key is
 * another one at the end of a target, the report is not clean and says that the primary key changed
 * during the run: run the job again, with the new ring.
 *
 * <p><b>Verifies with a primary key alone.</b> With a ring that has no previous key, nothing can be
 * rotated, and the run is the check an operator makes before retiring an old key: every row is
 * read, and each one the primary key cannot read is reported as failed, by its row key.
 *
 * <p><b>Resumable.</b> Because rows already under the primary key are skipped, a run that crashed,
 * was killed or was {@linkplain #stop() stopped} is finished by simply running the job again. Each
 * batch is written in one call to the store ({@link JdbcCiphertextStore} writes it in one
 * transaction), so a crash loses at most the batch in flight, and no row is ever half written.
 * There is no checkpoint: every run starts from the first row, so a clean report always covers
 * every row of the target, including those an earlier run rotated.
 *
 * <p><b>Exclusive.</b> The job takes each target's {@linkplain CiphertextStore#lock() lock} before
 * reading anything and fails at once if another job holds one. {@link JdbcCiphertextStore} checks
 * its table and columns when it takes the lock, so a misnamed target fails the run before any
 * target is touched.
 *
 * <p><b>Errors.</b> {@link #run()} throws only for problems found before anything is written (a
 * lock held elsewhere, a missing table, a key column that may be {@code NULL}, is not unique or is
 * binary, a fixed-width ciphertext column). A target that fails during the run (its database goes
 * away for longer than the store retries, or {@link JdbcCiphertextStore} finds that a written row
 * does not read back as the token written, and rolls that batch back) is recorded as aborted in the
 * report, and the job goes on with the next target. A store whose row keys are arrays, which equal
 * only themselves, is aborted at its first page, before anything is written.
 *
 * <p>A job may be run more than once, but not by two threads at once.
 *
 * <h2>Security</h2>
 *
 * <p>Plaintexts exist only inside the ring's calls and the encryption of a plaintext row, and are
 * wiped there. Reports, progress events and log lines (SLF4J, logger {@code
 * io.latchkey.reencrypt.ReencryptionJob}) carry target names, row keys, key identifiers and counts,
 * never a ciphertext or a plaintext.
 *
 * @since 0.1
 */
public final class ReencryptionJob {
  private static final Logger LOG = LoggerFactory.getLogger(ReencryptionJob.class);

  /** The batch size used unless {@link Builder#batchSize(int)} sets another. */
  public static final int DEFAULT_BATCH_SIZE = 500;

  /** The largest batch size {@link Builder#batchSize(int)} accepts. */
  public static final int MAX_BATCH_SIZE = 10_000;

  static final String SINGLE_KEY_NOTE =
      "the key ring has only its primary key: nothing can be re-encrypted; every row is read to"
          + " verify that the primary key reads it";

  static final String SINGLE_KEY_PLAINTEXT_NOTE =
      "the key ring has only its primary key: no token can be re-encrypted; plaintext rows are"
          + " encrypted, and every other row is read to verify that the primary key reads it";

  private final KeyRing ring;
  private final List<Target<?>> targets;
  private final int batchSize;
  private final boolean dryRun;
  private final boolean encryptPlaintext;
  private final ProgressListener progress;
  private final AtomicBoolean stopRequested = new AtomicBoolean();
  private final AtomicBoolean running = new AtomicBoolean();

  private ReencryptionJob(Builder b) {
    this.ring = b.ring;
    this.targets = List.copyOf(b.targets);
    this.batchSize = b.batchSize;
    this.dryRun = b.dryRun;
    this.encryptPlaintext = b.encryptPlaintext;
    this.progress = b.progress;
  }

  /** A store, and how to bind its rows' tokens to associated data (null: unbound). */
  private record Target<K>(CiphertextStore<K> store, Function<? super K, AssociatedData> binding) {
    AssociatedData associatedData(K key) {
      return binding == null
          ? null
          : requireNonNull(binding.apply(key), "the binding returned no associated data");
    }
  }

  /**
   * Returns a builder for a job that rotates to the given ring's primary key.
   *
   * @param ring the key ring: the new key as primary, the old keys as previous
   * @return a new builder
   */
  public static Builder builder(KeyRing ring) {
    return new Builder(requireNonNull(ring, "ring"));
  }

  /** Builds a {@link ReencryptionJob}. */
  public static final class Builder {
    private final KeyRing ring;
    private final List<Target<?>> targets = new ArrayList<>();
    private int batchSize = DEFAULT_BATCH_SIZE;
    private boolean dryRun;
    private boolean encryptPlaintext;
    private ProgressListener progress = ProgressListener.NONE;

    private Builder(KeyRing ring) {
      this.ring = ring;
    }

    /**
     * Adds a target; targets are processed in the order they are added.
     *
     * @param store the store to re-encrypt
     * @return this builder
     */
    public Builder target(CiphertextStore<?> store) {
      targets.add(new Target<>(requireNonNull(store, "store"), null));
      return this;
    }

    /**
     * Adds a target whose tokens are bound to associated data taken from each row's key, such as
     * {@code id -> AssociatedData.forRow("credentials", "secret", id)}: each token is read, and
     * written again, with its row's associated data, so an AES-GCM token that was copied from
     * another row fails. A Fernet token has no associated data: one copied from another row is read
     * like any other, and a ring that writes AES-GCM converts it and binds it to the row it is in
     * now (see the class description). The ring must be an {@link AeadKeyRing}.
     *
     * @param <K> the type of the store's row keys
     * @param store the store to re-encrypt
     * @param associatedData the associated data of the row with a given key
     * @return this builder
     */
    public <K> Builder target(
        CiphertextStore<K> store, Function<? super K, AssociatedData> associatedData) {
      targets.add(
          new Target<>(
              requireNonNull(store, "store"), requireNonNull(associatedData, "associatedData")));
      return this;
    }

    /**
     * Sets how many rows are read, and written back, at a time ({@value
     * ReencryptionJob#DEFAULT_BATCH_SIZE} by default).
     *
     * @param batchSize from 1 to {@value ReencryptionJob#MAX_BATCH_SIZE}
     * @return this builder
     * @throws IllegalArgumentException if {@code batchSize} is out of range
     */
    public Builder batchSize(int batchSize) {
      if (batchSize < 1 || batchSize > MAX_BATCH_SIZE) {
        throw new IllegalArgumentException(
            "batch size must be from 1 to " + MAX_BATCH_SIZE + ", was " + batchSize);
      }
      this.batchSize = batchSize;
      return this;
    }

    /**
     * Makes the job count what it would do without writing anything ({@code false} by default).
     *
     * @param dryRun {@code true} for a dry run
     * @return this builder
     */
    public Builder dryRun(boolean dryRun) {
      this.dryRun = dryRun;
      return this;
    }

    /**
     * Makes the job encrypt, in place, the rows that hold a plaintext rather than a token: values
     * stored before the application encrypted the column ({@code false} by default, when such a row
     * fails as a malformed token).
     *
     * <p>A value framed as a token of either format ({@link TokenFormat#detect(String)}) is always
     * treated as a token: rotated, or reported as failed if no key reads it, never encrypted a
     * second time. A value that looks like a damaged token (one with whitespace, invisible
     * characters included, in or around it, or cut short) is reported as failed and left as it is,
     * and so is a value that is not well-formed text (an unpaired surrogate, which UTF-8 cannot
     * encode). Any other value is encrypted under the primary key (its UTF-8 bytes, with the row's
     * associated data if the target has a binding and the ring writes AES-GCM) and written by
     * compare-and-set, like a rotation. The report counts these rows as {@linkplain
     * ReencryptionReport.TargetResult#encrypted() encrypted}.
     *
     * @param encryptPlaintext {@code true} to encrypt plaintext rows
     * @return this builder
     */
    public Builder encryptPlaintext(boolean encryptPlaintext) {
      this.encryptPlaintext = encryptPlaintext;
      return this;
    }

    /**
     * Sets a listener called after each batch.
     *
     * @param listener the listener
     * @return this builder
     */
    public Builder progress(ProgressListener listener) {
      this.progress = requireNonNull(listener, "listener");
      return this;
    }

    /**
     * Builds the job.
     *
     * @return the job
     * @throws IllegalStateException if no target was added, two targets have the same name, or a
     *     target binds associated data and the ring is not an {@link AeadKeyRing}
     */
    public ReencryptionJob build() {
      if (targets.isEmpty()) {
        throw new IllegalStateException("a re-encryption job needs at least one target");
      }
      Set<String> names = new HashSet<>();
      for (Target<?> target : targets) {
        CiphertextStore<?> t = target.store();
        String name = requireNonNull(t.name(), "name");
        if (target.binding() != null && !(ring instanceof AeadKeyRing)) {
          throw new IllegalStateException(
              "target "
                  + name
                  + " binds associated data, which needs an AeadKeyRing (AesGcmKeyRing or"
                  + " MigrationKeyRing)");
        }
        if (name.isBlank()) {
          throw new IllegalStateException("a target has a blank name");
        }
        if (!names.add(name)) {
          throw new IllegalStateException("target " + name + " is added twice");
        }
      }
      return new ReencryptionJob(this);
    }
  }

  /**
   * Re-encrypts every target, one after the other, and reports what was done.
   *
   * <p>When the ring has no previous key, no stored token can be rotated: the job reads every row,
   * writes nothing, reports each row the primary key cannot read as failed, and adds a note that
   * says so. A swappable ring is read once, at the start (see the class description).
   *
   * @return the report
   * @throws LatchkeyException if a target's lock is held by another job, or a target cannot be used
   *     at all (for {@link JdbcCiphertextStore}: a {@link io.latchkey.ConfigException} naming a
   *     missing table or column, or a column the store cannot work with); nothing has been written
   *     then
   * @throws IllegalStateException if the job is already running
   */
  public ReencryptionReport run() {
    if (!running.compareAndSet(false, true)) {
      throw new IllegalStateException("this re-encryption job is already running");
    }
    try {
      return runOnce();
    } finally {
      stopRequested.set(false);
      running.set(false);
    }
  }

  /**
   * Asks a running job to stop: it finishes the batch in progress and returns a report marked
   * {@linkplain ReencryptionReport#isStopped() stopped}. Interrupting the thread that runs the job
   * does the same. Called before {@link #run()}, it makes that run stop before its first batch.
   */
  public void stop() {
    stopRequested.set(true);
  }

  private ReencryptionReport runOnce() {
    KeyRing keys = snapshot(ring);
    RowRewriter rewriter = new RowRewriter(keys, encryptPlaintext);
    String primary = keys.primaryKeyId();
    List<String> notes = new ArrayList<>();
    if (keys.keyIds().size() == 1) {
      String note = encryptPlaintext ? SINGLE_KEY_PLAINTEXT_NOTE : SINGLE_KEY_NOTE;
      LOG.info("{}; primary key {}, targets {}", note, primary, names(targets));
      notes.add(note);
    }
    Deque<CiphertextStore.Lock> locks = new ArrayDeque<>();
    try {
      for (Target<?> target : targets) {
        locks.push(Objects.requireNonNull(target.store().lock(), "lock"));
      }
      List<TargetResult> results = new ArrayList<>();
      Optional<String> primaryChangedTo = Optional.empty();
      List<String> primaryUncheckedAt = new ArrayList<>();
      boolean stopped = false;
      for (int i = 0; i < targets.size(); i++) {
        Target<?> target = targets.get(i);
        if (stopRequested()) {
          stopped = true;
          notes.add("stopped before " + names(targets.subList(i, targets.size())));
          break;
        }
        TargetResult result = runTarget(target, primary, rewriter);
        results.add(result);
        if (primaryChangedTo.isEmpty()) {
          primaryChangedTo = primaryChange(target, primary, primaryUncheckedAt);
        }
        if (!result.completed() && result.abortReason().isEmpty()) {
          stopped = true;
          if (i + 1 < targets.size()) {
            notes.add("stopped before " + names(targets.subList(i + 1, targets.size())));
          }
          break;
        }
      }
      ReencryptionReport report =
          new ReencryptionReport(
              primary, dryRun, stopped, results, notes, primaryChangedTo, primaryUncheckedAt);
      LOG.info(
          "re-encryption to key {} {}: {} scanned, {} {}, {} {}, {} already current, {} changed"
              + " concurrently, {} empty, {} failed",
          primary,
          stopped ? "stopped" : "finished",
          report.scanned(),
          report.rotated(),
          dryRun ? "to rotate (dry run)" : "rotated",
          report.encrypted(),
          dryRun ? "plaintexts to encrypt" : "plaintexts encrypted",
          report.alreadyCurrent(),
          report.skippedChanged(),
          report.empty(),
          report.failed());
      LOG.info("re-encryption to key {}: result: {}", primary, report.verdict());
      return report;
    } finally {
      while (!locks.isEmpty()) {
        try {
          locks.pop().close();
        } catch (RuntimeException e) {
          LOG.warn("releasing a re-encryption lock failed: {}", describe(e));
        }
      }
    }
  }

  /**
   * The ring a run uses throughout: a swappable ring's current ring, taken once, so that a swap
   * during the run cannot put some rows under a key other than the one the report names. A
   * SwappableKeyRing may hold a SwappableAeadKeyRing, hence the loop.
   */
  private static KeyRing snapshot(KeyRing ring) {
    KeyRing r = ring;
    while (true) {
      if (r instanceof SwappableKeyRing s) {
        r = s.current();
      } else if (r instanceof SwappableAeadKeyRing s) {
        r = s.current();
      } else {
        return r;
      }
    }
  }

  /** The live ring's primary key id if it is no longer the one the run uses. */
  private Optional<String> primaryChange(
      Target<?> target, String primary, List<String> uncheckedAt) {
    String live;
    try {
      live = requireNonNull(ring.primaryKeyId(), "primaryKeyId");
    } catch (RuntimeException e) {
      LOG.warn(
          "{}: reading the key ring's primary key at the end of the target failed: {}",
          target.store().name(),
          describe(e));
      // Not a change, but not a check either: the report cannot be clean on it.
      uncheckedAt.add(target.store().name());
      return Optional.empty();
    }
    if (live.equals(primary)) {
      return Optional.empty();
    }
    LOG.warn(
        "{}: the key ring's primary key changed during the run, from {} to {}; the run went on"
            + " with {}: run it again",
        target.store().name(),
        primary,
        live,
        primary);
    return Optional.of(live);
  }

  private static String names(List<Target<?>> targets) {
    return String.join(", ", targets.stream().map(t -> t.store().name()).toList());
  }

  private boolean stopRequested() {
    return stopRequested.get() || Thread.currentThread().isInterrupted();
  }

  private <K> TargetResult runTarget(Target<K> target, String primary, RowRewriter rewriter) {
    CiphertextStore<K> store = target.store();
    String name = store.name();
    TargetCounts c = new TargetCounts();
    OptionalLong total = count(store, "at the start");
    c.countedAtStart = total;
    LOG.info(
        "{}: re-encrypting{} to key {}{}",
        name,
        total.isPresent() ? " " + total.getAsLong() + " rows" : "",
        primary,
        dryRun ? " (dry run: nothing will be written)" : "");
    Optional<K> after = Optional.empty();
    try {
      while (true) {
        if (stopRequested()) {
          LOG.info(
              "{}: stopped after {} rows{}",
              name,
              c.scanned,
              after.map(k -> ", last key " + KeyText.of(k)).orElse(""));
          return c.result(name, false, Optional.empty(), after);
        }
        List<StoredCiphertext<K>> page = requireNonNull(store.page(after, batchSize), "page");
        if (page.isEmpty()) {
          break;
        }
        if (page.size() > batchSize) {
          throw new LatchkeyException(name + ": the store returned more rows than asked for");
        }
        List<CiphertextUpdate<K>> updates = new ArrayList<>(page.size());
        List<Boolean> plaintexts = new ArrayList<>(page.size());
        for (StoredCiphertext<K> row : page) {
          if (row.key().getClass().isArray()) {
            // An array equals only itself: no compare-and-set could match the row again.
            throw new LatchkeyException(
                name
                    + ": the store's row keys are arrays ("
                    + row.key().getClass().getSimpleName()
                    + "), which equal only themselves; use keys of a value type");
          }
          c.scanned++;
          RowRewriter.Plan plan;
          try {
            plan = rewriter.plan(row.ciphertext(), target.associatedData(row.key()));
          } catch (RuntimeException e) {
            plan = RowRewriter.Plan.fail("associated data failed: " + e.getClass().getSimpleName());
          }
          switch (plan.kind()) {
            case EMPTY -> c.empty++;
            case CURRENT -> c.alreadyCurrent++;
            case FAIL -> c.fail(name, row.key(), plan.failure());
            case ROTATE, ENCRYPT -> {
              updates.add(new CiphertextUpdate<>(row.key(), row.ciphertext(), plan.replacement()));
              plaintexts.add(plan.kind() == RowRewriter.Kind.ENCRYPT);
            }
          }
        }
        write(store, updates, plaintexts, c);
        K last = page.get(page.size() - 1).key();
        if (after.isPresent() && Objects.equals(after.get(), last)) {
          throw new LatchkeyException(
              name + ": the store returned a page that does not move past the previous one");
        }
        after = Optional.of(last);
        LOG.debug(
            "{}: {} rows scanned, {} rotated, {} failed, last key {}",
            name,
            c.scanned,
            c.rotated,
            c.failed,
            KeyText.of(last));
        notify(
            new ProgressListener.Progress(
                name, c.scanned, total, c.rotated + c.encrypted, c.failed));
      }
    } catch (RuntimeException e) {
      String reason = describe(e);
      LOG.error(
          "{}: aborted after {} rows{}: {}",
          name,
          c.scanned,
          after.map(k -> ", last key " + KeyText.of(k)).orElse(""),
          reason);
      return c.result(name, false, Optional.of(reason), after);
    }
    c.countedAtEnd = count(store, "at the end");
    LOG.info(
        "{}: done: {} scanned, {} {}, {} {}, {} already current, {} changed concurrently,"
            + " {} empty, {} failed",
        name,
        c.scanned,
        c.rotated,
        dryRun ? "to rotate" : "rotated",
        c.encrypted,
        dryRun ? "plaintexts to encrypt" : "plaintexts encrypted",
        c.alreadyCurrent,
        c.skippedChanged,
        c.empty,
        c.failed);
    return c.result(name, true, Optional.empty(), after);
  }

  /**
   * Writes a batch's replacements by compare-and-set (counts them only, in a dry run); {@code
   * plaintexts} says which of them encrypt a plaintext rather than rotate a token.
   */
  private <K> void write(
      CiphertextStore<K> store,
      List<CiphertextUpdate<K>> updates,
      List<Boolean> plaintexts,
      TargetCounts c) {
    String name = store.name();
    if (dryRun || updates.isEmpty()) {
      for (boolean plaintext : plaintexts) {
        c.written(plaintext);
      }
      return;
    }
    List<Boolean> written = requireNonNull(store.compareAndSet(updates), "compareAndSet");
    if (written.size() != updates.size()) {
      throw new LatchkeyException(
          name
              + ": the store answered "
              + written.size()
              + " results for "
              + updates.size()
              + " updates");
    }
    for (int i = 0; i < updates.size(); i++) {
      if (Boolean.TRUE.equals(written.get(i))) {
        c.written(plaintexts.get(i));
      } else {
        c.skippedChanged++;
        LOG.info(
            "{}: key {} changed during the run; the application's value is kept",
            name,
            KeyText.of(updates.get(i).key()));
      }
    }
  }

  /** Counts a store's rows; a store that cannot count, or fails to, leaves the report unclean. */
  private static OptionalLong count(CiphertextStore<?> store, String when) {
    try {
      OptionalLong n = requireNonNull(store.count(), "count");
      if (n.isEmpty() && when.equals("at the start")) {
        LOG.warn("{}: the store does not count its rows; the report cannot be clean", store.name());
      }
      return n;
    } catch (RuntimeException e) {
      LOG.warn(
          "{}: counting rows {} failed; the report cannot be clean: {}",
          store.name(),
          when,
          describe(e));
      return OptionalLong.empty();
    }
  }

  private void notify(ProgressListener.Progress p) {
    try {
      progress.onBatch(p);
    } catch (RuntimeException e) {
      LOG.warn("{}: the progress listener threw {}", p.target(), e.getClass().getName());
    }
  }

  /**
   * Describes an exception without risking a value: a Latchkey exception's message is value-free by
   * contract; any other exception is named by its class only.
   */
  static String describe(RuntimeException e) {
    if (e instanceof LatchkeyException) {
      return e.getMessage();
    }
    return "unexpected " + e.getClass().getName();
  }
}
