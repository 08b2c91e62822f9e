package dev.limp.db.internal;

import dev.limp.codegen.Delegating;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The hooks of a monitored {@link Statement}: each {@code execute*} is timed and attributed to the feature
 * running on the calling thread, its {@link SQLException}s are classified and pass through unchanged, and
 * {@link #getConnection()} hands back the monitored connection. Every other method delegates; that code is
 * generated at build time ({@code GeneratedMonitoredStatement}, by {@code dev.limp.codegen}) and calls the
 * timing template here, the one place that knows how a statement is recorded. Not thread-safe, like a
 * statement.
 */
@Delegating(to = "delegate", timed = "execute")
public abstract class MonitoredStatement extends JdbcWrapper implements Statement {
  final MonitoredConnection connection;
  final JdbcRecorder recorder;
  final Statement delegate;
  /**
   * The SQL text of the statement running or last run: a prepared statement's from the start; a plain
   * statement's from each {@code execute*(sql)} (a field write, no copy); {@code null} until then.
   */
  private String text;

  MonitoredStatement(MonitoredConnection connection, JdbcRecorder recorder, Statement delegate, String text) {
    super(delegate);
    this.connection = connection;
    this.recorder = recorder;
    this.delegate = delegate;
    this.text = text;
  }

  @Override
  public final Connection getConnection() throws SQLException {
    delegate.getConnection(); // throws if closed, as the driver would
    return connection;
  }

  // ---------------------------------------------------------------- the timing template
  // A generated execute method runs: feature = attribution(); start = begin(feature) (begin(feature, sql) when
  // it is given the text); the call; then
  // succeeded(feature, start) or throw failed(feature, start, e); finally finished(feature, start).
  // Nothing here allocates or captures, so the JIT inlines it into each generated method.

  /** The stats of the feature running on this thread, which the statement about to run is counted against. */
  final FeatureDbStats attribution() {
    return recorder.currentStats();
  }

  /** A statement starts: returns its start time and counts it as running. */
  final long begin(FeatureDbStats feature) {
    return recorder.started(feature);
  }

  /** A statement given its text ({@code execute(sql)}) starts: keeps the text, then as {@link #begin(FeatureDbStats)}. */
  final long begin(FeatureDbStats feature, String sql) {
    text = sql;
    return recorder.started(feature);
  }

  /** The statement completed: records its time. */
  final void succeeded(FeatureDbStats feature, long start) {
    recorder.executed(feature, start, recorder.now(), text);
  }

  /** The statement failed: records its time and the kind of error; returns {@code e}, to be thrown as is. */
  final SQLException failed(FeatureDbStats feature, long start, SQLException e) {
    recorder.failed(feature, start, recorder.now(), text, e);
    return e;
  }

  /** The statement stopped running, whatever the outcome. */
  final void finished(FeatureDbStats feature, long start) {
    recorder.finished(feature, start);
  }
}
