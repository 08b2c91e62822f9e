package dev.limp.db.internal;

import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * A monitored {@link PreparedStatement}; see {@link MonitoredStatement}. Generated from the methods
 * {@link PreparedStatement} adds to {@link java.sql.Statement}.
 */
public class MonitoredPreparedStatement extends MonitoredStatement implements PreparedStatement {
  private final PreparedStatement prepared;

  MonitoredPreparedStatement(MonitoredConnection connection, JdbcRecorder recorder, PreparedStatement prepared) {
    super(connection, recorder, prepared);
    this.prepared = prepared;
  }

  @Override
  public void addBatch() throws SQLException {
    prepared.addBatch();
  }

  @Override
  public void clearParameters() throws SQLException {
    prepared.clearParameters();
  }

  @Override
  public boolean execute() throws SQLException {
    FeatureDbStats feature = recorder.currentStats();
    long start = recorder.started(feature);
    try {
      boolean result = prepared.execute();
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
  public long executeLargeUpdate() throws SQLException {
    FeatureDbStats feature = recorder.currentStats();
    long start = recorder.started(feature);
    try {
      long result = prepared.executeLargeUpdate();
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
  public java.sql.ResultSet executeQuery() throws SQLException {
    FeatureDbStats feature = recorder.currentStats();
    long start = recorder.started(feature);
    try {
      java.sql.ResultSet result = prepared.executeQuery();
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
  public int executeUpdate() throws SQLException {
    FeatureDbStats feature = recorder.currentStats();
    long start = recorder.started(feature);
    try {
      int result = prepared.executeUpdate();
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
  public java.sql.ResultSetMetaData getMetaData() throws SQLException {
    return prepared.getMetaData();
  }

  @Override
  public java.sql.ParameterMetaData getParameterMetaData() throws SQLException {
    return prepared.getParameterMetaData();
  }

  @Override
  public void setArray(int p0, java.sql.Array p1) throws SQLException {
    prepared.setArray(p0, p1);
  }

  @Override
  public void setAsciiStream(int p0, java.io.InputStream p1, int p2) throws SQLException {
    prepared.setAsciiStream(p0, p1, p2);
  }

  @Override
  public void setAsciiStream(int p0, java.io.InputStream p1, long p2) throws SQLException {
    prepared.setAsciiStream(p0, p1, p2);
  }

  @Override
  public void setAsciiStream(int p0, java.io.InputStream p1) throws SQLException {
    prepared.setAsciiStream(p0, p1);
  }

  @Override
  public void setBigDecimal(int p0, java.math.BigDecimal p1) throws SQLException {
    prepared.setBigDecimal(p0, p1);
  }

  @Override
  public void setBinaryStream(int p0, java.io.InputStream p1, int p2) throws SQLException {
    prepared.setBinaryStream(p0, p1, p2);
  }

  @Override
  public void setBinaryStream(int p0, java.io.InputStream p1, long p2) throws SQLException {
    prepared.setBinaryStream(p0, p1, p2);
  }

  @Override
  public void setBinaryStream(int p0, java.io.InputStream p1) throws SQLException {
    prepared.setBinaryStream(p0, p1);
  }

  @Override
  public void setBlob(int p0, java.io.InputStream p1, long p2) throws SQLException {
    prepared.setBlob(p0, p1, p2);
  }

  @Override
  public void setBlob(int p0, java.io.InputStream p1) throws SQLException {
    prepared.setBlob(p0, p1);
  }

  @Override
  public void setBlob(int p0, java.sql.Blob p1) throws SQLException {
    prepared.setBlob(p0, p1);
  }

  @Override
  public void setBoolean(int p0, boolean p1) throws SQLException {
    prepared.setBoolean(p0, p1);
  }

  @Override
  public void setByte(int p0, byte p1) throws SQLException {
    prepared.setByte(p0, p1);
  }

  @Override
  public void setBytes(int p0, byte[] p1) throws SQLException {
    prepared.setBytes(p0, p1);
  }

  @Override
  public void setCharacterStream(int p0, java.io.Reader p1, int p2) throws SQLException {
    prepared.setCharacterStream(p0, p1, p2);
  }

  @Override
  public void setCharacterStream(int p0, java.io.Reader p1, long p2) throws SQLException {
    prepared.setCharacterStream(p0, p1, p2);
  }

  @Override
  public void setCharacterStream(int p0, java.io.Reader p1) throws SQLException {
    prepared.setCharacterStream(p0, p1);
  }

  @Override
  public void setClob(int p0, java.io.Reader p1, long p2) throws SQLException {
    prepared.setClob(p0, p1, p2);
  }

  @Override
  public void setClob(int p0, java.io.Reader p1) throws SQLException {
    prepared.setClob(p0, p1);
  }

  @Override
  public void setClob(int p0, java.sql.Clob p1) throws SQLException {
    prepared.setClob(p0, p1);
  }

  @Override
  public void setDate(int p0, java.sql.Date p1, java.util.Calendar p2) throws SQLException {
    prepared.setDate(p0, p1, p2);
  }

  @Override
  public void setDate(int p0, java.sql.Date p1) throws SQLException {
    prepared.setDate(p0, p1);
  }

  @Override
  public void setDouble(int p0, double p1) throws SQLException {
    prepared.setDouble(p0, p1);
  }

  @Override
  public void setFloat(int p0, float p1) throws SQLException {
    prepared.setFloat(p0, p1);
  }

  @Override
  public void setInt(int p0, int p1) throws SQLException {
    prepared.setInt(p0, p1);
  }

  @Override
  public void setLong(int p0, long p1) throws SQLException {
    prepared.setLong(p0, p1);
  }

  @Override
  public void setNCharacterStream(int p0, java.io.Reader p1, long p2) throws SQLException {
    prepared.setNCharacterStream(p0, p1, p2);
  }

  @Override
  public void setNCharacterStream(int p0, java.io.Reader p1) throws SQLException {
    prepared.setNCharacterStream(p0, p1);
  }

  @Override
  public void setNClob(int p0, java.io.Reader p1, long p2) throws SQLException {
    prepared.setNClob(p0, p1, p2);
  }

  @Override
  public void setNClob(int p0, java.io.Reader p1) throws SQLException {
    prepared.setNClob(p0, p1);
  }

  @Override
  public void setNClob(int p0, java.sql.NClob p1) throws SQLException {
    prepared.setNClob(p0, p1);
  }

  @Override
  public void setNString(int p0, String p1) throws SQLException {
    prepared.setNString(p0, p1);
  }

  @Override
  public void setNull(int p0, int p1, String p2) throws SQLException {
    prepared.setNull(p0, p1, p2);
  }

  @Override
  public void setNull(int p0, int p1) throws SQLException {
    prepared.setNull(p0, p1);
  }

  @Override
  public void setObject(int p0, Object p1, int p2, int p3) throws SQLException {
    prepared.setObject(p0, p1, p2, p3);
  }

  @Override
  public void setObject(int p0, Object p1, int p2) throws SQLException {
    prepared.setObject(p0, p1, p2);
  }

  @Override
  public void setObject(int p0, Object p1, java.sql.SQLType p2, int p3) throws SQLException {
    prepared.setObject(p0, p1, p2, p3);
  }

  @Override
  public void setObject(int p0, Object p1, java.sql.SQLType p2) throws SQLException {
    prepared.setObject(p0, p1, p2);
  }

  @Override
  public void setObject(int p0, Object p1) throws SQLException {
    prepared.setObject(p0, p1);
  }

  @Override
  public void setRef(int p0, java.sql.Ref p1) throws SQLException {
    prepared.setRef(p0, p1);
  }

  @Override
  public void setRowId(int p0, java.sql.RowId p1) throws SQLException {
    prepared.setRowId(p0, p1);
  }

  @Override
  public void setSQLXML(int p0, java.sql.SQLXML p1) throws SQLException {
    prepared.setSQLXML(p0, p1);
  }

  @Override
  public void setShort(int p0, short p1) throws SQLException {
    prepared.setShort(p0, p1);
  }

  @Override
  public void setString(int p0, String p1) throws SQLException {
    prepared.setString(p0, p1);
  }

  @Override
  public void setTime(int p0, java.sql.Time p1, java.util.Calendar p2) throws SQLException {
    prepared.setTime(p0, p1, p2);
  }

  @Override
  public void setTime(int p0, java.sql.Time p1) throws SQLException {
    prepared.setTime(p0, p1);
  }

  @Override
  public void setTimestamp(int p0, java.sql.Timestamp p1, java.util.Calendar p2) throws SQLException {
    prepared.setTimestamp(p0, p1, p2);
  }

  @Override
  public void setTimestamp(int p0, java.sql.Timestamp p1) throws SQLException {
    prepared.setTimestamp(p0, p1);
  }

  @Override
  public void setURL(int p0, java.net.URL p1) throws SQLException {
    prepared.setURL(p0, p1);
  }

  @Deprecated
  @SuppressWarnings("deprecation")
  @Override
  public void setUnicodeStream(int p0, java.io.InputStream p1, int p2) throws SQLException {
    prepared.setUnicodeStream(p0, p1, p2);
  }
}
