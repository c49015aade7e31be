package io.latchkey.reencrypt;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.latchkey.KeyRing;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongFunction;
import javax.sql.DataSource;

/**
 * The table the JDBC tests re-encrypt: {@code credentials(id BIGINT PRIMARY KEY, tenant_id INT,
 * secret VARCHAR)}, the same DDL on H2 and PostgreSQL.
 */
final class CredentialsTable {
  /** Every plaintext starts with this, so that tests can check no plaintext leaks anywhere. */
  static final String CANARY = "CANARY-";

  private final DataSource dataSource;

  CredentialsTable(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** A fresh, private in-memory H2 database. */
  static UrlDataSource h2(String name) {
    return new UrlDataSource("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1", "sa", "");
  }

  static String plaintext(long id) {
    return CANARY + "credential-" + id;
  }

  DataSource dataSource() {
    return dataSource;
  }

  /** Drops and creates the table. */
  CredentialsTable recreate() throws SQLException {
    execute("DROP TABLE IF EXISTS credentials");
    execute(
        "CREATE TABLE credentials (id BIGINT PRIMARY KEY, tenant_id INT NOT NULL,"
            + " secret VARCHAR(4000))");
    return this;
  }

  void execute(String sql) throws SQLException {
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  /** Inserts rows {@code from .. from+count-1}, each encrypted by {@code ring}, tenant id % 3. */
  void insertEncrypted(long from, int count, KeyRing ring) throws SQLException {
    insert(from, count, id -> ring.encrypt(plaintext(id).getBytes(UTF_8)));
  }

  /** Inserts rows whose secret is computed per id (null for SQL NULL). */
  void insert(long from, int count, LongFunction<String> secret) throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement ps =
          c.prepareStatement("INSERT INTO credentials (id, tenant_id, secret) VALUES (?, ?, ?)")) {
        for (long id = from; id < from + count; id++) {
          ps.setLong(1, id);
          ps.setInt(2, (int) (id % 3));
          ps.setString(3, secret.apply(id));
          ps.addBatch();
          if ((id - from) % 1000 == 999) {
            ps.executeBatch();
          }
        }
        ps.executeBatch();
      }
      c.commit();
    }
  }

  void set(long id, String secret) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement("UPDATE credentials SET secret = ? WHERE id = ?")) {
      ps.setString(1, secret);
      ps.setLong(2, id);
      ps.executeUpdate();
    }
  }

  /** Every row's secret by id, in id order; SQL NULL stays null. */
  Map<Long, String> secrets() throws SQLException {
    Map<Long, String> rows = new LinkedHashMap<>();
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT id, secret FROM credentials ORDER BY id")) {
      while (rs.next()) {
        rows.put(rs.getLong(1), rs.getString(2));
      }
    }
    return rows;
  }

  long count() throws SQLException {
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM credentials")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  JdbcCiphertextStore.Builder<Long> store() {
    return JdbcCiphertextStore.builder(dataSource, Long.class)
        .table("credentials")
        .keyColumn("id")
        .ciphertextColumn("secret");
  }
}
