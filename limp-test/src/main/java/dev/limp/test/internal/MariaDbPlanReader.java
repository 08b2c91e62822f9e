package dev.limp.test.internal;

import dev.limp.db.internal.StatementText;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * MariaDB and MySQL: {@code EXPLAIN FORMAT=JSON}, through a server-side {@code PREPARE} when the statement has
 * placeholders, each bound to the string {@code '1'} (the server converts it to the column's type, so an index
 * still serves {@code user_id = ?}; {@code '1'} and not {@code '0'}, for which {@code LIMIT ?} plans nothing).
 * Unlike PostgreSQL's generic plan this is the plan for that one value: a lookup of a primary key that finds no
 * row is planned as "Impossible WHERE" and shows no table at all.
 *
 * <p>The plan is read as a JSON tree: every {@code "table"} object, wherever it sits ({@code query_block},
 * {@code nested_loop}, {@code block-nl-join}, subqueries, unions, materialisations), whose {@code access_type}
 * is {@code "ALL"} is a full scan. Its size is the larger of the plan's estimate (MariaDB's {@code rows},
 * MySQL 8's {@code rows_examined_per_scan}) and {@code information_schema.TABLES.TABLE_ROWS}. The plan names a
 * table by its alias when the statement gives one. The statement has its own time limit
 * ({@link Statement#setQueryTimeout}, whole seconds); the prepared statement and the user variable are gone
 * afterwards. Stateless.
 */
final class MariaDbPlanReader implements PlanReader {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String PREPARED = "limp_plan_check";
  private static final String VALUE = "@limp_plan_check_value";

  @Override
  public List<TableScan> fullScans(Connection connection, String sql, Duration timeout) throws SQLException {
    List<JsonNode> scans = fullScans(JSON.readTree(explain(connection, sql, timeout)));
    List<TableScan> found = new ArrayList<>(scans.size());
    for (JsonNode scan : scans) {
      String table = scan.path("table_name").asString();
      long planRows = scan.has("rows_examined_per_scan") ? scan.path("rows_examined_per_scan").asLong()
          : scan.path("rows").asLong();
      long rows = Math.max(planRows, tableRows(connection, table, timeout));
      String filter = scan.path("attached_condition").asString(null);
      found.add(new TableScan(table, rows, String.format(Locale.ROOT, "Full table scan (ALL) on %s, ~%,d rows%s",
          table, rows, filter == null ? "" : ", filter " + filter)));
    }
    return found;
  }

  /**
   * Every table read whole ({@code "access_type": "ALL"}) anywhere in the plan, in document order; not the
   * server's own temporary tables ({@code <subquery2>}, {@code <derived3>}, {@code <union1,2>}), which hold
   * what a scan or lookup of a real table produced.
   */
  static List<JsonNode> fullScans(JsonNode plan) {
    List<JsonNode> scans = new ArrayList<>();
    collect(plan, scans);
    return scans;
  }

  private static void collect(JsonNode node, List<JsonNode> scans) {
    if (node.isObject()) {
      JsonNode table = node.path("table");
      if (table.isObject() && "ALL".equals(table.path("access_type").asString(null))
          && !table.path("table_name").asString("<").startsWith("<")) {
        scans.add(table);
      }
      for (JsonNode child : node.values()) {
        collect(child, scans);
      }
    } else if (node.isArray()) {
      for (JsonNode child : node.values()) {
        collect(child, scans);
      }
    }
  }

  private static String explain(Connection connection, String sql, Duration timeout) throws SQLException {
    int seconds = (int) Math.max(1, (timeout.toMillis() + 999) / 1000);
    int parameters = StatementText.number(sql, StatementText.Quoting.MYSQL).parameters();
    try (Statement s = connection.createStatement()) {
      s.setQueryTimeout(seconds);
      if (parameters == 0) {
        return firstValue(s, "EXPLAIN FORMAT=JSON " + sql);
      }
      // the text goes to PREPARE as a string literal; the server quotes it
      s.execute("PREPARE " + PREPARED + " FROM " + quote(connection, "EXPLAIN FORMAT=JSON " + sql));
      try {
        s.execute("SET " + VALUE + " = '1'");
        StringJoiner using = new StringJoiner(", ", " USING ", "");
        for (int i = 0; i < parameters; i++) {
          using.add(VALUE);
        }
        return firstValue(s, "EXECUTE " + PREPARED + using);
      } finally {
        s.execute("DEALLOCATE PREPARE " + PREPARED);
        s.execute("SET " + VALUE + " = NULL");
      }
    }
  }

  /** {@code text} as a string literal, quoted by the server ({@code QUOTE()}) whatever its SQL mode. */
  private static String quote(Connection connection, String text) throws SQLException {
    try (PreparedStatement ps = connection.prepareStatement("SELECT QUOTE(?)")) {
      ps.setString(1, text);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getString(1);
      }
    }
  }

  private static String firstValue(Statement s, String query) throws SQLException {
    try (ResultSet rs = s.executeQuery(query)) {
      rs.next();
      return rs.getString(1);
    }
  }

  /** The table's estimated rows in the connection's database; 0 when it is not found (an alias). */
  private static long tableRows(Connection connection, String table, Duration timeout) throws SQLException {
    try (PreparedStatement ps = connection.prepareStatement("SELECT TABLE_ROWS FROM information_schema.TABLES "
        + "WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?")) {
      ps.setQueryTimeout((int) Math.max(1, (timeout.toMillis() + 999) / 1000));
      ps.setString(1, table);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getLong(1) : 0;
      }
    }
  }
}
