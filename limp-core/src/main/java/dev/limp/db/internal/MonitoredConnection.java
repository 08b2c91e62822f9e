package dev.limp.db.internal;

import dev.limp.FeatureGuard;
import dev.limp.codegen.Delegating;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * The hooks of a connection handed out by the monitored DataSource: acquiring it is recorded for the feature
 * that asked; statements it creates are monitored (the {@code wrap} methods, through which the generated
 * {@code createStatement}, {@code prepareStatement} and {@code prepareCall} pass their results); closing it
 * records how long that feature held it, once. Every other method delegates; that code is generated at build
 * time ({@code GeneratedMonitoredConnection}, by {@code dev.limp.codegen}). Not thread-safe, like a
 * connection, except that {@link #close()} counts the release once however many threads close it.
 */
@Delegating(to = "delegate")
public abstract class MonitoredConnection extends JdbcWrapper implements Connection {
  private static final AtomicIntegerFieldUpdater<MonitoredConnection> CLOSED =
      AtomicIntegerFieldUpdater.newUpdater(MonitoredConnection.class, "closed");

  final Connection delegate;
  final JdbcRecorder recorder;
  private final FeatureDbStats owner;
  private final long acquiredAt;
  private volatile int closed;

  MonitoredConnection(Connection delegate, JdbcRecorder recorder, FeatureDbStats owner, long acquiredAt) {
    super(delegate);
    this.delegate = delegate;
    this.recorder = recorder;
    this.owner = owner;
    this.acquiredAt = acquiredAt;
  }

  /** Hands out a monitored connection, recording how long acquiring it took and for whom. */
  public static Connection acquire(Connection delegate, JdbcRecorder recorder, long start, FeatureGuard feature) {
    long now = recorder.now();
    FeatureDbStats owner = recorder.statsOf(feature);
    recorder.acquired(owner, start, now);
    MonitoredConnection connection = new GeneratedMonitoredConnection(delegate, recorder, owner, now);
    recorder.opened(connection);
    return connection;
  }

  /** Records a failed attempt to acquire a connection (a pool timeout, a refused connection). */
  public static void acquireFailed(JdbcRecorder recorder, long start, SQLException e) {
    recorder.acquireFailed(start, recorder.now(), e);
  }

  @Override
  public void close() throws SQLException {
    try {
      delegate.close();
    } finally {
      release();
    }
  }

  @Override
  public void abort(Executor executor) throws SQLException {
    try {
      delegate.abort(executor);
    } finally {
      release();
    }
  }

  /** Records the release once, however often and by whichever path the connection is closed. */
  private boolean release() {
    if (CLOSED.compareAndSet(this, 0, 1)) {
      recorder.released(owner, acquiredAt, recorder.now());
      recorder.forgotten(this);
      return true;
    }
    return false;
  }

  /**
   * Releases the connection if the wrapped one was closed without this wrapper (see
   * {@link JdbcRecorder#reclaimClosedElsewhere()}). Reads only the wrapped connection's closed state, which
   * pools and drivers answer without a round trip.
   */
  boolean releaseIfClosedElsewhere() {
    try {
      return closed == 0 && delegate.isClosed() && release();
    } catch (SQLException | RuntimeException e) {
      return false; // cannot tell: keep counting it, as before
    }
  }

  final Statement wrap(Statement statement) {
    return new GeneratedMonitoredStatement(this, recorder, statement, null);
  }

  /** A prepared statement keeps its text (a reference, not a copy) for the statement listeners. */
  final PreparedStatement wrap(PreparedStatement statement, String sql) {
    return new GeneratedMonitoredPreparedStatement(this, recorder, statement, sql);
  }

  final CallableStatement wrap(CallableStatement statement, String sql) {
    return new GeneratedMonitoredCallableStatement(this, recorder, statement, sql);
  }
}
