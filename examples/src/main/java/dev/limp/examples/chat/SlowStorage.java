package dev.limp.examples.chat;

import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The storage under the pool: connections straight from the driver, whose statements each wait
 * {@link #storageDelayMillis} before they run, as when the database server's storage cannot keep up.
 * limp sees this only through what it measures above the pool.
 */
final class SlowStorage implements DataSource {
  private final ChatDatabase db;

  SlowStorage(ChatDatabase db) {
    this.db = db;
  }

  @Override
  public Connection getConnection() throws SQLException {
    db.beforeConnect();
    Connection real = db.open();
    Connection delaying = (Connection) Proxy.newProxyInstance(ChatDatabase.class.getClassLoader(),
        new Class<?>[] {Connection.class}, new Delaying(real, db.storageDelayMillis, true));
    return db.dialect == ChatDatabase.Dialect.H2 ? Session.of(delaying, db) : delaying;
  }

  @Override
  public Connection getConnection(String username, String pass) throws SQLException {
    return getConnection();
  }

  @Override
  public PrintWriter getLogWriter() {
    return null;
  }

  @Override
  public void setLogWriter(PrintWriter out) {
  }

  @Override
  public void setLoginTimeout(int seconds) {
  }

  @Override
  public int getLoginTimeout() {
    return 0;
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    throw new SQLFeatureNotSupportedException();
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    throw new SQLException("not a wrapper of " + iface);
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) {
    return false;
  }

  /** A statement's proxy through {@code handler}, of the most specific JDBC statement type it is. */
  private static Object statementProxy(Object statement, InvocationHandler handler) {
    Class<?> type = statement instanceof java.sql.CallableStatement ? java.sql.CallableStatement.class
        : statement instanceof PreparedStatement ? PreparedStatement.class : Statement.class;
    return Proxy.newProxyInstance(ChatDatabase.class.getClassLoader(), new Class<?>[] {type}, handler);
  }

  /**
   * A session of the H2 storage that an outage terminates: once an outage has begun after it was opened, every
   * call on the connection or its statements fails as on a terminated PostgreSQL session (SQLState
   * {@code 57P01}), {@code isValid} answers false and {@code isClosed} true; {@code close} still closes it.
   */
  private static final class Session implements InvocationHandler {
    private final Object target;
    private final ChatDatabase db;
    private final int outage;

    private Session(Object target, ChatDatabase db, int outage) {
      this.target = target;
      this.db = db;
      this.outage = outage;
    }

    static Connection of(Connection connection, ChatDatabase db) {
      return (Connection) Proxy.newProxyInstance(ChatDatabase.class.getClassLoader(),
          new Class<?>[] {Connection.class}, new Session(connection, db, db.outages.get()));
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
      if (db.outages.get() != outage) {
        switch (method.getName()) {
          case "close":
          case "abort":
          case "toString":
          case "hashCode":
          case "equals":
          case "getNetworkTimeout":
          case "setNetworkTimeout":
            break;
          case "isClosed":
            return true;
          case "isValid":
            return false;
          default:
            throw new SQLNonTransientConnectionException(
                "terminating connection due to administrator command (outage)", "57P01");
        }
      }
      Object result;
      try {
        result = method.invoke(target, args);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
      if (result instanceof Statement) {
        return statementProxy(result, new Session(result, db, outage));
      }
      return result;
    }
  }

  /** Delays the execute methods of statements made by a connection. */
  private static final class Delaying implements InvocationHandler {
    private final Object target;
    private final AtomicLong delay;
    private final boolean connection;

    Delaying(Object target, AtomicLong delay, boolean connection) {
      this.target = target;
      this.delay = delay;
      this.connection = connection;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
      if (!connection && method.getName().startsWith("execute")) {
        long millis = delay.get();
        if (millis > 0) {
          Thread.sleep(millis);
        }
      }
      Object result;
      try {
        result = method.invoke(target, args);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
      if (connection && result instanceof Statement) {
        return statementProxy(result, new Delaying(result, delay, false));
      }
      return result;
    }
  }
}
