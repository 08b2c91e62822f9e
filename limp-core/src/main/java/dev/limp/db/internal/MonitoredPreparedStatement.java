package dev.limp.db.internal;

import dev.limp.codegen.Delegating;
import java.sql.PreparedStatement;

/**
 * The hooks of a monitored {@link PreparedStatement}: those of {@link MonitoredStatement}, over the methods
 * {@link PreparedStatement} adds too; the delegation is generated ({@code GeneratedMonitoredPreparedStatement}).
 * Not thread-safe, like a statement.
 */
@Delegating(to = "prepared", timed = "execute")
public abstract class MonitoredPreparedStatement extends MonitoredStatement implements PreparedStatement {
  MonitoredPreparedStatement(MonitoredConnection connection, JdbcRecorder recorder, PreparedStatement prepared,
      String sql) {
    super(connection, recorder, prepared, sql);
  }
}
