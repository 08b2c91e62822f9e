package dev.limp.db.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A monitored {@link Statement}: every method delegates; each {@code execute*} is timed and attributed to
 * the feature running on the calling thread, and its {@link SQLException}s are classified. Exceptions pass
 * through unchanged. Generated from {@link Statement}'s methods. Not thread-safe, like a statement.
 */
public class MonitoredStatement implements Statement {
  final MonitoredConnection connection;
  final JdbcRecorder recorder;
  private final Statement delegate;

  MonitoredStatement(MonitoredConnection connection, JdbcRecorder recorder, Statement delegate) {
    this.connection = connection;
    this.recorder = recorder;
    this.delegate = delegate;
  }

  @Override
  public final Connection getConnection() throws SQLException {
    delegate.getConnection(); // throws if closed, as the driver would
    return connection;
  }

  @Override
  public final void close() throws SQLException {
    delegate.close();
  }

  @Override
  public final <T> T unwrap(Class<T> iface) throws SQLException {
    return Unwrapping.unwrap(this, delegate, iface);
  }

  @Override
  public final boolean isWrapperFor(Class<?> iface) throws SQLException {
    return Unwrapping.isWrapperFor(this, delegate, iface);
  }

  @Override
  public void addBatch(String p0) throws SQLException {
    delegate.addBatch(p0);
  }

  @Override
  public void cancel() throws SQLException {
    delegate.cancel();
  }

  @Override
  public void clearBatch() throws SQLException {
    delegate.clearBatch();
  }

  @Override
  public void clearWarnings() throws SQLException {
    delegate.clearWarnings();
  }

  @Override
  public void closeOnCompletion() throws SQLException {
    delegate.closeOnCompletion();
  }

  @Override
  public String enquoteIdentifier(String p0, boolean p1) throws SQLException {
    return delegate.enquoteIdentifier(p0, p1);
  }

  @Override
  public String enquoteLiteral(String p0) throws SQLException {
    return delegate.enquoteLiteral(p0);
  }

  @Override
  public String enquoteNCharLiteral(String p0) throws SQLException {
    return delegate.enquoteNCharLiteral(p0);
  }

  @Override
  public boolean execute(String p0, int[] p1) throws SQLException {
    FeatureDbStats feature = recorder.currentStats();
    long start = recorder.started(feature);
    try {
      boolean result = delegate.execute(p0, p1);
      recorder.executed(feature, start, recorder.now());
      return result;
    } catch (SQLException e) {
      recorder.failed(feature, start, recorder.now(), e);
      throw e;
    } finally {
      recorder.finished(feature, start);
    }
  }

  @Override
  public boolean execute(String p0, String[] p1) throws SQLException {
    FeatureDbStats feature = recorder.currentStats();
    long start = recorder.started(feature);
    try {
      boolean result = delegate.execute(p0, p1);
      recorder.executed(feature, start, recorder.now());
      return result;
    } catch (SQLException e) {
      recorder.failed(feature, start, recorder.now(), e);
      throw e;
    } finally {
      recorder.finished(feature, start);
    }
  }

  @Override
  public boolean execute(String p0, int p1) throws SQLException {
    FeatureDbStats feature = recorder.currentStats();
    long start = recorder.started(feature);
    try {
      boolean result = delegate.execute(p0, p1);
      recorder.executed(feature, start, recorder.now());
      return result;
    } catch (SQLException e) {
      recorder.failed(feature, start, recorder.now(), e);
      throw e;
    } finally {
      recorder.finished(feature, start);
    }
  }

  @Override
  public boolean execute(String p0) throws SQLException {
    FeatureDbStats feature = recorder.currentStats();
    long start = recorder.started(feature);
    try {
      boolean result = delegate.execute(p0);
      recorder.executed(feature, start, recorder.now());
      return result;
    } catch (SQLException e) {
      recorder.failed(feature, start, recorder.now(), e);
      throw e;
    } finally {
      recorder.finished(feature, start);
    }
  }

