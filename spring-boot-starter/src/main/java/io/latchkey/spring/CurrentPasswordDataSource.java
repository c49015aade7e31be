package io.latchkey.spring;

import static java.util.Objects.requireNonNull;

import io.latchkey.Secret;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Properties;
import java.util.function.Supplier;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A JDBC {@link DataSource} that opens every connection with the current credentials: it asks its
 * suppliers for the user name and password each time, so a connection pool built on it (HikariCP's
 * {@code setDataSource}, Tomcat's and others) uses a rotated database password for every connection
 * it opens after the rotation, with no restart. What the AWS JDBC wrapper does for RDS, for any
 * driver and any provider.
 *
 * <pre>{@code
 * SecretHolder password = secrets.holder("app.db.password");
 * HikariDataSource pool = new HikariDataSource();
 * pool.setDataSource(CurrentPasswordDataSource.of(url, "app", password));
 * }</pre>
 *
 * <p>The starter does this for Spring Boot's own HikariCP pool when {@code
 * spring.datasource.password} (or {@code .username}) is written as a reference, and evicts the
 * pool's idle connections when a rotation arrives.
 *
 * <h2>Security</h2>
 *
 * <p>The password is passed to the driver in the connection properties and wiped from the {@link
 * Secret} copy it came from; it is never logged, and {@link #toString()} shows the URL with its
 * credentials masked.
 *
 * @since 0.1
 */
public final class CurrentPasswordDataSource implements DataSource {
  private final String url;
  private final Supplier<Secret> username;
  private final Supplier<Secret> password;
  private volatile PrintWriter logWriter;
  private volatile int loginTimeout;

  private CurrentPasswordDataSource(
      String url, Supplier<Secret> username, Supplier<Secret> password) {
    this.url = requireNonNull(url, "url");
    this.username = requireNonNull(username, "username");
    this.password = requireNonNull(password, "password");
  }

  /**
   * Returns a data source for a fixed user name and a password that may rotate.
   *
   * @param url the JDBC URL
   * @param username the user name
   * @param password returns the current password, such as a {@link SecretHolder}
   * @return the data source
   */
  public static CurrentPasswordDataSource of(
      String url, String username, Supplier<Secret> password) {
    requireNonNull(username, "username");
    return new CurrentPasswordDataSource(url, () -> Secret.of(username), password);
  }

  /**
   * Returns a data source whose user name and password may both rotate (a secret that holds both,
   * as AWS's alternating-users rotation writes them).
   *
   * @param url the JDBC URL
   * @param username returns the current user name
   * @param password returns the current password
   * @return the data source
   */
  public static CurrentPasswordDataSource of(
      String url, Supplier<Secret> username, Supplier<Secret> password) {
    return new CurrentPasswordDataSource(url, username, password);
  }

  /**
   * Opens a connection with the current user name and password.
   *
   * @return the connection
   * @throws SQLException if the driver refuses the URL or the credentials
   */
  @Override
  public Connection getConnection() throws SQLException {
    Secret user = username.get();
    Secret pass = password.get();
    try {
      Properties properties = new Properties();
      properties.setProperty("user", user.reveal());
      properties.setProperty("password", pass.reveal());
      return connect(properties);
    } finally {
      user.wipe();
      pass.wipe();
    }
  }

  /**
   * Opens a connection with the credentials given, as {@link DriverManager} would.
   *
   * @param user the user name
   * @param pass the password
   * @return the connection
   * @throws SQLException if the driver refuses the URL or the credentials
   */
  @Override
  public Connection getConnection(String user, String pass) throws SQLException {
    Properties properties = new Properties();
    if (user != null) {
      properties.setProperty("user", user);
    }
    if (pass != null) {
      properties.setProperty("password", pass);
    }
    return connect(properties);
  }

  private Connection connect(Properties properties) throws SQLException {
    Driver driver = DriverManager.getDriver(url);
    Connection connection = driver.connect(url, properties);
    if (connection == null) {
      throw new SQLException("the JDBC driver " + driver.getClass().getName() + " refused the URL");
    }
    return connection;
  }

  @Override
  public PrintWriter getLogWriter() {
    return logWriter;
  }

  @Override
  public void setLogWriter(PrintWriter out) {
    this.logWriter = out;
  }

  @Override
  public void setLoginTimeout(int seconds) {
    this.loginTimeout = seconds;
  }

  @Override
  public int getLoginTimeout() {
    return loginTimeout;
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    throw new SQLFeatureNotSupportedException("no java.util.logging parent logger");
  }

  @Override
  public <T> T unwrap(Class<T> type) throws SQLException {
    if (type.isInstance(this)) {
      return type.cast(this);
    }
    throw new SQLException("not a wrapper for " + type.getName());
  }

  @Override
  public boolean isWrapperFor(Class<?> type) {
    return type.isInstance(this);
  }

  /** Returns the URL with its credentials masked; never the password. */
  @Override
  public String toString() {
    return "CurrentPasswordDataSource[" + io.latchkey.config.ConfigReport.maskUrls(url) + "]";
  }
}
