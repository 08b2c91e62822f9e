package dev.limp.test.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * EXPLAINs a statement on one kind of database (never ANALYZE: nothing runs) and reads its JSON plan as a
 * tree. Stateless; a connection is used by one call at a time and left as found.
 */
public interface PlanReader {
  /**
   * The tables the plan of {@code sql} reads by a sequential (full) scan.
   *
   * @throws SQLException if the database cannot plan it (a placeholder whose type it cannot infer, say)
   */
  List<TableScan> fullScans(Connection connection, String sql, Duration timeout) throws SQLException;

  /** The reader for a database, by its JDBC product name; {@code null} if limp cannot read its plans. */
  static PlanReader of(String productName) {
    String name = productName.toLowerCase(Locale.ROOT);
    if (name.contains("postgresql")) {
      return new PostgresPlanReader();
    }
    if (name.contains("mariadb") || name.contains("mysql")) {
      return new MariaDbPlanReader();
    }
    return null;
  }
}
