package dev.limp.db.internal;

import dev.limp.codegen.Delegating;
import java.sql.CallableStatement;

/**
 * The hooks of a monitored {@link CallableStatement}: those of {@link MonitoredStatement}, over the methods
 * {@link CallableStatement} adds too; the delegation is generated ({@code GeneratedMonitoredCallableStatement}).
 * Not thread-safe, like a statement.
 */
@Delegating(to = "callable", timed = "execute")
public abstract class MonitoredCallableStatement extends MonitoredPreparedStatement implements CallableStatement {
  MonitoredCallableStatement(MonitoredConnection connection, JdbcRecorder recorder, CallableStatement callable,
      String sql) {
    super(connection, recorder, callable, sql);
  }
}
