package dev.limp.db;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLNonTransientConnectionException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A test fixture: a DataSource over another whose physical connect the test controls. It can pass
 * ({@link #pass}), wait a fixed time before connecting ({@link #delay}: a slow network or authentication, as
 * a database's first connections take), stall until {@link #pass} (a database that does not answer), or
 * refuse at once with SQLState 08001 (a database that is down). Thread-safe.
 */
final class StallingDataSource implements DataSource {
  private final DataSource delegate;
  private final AtomicInteger waiting = new AtomicInteger();
  private final AtomicInteger opened = new AtomicInteger();
  private volatile CountDownLatch stall = new CountDownLatch(0);
  private volatile boolean refuse;
  private volatile long delayMillis;

  StallingDataSource(DataSource delegate) {
    this.delegate = delegate;
  }

  /** Connects at once from now on, and lets every stalled caller through. */
  void pass() {
    refuse = false;
    delayMillis = 0;
    stall.countDown();
  }

  /** Each connect waits this long first (the database is slow to open a connection, not the test). */
  void delay(Duration delay) {
    delayMillis = delay.toMillis();
  }

  /** Connects block until {@link #pass}. */
  void stall() {
    stall = new CountDownLatch(1);
  }

  /** Connects fail at once, as with a database that is down. */
  void refuse() {
    refuse = true;
  }

  /** How many callers are stalled in a connect now. */
  int waiting() {
    return waiting.get();
  }

  /** How many physical connections were opened. */
  int opened() {
    return opened.get();
  }

  @Override
  public Connection getConnection() throws SQLException {
    if (refuse) {
      throw new SQLNonTransientConnectionException("connection refused (test)", "08001");
    }
    waiting.incrementAndGet();
    try {
      if (!stall.await(H2Pool.AWAIT.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new SQLNonTransientConnectionException("stalled connect not released (test)", "08001");
      }
      long delay = delayMillis;
      if (delay > 0) {
        Thread.sleep(delay);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SQLNonTransientConnectionException("interrupted (test)", "08001", e);
    } finally {
      waiting.decrementAndGet();
    }
    Connection c = delegate.getConnection();
    opened.incrementAndGet();
    return c;
  }

  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    throw new SQLFeatureNotSupportedException("test fixture");
  }

  @Override
  public PrintWriter getLogWriter() throws SQLException {
    return delegate.getLogWriter();
  }

  @Override
  public void setLogWriter(PrintWriter out) throws SQLException {
    delegate.setLogWriter(out);
  }

  @Override
  public void setLoginTimeout(int seconds) throws SQLException {
    delegate.setLoginTimeout(seconds);
  }

  @Override
  public int getLoginTimeout() throws SQLException {
    return delegate.getLoginTimeout();
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    return delegate.getParentLogger();
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    if (iface.isInstance(this)) {
      return iface.cast(this);
    }
    throw new SQLException("not a wrapper for " + iface);
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) {
    return iface.isInstance(this);
  }

  @Override
  public String toString() {
    return "StallingDataSource[" + delegate + "]";
  }
}
