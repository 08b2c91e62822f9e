package dev.limp.db.internal;

import dev.limp.db.internal.MariaDbPlanHeadline.Row;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;

/**
 * MariaDB's and MySQL's plans, in the classic tabular format (limp-core reads no JSON): {@code EXPLAIN} of the
 * statement as it ran, one row per table read, read through JDBC by column ({@code table}, {@code type},
 * {@code key}, {@code rows}, {@code Extra}); the headline is chosen by {@link MariaDbPlanHeadline}. Nothing
 * else is read: no catalog, no privilege beyond the statement's own (SELECT on its tables for a query).
 *
 * <p><b>Time limit.</b> On MariaDB, {@code SET STATEMENT max_statement_time=<seconds> FOR ...}, to the
 * millisecond and for that statement only (an EXPLAIN waiting on a table's metadata lock gives up with error
 * 1969); on MySQL, {@link Statement#setQueryTimeout} (whole seconds, rounded up; the driver cancels it).
 *
 * <p><b>Placeholders.</b> MariaDB and MySQL have no generic plan (PostgreSQL's, the plan for any value): a
 * statement with JDBC {@code ?} placeholders is explained with each bound to the string {@code '1'}, as
 * limp-test's plan check binds them, so that both report the same plan for the same statement. A string,
 * because the server converts it to the column's type ({@code user_id = '1'} still uses the index on
 * {@code user_id}, where the number 1 against a text column would compare as numbers and read the whole
 * table); {@code '1'} and not {@code '0'}, for which {@code LIMIT ?} plans nothing. It is the plan for that
 * one value: a lookup of a key that finds no row may be planned as "Impossible WHERE". The statement goes to
 * the server intact (its placeholders bound by the server, not replaced in the text, which would need SQL
 * parsed: {@code LIMIT '1'} is a syntax error, {@code LIMIT ?} bound to {@code '1'} is not):
 * <ul>
 *   <li>on MariaDB (10.2.3 and later), {@code EXECUTE IMMEDIATE CONVERT(X'<the EXPLAIN, hex of UTF-8>' USING
 *       utf8mb4) USING '1', '1', ...}: no prepared statement outlives it and no user variable is set. The
 *       text travels in hexadecimal so that no quoting rule of the session's SQL mode
 *       ({@code NO_BACKSLASH_ESCAPES}, {@code ANSI_QUOTES}) can change it;
 *   <li>on MySQL, which takes neither {@code EXECUTE IMMEDIATE} nor a value in {@code USING}:
 *       {@code SET @limp_plan_watch = ?} (the text, bound by the driver), {@code PREPARE limp_plan_watch FROM
 *       @limp_plan_watch}, {@code SET @limp_plan_watch = '1'}, {@code EXECUTE limp_plan_watch USING
 *       @limp_plan_watch, ...}, then {@code DEALLOCATE PREPARE} and {@code SET @limp_plan_watch = NULL}. The
 *       prepared statement is gone; the variable stays in the session, NULL, as an unset one reads (MySQL
 *       cannot remove a user variable).
 * </ul>
 * A statement without placeholders is explained as it is. A connection not in autocommit mode is rolled
 * back afterwards, so no transaction is left open. Stateless.
 */
final class MariaDbPlanExplainer implements PlanExplainer {
  /** What each placeholder is bound to: see the class comment. */
  static final String BOUND_VALUE = "'1'";
  static final String PREPARED = "limp_plan_watch";
  static final String VARIABLE = "@limp_plan_watch";

  private final boolean mariaDb;

  /** @param mariaDb MariaDB's way ({@code SET STATEMENT}, {@code EXECUTE IMMEDIATE}), else MySQL's */
  MariaDbPlanExplainer(boolean mariaDb) {
    this.mariaDb = mariaDb;
  }

  @Override
  public StatementText.Quoting quoting() {
    return StatementText.Quoting.MYSQL;
  }

  @Override
  public String headline(Connection connection, String sql, Duration timeout) throws SQLException {
    int parameters = StatementText.number(sql, StatementText.Quoting.MYSQL).parameters();
    List<Row> plan;
    try {
      plan = mariaDb ? explainOnMariaDb(connection, "EXPLAIN " + sql, parameters, timeout)
          : explainOnMySql(connection, "EXPLAIN " + sql, parameters, timeout);
    } finally {
      if (!connection.getAutoCommit()) {
        connection.rollback();
      }
    }
    return MariaDbPlanHeadline.of(plan).text();
  }

  private static List<Row> explainOnMariaDb(Connection connection, String explain, int parameters,
      Duration timeout) throws SQLException {
    String limited = String.format(Locale.ROOT, "SET STATEMENT max_statement_time=%.3f FOR ",
        Math.max(1, timeout.toMillis()) / 1000.0);
    try (Statement s = connection.createStatement()) {
      if (parameters == 0) {
        return rows(s, limited + explain);
      }
      return rows(s, limited + "EXECUTE IMMEDIATE CONVERT(X'"
          + HexFormat.of().formatHex(explain.getBytes(StandardCharsets.UTF_8)) + "' USING utf8mb4) USING "
          + repeated(BOUND_VALUE, parameters));
    }
  }

  private static List<Row> explainOnMySql(Connection connection, String explain, int parameters,
      Duration timeout) throws SQLException {
    try (Statement s = connection.createStatement()) {
      s.setQueryTimeout((int) Math.max(1, (timeout.toMillis() + 999) / 1000));
      if (parameters == 0) {
        return rows(s, explain);
      }
      try {
        try (PreparedStatement text = connection.prepareStatement("SET " + VARIABLE + " = ?")) {
          text.setString(1, explain);
          text.execute();
        }
        s.execute("PREPARE " + PREPARED + " FROM " + VARIABLE);
        try {
          s.execute("SET " + VARIABLE + " = " + BOUND_VALUE);
          return rows(s, "EXECUTE " + PREPARED + " USING " + repeated(VARIABLE, parameters));
        } finally {
          s.execute("DEALLOCATE PREPARE " + PREPARED);
        }
      } finally {
        s.execute("SET " + VARIABLE + " = NULL");
      }
    }
  }

  private static String repeated(String value, int count) {
    StringJoiner joined = new StringJoiner(", ");
    for (int i = 0; i < count; i++) {
      joined.add(value);
    }
    return joined.toString();
  }

  /** The plan's rows, read by column name. */
  private static List<Row> rows(Statement s, String explain) throws SQLException {
    try (ResultSet rs = s.executeQuery(explain)) {
      ResultSetMetaData meta = rs.getMetaData();
      int table = column(meta, "table");
      int type = column(meta, "type");
      int key = column(meta, "key");
      int rows = column(meta, "rows");
      int extra = column(meta, "Extra");
      List<Row> plan = new ArrayList<>();
      while (rs.next()) {
        long estimate = rs.getLong(rows);
        if (rs.wasNull()) { // asked right after its column: wasNull() is about the latest read
          estimate = -1;
        }
        plan.add(new Row(rs.getString(table), rs.getString(type), rs.getString(key), estimate, rs.getString(extra)));
      }
      return plan;
    }
  }

  private static int column(ResultSetMetaData meta, String name) throws SQLException {
    for (int i = 1; i <= meta.getColumnCount(); i++) {
      if (meta.getColumnLabel(i).equalsIgnoreCase(name)) {
        return i;
      }
    }
    throw new SQLException("EXPLAIN returned no column '" + name + "': not the tabular format (on MySQL, is "
        + "explain_format set to TREE or JSON?)");
  }
}
