package io.latchkey.bench;

import io.latchkey.crypto.FernetKey;
import io.latchkey.crypto.FernetKeyRing;
import io.latchkey.reencrypt.JdbcCiphertextStore;
import io.latchkey.reencrypt.ReencryptionJob;
import io.latchkey.reencrypt.ReencryptionReport;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Re-encrypting stored credentials in a real PostgreSQL on loopback: {@link ReencryptionJob} with
 * batching, beside the row-at-a-time loop an application would write by hand.
 *
 * <p>Each iteration reloads {@code rows} rows of 200-byte credentials encrypted under the old key,
 * then times one full pass (single-shot): every row read, rotated to the new key and written back.
 * Throughput in rows/s is {@code rows} divided by the time. The fork runs with a 32 MiB heap, less
 * than the 100,000 rows' tokens alone take held at once (about 45 MiB as {@code String}s): a run
 * that completes shows that the job streams (keyset pages of {@code batchSize} rows) and its memory
 * stays flat.
 *
 * <pre>
 * java -jar bench/target/benchmarks.jar ReencryptBenchmark
 * </pre>
 *
 * <ul>
 *   <li>{@code reencrypt_batched}: the job, batches of 500 rows, each page one {@code SELECT} and
 *       each batch one JDBC batch of compare-and-set {@code UPDATE}s in one transaction.
 *   <li>{@code reencrypt_rowAtATime}: the baseline, on a tenth of the rows: read a row, rotate it,
 *       {@code UPDATE ... WHERE id = ? AND secret = ?} in auto-commit, next row.
 * </ul>
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = "-Xmx32m")
@Warmup(iterations = 1)
@Measurement(iterations = 3)
public class ReencryptBenchmark {

  /** Rows re-encrypted by the batched job; the row-at-a-time baseline does a tenth. */
  @Param({"100000"})
  public int rows;

  private EmbeddedPostgres postgres;
  private DataSource dataSource;
  private FernetKeyRing oldRing;
  private FernetKeyRing ring;
  private FernetKey newKey;

  @Setup(Level.Trial)
  public void startDatabase() throws IOException, SQLException {
    postgres = EmbeddedPostgres.builder().start();
    dataSource = postgres.getPostgresDatabase();
    FernetKey oldKey = FernetKey.generate();
    newKey = FernetKey.generate();
    oldRing = FernetKeyRing.of(oldKey);
    ring = FernetKeyRing.of(newKey, oldKey);
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE credentials (id BIGINT PRIMARY KEY, secret TEXT)");
      s.execute("CREATE TABLE credentials_baseline (id BIGINT PRIMARY KEY, secret TEXT)");
    }
  }

  @Setup(Level.Iteration)
  public void loadRows() throws SQLException {
    load("credentials", rows);
    load("credentials_baseline", rows / 10);
  }

  private void load(String table, int count) throws SQLException {
    byte[] credential = new byte[200];
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try (Statement s = c.createStatement()) {
        s.execute("TRUNCATE " + table);
      }
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table + " VALUES (?, ?)")) {
        for (int i = 1; i <= count; i++) {
          Arrays.fill(credential, (byte) ('a' + i % 26));
          ps.setLong(1, i);
          ps.setString(2, oldRing.encrypt(credential));
          ps.addBatch();
          if (i % 1000 == 0) {
            ps.executeBatch();
          }
        }
        ps.executeBatch();
      }
      c.commit();
      c.setAutoCommit(true);
      try (Statement s = c.createStatement()) {
        s.execute("VACUUM ANALYZE " + table);
      }
    }
  }

  @TearDown(Level.Iteration)
  public void checkEveryRowRotated() throws SQLException {
    check("credentials", rows);
    check("credentials_baseline", rows / 10);
  }

  private void check(String table, int count) throws SQLException {
    FernetKeyRing newOnly = FernetKeyRing.of(newKey);
    int current = 0;
    try (Connection c = dataSource.getConnection()) {
      // Read through a cursor, a page at a time: the whole table at once would not fit the heap
      // the fork is given to show that the job streams.
      c.setAutoCommit(false);
      try (Statement s = c.createStatement()) {
        s.setFetchSize(1000);
        try (ResultSet rs = s.executeQuery("SELECT secret FROM " + table)) {
          while (rs.next()) {
            if (newOnly.isPrimary(rs.getString(1))) {
              current++;
            }
          }
        }
      }
      c.commit();
    }
    // An iteration that did not run the benchmark (the other method) leaves its table as loaded.
    if (current != count && current != 0) {
      throw new IllegalStateException(table + ": " + current + " of " + count + " rotated");
    }
  }

  @TearDown(Level.Trial)
  public void stopDatabase() throws IOException {
    postgres.close();
  }

  @Benchmark
  public ReencryptionReport reencrypt_batched() {
    ReencryptionReport report =
        ReencryptionJob.builder(ring)
            .batchSize(500)
            .target(
                JdbcCiphertextStore.builder(dataSource, Long.class)
                    .table("credentials")
                    .keyColumn("id")
                    .ciphertextColumn("secret")
                    .build())
            .build()
            .run();
    if (report.rotated() != rows || !report.isClean()) {
      throw new IllegalStateException("incomplete run: " + report);
    }
    return report;
  }

  @Benchmark
  public int reencrypt_rowAtATime() throws SQLException {
    int done = 0;
    try (Connection read = dataSource.getConnection();
        Connection write = dataSource.getConnection();
        PreparedStatement update =
            write.prepareStatement(
                "UPDATE credentials_baseline SET secret = ? WHERE id = ? AND secret = ?")) {
      read.setAutoCommit(false); // a cursor streams only inside a transaction
      try (Statement s = read.createStatement()) {
        s.setFetchSize(500);
        try (ResultSet rs = s.executeQuery("SELECT id, secret FROM credentials_baseline")) {
          while (rs.next()) {
            String token = rs.getString(2);
            update.setString(1, ring.rotate(token));
            update.setLong(2, rs.getLong(1));
            update.setString(3, token);
            done += update.executeUpdate();
          }
        }
      }
      read.commit();
    }
    if (done != rows / 10) {
      throw new IllegalStateException("row-at-a-time rotated " + done);
    }
    return done;
  }
}
