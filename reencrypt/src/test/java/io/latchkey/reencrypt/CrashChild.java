package io.latchkey.reencrypt;

import io.latchkey.crypto.FernetKeyRing;

/**
 * The process {@link CrashRecoveryTest} kills: runs the re-encryption job against the database
 * named by its argument, with the key ring from {@code LATCHKEY_CRASH_KEY} and {@code
 * LATCHKEY_CRASH_KEY_PREVIOUS} (environment, never the command line), printing a line per batch.
 */
final class CrashChild {
  static final String KEY_VARIABLE = "LATCHKEY_CRASH_KEY";
  static final int BATCH_SIZE = 200;

  private CrashChild() {}

  public static void main(String[] args) {
    FernetKeyRing ring = FernetKeyRing.fromEnvironment(KEY_VARIABLE);
    JdbcCiphertextStore<Long> store =
        JdbcCiphertextStore.builder(new UrlDataSource(args[0], "postgres", ""), Long.class)
            .table("credentials")
            .keyColumn("id")
            .ciphertextColumn("secret")
            .build();
    ReencryptionReport report =
        ReencryptionJob.builder(ring)
            .target(store)
            .batchSize(BATCH_SIZE)
            .progress(
                p -> System.out.println("batch scanned=" + p.scanned() + " rotated=" + p.rotated()))
            .build()
            .run();
    System.out.println("DONE rotated=" + report.rotated());
  }
}
