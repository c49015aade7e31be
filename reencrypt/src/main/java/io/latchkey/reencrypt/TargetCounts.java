package io.latchkey.reencrypt;

import io.latchkey.reencrypt.ReencryptionReport.Failure;
import io.latchkey.reencrypt.ReencryptionReport.TargetResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What a {@link ReencryptionJob} counts for one target while it runs. */
final class TargetCounts {
  private static final Logger LOG = LoggerFactory.getLogger(ReencryptionJob.class);

  long scanned;
  long rotated;
  long encrypted;
  long alreadyCurrent;
  long skippedChanged;
  long empty;
  long failed;
  OptionalLong countedAtStart = OptionalLong.empty();
  OptionalLong countedAtEnd = OptionalLong.empty();
  final List<Failure> failures = new ArrayList<>();

  void written(boolean plaintext) {
    if (plaintext) {
      encrypted++;
    } else {
      rotated++;
    }
  }

  void fail(String target, Object key, String reason) {
    failed++;
    if (failures.size() < ReencryptionReport.MAX_FAILURES_LISTED) {
      failures.add(new Failure(String.valueOf(key), reason));
      LOG.warn(
          "{}: key {} cannot be re-encrypted and is left as it is: {}",
          target,
          KeyText.of(key),
          reason);
    } else if (failures.size() == ReencryptionReport.MAX_FAILURES_LISTED
        && failed == ReencryptionReport.MAX_FAILURES_LISTED + 1) {
      LOG.warn("{}: more rows cannot be re-encrypted; only their count is kept", target);
    }
  }

  <K> TargetResult result(
      String name, boolean completed, Optional<String> abortReason, Optional<K> lastKey) {
    return new TargetResult(
        name,
        scanned,
        rotated,
        encrypted,
        alreadyCurrent,
        skippedChanged,
        empty,
        failed,
        failures,
        completed,
        abortReason,
        lastKey.map(String::valueOf),
        countedAtStart,
        countedAtEnd);
  }
}
