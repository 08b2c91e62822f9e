package dev.limp.db;

/**
 * Told of each statement that ran through a {@link MonitoredDataSource}, on the thread that ran it, once it
 * has completed or failed: its SQL text as the application passed it (with {@code ?} placeholders for a
 * prepared statement's parameters, whose values are never seen), the feature it ran for, and how long it took.
 * A statement whose text the wrapper did not see (a plain statement's batch) is not reported.
 *
 * <p>Add one with {@link MonitoredDataSource#addStatementListener}. It runs on the application's hot path: keep
 * it short and do not block. An exception it throws is logged and contained; the statement's outcome is
 * unchanged. Implementations must be thread-safe.
 */
@FunctionalInterface
public interface StatementListener {
  /**
   * A statement ran.
   *
   * @param sql the statement's text, never {@code null}
   * @param feature the feature it ran for, or {@code null} for work outside any guard
   * @param elapsedNanos how long it ran
   */
  void executed(String sql, String feature, long elapsedNanos);
}
