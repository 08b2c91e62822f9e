package dev.limp.db;

import dev.limp.FeatureGuard;
import dev.limp.FeatureShedException;
import dev.limp.db.internal.ConnectionReserve;
import dev.limp.db.internal.JdbcRecorder;
import dev.limp.db.internal.MonitoredConnection;
import dev.limp.db.internal.Unwrapping;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Objects;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A {@link DataSource} that watches the one it wraps: how long connections take to acquire and which
 * acquisitions fail, how long statements take, how long each feature holds its connections, and which
 * errors the database returns, each attributed to the feature running on the calling thread. It also keeps
 * the connection reserve: a feature below the reserve's tiers that would take one of the last connections
 * is refused at once with a {@link FeatureShedException} (cause {@code RESERVE}), which its guard answers
 * with the feature's fallback chain, instead of waiting out the pool's connection timeout.
 *
 * <p>Every other method delegates; exceptions pass through unchanged; {@link #unwrap} and
 * {@link #isWrapperFor} reach the wrapped DataSource, so code that unwraps to {@code HikariDataSource} keeps
 * working. Thread-safe. Create with {@link DatabaseMonitor#wrap(DataSource)}.
 */
public final class MonitoredDataSource implements DataSource {
  /** One way of asking the wrapped DataSource for a connection. */
  @FunctionalInterface
  private interface Acquisition {
    Connection get() throws SQLException;
  }

  private final DataSource delegate;
  private final JdbcRecorder recorder;
  private final ConnectionReserve reserve;
  private final DatabaseMonitor monitor;
  /** {@code delegate.getConnection()}, made once: the hot path allocates no lambda. */
  private final Acquisition pooled;

  MonitoredDataSource(DataSource delegate, JdbcRecorder recorder, ConnectionReserve reserve,
      DatabaseMonitor monitor) {
    this.delegate = delegate;
    this.recorder = recorder;
    this.reserve = reserve;
    this.monitor = monitor;
    this.pooled = delegate::getConnection;
  }

  /** The DataSource this one watches. */
  public DataSource delegate() {
    return delegate;
  }

  /** The monitor this DataSource reports to. */
  public DatabaseMonitor monitor() {
    return monitor;
  }

  /**
   * Tells {@code listener} of every statement that runs through this DataSource from now on (see
   * {@link StatementListener}). With no listener, a statement pays one field read for this; with one, a call.
   * A test's plan check and limp's plan watch listen here.
   */
  public void addStatementListener(StatementListener listener) {
    recorder.addStatementListener(Objects.requireNonNull(listener, "listener"));
  }

  /** Stops telling {@code listener}; statements already running may still reach it. No-op if not added. */
  public void removeStatementListener(StatementListener listener) {
    recorder.removeStatementListener(Objects.requireNonNull(listener, "listener"));
  }

  @Override
  public Connection getConnection() throws SQLException {
    return acquire(pooled);
  }

  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    return acquire(() -> delegate.getConnection(username, password));
  }

  /**
   * Counts the connection against the pool (or refuses it if it would dip into the reserve), acquires it,
   * and records how long that took, or how it failed.
   */
  private Connection acquire(Acquisition acquisition) throws SQLException {
    long start = recorder.now();
    FeatureGuard feature = recorder.currentFeature();
    reserve.enter(feature);
    Connection connection;
    try {
      connection = acquisition.get();
    } catch (SQLFeatureNotSupportedException e) {
      recorder.abandoned(); // the pool does not offer this call: no acquisition was tried
      throw e;
    } catch (SQLException e) {
      MonitoredConnection.acquireFailed(recorder, start, e);
      throw e;
    } catch (RuntimeException | Error e) {
      recorder.abandoned();
      throw e;
    }
    return MonitoredConnection.acquire(connection, recorder, start, feature);
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    return Unwrapping.unwrap(this, delegate, iface);
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) throws SQLException {
    return Unwrapping.isWrapperFor(this, delegate, iface);
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
  public String toString() {
    return "MonitoredDataSource[" + delegate + "]";
  }
}
