package io.latchkey.reencrypt;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.latchkey.ConfigException;
import io.latchkey.LatchkeyException;
import io.latchkey.crypto.FernetKey;
import io.latchkey.crypto.FernetKeyRing;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLSyntaxErrorException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The JDBC store on its own, on H2, with faults injected around real connections. */
final class JdbcCiphertextStoreTest {
  private final FernetKeyRing ring = FernetKeyRing.of(FernetKey.generate());
  private final List<Duration> waits = new ArrayList<>();
  private FaultyDataSource dataSource;
  private CredentialsTable table;

  /** Opens real H2 connections, after failing as many times as asked to. */
  static final class FaultyDataSource extends UrlDataSource {
    final AtomicInteger connectFailures = new AtomicInteger();
    final AtomicInteger lostCommits = new AtomicInteger();
    volatile SQLException connectError =
        new SQLTransientConnectionException("simulated: connection refused", "08001");

    FaultyDataSource(String url) {
      super(url, "sa", "");
    }

    @Override
    public Connection getConnection() throws SQLException {
      if (connectFailures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        throw connectError;
      }
      Connection real = super.getConnection();
      // A connection whose commit reaches the database but whose acknowledgement is lost.
      return (Connection)
          Proxy.newProxyInstance(
              Connection.class.getClassLoader(),
              new Class<?>[] {Connection.class},
              (proxy, method, args) -> {
                try {
                  Object result = method.invoke(real, args);
                  if (method.getName().equals("commit")
                      && lostCommits.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                    real.close();
                    throw new SQLRecoverableException("simulated: connection reset", "08006");
                  }
                  return result;
                } catch (InvocationTargetException e) {
                  throw e.getCause();
                }
              });
    }
  }

