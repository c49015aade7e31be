package io.latchkey.reencrypt;

import static java.util.Objects.requireNonNull;

import java.util.OptionalLong;

/**
 * Hears about a {@link ReencryptionJob}'s progress once per batch, on the job's thread.
 *
 * <p>A listener should return quickly; an exception it throws is logged (by class, not message) and
 * otherwise ignored. To stop the job from a listener, call {@link ReencryptionJob#stop()}.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface ProgressListener {

  /** A listener that ignores every event. */
  ProgressListener NONE = p -> {};

  /**
   * Called after each batch has been read and, unless this is a dry run, written.
   *
   * @param progress the counts for the current target so far
   */
  void onBatch(Progress progress);

  /**
   * Counts for one target, so far.
   *
   * @param target the target's {@linkplain CiphertextStore#name() name}
   * @param scanned rows read so far
   * @param total the target's row count when the store knows it cheaply
   * @param rotated rows re-encrypted so far (in a dry run: rows that would be)
   * @param failed rows that no key of the ring could read
   */
  record Progress(String target, long scanned, OptionalLong total, long rotated, long failed) {

    /**
     * Validates the components.
     *
     * @param target the target's name
     * @param scanned rows read so far
     * @param total the row count if known
     * @param rotated rows re-encrypted so far
     * @param failed rows that could not be read
     */
    public Progress {
      requireNonNull(target, "target");
      requireNonNull(total, "total");
    }
  }
}
