package io.latchkey.spring;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * A JDBC driver for {@code jdbc:record:HOST/…} URLs that records the properties each host was sent
 * (credentials included) and the login time-out it would have read, and connects to an in-memory H2
 * database, so that a pool can validate what it opens. Public with a public constructor: a data
 * source may load it by class name.
 */
public final class RecordingDriver implements Driver {
  private static final Map<String, Properties> SENT = new ConcurrentHashMap<>();
  private static final Map<String, Integer> LOGIN_TIMEOUTS = new ConcurrentHashMap<>();

  /** Creates the driver; any instance records into the same table. */
  public RecordingDriver() {}

  /** The properties the last connection to {@code host} was opened with, or {@code null}. */
  static Properties sentTo(String host) {
    return SENT.get(host);
  }

  /** The JVM's login time-out while the last connection to {@code host} was opened, or null. */
  static Integer loginTimeoutSeenBy(String host) {
    return LOGIN_TIMEOUTS.get(host);
  }

  static void reset() {
    SENT.clear();
    LOGIN_TIMEOUTS.clear();
  }

  /** Registers an instance with {@link DriverManager} for the duration of {@code action}. */
  static void registered(ThrowingRunnable action) throws Exception {
    RecordingDriver driver = new RecordingDriver();
    DriverManager.registerDriver(driver);
    try {
      action.run();
    } finally {
      DriverManager.deregisterDriver(driver);
    }
  }

  /** A test body that may throw. */
  interface ThrowingRunnable {
    void run() throws Exception;
  }

  @Override
  public Connection connect(String url, Properties info) throws SQLException {
    if (!acceptsURL(url)) {
      return null;
    }
    String rest = url.substring("jdbc:record:".length());
    int slash = rest.indexOf('/');
    Properties copy = new Properties();
    copy.putAll(info);
    String host = slash < 0 ? rest : rest.substring(0, slash);
    SENT.put(host, copy);
    LOGIN_TIMEOUTS.put(host, DriverManager.getLoginTimeout());
    return new org.h2.Driver().connect("jdbc:h2:mem:recorded", new Properties());
  }

  @Override
  public boolean acceptsURL(String url) {
    return url != null && url.startsWith("jdbc:record:");
  }

  @Override
  public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) {
    return new DriverPropertyInfo[0];
  }

  @Override
  public int getMajorVersion() {
    return 1;
  }

  @Override
  public int getMinorVersion() {
    return 0;
  }

  @Override
  public boolean jdbcCompliant() {
    return false;
  }

  @Override
  public Logger getParentLogger() {
    return Logger.getGlobal();
  }
}
