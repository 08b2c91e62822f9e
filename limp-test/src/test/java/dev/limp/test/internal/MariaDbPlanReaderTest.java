package dev.limp.test.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.limp.test.PostgresDatabaseAccess;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The MariaDB/MySQL reader: the JSON shapes of both servers' plans (parsed, never grepped), and on the local
 * MariaDB what it finds and that it leaves the connection as it found it.
 */
class MariaDbPlanReaderTest {
  @RegisterExtension
  static final org.junit.jupiter.api.extension.Extension DB = PostgresDatabaseAccess.mariaDb();

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private final MariaDbPlanReader reader = new MariaDbPlanReader();

  @BeforeAll
  static void schema() throws SQLException {
    try (Connection c = PostgresDatabaseAccess.connect(DB); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE big (id int PRIMARY KEY, v int NOT NULL) ENGINE=InnoDB");
      s.execute("INSERT INTO big SELECT seq, seq % 7 FROM seq_1_to_20000");
      s.execute("CREATE TABLE small (id int PRIMARY KEY, big_v int NOT NULL) ENGINE=InnoDB");
      s.execute("INSERT INTO small SELECT seq, seq FROM seq_1_to_10");
      s.execute("ANALYZE TABLE big, small");
    }
  }

  @Test
  void isChosenForMariaDbAndMySql() {
    assertInstanceOf(MariaDbPlanReader.class, PlanReader.of("MariaDB"));
    assertInstanceOf(MariaDbPlanReader.class, PlanReader.of("MySQL"));
    assertInstanceOf(PostgresPlanReader.class, PlanReader.of("PostgreSQL"));
    assertNull(PlanReader.of("H2"));
  }

  @Test
  void readsMariaDbsShapesNestedLoopsJoinBuffersAndSubqueries() {
    JsonNode plan = JSON.readTree("""
        {"query_block": {"select_id": 1,
          "nested_loop": [
            {"table": {"table_name": "u", "access_type": "const", "rows": 1}},
            {"block-nl-join": {"table": {"table_name": "notifications", "access_type": "ALL", "rows": 200000,
               "attached_condition": "notifications.seen = 0"}, "buffer_type": "flat"}}],
          "subqueries": [{"expression_cache": {"query_block": {"select_id": 2,
            "table": {"table_name": "messages", "access_type": "ALL", "rows": 50000}}}},
            {"query_block": {"select_id": 3,
            "table": {"table_name": "rooms", "access_type": "ref", "key": "PRIMARY", "rows": 1}}},
            {"query_block": {"select_id": 4,
            "table": {"table_name": "<subquery4>", "access_type": "ALL", "rows": 10}}}]}}
        """);
    List<JsonNode> scans = MariaDbPlanReader.fullScans(plan);
    assertEquals(List.of("notifications", "messages"), scans.stream().map(s -> s.path("table_name").asString())
        .toList());
  }

  @Test
  void readsMySql8sShapeWithItsRowsExaminedPerScan() {
    JsonNode plan = JSON.readTree("""
        {"query_block": {"select_id": 1, "cost_info": {"query_cost": "20261.25"},
          "table": {"table_name": "notifications", "access_type": "ALL", "rows_examined_per_scan": 199800,
            "rows_produced_per_join": 66600, "filtered": "33.33",
            "attached_condition": "((`t`.`notifications`.`user_id` = 42) or (`t`.`notifications`.`priority` > 5))"}}}
        """);
    List<JsonNode> scans = MariaDbPlanReader.fullScans(plan);
    assertEquals(1, scans.size());
    assertEquals(199_800, scans.get(0).path("rows_examined_per_scan").asLong());
    assertEquals(List.of(), MariaDbPlanReader.fullScans(JSON.readTree("""
        {"query_block": {"select_id": 1, "table": {"table_name": "notifications", "access_type": "ref",
          "key": "notifications_user", "rows_examined_per_scan": 40}}}
        """)));
  }

  @Test
  void findsTheFullScansOfAStatementOnTheServer() throws SQLException {
    try (Connection c = PostgresDatabaseAccess.connect(DB)) {
      List<TableScan> scans = reader.fullScans(c, "SELECT id FROM big WHERE v = ? OR id IN "
          + "(SELECT big_v FROM small)", Duration.ofSeconds(5));
      assertTrue(scans.stream().noneMatch(s -> s.table().startsWith("<")), "no temporary table: " + scans);
      TableScan big = scans.stream().filter(s -> s.table().equals("big")).findFirst().orElseThrow(
          () -> new AssertionError("no scan of big: " + scans));
      assertTrue(big.rows() >= 15_000 && big.rows() <= 25_000, big.toString());
      assertTrue(big.headline().startsWith("Full table scan (ALL) on big, ~"), big.headline());
      assertEquals(List.of(), reader.fullScans(c, "SELECT v FROM big WHERE id = ?", Duration.ofSeconds(5)));
      assertEquals(List.of(), reader.fullScans(c, "SELECT v FROM big WHERE id > ? ORDER BY id LIMIT ?",
          Duration.ofSeconds(5)), "LIMIT ? is planned with a limit, not as 'Zero limit'");
    }
  }

  @Test
  void leavesTheConnectionAsItFoundItEvenWhenThePlanFails() throws SQLException {
    try (Connection c = PostgresDatabaseAccess.connect(DB)) {
      assertThrows(SQLException.class, () -> reader.fullScans(c, "SELECT id FROM no_such_table WHERE id = ?",
          Duration.ofSeconds(5)));
      assertEquals(1, reader.fullScans(c, "DELETE FROM big WHERE v = ?", Duration.ofSeconds(5)).size());
      assertTrue(c.getAutoCommit());
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT @limp_plan_check_value IS NULL, (SELECT count(*) FROM big)")) {
        rs.next();
        assertTrue(rs.getBoolean(1), "the user variable is cleared");
        assertEquals(20_000, rs.getInt(2), "EXPLAIN never runs the DELETE");
      }
      try (Statement s = c.createStatement()) {
        assertThrows(SQLException.class, () -> s.execute("EXECUTE limp_plan_check"), "deallocated");
      }
    }
  }
}
