package io.latchkey.reencrypt;

import java.util.concurrent.atomic.AtomicReference;

/** Builds a job that stops itself once it has read a given number of rows, as an operator would. */
final class StoppingJob {
  private StoppingJob() {}

  static ReencryptionJob after(long rows, ReencryptionJob.Builder builder) {
    AtomicReference<ReencryptionJob> self = new AtomicReference<>();
    ReencryptionJob job =
        builder
            .progress(
                p -> {
                  if (p.scanned() == rows) {
                    self.get().stop();
                  }
                })
            .build();
    self.set(job);
    return job;
  }
}
