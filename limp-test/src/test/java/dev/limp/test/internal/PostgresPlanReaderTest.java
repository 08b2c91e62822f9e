package dev.limp.test.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
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

/** The PostgreSQL reader on a real server: what it finds, and that it leaves the connection as it found it. */
class PostgresPlanReaderTest {
  @RegisterExtension
  static final org.junit.jupiter.api.extension.Extension DB = PostgresDatabaseAccess.database();

  private final PostgresPlanReader reader = new PostgresPlanReader();

  @BeforeAll
  static void schema() throws SQLException {
    try (Connection c = PostgresDatabaseAccess.connect(DB); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE big (id int PRIMARY KEY, v int NOT NULL)");
      s.execute("INSERT INTO big SELECT g, g % 7 FROM generate_series(1, 20000) g");
      s.execute("CREATE TABLE never_analyzed (id int)");
      s.execute("ANALYZE big");
    }
  }

  @Test
  void findsTheSequentialScansOfAStatementAndItsSubPlans() throws SQLException {
    try (Connection c = PostgresDatabaseAccess.connect(DB)) {
      List<TableScan> scans = reader.fullScans(c,
          "SELECT id FROM big WHERE v = ? AND id IN (SELECT id FROM never_analyzed)", Duration.ofSeconds(5));
      assertEquals(List.of("public.big", "public.never_analyzed"), scans.stream().map(TableScan::table).sorted()
          .toList());
      TableScan big = scans.stream().filter(s -> s.table().equals("public.big")).findFirst().orElseThrow();
      assertEquals(20_000, big.rows());
      assertTrue(big.headline().startsWith("Seq Scan on public.big, ~20,000 rows, filter "), big.headline());
      assertEquals(List.of(), reader.fullScans(c, "SELECT v FROM big WHERE id = ?", Duration.ofSeconds(5)));
    }
  }

  @Test
  void leavesTheConnectionAsItFoundItEvenWhenThePlanFails() throws SQLException {
    try (Connection c = PostgresDatabaseAccess.connect(DB)) {
      assertThrows(SQLException.class, () -> reader.fullScans(c, "SELECT id FROM no_such_table WHERE id = ?",
          Duration.ofSeconds(5)));
      reader.fullScans(c, "DELETE FROM big WHERE v = ?", Duration.ofSeconds(5));
      assertTrue(c.getAutoCommit());
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT (SELECT count(*) FROM pg_prepared_statements WHERE name = "
              + "'limp_plan_check'), current_setting('plan_cache_mode'), (SELECT count(*) FROM big)")) {
        rs.next();
        assertEquals(0, rs.getInt(1), "the prepared statement is gone");
        assertEquals("auto", rs.getString(2));
        assertEquals(20_000, rs.getInt(3), "EXPLAIN never runs the DELETE");
      }
    }
  }
}
