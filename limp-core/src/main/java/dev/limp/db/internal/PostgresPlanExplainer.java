package dev.limp.db.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * PostgreSQL's plans, in the text format (limp-core reads no JSON): {@code EXPLAIN} of the statement as it
 * ran, in a transaction with {@code SET LOCAL statement_timeout}, rolled back. A statement with JDBC
 * {@code ?} placeholders cannot be explained as it is: it is prepared under a name of limp's
 * ({@code PREPARE limp_plan_watch AS ...} with {@code $1, $2, ...}), explained with
 * {@code plan_cache_mode = force_generic_plan} and every parameter NULL ({@code EXPLAIN EXECUTE}), which
 * gives the generic plan, the one that does not depend on the values (what PostgreSQL 16's
 * {@code EXPLAIN (GENERIC_PLAN)} shows; the local server is 15), and deallocated. A sequential scan's
 * headline gives the table's size from {@code pg_class.reltuples}: the rows it reads, where the plan's
 * estimate is of the rows it returns. Stateless.
 */
final class PostgresPlanExplainer implements PlanExplainer {
  private static final String NAME = "limp_plan_watch";
  private static final String TABLE_ROWS = "SELECT reltuples::bigint FROM pg_class WHERE oid = to_regclass(?)";

  @Override
  public String headline(Connection connection, String sql, Duration timeout) throws SQLException {
    boolean autoCommit = connection.getAutoCommit();
    StatementText.Numbered numbered = StatementText.number(sql, StatementText.Quoting.STANDARD);
    boolean prepared = false;
    connection.setAutoCommit(false);
    try (Statement s = connection.createStatement()) {
      s.execute("SET LOCAL statement_timeout = " + Math.max(1, timeout.toMillis()));
      List<String> lines;
      if (numbered.parameters() == 0) {
        lines = explain(s, "EXPLAIN " + sql);
      } else {
        s.execute("SET LOCAL plan_cache_mode = force_generic_plan");
        s.execute("PREPARE " + NAME + " AS " + numbered.sql());
        prepared = true;
        lines = explain(s, "EXPLAIN EXECUTE " + NAME + "(" + nulls(numbered.parameters()) + ")");
      }
      PlanHeadline headline = PlanHeadline.of(lines);
      return headline.text(headline.sequentialScan() ? tableRows(connection, headline.relation()) : -1);
    } finally {
      connection.rollback(); // the SET LOCALs go with it
      if (prepared) { // a prepared statement outlives its transaction: the pool's connection is left as found
        try (Statement s = connection.createStatement()) {
          s.execute("DEALLOCATE " + NAME);
        }
        connection.rollback();
      }
      connection.setAutoCommit(autoCommit);
    }
  }

  private static List<String> explain(Statement s, String explain) throws SQLException {
    List<String> lines = new ArrayList<>();
    try (ResultSet rs = s.executeQuery(explain)) {
      while (rs.next()) {
        lines.add(rs.getString(1));
      }
    }
    return lines;
  }

  private static String nulls(int count) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < count; i++) {
      sb.append(i == 0 ? "NULL" : ", NULL");
    }
    return sb.toString();
  }

  /** The catalog's estimate of a table's rows; -1 when unknown (never analyzed, or not found). */
  private static long tableRows(Connection connection, String relation) throws SQLException {
    try (PreparedStatement p = connection.prepareStatement(TABLE_ROWS)) {
      p.setString(1, relation);
      try (ResultSet rs = p.executeQuery()) {
        return rs.next() ? rs.getLong(1) : -1;
      }
    }
  }
}