  @Override
  public int[] executeBatch() throws SQLException {
    FeatureDbStats feature = recorder.currentStats();
    long start = recorder.started(feature);
    try {
      int[] result = delegate.executeBatch();
      recorder.executed(feature, start, recorder.now());
      return result;
    } catch (SQLException e) {
      recorder.failed(feature, start, recorder.now(), e);
      throw e;
    } finally {
      recorder.finished(feature, start);
    }
  }

  @Override
  public long[] executeLargeBatch() throws SQLException {
    FeatureDbStats feature = recorder.currentStats();
    long start = recorder.started(feature);
    try {
      long[] result = delegate.executeLargeBatch();
      recorder.executed(feature, start, recorder.now());
      return result;
    } catch (SQLException e) {
      recorder.failed(feature, start, recorder.now(), e);
      throw e;
    } finally {
      recorder.finished(feature, start);
    }
  }

  @Override
  public long executeLargeUpdate(String p0, int[] p1) throws SQLException {
    FeatureDbStats feature = recorder.currentStats();
    long start = recorder.started(feature);
    try {
      long result = delegate.executeLargeUpdate(p0, p1);
      recorder.executed(feature, start, recorder.now());
      return result;
    } catch (SQLException e) {
      recorder.failed(feature, start, recorder.now(), e);
      throw e;
    } finally {
      recorder.finished(feature, start);
    }
  }

  @Override
  public long executeLargeUpdate(String p0, String[] p1) throws SQLException {
    FeatureDbStats feature = recorder.currentStats();
    long start = recorder.started(feature);
    try {
      long result = delegate.executeLargeUpdate(p0, p1);
      recorder.executed(feature, start, recorder.now());
      return result;
    } catch (SQLException e) {
      recorder.failed(feature, start, recorder.now(), e);
      throw e;
    } finally {
      recorder.finished(feature, start);
    }
  }

  @Override
  public long executeLargeUpdate(String p0, int p1) throws SQLException {
    FeatureDbStats feature = recorder.currentStats();
    long start = recorder.started(feature);
    try {
      long result = delegate.executeLargeUpdate(p0, p1);
      recorder.executed(feature, start, recorder.now());
      return result;
    } catch (SQLException e) {
      recorder.failed(feature, start, recorder.now(), e);
      throw e;
    } finally {
      recorder.finished(feature, start);
    }
  }

  @Override
  public long executeLargeUpdate(String p0) throws SQLException {
    FeatureDbStats feature = recorder.currentStats();
    long start = recorder.started(feature);
    try {
      long result = delegate.executeLargeUpdate(p0);
      recorder.executed(feature, start, recorder.now());
      return result;
    } catch (SQLException e) {
      recorder.failed(feature, start, recorder.now(), e);
      throw e;
    } finally {
      recorder.finished(feature, start);
    }
  }

  @Override
  public java.sql.ResultSet executeQuery(String p0) throws SQLException {
    FeatureDbStats feature = recorder.currentStats();
    long start = recorder.started(feature);
    try {
      java.sql.ResultSet result = delegate.executeQuery(p0);
      recorder.executed(feature, start, recorder.now());
      return result;
    } catch (SQLException e) {
      recorder.failed(feature, start, recorder.now(), e);
      throw e;
    } finally {
      recorder.finished(feature, start);
    }
  }

  @Override
  public int executeUpdate(String p0, int[] p1) throws SQLException {
    FeatureDbStats feature = recorder.currentStats();
    long start = recorder.started(feature);
    try {
      int result = delegate.executeUpdate(p0, p1);
      recorder.executed(feature, start, recorder.now());
      return result;
    } catch (SQLException e) {
      recorder.failed(feature, start, recorder.now(), e);
      throw e;
    } finally {
      recorder.finished(feature, start);
    }
  }

  @Override
  public int executeUpdate(String p0, String[] p1) throws SQLException {
    FeatureDbStats feature = recorder.currentStats();
    long start = recorder.started(feature);
    try {
      int result = delegate.executeUpdate(p0, p1);
      recorder.executed(feature, start, recorder.now());
      return result;
    } catch (SQLException e) {
      recorder.failed(feature, start, recorder.now(), e);
      throw e;
    } finally {
      recorder.finished(feature, start);
    }
  }

