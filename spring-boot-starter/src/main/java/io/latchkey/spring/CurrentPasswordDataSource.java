package io.latchkey.spring;

import static java.util.Objects.requireNonNull;

import io.latchkey.LatchkeyException;
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
 * <h2>A login refused after a rotation</h2>
 *
 * <p>The credentials come from a cache, which learns of a rotation at its refresh time: in between,
 * the database may already take only the new password. When the database refuses the login (an
 * {@link SQLException} whose SQLState class is {@code 28}, invalid authorization), this data source
 * tries again once, as the AWS JDBC wrapper does:
 *
 * <ul>
 *   <li>with the current credentials, when a supplier that is a {@link SecretHolder} (the starter's
 *       pool wiring uses them) has had its reference asked again now ({@link
 *       io.latchkey.resolver.SecretResolver#refresh(io.latchkey.SecretRef)}, at most once per
 *       reference per failure re-check interval, 5 seconds unless a customizer sets it) and a
 *       credential other than the one refused has arrived;
 *   <li>else, when the refused user name is not the one of the last pair that opened a connection
 *       (an alternating-users rotation caught half-loaded: the new user name beside the old
 *       password), with that last pair, which such a rotation leaves valid.
 * </ul>
 *
 * <p>Otherwise, and when that one try is refused too, the database's {@link SQLException} is
 * thrown. A credential that cannot be read (the backend is down and nothing may be served stale) is
 * an {@link SQLException} with SQLState {@code 08001}, naming the reference and the reason, its
 * cause kept.
 *
 * <p>{@link #setLoginTimeout(int)} is passed on to {@link DriverManager#setLoginTimeout(int)},
 * which is what drivers read, as HikariCP's own driver data source does (the setting is the JVM's,
 * not this data source's).
 *
 * <h2>Security</h2>
 *
 * <p>The password is passed to the driver in the connection properties and wiped from the {@link
 * Secret} copy it came from; it is never logged, and {@link #toString()} shows the URL with its
 * credentials masked. The last user name and password that opened a connection are kept, as {@link
 * Secret}s, for the retry above.
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
  // The last pair that opened a connection; guarded by itself being replaced under this lock.
  private final Object lastGoodLock = new Object();
  private Credentials lastGood;

  /** A user name and a password read together; the caller wipes them. */
  private record Credentials(Secret user, Secret password) {
    Credentials copy() {
      return new Credentials(user.copy(), password.copy());
    }

    boolean sameAs(Credentials other) {
      // Both compared, in constant time each.
      boolean sameUser = user.matches(other.user);
      boolean samePassword = password.matches(other.password);
      return sameUser && samePassword;
    }

    void wipe() {
      user.wipe();
      password.wipe();
    }

    @Override
    public String toString() {
      return "Credentials[***]";
    }
  }

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
   * Opens a connection with the current user name and password; a login the database refuses is
   * tried once more as the class describes.
   *
   * @return the connection
   * @throws SQLException if the driver refuses the URL or the credentials, or a credential cannot
   *     be read (SQLState {@code 08001})
   */
  @Override
  public Connection getConnection() throws SQLException {
    Credentials tried = read();
    try {
      return open(tried);
    } catch (SQLException e) {
      if (!refusedLogin(e)) {
        throw e;
      }
      return afterRefusal(tried, e);
    } finally {
      tried.wipe();
    }
  }

  /** Tries once more after the database refused {@code refused}, or throws {@code refusal}. */
  private Connection afterRefusal(Credentials refused, SQLException refusal) throws SQLException {
    // Both asked, whatever the first answers.
    boolean askedUser = recheck(username, refusal);
    boolean askedPassword = recheck(password, refusal);
    if (askedUser || askedPassword) {
      Credentials current = read();
      try {
        if (!current.sameAs(refused)) {
          return open(current);
        }
      } catch (SQLException again) {
        again.addSuppressed(refusal);
        throw again;
      } finally {
        current.wipe();
      }
    }
    Credentials previous = previousPair(refused);
    if (previous == null) {
      throw refusal;
    }
    try {
      return open(previous);
    } catch (SQLException again) {
      refusal.addSuppressed(again);
      throw refusal;
    } finally {
      previous.wipe();
    }
  }

  /** Whether the driver said the user name or password is not valid: SQLState class 28. */
  private static boolean refusedLogin(SQLException e) {
    String state = e.getSQLState();
    return state != null && state.startsWith("28");
  }

  /**
   * Asks the resolver to check a credential's reference again now, when the supplier is a {@link
   * SecretHolder}; returns whether it was asked. A failure is added to the refusal, never thrown.
   */
  private static boolean recheck(Supplier<Secret> credential, SQLException refusal) {
    if (!(credential instanceof SecretHolder holder)) {
      return false;
    }
    try {
      holder.recheck();
      return true;
    } catch (RuntimeException e) {
      // A LatchkeyException names the reference and the reason, never a value; any other, its type.
      refusal.addSuppressed(
          e instanceof LatchkeyException
              ? e
              : new SQLException(
                  "re-checking " + holder + " failed with " + e.getClass().getName()));
      return false;
    }
  }

  /**
   * Returns a copy of the last pair that opened a connection when its user name is not the refused
   * one, {@code null} otherwise: with the same user name, it holds an older password than the one
   * refused, and a database that counts failed logins would count one more.
   */
  private Credentials previousPair(Credentials refused) {
    synchronized (lastGoodLock) {
      if (lastGood == null || lastGood.user().matches(refused.user())) {
        return null;
      }
      return lastGood.copy();
    }
  }

  /** Reads the user name and the password; a failure to read one is an {@link SQLException}. */
  private Credentials read() throws SQLException {
    Secret user = read(username, "user name");
    Secret pass;
    try {
      pass = read(password, "password");
    } catch (SQLException | RuntimeException e) {
      user.wipe();
      throw e;
    }
    return new Credentials(user, pass);
  }

  private static Secret read(Supplier<Secret> credential, String what) throws SQLException {
    try {
      return credential.get();
    } catch (LatchkeyException e) {
      // Its message names the reference and the reason, never a value.
      String source =
          credential instanceof SecretHolder holder ? " (" + holder.described() + ")" : "";
      throw new SQLException(
          "cannot open a connection: the database "
              + what
              + source
              + " cannot be read: "
              + e.getMessage(),
          "08001",
          e);
    }
  }

  /** Opens a connection with these credentials, and remembers them if it opened. */
  private Connection open(Credentials credentials) throws SQLException {
    Properties properties = driverProperties();
    properties.setProperty("user", credentials.user().reveal());
    properties.setProperty("password", credentials.password().reveal());
    Connection connection = connect(properties);
    synchronized (lastGoodLock) {
      if (lastGood == null || !lastGood.sameAs(credentials)) {
        if (lastGood != null) {
          lastGood.wipe();
        }
        lastGood = credentials.copy();
      }
    }
    return connection;
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

  /**
   * Sets the time a driver may take to log in, through {@link DriverManager#setLoginTimeout(int)},
   * which drivers read, as HikariCP's own driver data source does: the setting is the JVM's.
   *
   * @param seconds the time-out in seconds, 0 for none
   */
  @Override
  public void setLoginTimeout(int seconds) {
    DriverManager.setLoginTimeout(seconds);
  }

  /**
   * Returns the JVM's login time-out, {@link DriverManager#getLoginTimeout()}.
   *
   * @return the time-out in seconds, 0 for none
   */
  @Override
  public int getLoginTimeout() {
    return DriverManager.getLoginTimeout();
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