  @BeforeEach
  void createTable() throws SQLException {
    dataSource =
        new FaultyDataSource("jdbc:h2:mem:store-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    table = new CredentialsTable(dataSource).recreate();
  }

  @AfterEach
  void dropDatabase() throws SQLException {
    dataSource.connectFailures.set(0);
    table.execute("SHUTDOWN");
  }

  private JdbcCiphertextStore.Builder<Long> store() {
    return table.store().waiter(waits::add);
  }

  @Test
  void builder_identifiersThatCouldInjectSql_areRejected() {
    JdbcCiphertextStore.Builder<Long> b = JdbcCiphertextStore.builder(dataSource, Long.class);
    for (String bad :
        List.of(
            "", "credentials; DROP TABLE credentials", "1abc", "a.b.c", "sec ret", "a\"b", "t--")) {
      assertThatThrownBy(() -> b.table(bad))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageNotContaining(bad.isEmpty() ? "\u0000" : bad);
    }
    for (String bad : List.of("", "app.secret", "secret)", "x OR 1=1")) {
      assertThatThrownBy(() -> b.ciphertextColumn(bad))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> b.keyColumn(bad)).isInstanceOf(IllegalArgumentException.class);
    }
    assertThat(b.table("app.credentials").keyColumn("_id").ciphertextColumn("Secret_2"))
        .isSameAs(b);
    assertThatThrownBy(() -> b.filter("  ")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void build_missingSettings_namesThem() {
    assertThatThrownBy(() -> JdbcCiphertextStore.builder(dataSource, Long.class).table("t").build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("a JDBC ciphertext store needs keyColumn, ciphertextColumn");
    assertThatThrownBy(() -> table.store().keyColumn("secret").build())
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void page_readsInKeyOrderAfterTheGivenKey_nullAsEmpty() throws SQLException {
    table.insert(1, 5, id -> id == 3 ? null : id == 4 ? "" : "token-" + id);
    JdbcCiphertextStore<Long> store = store().build();

    assertThat(store.page(Optional.empty(), 2))
        .containsExactly(
            new StoredCiphertext<>(1L, "token-1"), new StoredCiphertext<>(2L, "token-2"));
    assertThat(store.page(Optional.of(2L), 10))
        .containsExactly(
            new StoredCiphertext<>(3L, ""),
            new StoredCiphertext<>(4L, ""),
            new StoredCiphertext<>(5L, "token-5"));
    assertThat(store.page(Optional.of(5L), 10)).isEmpty();
    assertThat(store.count()).isEqualTo(OptionalLong.of(5));
    assertThat(store.name()).isEqualTo("credentials.secret");
    assertThat(store.toString()).isEqualTo("JdbcCiphertextStore[credentials.secret, key id]");
  }

  @Test
  void page_objectKeysOfAStringColumn_work() throws SQLException {
    table.execute("CREATE TABLE settings (name VARCHAR(50) PRIMARY KEY, val VARCHAR(500))");
    table.execute("INSERT INTO settings VALUES ('b', 'x'), ('a', 'y'), ('c', NULL)");
    JdbcCiphertextStore<Object> store =
        JdbcCiphertextStore.builder(dataSource, Object.class)
            .table("settings")
            .keyColumn("name")
            .ciphertextColumn("val")
            .build();

    assertThat(store.page(Optional.empty(), 2))
        .extracting(StoredCiphertext::key)
        .containsExactly("a", "b");
    assertThat(store.page(Optional.of("b"), 2)).containsExactly(new StoredCiphertext<>("c", ""));
    assertThat(store.compareAndSet(List.of(new CiphertextUpdate<>("c", "", "z"))))
        .containsExactly(true);
  }

  @Test
  void compareAndSet_writesOnlyRowsStillHoldingTheExpectedValue() throws SQLException {
    table.insert(1, 4, id -> id == 4 ? null : "old-" + id);
    JdbcCiphertextStore<Long> store = store().build();

    List<Boolean> written =
        store.compareAndSet(
            List.of(
                new CiphertextUpdate<>(1L, "old-1", "new-1"),
                new CiphertextUpdate<>(2L, "changed", "new-2"),
                new CiphertextUpdate<>(4L, "", "new-4"),
                new CiphertextUpdate<>(99L, "old-99", "new-99")));

    assertThat(written).containsExactly(true, false, true, false);
    assertThat(table.secrets())
        .containsExactly(
            Map.entry(1L, "new-1"),
            Map.entry(2L, "old-2"),
            Map.entry(3L, "old-3"),
            Map.entry(4L, "new-4"));
    assertThat(store.compareAndSet(List.of())).isEmpty();
  }

  @Test
  void page_connectionRefusedTwice_retriesWithBackoffAndSucceeds() throws SQLException {
    table.insert(1, 3, id -> "t" + id);
    JdbcCiphertextStore<Long> store = store().backoff(Duration.ofMillis(100)).build();
    store.page(Optional.empty(), 1); // checks the schema first
    dataSource.connectFailures.set(2);

    assertThat(store.page(Optional.empty(), 10)).hasSize(3);
    assertThat(waits).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200));
  }

  @Test
  void page_connectionKeepsFailing_givesUpAfterMaxAttemptsWithAClearError() throws SQLException {
    JdbcCiphertextStore<Long> store = store().maxAttempts(3).build();
    store.page(Optional.empty(), 1);
    dataSource.connectFailures.set(100);

    assertThatThrownBy(() -> store.page(Optional.empty(), 10))
        .isInstanceOf(LatchkeyException.class)
        .hasMessage(
            "credentials.secret: reading a page failed after 3 attempts: connection lost,"
                + " SQLState 08001, SQLTransientConnectionException");
    assertThat(waits).hasSize(2);
  }

  @Test
  void page_interruptedWhileWaitingToRetry_givesUpAndKeepsTheInterrupt() throws SQLException {
    JdbcCiphertextStore<Long> store =
        table
            .store()
            .waiter(
                wait -> {
                  waits.add(wait);
                  // What the default wait does when the thread is interrupted in its sleep.
                  Thread.currentThread().interrupt();
                })
            .build();
    store.page(Optional.empty(), 1);
    dataSource.connectFailures.set(100);

    try {
      assertThatThrownBy(() -> store.page(Optional.empty(), 10))
          .isInstanceOf(LatchkeyException.class)
          .hasMessage("credentials.secret: interrupted while waiting to retry reading a page");
    } finally {
      assertThat(Thread.interrupted()).as("the interrupt is left for the caller").isTrue();
    }
    assertThat(waits).hasSize(1);
    assertThat(dataSource.connectFailures).hasValue(99);
  }

  @Test
  void page_nonTransientError_isNotRetriedAndQuotesNoDriverMessage() throws SQLException {
    JdbcCiphertextStore<Long> store = store().build();
    store.page(Optional.empty(), 1);
    dataSource.connectError =
        new SQLSyntaxErrorException("CANARY-secret-in-driver-message", "42000");
    dataSource.connectFailures.set(1);

    assertThatThrownBy(() -> store.page(Optional.empty(), 10))
        .isInstanceOf(LatchkeyException.class)
        .hasMessage(
            "credentials.secret: reading a page failed: database error, SQLState 42000,"
                + " SQLSyntaxErrorException")
        .hasNoCause();
    assertThat(waits).isEmpty();
  }

  @Test
  void compareAndSet_commitLandedButItsAnswerWasLost_retryCountsRowsAsWritten()
      throws SQLException {
    FernetKeyRing old = FernetKeyRing.of(FernetKey.generate());
    table.insertEncrypted(1, 20, old);
    JdbcCiphertextStore<Long> store = store().build();
    FernetKeyRing both = FernetKeyRing.of(ring.primaryKey(), old.primaryKey());
    List<CiphertextUpdate<Long>> updates = new ArrayList<>();
    for (StoredCiphertext<Long> row : store.page(Optional.empty(), 100)) {
      updates.add(
          new CiphertextUpdate<>(row.key(), row.ciphertext(), both.rotate(row.ciphertext())));
    }
    dataSource.lostCommits.set(1);

    List<Boolean> written = store.compareAndSet(updates);

    assertThat(written).hasSize(20).containsOnly(true);
    assertThat(waits).hasSize(1);
    assertThat(table.secrets().values()).allSatisfy(t -> assertThat(ring.isPrimary(t)).isTrue());
    assertThat(ring.decrypt(table.secrets().get(7L)))
        .asString(UTF_8)
        .isEqualTo(CredentialsTable.plaintext(7));
  }

  @Test
  void compareAndSet_keyColumnNullableAndNotUnique_isRefusedBeforeAnyWrite() throws SQLException {
    table.execute("CREATE TABLE dup (k INT, ct VARCHAR(100))");
    table.execute("INSERT INTO dup VALUES (1, 'a'), (1, 'a'), (2, 'b'), (NULL, 'c')");
    JdbcCiphertextStore<Integer> store =
        JdbcCiphertextStore.builder(dataSource, Integer.class)
            .table("dup")
            .keyColumn("k")
            .ciphertextColumn("ct")
            .build();

    assertThatThrownBy(
            () ->
                store.compareAndSet(
                    List.of(
                        new CiphertextUpdate<>(2, "b", "B"), new CiphertextUpdate<>(1, "a", "A"))))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e ->
                assertThat(e.problems())
                    .extracting(ConfigException.Problem::reason)
                    .satisfiesExactly(
                        r -> assertThat(r).startsWith("key column k of table dup allows NULL"),
                        r ->
                            assertThat(r)
                                .startsWith("key column k of table dup is not unique on its own")
                                .endsWith(
                                    "; use a unique, NOT NULL column such as a primary key")));
    assertThatThrownBy(store::count).isInstanceOf(ConfigException.class);
  }

  @Test
  void count_countsEveryRowOfTheFilter_soThatRowsThePagesMissShowUp() throws SQLException {
    table.insert(1, 7, id -> "t" + id);
    assertThat(store().build().count()).hasValue(7);
    assertThat(store().filter("tenant_id = 1").build().count()).hasValue(3);
  }

  @Test
  void check_tableNameWithUnderscore_matchesOnlyThatTable() throws SQLException {
    // "_" is a wildcard in metadata searches: key_t must not be judged by keyXt's columns.
    table.execute("CREATE TABLE keyXt (k INT PRIMARY KEY, ct VARCHAR(100))");
    table.execute("CREATE TABLE key_t (k INT, ct VARCHAR(100))");
    JdbcCiphertextStore<Integer> store =
        JdbcCiphertextStore.builder(dataSource, Integer.class)
            .table("key_t")
            .keyColumn("k")
            .ciphertextColumn("ct")
            .build();

    assertThatThrownBy(() -> store.page(Optional.empty(), 10))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("key column k of table key_t allows NULL");
  }

  @Test
  void lock_sameTableAndColumn_isExclusiveWithinTheJvmUntilClosed() {
    JdbcCiphertextStore<Long> first = store().build();
    JdbcCiphertextStore<Long> second = store().filter("tenant_id = 1").build();
    // Unquoted identifiers name the same column whatever their case.
    JdbcCiphertextStore<Long> upperCase =
        store().table("CREDENTIALS").ciphertextColumn("SECRET").build();

    CiphertextStore.Lock lock = first.lock();
    assertThatThrownBy(second::lock)
        .isInstanceOf(LatchkeyException.class)
        .hasMessage("credentials.secret: another re-encryption job holds the lock");
    assertThatThrownBy(upperCase::lock).isInstanceOf(LatchkeyException.class);
    lock.close();
    lock.close();
    second.lock().close();
  }

  @Test
  void isTransient_classifiesLostConnectionsOnly() {
    assertThat(SqlErrors.isTransient(new SQLException("x", "08006"))).isTrue();
    assertThat(SqlErrors.isTransient(new SQLException("x", "57P01"))).isTrue();
    assertThat(SqlErrors.isTransient(new SQLRecoverableException("x"))).isTrue();
    assertThat(SqlErrors.isTransient(new SQLTransientConnectionException("x"))).isTrue();
    assertThat(SqlErrors.isTransient(new SQLException("x", "42P01"))).isFalse();
    assertThat(SqlErrors.isTransient(new SQLException("x"))).isFalse();
    SQLException chained = new SQLException("batch", "XX000");
    chained.setNextException(new SQLException("cause", "08003"));
    assertThat(SqlErrors.isTransient(chained)).isTrue();
  }

  @Test
  void page_urlNoDriverAccepts_failsAtOnceNamingTheProblemNotALostConnection() {
    List<Duration> waits = new ArrayList<>();
    JdbcCiphertextStore<Long> store =
        JdbcCiphertextStore.builder(new UrlDataSource("jdbc:nosuch:db", "sa", ""), Long.class)
            .table("credentials")
            .keyColumn("id")
            .ciphertextColumn("secret")
            .waiter(waits::add)
            .build();

    assertThatThrownBy(() -> store.page(Optional.empty(), 10))
        .isInstanceOf(LatchkeyException.class)
        .hasMessageContaining("no JDBC driver accepts the URL")
        .hasMessageNotContaining("connection lost")
        .hasMessageNotContaining("nosuch");
    assertThat(waits).isEmpty();
    assertThat(SqlErrors.isTransient(new SQLException("No suitable driver", "08001"))).isFalse();
    SQLException refused = new SQLException("refused", "08001", new java.io.IOException());
    assertThat(SqlErrors.isTransient(refused)).isTrue();
  }

  @Test
  void records_toString_showLengthsNotTokens() {
    String token = ring.encrypt("CANARY-x".getBytes(UTF_8));
    assertThat(new StoredCiphertext<>(7L, token).toString())
        .isEqualTo("StoredCiphertext[key=7, ciphertext=" + token.length() + " chars]");
    assertThat(new CiphertextUpdate<>(7L, token, token).toString())
        .doesNotContain(token)
        .contains("key=7");
  }
}
