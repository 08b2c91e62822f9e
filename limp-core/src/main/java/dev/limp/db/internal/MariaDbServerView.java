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
 * MariaDB's and MySQL's view, from {@code information_schema.PROCESSLIST} and {@code INNODB_TRX}, the lock
 * waits from {@code information_schema.INNODB_LOCK_WAITS}/{@code INNODB_LOCKS} (MariaDB, MySQL 5.7) or
 * {@code performance_schema.data_lock_waits}/{@code data_locks} (MySQL 8), and the connections from the
 * {@code Threads_connected} status against {@code @@max_connections}: two queries, the second only while
 * someone waits on a row lock. Sessions waiting on a table's metadata lock (an {@code ALTER TABLE},
 * {@code LOCK TABLES}) count as waiters too, but their blocker is not named (MariaDB shows it only with the
 * {@code METADATA_LOCK_INFO} plugin). The process list carries no application name: a blocker is named by its
 * {@code user@host}, and "our" waiters are those of the view's own user and client host.
 *
 * <p>Each statement has its own time limit: {@code SET STATEMENT max_statement_time = … FOR} on MariaDB (the
 * session's setting is untouched), {@link Statement#setQueryTimeout} on MySQL (whole seconds). {@code INNODB_TRX}
 * needs the {@code PROCESS} privilege; without it the first query fails with an access error (SQLState 42000),
 * which {@link DatabaseViewRunner} says once before it stops the view. Stateless.
 */
final class MariaDbServerView implements ServerView {
  /** The catalog tables of each server kind. */
  enum Dialect {
    /** MariaDB (every version limp supports), MySQL before 8. */
    MARIADB(
        "(SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = 'THREADS_CONNECTED')",
        "p.TIME_MS",
        "SELECT w.blocking_trx_id AS blocker, w.requesting_trx_id AS waiter, "
            + "l.lock_mode AS mode, l.lock_type AS type, l.lock_table AS tbl "
            + "FROM information_schema.INNODB_LOCK_WAITS w "
            + "LEFT JOIN information_schema.INNODB_LOCKS l ON l.lock_id = w.blocking_lock_id"),
    /** MySQL 8 and later: the lock waits moved to performance_schema, the process list has no TIME_MS. */
    MYSQL8(
        "(SELECT VARIABLE_VALUE FROM performance_schema.global_status WHERE VARIABLE_NAME = 'Threads_connected')",
        "p.TIME * 1000",
        "SELECT w.BLOCKING_ENGINE_TRANSACTION_ID AS blocker, w.REQUESTING_ENGINE_TRANSACTION_ID AS waiter, "
            + "l.LOCK_MODE AS mode, l.LOCK_TYPE AS type, CONCAT(l.OBJECT_SCHEMA, '.', l.OBJECT_NAME) AS tbl "
            + "FROM performance_schema.data_lock_waits w "
            + "LEFT JOIN performance_schema.data_locks l ON l.ENGINE_LOCK_ID = w.BLOCKING_ENGINE_LOCK_ID");

    final String summary;
    final String blockers;

    Dialect(String threadsConnected, String ageMillis, String lockWaits) {
      String waiting = "(t.trx_state = 'LOCK WAIT' OR p.STATE LIKE 'Waiting for%lock%')";
      this.summary = "SELECT " + threadsConnected + " / @@max_connections, "
          + "COALESCE(SUM(" + waiting + "), 0), "
          + "COALESCE(MAX(CASE WHEN " + waiting + " THEN " + ageMillis + " END), 0), "
          + "COALESCE(MAX(CASE WHEN p.COMMAND IN ('Query', 'Execute') THEN " + ageMillis + " END), 0), "
          + "COALESCE(MAX(CASE WHEN p.COMMAND = 'Sleep' AND t.trx_id IS NOT NULL THEN " + ageMillis + " END), 0), "
          + "COALESCE(SUM(t.trx_state = 'LOCK WAIT'), 0) "
          + "FROM information_schema.PROCESSLIST p "
          + "LEFT JOIN information_schema.INNODB_TRX t ON t.trx_mysql_thread_id = p.ID "
          + "WHERE p.DB = DATABASE() AND p.ID <> CONNECTION_ID()";
      // who blocks whom: each blocker that does not wait itself (InnoDB also lists each waiter as blocking the
      // waiters queued behind it), how many of the database's sessions wait on it (ours: the same user from
      // the same client host as this connection), the lock they want, and the age of its transaction
      this.blockers = "SELECT b.ID, CONCAT(b.USER, '@', SUBSTRING_INDEX(b.HOST, ':', 1)), "
          + "COALESCE(TIMESTAMPDIFF(MICROSECOND, bt.trx_started, NOW(6)) / 1000, 0), "
          + "COUNT(DISTINCT w.waiter), "
          + "COUNT(DISTINCT CASE WHEN wp.USER = me.USER "
          + "  AND SUBSTRING_INDEX(wp.HOST, ':', 1) = SUBSTRING_INDEX(me.HOST, ':', 1) THEN w.waiter END), "
          + "MIN(CONCAT(w.mode, '|', w.type, '|', w.tbl)) "
          + "FROM (" + lockWaits + ") w "
          + "JOIN information_schema.INNODB_TRX wt ON wt.trx_id = w.waiter "
          + "JOIN information_schema.PROCESSLIST wp ON wp.ID = wt.trx_mysql_thread_id AND wp.DB = DATABASE() "
          + "JOIN information_schema.INNODB_TRX bt ON bt.trx_id = w.blocker "
          + "JOIN information_schema.PROCESSLIST b ON b.ID = bt.trx_mysql_thread_id "
          + "CROSS JOIN (SELECT USER, HOST FROM information_schema.PROCESSLIST WHERE ID = CONNECTION_ID()) me "
          + "WHERE bt.trx_state <> 'LOCK WAIT' "
          + "GROUP BY b.ID, b.USER, b.HOST, bt.trx_started ORDER BY COUNT(DISTINCT w.waiter) DESC, b.ID LIMIT 3";
    }
  }

  private final boolean mariaDb;

  /** @param mariaDb whether the server is MariaDB (else MySQL) */
  MariaDbServerView(boolean mariaDb) {
    this.mariaDb = mariaDb;
  }

  @Override
  public ServerReadings read(Connection connection, Duration timeout) throws SQLException {
    Dialect dialect = mariaDb || connection.getMetaData().getDatabaseMajorVersion() < 8 ? Dialect.MARIADB
        : Dialect.MYSQL8;
    String prefix = "";
    try (Statement s = connection.createStatement()) {
      if (mariaDb) {
        prefix = String.format(Locale.ROOT, "SET STATEMENT max_statement_time = %.3f FOR ",
            Math.max(1, timeout.toMillis()) / 1000.0);
      } else {
        s.setQueryTimeout((int) Math.max(1, (timeout.toMillis() + 999) / 1000));
      }
      double used;
      int waiting;
      double longestWait;
      double oldestQuery;
      double oldestIdle;
      int rowLockWaiters;
      try (ResultSet rs = s.executeQuery(prefix + dialect.summary)) {
        rs.next();
        used = rs.getDouble(1);
        waiting = rs.getInt(2);
        longestWait = rs.getDouble(3);
        oldestQuery = rs.getDouble(4);
        oldestIdle = rs.getDouble(5);
        rowLockWaiters = rs.getInt(6);
      }
      List<Blocker> blockers = new ArrayList<>();
      if (rowLockWaiters > 0) {
        String catalog = connection.getCatalog();
        try (ResultSet rs = s.executeQuery(prefix + dialect.blockers)) {
          while (rs.next()) {
            blockers.add(new Blocker(rs.getLong(1), rs.getString(2), describe(rs.getString(6), catalog),
                Math.round(rs.getDouble(3)), rs.getInt(4), rs.getInt(5)));
          }
        }
      }
      return new ServerReadings(used, waiting, longestWait, oldestQuery, oldestIdle, blockers, false);
    }
  }

  /**
   * "X|RECORD|`chat`.`notifications`" as "EXCLUSIVE row lock on notifications" (the database's name only when
   * it is not {@code catalog}, the connection's); MySQL 8's "X,REC_NOT_GAP" as "EXCLUSIVE row lock"; "a lock"
   * when the lock is unknown (released between the two reads).
   */
  static String describe(String modeTypeTable, String catalog) {
    if (modeTypeTable == null) {
      return "a lock";
    }
    String[] parts = modeTypeTable.split("\\|", -1);
    String[] modes = parts[0].split(",");
    StringBuilder sb = new StringBuilder(switch (modes[0]) {
      case "X" -> "EXCLUSIVE";
      case "S" -> "SHARED";
      case "IX" -> "INTENTION EXCLUSIVE";
      case "IS" -> "INTENTION SHARED";
      case "AUTO_INC" -> "AUTO-INC";
      default -> modes[0];
    });
    for (int i = 1; i < modes.length; i++) {
      if (modes[i].equals("GAP")) {
        sb.append(" GAP");
      }
    }
    sb.append(parts.length > 1 && parts[1].equals("TABLE") ? " table lock" : " row lock");
    if (parts.length > 2 && !parts[2].isEmpty()) {
      String table = parts[2].replace("`", "");
      String own = catalog + ".";
      sb.append(" on ").append(catalog != null && table.startsWith(own) ? table.substring(own.length()) : table);
    }
    return sb.toString();
  }
}
