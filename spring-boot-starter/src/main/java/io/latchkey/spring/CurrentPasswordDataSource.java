package io.latchkey.spring;

import static java.util.Objects.requireNonNull;

import io.latchkey.Secret;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Enumeration;
import java.util.Optional;
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
 * <p>A pool that is given a {@code DataSource} no longer passes its own driver properties
 * (HikariCP's {@code dataSourceProperties}, such as {@code sslmode}) nor loads its driver class:
 * give them to this data source instead, with {@link #withDriverProperties(Properties)} and {@link
 * #withDriverClassName(String)}.
 *
 * <p>The starter does this for Spring Boot's own HikariCP pool when {@code
 * spring.datasource.password} (or {@code .username}) is written as a reference, carrying the pool's
 * driver properties and driver class over, and evicts the pool's idle connections when a rotation
 * arrives.
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
  private final Optional<String> driverClassName;
  private final Properties driverProperties;
  private volatile Driver loadedDriver;
  private volatile PrintWriter logWriter;
  private volatile int loginTimeout;

  private CurrentPasswordDataSource(
      String url,
      Supplier<Secret> username,
      Supplier<Secret> password,
      Optional<String> driverClassName,
      Properties driverProperties) {
    this.url = requireNonNull(url, "url");
    this.username = requireNonNull(username, "username");
    this.password = requireNonNull(password, "password");
    this.driverClassName = driverClassName;
    this.driverProperties = driverProperties;
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
    return new CurrentPasswordDataSource(
        url, () -> Secret.of(username), password, Optional.empty(), new Properties());
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
    return new CurrentPasswordDataSource(
        url, username, password, Optional.empty(), new Properties());
  }

  /**
   * Returns a copy that passes these properties to the driver with every connection (such as {@code
   * sslmode=verify-full}), under the user name and password, which always come from the suppliers.
   *
   * @param properties the driver properties; copied, string values only
   * @return the copy
   * @since 0.1
   */
  public CurrentPasswordDataSource withDriverProperties(Properties properties) {
    requireNonNull(properties, "properties");
    Properties copy = new Properties();
    for (String name : properties.stringPropertyNames()) {
      copy.setProperty(name, properties.getProperty(name));
    }
    return new CurrentPasswordDataSource(url, username, password, driverClassName, copy);
  }

  /**
   * Returns a copy that connects through this driver class (loaded on the first connection, from
   * the drivers {@link DriverManager} knows or else by name) instead of the driver {@link
   * DriverManager} finds for the URL.
   *
   * @param driverClassName the driver's class name, such as {@code org.postgresql.Driver}
   * @return the copy
   * @since 0.1
   */
  public CurrentPasswordDataSource withDriverClassName(String driverClassName) {
    requireNonNull(driverClassName, "driverClassName");
    return new CurrentPasswordDataSource(
        url, username, password, Optional.of(driverClassName), driverProperties);
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
      Properties properties = driverProperties();
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
    Properties properties = driverProperties();
    if (user != null) {
      properties.setProperty("user", user);
    }
    if (pass != null) {
      properties.setProperty("password", pass);
    }
    return connect(properties);
  }

  /** A fresh copy per connection: the credentials are added to it, and must not stay behind. */
  private Properties driverProperties() {
    Properties copy = new Properties();
    copy.putAll(driverProperties);
    return copy;
  }

  private Connection connect(Properties properties) throws SQLException {
    Driver driver = driver();
    Connection connection = driver.connect(url, properties);
    if (connection == null) {
      throw new SQLException("the JDBC driver " + driver.getClass().getName() + " refused the URL");
    }
    return connection;
  }

  private Driver driver() throws SQLException {
    if (driverClassName.isEmpty()) {
      return DriverManager.getDriver(url);
    }
    Driver found = loadedDriver;
    if (found == null) {
      found = loadDriver(driverClassName.get());
      if (!found.acceptsURL(url)) {
        throw new SQLException(
            "the JDBC driver " + driverClassName.get() + " does not accept the URL");
      }
      loadedDriver = found;
    }
    return found;
  }

  /** As HikariCP finds a named driver: among the registered ones first, else by loading it. */
  private static Driver loadDriver(String className) throws SQLException {
    Enumeration<Driver> registered = DriverManager.getDrivers();
    while (registered.hasMoreElements()) {
      Driver candidate = registered.nextElement();
      if (candidate.getClass().getName().equals(className)) {
        return candidate;
      }
    }
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    try {
      Class<?> type;
      try {
        type = Class.forName(className, true, context);
      } catch (ClassNotFoundException | RuntimeException e) {
        type = Class.forName(className, true, CurrentPasswordDataSource.class.getClassLoader());
      }
      return (Driver) type.getDeclaredConstructor().newInstance();
    } catch (ReflectiveOperationException | ClassCastException e) {
      throw new SQLException("cannot load the JDBC driver " + className, e);
    }
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
