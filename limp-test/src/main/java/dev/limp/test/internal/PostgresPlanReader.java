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
 * PostgreSQL: {@code EXPLAIN (VERBOSE, FORMAT JSON)}, inside a transaction that is rolled back, with a
 * {@code statement_timeout} of its own. A statement with placeholders is {@code PREPARE}d and its
 * <em>generic</em> plan explained ({@code plan_cache_mode = force_generic_plan}, the values all NULL and never
 * looked at): the plan a parameterised query gets whatever its values, which is what a lost pair of
 * parentheses changes. A table's size is its {@code pg_class.reltuples} (the planner's own estimate of its
 * rows when it was never analysed). Stateless.
 */
final class PostgresPlanReader implements PlanReader {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  /** The name of the prepared statement; deallocated after each use. */
  private static final String PREPARED = "limp_plan_check";

  @Override
  public List<TableScan> fullScans(Connection connection, String sql, Duration timeout) throws SQLException {
    JsonNode plan = JSON.readTree(explain(connection, sql, timeout)).path(0).path("Plan");
    List<JsonNode> scans = new ArrayList<>();
    collect(plan, scans);
    List<TableScan> found = new ArrayList<>(scans.size());
    for (JsonNode scan : scans) {
      String schema = scan.path("Schema").asString(null);
      String relation = scan.path("Relation Name").asString();
      String table = schema == null ? relation : schema + "." + relation;
      long rows = tableRows(connection, schema, relation, scan.path("Plan Rows").asLong());
      found.add(new TableScan(table, rows, headline(scan, table, rows)));
    }
    return found;
  }

  /** Every {@code Seq Scan} node of the tree, parallel ones included, sub-plans and init-plans too. */
  private static void collect(JsonNode node, List<JsonNode> scans) {
    if ("Seq Scan".equals(node.path("Node Type").asString(null))) {
      scans.add(node);
    }
    for (JsonNode child : node.path("Plans").values()) {
      collect(child, scans);
    }
  }

  private static String headline(JsonNode scan, String table, long rows) {
    String filter = scan.path("Filter").asString(null);
    return String.format(Locale.ROOT, "Seq Scan on %s, ~%,d rows%s", table, rows,
        filter == null ? "" : ", filter " + filter);
  }

  private static String explain(Connection connection, String sql, Duration timeout) throws SQLException {
    StatementText.Numbered numbered = StatementText.number(sql, StatementText.Quoting.STANDARD);
    boolean autoCommit = connection.getAutoCommit();
    boolean prepared = false;
    connection.setAutoCommit(false);
    try (Statement s = connection.createStatement()) {
      s.execute("SET LOCAL statement_timeout = " + Math.max(1, timeout.toMillis()));
      if (numbered.parameters() == 0) {
        return firstValue(s, "EXPLAIN (VERBOSE, FORMAT JSON) " + sql);
      }
      s.execute("SET LOCAL plan_cache_mode = force_generic_plan");
      s.execute("PREPARE " + PREPARED + " AS " + numbered.sql());
      prepared = true;
      StringJoiner nulls = new StringJoiner(", ", "(", ")");
      for (int i = 0; i < numbered.parameters(); i++) {
        nulls.add("NULL");
      }
      return firstValue(s, "EXPLAIN (VERBOSE, FORMAT JSON) EXECUTE " + PREPARED + nulls);
    } finally {
      connection.rollback(); // the SET LOCALs go with it; a prepared statement does not
      if (prepared) {
        try (Statement s = connection.createStatement()) {
          s.execute("DEALLOCATE " + PREPARED);
        }
        connection.commit();
      }
      connection.setAutoCommit(autoCommit);
    }
  }

  private static String firstValue(Statement s, String query) throws SQLException {
    try (ResultSet rs = s.executeQuery(query)) {
      rs.next();
      return rs.getString(1);
    }
  }

  /** The table's estimated rows; the plan's estimate for a table never analysed (reltuples -1 or 0). */
  private static long tableRows(Connection connection, String schema, String relation, long planRows)
      throws SQLException {
    String name = (schema == null ? "" : quote(schema) + ".") + quote(relation);
    try (PreparedStatement ps = connection.prepareStatement(
        "SELECT reltuples::bigint FROM pg_class WHERE oid = to_regclass(?)")) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        long tuples = rs.next() ? rs.getLong(1) : -1;
        return tuples > 0 ? tuples : planRows;
      }
    }
  }

  private static String quote(String identifier) {
    return '"' + identifier.replace("\"", "\"\"") + '"';
  }
}
