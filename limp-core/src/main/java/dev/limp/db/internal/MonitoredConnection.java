package dev.limp.db.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * A connection handed out by the monitored DataSource: every method delegates; statements it creates are
 * monitored; closing it records how long the feature that acquired it held it. Generated from
 * {@link Connection}'s methods, then the hooks were written by hand. Not thread-safe, like a connection.
 */
public final class MonitoredConnection implements Connection {
  private static final AtomicIntegerFieldUpdater<MonitoredConnection> CLOSED =
      AtomicIntegerFieldUpdater.newUpdater(MonitoredConnection.class, "closed");

  private final Connection delegate;
  private final JdbcRecorder recorder;
  private final FeatureDbStats owner;
  private final long acquiredAt;
  private volatile int closed;

  MonitoredConnection(Connection delegate, JdbcRecorder recorder, FeatureDbStats owner, long acquiredAt) {
    this.delegate = delegate;
    this.recorder = recorder;
    this.owner = owner;
    this.acquiredAt = acquiredAt;
  }

  /** Hands out a monitored connection, recording how long acquiring it took and for whom. */
  public static Connection acquire(java.sql.Connection delegate, JdbcRecorder recorder, long start,
      dev.limp.FeatureGuard feature) {
    long now = recorder.now();
    FeatureDbStats owner = recorder.statsOf(feature);
    recorder.acquired(owner, start, now);
    return new MonitoredConnection(delegate, recorder, owner, now);
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
      if (CLOSED.compareAndSet(this, 0, 1)) {
        recorder.released(owner, acquiredAt, recorder.now());
      }
    }
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
  public void abort(java.util.concurrent.Executor p0) throws SQLException {
    delegate.abort(p0);
  }

  @Override
  public void beginRequest() throws SQLException {
    delegate.beginRequest();
  }

  @Override
  public void clearWarnings() throws SQLException {
    delegate.clearWarnings();
  }

  @Override
  public void commit() throws SQLException {
    delegate.commit();
  }

  @Override
  public java.sql.Array createArrayOf(String p0, Object[] p1) throws SQLException {
    return delegate.createArrayOf(p0, p1);
  }

  @Override
  public java.sql.Blob createBlob() throws SQLException {
    return delegate.createBlob();
  }

  @Override
  public java.sql.Clob createClob() throws SQLException {
    return delegate.createClob();
  }

  @Override
  public java.sql.NClob createNClob() throws SQLException {
    return delegate.createNClob();
  }

  @Override
  public java.sql.SQLXML createSQLXML() throws SQLException {
    return delegate.createSQLXML();
  }

  @Override
  public java.sql.Statement createStatement() throws SQLException {
    return new MonitoredStatement(this, recorder, delegate.createStatement());
  }

  @Override
  public java.sql.Statement createStatement(int p0, int p1, int p2) throws SQLException {
    return new MonitoredStatement(this, recorder, delegate.createStatement(p0, p1, p2));
  }

  @Override
  public java.sql.Statement createStatement(int p0, int p1) throws SQLException {
    return new MonitoredStatement(this, recorder, delegate.createStatement(p0, p1));
  }

  @Override
  public java.sql.Struct createStruct(String p0, Object[] p1) throws SQLException {
    return delegate.createStruct(p0, p1);
  }

  @Override
  public void endRequest() throws SQLException {
    delegate.endRequest();
  }

  @Override
  public boolean getAutoCommit() throws SQLException {
    return delegate.getAutoCommit();
  }

  @Override
  public String getCatalog() throws SQLException {
    return delegate.getCatalog();
  }

  @Override
  public java.util.Properties getClientInfo() throws SQLException {
    return delegate.getClientInfo();
  }

  @Override
  public String getClientInfo(String p0) throws SQLException {
    return delegate.getClientInfo(p0);
  }

  @Override
  public int getHoldability() throws SQLException {
    return delegate.getHoldability();
  }

  @Override
  public java.sql.DatabaseMetaData getMetaData() throws SQLException {
    return delegate.getMetaData();
  }

  @Override
  public int getNetworkTimeout() throws SQLException {
    return delegate.getNetworkTimeout();
  }

  @Override
  public String getSchema() throws SQLException {
    return delegate.getSchema();
  }

  @Override
  public int getTransactionIsolation() throws SQLException {
    return delegate.getTransactionIsolation();
  }

  @Override
  public java.util.Map<String, Class<?>> getTypeMap() throws SQLException {
    return delegate.getTypeMap();
  }

  @Override
  public java.sql.SQLWarning getWarnings() throws SQLException {
    return delegate.getWarnings();
  }

  @Override
  public boolean isClosed() throws SQLException {
    return delegate.isClosed();
  }

  @Override
  public boolean isReadOnly() throws SQLException {
    return delegate.isReadOnly();
  }

  @Override
  public boolean isValid(int p0) throws SQLException {
    return delegate.isValid(p0);
  }

