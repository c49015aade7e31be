package io.latchkey.reencrypt;

import static io.latchkey.reencrypt.CredentialsTable.CANARY;
import static io.latchkey.reencrypt.CredentialsTable.plaintext;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.crypto.FernetKey;
import io.latchkey.crypto.FernetKeyRing;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills the job's process (SIGKILL) in the middle of a large run and shows that a rerun completes
 * with every row readable under the new key alone and none lost.
 */
final class CrashRecoveryTest {
  private static final int ROWS = 50_000;
  private static final String CHILD_APPLICATION = "latchkey-crash-child";

  private static EmbeddedPostgres postgres;
  private static String url;

  @BeforeAll
  static void startPostgres() throws Exception {
    postgres = EmbeddedPostgres.builder().start();
    url = postgres.getJdbcUrl("postgres", "postgres");
  }

  @AfterAll
  static void stopPostgres() throws Exception {
    if (postgres != null) {
      postgres.close();
    }
  }

  @Test
  void rerun_afterTheJobsProcessWasKilledMidRun_completesWithEveryRowUnderTheNewKey(
      @TempDir Path dir) throws Exception {
    FernetKey oldKey = FernetKey.generate();
    FernetKey newKey = FernetKey.generate();
    FernetKeyRing newOnly = FernetKeyRing.of(newKey);
    CredentialsTable table =
        new CredentialsTable(
                new UrlDataSource(
                    PostgresAdmin.withApplicationName(url, "test-admin")
                        + "&reWriteBatchedInserts=true",
                    "postgres",
                    ""))
            .recreate();
    table.insertEncrypted(1, ROWS, FernetKeyRing.of(oldKey));
    PostgresAdmin admin = new PostgresAdmin(table.dataSource());

    // The child JVM runs the job with the keys in its environment, never on its command line.
    String newKeyText = newKey.encoded().reveal();
    String oldKeyText = oldKey.encoded().reveal();
    ProcessBuilder pb =
        new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp",
            System.getProperty("java.class.path"),
            CrashChild.class.getName(),
            PostgresAdmin.withApplicationName(url, CHILD_APPLICATION));
    pb.environment().put(CrashChild.KEY_VARIABLE, newKeyText);
    pb.environment().put(CrashChild.KEY_VARIABLE + "_PREVIOUS", oldKeyText);
    Path childLog = dir.resolve("child-stderr.log");
    pb.redirectError(childLog.toFile());
    assertThat(String.join(" ", pb.command()))
        .doesNotContain(newKeyText)
        .doesNotContain(oldKeyText);

    Process child = pb.start();
    List<String> lines = new ArrayList<>();
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(child.getInputStream(), UTF_8))) {
      String line;
      while (lines.size() < 5 && (line = out.readLine()) != null) {
        lines.add(line);
      }
      child.destroyForcibly();
      child.waitFor();
    }
    String childStderr = Files.readString(childLog, UTF_8);
    assertThat(lines)
        .as("progress before the kill; child stderr:%n%s", childStderr)
        .hasSize(5)
        .allMatch(l -> l.startsWith("batch "));
    assertThat(child.exitValue()).as("killed, not finished").isNotZero();
    assertThat(childStderr)
        .doesNotContain(CANARY)
        .doesNotContain("gAAAAA")
        .doesNotContain(newKeyText)
        .doesNotContain(oldKeyText);

    // PostgreSQL ends the session that held the dead process's advisory lock, which releases
    // the lock; the session of the batch it had in flight (if any) is ended too, which rolls the
    // batch back, before the rows are counted.
    admin.awaitAdvisoryLockReleased(AdvisoryLock.key("credentials", "secret"));
    admin.terminateAndAwait(admin.backends(CHILD_APPLICATION));
    assertThat(admin.advisoryLockHolders()).isEmpty();
    Map<Long, String> mid = table.secrets();
    long rotatedBeforeKill = mid.values().stream().filter(newOnly::isPrimary).count();
    assertThat(rotatedBeforeKill)
        .as("the child was killed mid-run")
        .isBetween(5L * CrashChild.BATCH_SIZE, ROWS - 1L);
    assertThat(rotatedBeforeKill % CrashChild.BATCH_SIZE).as("whole batches only").isZero();
    System.out.printf(
        "child killed after %d batches reported; %d of %d rows were rotated%n",
        lines.size(), rotatedBeforeKill, ROWS);

    ReencryptionReport rerun =
        ReencryptionJob.builder(FernetKeyRing.of(newKey, oldKey))
            .target(table.store().build())
            .batchSize(1_000)
            .build()
            .run();

    assertThat(rerun.isClean()).isTrue();
    assertThat(rerun.alreadyCurrent()).isEqualTo(rotatedBeforeKill);
    assertThat(rerun.rotated()).isEqualTo(ROWS - rotatedBeforeKill);
    assertThat(table.count()).isEqualTo(ROWS);
    Map<Long, String> after = table.secrets();
    assertThat(after).hasSize(ROWS);
    for (long id = 1; id <= ROWS; id++) {
      assertThat(newOnly.decrypt(after.get(id))).asString(UTF_8).isEqualTo(plaintext(id));
    }
  }
}