  @Override
  public int executeUpdate(String p0, int p1) throws SQLException {
    FeatureDbStats feature = recorder.currentStats();
    long start = recorder.started(feature);
    try {
      int result = delegate.executeUpdate(p0, p1);
      recorder.executed(feature, start, recorder.now());
      return result;
    } catch (SQLException e) {
      recorder.failed(feature, start, recorder.now(), e);
      throw e;
    } finally {
      recorder.finished(feature, start);
    }
  }

  @Override
  public int executeUpdate(String p0) throws SQLException {
    FeatureDbStats feature = recorder.currentStats();
    long start = recorder.started(feature);
    try {
      int result = delegate.executeUpdate(p0);
      recorder.executed(feature, start, recorder.now());
      return result;
    } catch (SQLException e) {
      recorder.failed(feature, start, recorder.now(), e);
      throw e;
    } finally {
      recorder.finished(feature, start);
    }
  }

  @Override
  public int getFetchDirection() throws SQLException {
    return delegate.getFetchDirection();
  }

  @Override
  public int getFetchSize() throws SQLException {
    return delegate.getFetchSize();
  }

  @Override
  public java.sql.ResultSet getGeneratedKeys() throws SQLException {
    return delegate.getGeneratedKeys();
  }

  @Override
  public long getLargeMaxRows() throws SQLException {
    return delegate.getLargeMaxRows();
  }

  @Override
  public long getLargeUpdateCount() throws SQLException {
    return delegate.getLargeUpdateCount();
  }

  @Override
  public int getMaxFieldSize() throws SQLException {
    return delegate.getMaxFieldSize();
  }

  @Override
  public int getMaxRows() throws SQLException {
    return delegate.getMaxRows();
  }

  @Override
  public boolean getMoreResults() throws SQLException {
    return delegate.getMoreResults();
  }

  @Override
  public boolean getMoreResults(int p0) throws SQLException {
    return delegate.getMoreResults(p0);
  }

  @Override
  public int getQueryTimeout() throws SQLException {
    return delegate.getQueryTimeout();
  }

  @Override
  public java.sql.ResultSet getResultSet() throws SQLException {
    return delegate.getResultSet();
  }

  @Override
  public int getResultSetConcurrency() throws SQLException {
    return delegate.getResultSetConcurrency();
  }

  @Override
  public int getResultSetHoldability() throws SQLException {
    return delegate.getResultSetHoldability();
  }

  @Override
  public int getResultSetType() throws SQLException {
    return delegate.getResultSetType();
  }

  @Override
  public int getUpdateCount() throws SQLException {
    return delegate.getUpdateCount();
  }

  @Override
  public java.sql.SQLWarning getWarnings() throws SQLException {
    return delegate.getWarnings();
  }

  @Override
  public boolean isCloseOnCompletion() throws SQLException {
    return delegate.isCloseOnCompletion();
  }

  @Override
  public boolean isClosed() throws SQLException {
    return delegate.isClosed();
  }

  @Override
  public boolean isPoolable() throws SQLException {
    return delegate.isPoolable();
  }

  @Override
  public boolean isSimpleIdentifier(String p0) throws SQLException {
    return delegate.isSimpleIdentifier(p0);
  }

  @Override
  public void setCursorName(String p0) throws SQLException {
    delegate.setCursorName(p0);
  }

  @Override
  public void setEscapeProcessing(boolean p0) throws SQLException {
    delegate.setEscapeProcessing(p0);
  }

  @Override
  public void setFetchDirection(int p0) throws SQLException {
    delegate.setFetchDirection(p0);
  }

  @Override
  public void setFetchSize(int p0) throws SQLException {
    delegate.setFetchSize(p0);
  }

  @Override
  public void setLargeMaxRows(long p0) throws SQLException {
    delegate.setLargeMaxRows(p0);
  }

  @Override
  public void setMaxFieldSize(int p0) throws SQLException {
    delegate.setMaxFieldSize(p0);
  }

  @Override
  public void setMaxRows(int p0) throws SQLException {
    delegate.setMaxRows(p0);
  }

  @Override
  public void setPoolable(boolean p0) throws SQLException {
    delegate.setPoolable(p0);
  }

  @Override
  public void setQueryTimeout(int p0) throws SQLException {
    delegate.setQueryTimeout(p0);
  }
}
