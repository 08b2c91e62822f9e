package dev.limp.db.internal;

import dev.limp.db.Blocker;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * PostgreSQL's view, from {@code pg_stat_activity}, {@code pg_blocking_pids} and {@code pg_locks}: two
 * catalog queries, the second only while someone waits on a lock. {@code pg_blocking_pids} is asked only of
 * the sessions waiting on a lock. Without {@code pg_read_all_stats} other users' sessions show no state, so
 * the ages cover this user's sessions only ({@link ServerReadings#partial()}). Stateless.
 */
final class PostgresServerView implements ServerView {
  private static final String SUMMARY = "SELECT "
      + "(SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend')::float8 "
      + "  / current_setting('max_connections')::float8, "
      + "count(*) FILTER (WHERE wait_event_type = 'Lock'), "
      + "coalesce(extract(epoch FROM max(now() - query_start) FILTER (WHERE wait_event_type = 'Lock')) * 1000, 0), "
      + "coalesce(extract(epoch FROM max(now() - query_start) FILTER (WHERE state = 'active')) * 1000, 0), "
      + "coalesce(extract(epoch FROM max(now() - state_change) "
      + "  FILTER (WHERE state LIKE 'idle in transaction%')) * 1000, 0), "
      + "bool_or(state IS NULL) "
      + "FROM pg_stat_activity WHERE backend_type = 'client backend' AND datname = current_database() "
      + "AND pid <> pg_backend_pid()";

  /** Who blocks whom: each blocker, how many wait on it (ours: our application name), and the lock they want. */
  private static final String BLOCKERS = "WITH w AS ("
      + "  SELECT pid, application_name, unnest(pg_blocking_pids(pid)) AS blocker FROM pg_stat_activity"
      + "  WHERE wait_event_type = 'Lock' AND datname = current_database()) "
      + "SELECT b.pid, coalesce(b.application_name, ''), "
      + "  coalesce(extract(epoch FROM now() - coalesce(b.xact_start, b.query_start)) * 1000, 0), "
      + "  count(*), count(*) FILTER (WHERE w.application_name = current_setting('application_name')), "
      + "  (SELECT l.mode || ' ' || l.relation::regclass::text FROM pg_locks l JOIN pg_locks wl "
      + "     ON wl.relation = l.relation AND NOT wl.granted "
      + "     AND wl.pid IN (SELECT w2.pid FROM w w2 WHERE w2.blocker = b.pid) "
      + "   WHERE l.pid = b.pid AND l.granted AND l.relation IS NOT NULL LIMIT 1) "
      + "FROM w JOIN pg_stat_activity b ON b.pid = w.blocker "
      + "GROUP BY b.pid, b.application_name, b.xact_start, b.query_start ORDER BY count(*) DESC, b.pid LIMIT 3";

  @Override
  public ServerReadings read(Connection connection, Duration timeout) throws SQLException {
    boolean autoCommit = connection.getAutoCommit();
    connection.setAutoCommit(false);
    try (Statement s = connection.createStatement()) {
      s.execute("SET LOCAL statement_timeout = " + Math.max(1, timeout.toMillis()));
      return read(s);
    } finally {
      connection.rollback(); // the SET LOCAL goes with it: the pool's connection is left as found
      connection.setAutoCommit(autoCommit);
    }
  }

  private static ServerReadings read(Statement s) throws SQLException {
    {
      double used;
      int waiting;
      double longestWait;
      double oldestQuery;
      double oldestIdle;
      boolean partial;
      try (ResultSet rs = s.executeQuery(SUMMARY)) {
        rs.next();
        used = rs.getDouble(1);
        waiting = rs.getInt(2);
        longestWait = rs.getDouble(3);
        oldestQuery = rs.getDouble(4);
        oldestIdle = rs.getDouble(5);
        partial = rs.getBoolean(6);
      }
      List<Blocker> blockers = new ArrayList<>();
      if (waiting > 0) {
        try (ResultSet rs = s.executeQuery(BLOCKERS)) {
          while (rs.next()) {
            String lock = rs.getString(6);
            blockers.add(new Blocker(rs.getLong(1), rs.getString(2), lock == null ? "a lock" : describe(lock),
                Math.round(rs.getDouble(3)), rs.getInt(4), rs.getInt(5)));
          }
        }
      }
      return new ServerReadings(used, waiting, longestWait, oldestQuery, oldestIdle, blockers, partial);
    }
  }

  /** "AccessExclusiveLock notifications" as "ACCESS EXCLUSIVE lock on notifications". */
  static String describe(String modeAndRelation) {
    int space = modeAndRelation.indexOf(' ');
    String mode = modeAndRelation.substring(0, space).replaceFirst("Lock$", "");
    String words = mode.replaceAll("([a-z])([A-Z])", "$1 $2").toUpperCase(Locale.ROOT);
    return words + " lock on " + modeAndRelation.substring(space + 1);
  }
}
