package io.latchkey.cli;

import io.latchkey.config.ConfigReport;
import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Properties;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A small pooling {@link DataSource} over {@link DriverManager}. The job takes a connection for
 * each page and each batch; opening a new one each time would cost more than the batch itself, so
 * closed connections that are still healthy go back to an idle list. The password is held only to
 * be passed to the driver, and never printed.
 */
final class DriverManagerDataSource implements DataSource, AutoCloseable {
  private final String url;
  private final Properties properties = new Properties();
  private final Deque<Connection> idle = new ArrayDeque<>();

  DriverManagerDataSource(String url, String user, String password) {
    this.url = url;
    if (user != null) {
      properties.setProperty("user", user);
    }
    if (password != null) {
      properties.setProperty("password", password);
    }
  }

  @Override
  public Connection getConnection() throws SQLException {
    Connection raw;
    synchronized (idle) {
      raw = idle.poll();
    }
    if (raw == null || !raw.isValid(5)) {
      closeQuietly(raw);
      raw = DriverManager.getConnection(url, properties);
    }
    Connection connection = raw;
    return (Connection)
        Proxy.newProxyInstance(
            Connection.class.getClassLoader(),
            new Class<?>[] {Connection.class},
            (proxy, method, args) -> {
              if (method.getName().equals("close") && method.getParameterCount() == 0) {
                release(connection);
                return null;
              }
              try {
                return method.invoke(connection, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }

  /** Back to the idle list if the connection is usable and left no transaction open. */
  private void release(Connection connection) {
    try {
      if (!connection.isClosed()) {
        if (!connection.getAutoCommit()) {
          connection.rollback();
          connection.setAutoCommit(true);
        }
        synchronized (idle) {
          idle.push(connection);
        }
        return;
      }
    } catch (SQLException e) {
      // A broken connection is closed below rather than reused.
    }
    closeQuietly(connection);
  }

  /** Closes the idle connections. */
  @Override
  public void close() {
    synchronized (idle) {
      idle.forEach(DriverManagerDataSource::closeQuietly);
      idle.clear();
    }
  }

  private static void closeQuietly(Connection connection) {
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException e) {
        // Nothing more to do with it.
      }
    }
  }

  @Override
  public Connection getConnection(String user, String password) throws SQLException {
    return DriverManager.getConnection(url, user, password);
  }

  @Override
  public PrintWriter getLogWriter() {
    return null;
  }

  @Override
  public void setLogWriter(PrintWriter out) {
    // Driver logging is not routed anywhere by the command line.
  }

  @Override
  public void setLoginTimeout(int seconds) {
    DriverManager.setLoginTimeout(seconds);
  }

  @Override
  public int getLoginTimeout() {
    return DriverManager.getLoginTimeout();
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    throw new SQLFeatureNotSupportedException("no parent logger");
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

  /**
   * The URL with every credential masked: the command refuses one in {@code --jdbc-url}, and this
   * keeps the rule where a data source is built some other way.
   */
  @Override
  public String toString() {
    return "DriverManagerDataSource[" + ConfigReport.maskUrls(url) + "]";
  }
}