  @Override
  public String nativeSQL(String p0) throws SQLException {
    return delegate.nativeSQL(p0);
  }

  @Override
  public java.sql.CallableStatement prepareCall(String p0, int p1, int p2, int p3) throws SQLException {
    return new MonitoredCallableStatement(this, recorder, delegate.prepareCall(p0, p1, p2, p3));
  }

  @Override
  public java.sql.CallableStatement prepareCall(String p0, int p1, int p2) throws SQLException {
    return new MonitoredCallableStatement(this, recorder, delegate.prepareCall(p0, p1, p2));
  }

  @Override
  public java.sql.CallableStatement prepareCall(String p0) throws SQLException {
    return new MonitoredCallableStatement(this, recorder, delegate.prepareCall(p0));
  }

  @Override
  public java.sql.PreparedStatement prepareStatement(String p0, int[] p1) throws SQLException {
    return new MonitoredPreparedStatement(this, recorder, delegate.prepareStatement(p0, p1));
  }

  @Override
  public java.sql.PreparedStatement prepareStatement(String p0, String[] p1) throws SQLException {
    return new MonitoredPreparedStatement(this, recorder, delegate.prepareStatement(p0, p1));
  }

  @Override
  public java.sql.PreparedStatement prepareStatement(String p0, int p1, int p2, int p3) throws SQLException {
    return new MonitoredPreparedStatement(this, recorder, delegate.prepareStatement(p0, p1, p2, p3));
  }

  @Override
  public java.sql.PreparedStatement prepareStatement(String p0, int p1, int p2) throws SQLException {
    return new MonitoredPreparedStatement(this, recorder, delegate.prepareStatement(p0, p1, p2));
  }

  @Override
  public java.sql.PreparedStatement prepareStatement(String p0, int p1) throws SQLException {
    return new MonitoredPreparedStatement(this, recorder, delegate.prepareStatement(p0, p1));
  }

  @Override
  public java.sql.PreparedStatement prepareStatement(String p0) throws SQLException {
    return new MonitoredPreparedStatement(this, recorder, delegate.prepareStatement(p0));
  }

  @Override
  public void releaseSavepoint(java.sql.Savepoint p0) throws SQLException {
    delegate.releaseSavepoint(p0);
  }

  @Override
  public void rollback() throws SQLException {
    delegate.rollback();
  }

  @Override
  public void rollback(java.sql.Savepoint p0) throws SQLException {
    delegate.rollback(p0);
  }

  @Override
  public void setAutoCommit(boolean p0) throws SQLException {
    delegate.setAutoCommit(p0);
  }

  @Override
  public void setCatalog(String p0) throws SQLException {
    delegate.setCatalog(p0);
  }

  @Override
  public void setClientInfo(String p0, String p1) throws java.sql.SQLClientInfoException {
    delegate.setClientInfo(p0, p1);
  }

  @Override
  public void setClientInfo(java.util.Properties p0) throws java.sql.SQLClientInfoException {
    delegate.setClientInfo(p0);
  }

  @Override
  public void setHoldability(int p0) throws SQLException {
    delegate.setHoldability(p0);
  }

  @Override
  public void setNetworkTimeout(java.util.concurrent.Executor p0, int p1) throws SQLException {
    delegate.setNetworkTimeout(p0, p1);
  }

  @Override
  public void setReadOnly(boolean p0) throws SQLException {
    delegate.setReadOnly(p0);
  }

  @Override
  public java.sql.Savepoint setSavepoint() throws SQLException {
    return delegate.setSavepoint();
  }

  @Override
  public java.sql.Savepoint setSavepoint(String p0) throws SQLException {
    return delegate.setSavepoint(p0);
  }

  @Override
  public void setSchema(String p0) throws SQLException {
    delegate.setSchema(p0);
  }

  @Override
  public void setShardingKey(java.sql.ShardingKey p0, java.sql.ShardingKey p1) throws SQLException {
    delegate.setShardingKey(p0, p1);
  }

  @Override
  public void setShardingKey(java.sql.ShardingKey p0) throws SQLException {
    delegate.setShardingKey(p0);
  }

  @Override
  public boolean setShardingKeyIfValid(java.sql.ShardingKey p0, int p1) throws SQLException {
    return delegate.setShardingKeyIfValid(p0, p1);
  }

  @Override
  public boolean setShardingKeyIfValid(java.sql.ShardingKey p0, java.sql.ShardingKey p1, int p2) throws SQLException {
    return delegate.setShardingKeyIfValid(p0, p1, p2);
  }

  @Override
  public void setTransactionIsolation(int p0) throws SQLException {
    delegate.setTransactionIsolation(p0);
  }

  @Override
  public void setTypeMap(java.util.Map<String, Class<?>> p0) throws SQLException {
    delegate.setTypeMap(p0);
  }
}
