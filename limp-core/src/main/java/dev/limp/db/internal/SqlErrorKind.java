package dev.limp.db.internal;

import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientConnectionException;

/** What kind of database trouble an {@link SQLException} says, from its SQLState and vendor code. */
public enum SqlErrorKind {
  /**
   * Lock timeout, deadlock or serialization failure: 40001, 40P01, 55P03; MariaDB/MySQL 1205 (lock wait
   * timeout), 1213 (deadlock) and MySQL's 3572 (NOWAIT).
   */
  LOCK,
  /**
   * Statement timeout or cancel: 57014 (PostgreSQL), 70100 (MariaDB/MySQL, query interrupted); MariaDB's 1969
   * ({@code max_statement_time}), MySQL's 3024 ({@code MAX_EXECUTION_TIME}) and 1317 (interrupted); or a
   * {@link SQLTimeoutException}.
   */
  TIMEOUT,
  /** The connection failed or could not be had: SQLState class 08, or a transient connection exception. */
  CONNECTION,
  /** Anything else: a bad statement, a constraint, … (the application's own business). */
  OTHER;

  /** Classifies an exception, looking through chained SQL exceptions once. */
  public static SqlErrorKind of(SQLException e) {
    SqlErrorKind kind = classify(e);
    if (kind == OTHER && e.getNextException() != null) {
      kind = classify(e.getNextException());
    }
    return kind;
  }

  /**
   * Whether the statement itself is wrong for this database rather than the database unwell: SQLState class
   * 42 (syntax error or access rule violation: a typo, an unknown table, a missing grant), 28 (invalid
   * authorization), 3D (invalid catalog) or 3F (invalid schema). Looks through chained exceptions once.
   */
  public static boolean isConfiguration(SQLException e) {
    return configurationState(e.getSQLState())
        || (e.getNextException() != null && configurationState(e.getNextException().getSQLState()));
  }

  private static boolean configurationState(String state) {
    return state != null && (state.startsWith("42") || state.startsWith("28") || state.startsWith("3D")
        || state.startsWith("3F"));
  }

  private static SqlErrorKind classify(SQLException e) {
    String state = e.getSQLState();
    int vendor = e.getErrorCode();
    if (state != null) {
      if (state.equals("40001") || state.equals("40P01") || state.equals("55P03")) {
        return LOCK;
      }
      if (state.equals("57014") || state.equals("70100")) {
        return TIMEOUT;
      }
      if (state.startsWith("08")) {
        return CONNECTION;
      }
    }
    if (vendor == 1205 || vendor == 1213 || vendor == 3572) { // lock wait timeout, deadlock, NOWAIT (MySQL)
      return LOCK;
    }
    if (vendor == 1969 || vendor == 3024 || vendor == 1317) { // max_statement_time, MAX_EXECUTION_TIME, KILL QUERY
      return TIMEOUT;
    }
    if (e instanceof SQLTimeoutException) {
      return TIMEOUT;
    }
    if (e instanceof SQLTransientConnectionException) {
      return CONNECTION;
    }
    return OTHER;
  }
}
