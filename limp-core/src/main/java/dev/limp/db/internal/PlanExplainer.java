package dev.limp.db.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Locale;

/**
 * Explains one statement on one kind of database, on a connection it is given: {@code EXPLAIN}, never
 * {@code ANALYZE}, so nothing runs. One implementation per database: PostgreSQL's and MariaDB/MySQL's.
 * Stateless.
 */
interface PlanExplainer {
  /**
   * The headline of the statement's plan, as the plan watch shows it ("Seq Scan on notifications, ~200,000
   * rows"). Leaves the connection's settings as found.
   *
   * @param sql the statement as the application ran it; JDBC {@code ?} placeholders allowed
   * @param timeout the statement timeout of the EXPLAIN (and of any catalog read it needs)
   */
  String headline(Connection connection, String sql, Duration timeout) throws SQLException;

  /**
   * How the database quotes strings and names: a statement's shape (the key of its plan, and what the log
   * shows) is made by it. PostgreSQL's unless the explainer says otherwise.
   */
  default StatementText.Quoting quoting() {
    return StatementText.Quoting.STANDARD;
  }

  /** The explainer of a database by its JDBC product name; {@code null} when limp cannot explain it. */
  static PlanExplainer of(String productName) {
    String name = productName.toLowerCase(Locale.ROOT);
    if (name.contains("postgresql")) {
      return new PostgresPlanExplainer();
    }
    if (name.contains("mariadb") || name.contains("mysql")) {
      return new MariaDbPlanExplainer(name.contains("mariadb"));
    }
    return null;
  }
}
