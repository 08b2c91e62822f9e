package dev.limp.db.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.limp.db.MariaDbFixture;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link MariaDbPlanExplainer} on the local MariaDB (see {@link MariaDbFixture} for the availability rule), both
 * its ways: MariaDB's ({@code SET STATEMENT max_statement_time}, {@code EXECUTE IMMEDIATE ... USING '1'}) and
 * MySQL's ({@code setQueryTimeout}, {@code PREPARE} with a user variable), which MariaDB takes too. The
 * fixture's notifications (50,000 rows) are indexed on {@code user_id} only.
 */
class MariaDbPlanExplainerTest {
  @RegisterExtension
  static final MariaDbFixture DB = MariaDbFixture.local();

  private static final Duration TIMEOUT = Duration.ofMillis(300);
  private static final String LOST_PARENTHESES = "SELECT id FROM notifications WHERE user_id = ? AND seen = false "
      + "OR message_id = ?";
  private static final String PARENTHESES_BACK = "SELECT id FROM notifications WHERE user_id = ? AND (seen = false "
      + "OR message_id = ?)";

  private final MariaDbPlanExplainer mariaDb = new MariaDbPlanExplainer(true);
  private final MariaDbPlanExplainer mySql = new MariaDbPlanExplainer(false);

  @BeforeAll
  static void tagsIndexedByText() throws SQLException {
    try (Connection c = DB.connect(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE mp_tags (id int PRIMARY KEY, tag varchar(20) NOT NULL, KEY mp_tags_tag (tag))");
      s.execute("INSERT INTO mp_tags SELECT seq, CONCAT('t', seq) FROM seq_1_to_2000");
      s.execute("ANALYZE TABLE mp_tags");
    }
  }

  @Test
  void isChosenForMariaDbAndMySqlByProductName() {
    assertInstanceOf(MariaDbPlanExplainer.class, PlanExplainer.of("MariaDB"));
    assertInstanceOf(MariaDbPlanExplainer.class, PlanExplainer.of("MySQL"));
    assertInstanceOf(PostgresPlanExplainer.class, PlanExplainer.of("PostgreSQL"));
    assertNull(PlanExplainer.of("H2"));
    assertEquals(StatementText.Quoting.MYSQL, PlanExplainer.of("MariaDB").quoting());
  }

  @Test
  void theLostParenthesesAreAFullTableScanBothWays() throws SQLException {
    for (MariaDbPlanExplainer explainer : new MariaDbPlanExplainer[] {mariaDb, mySql}) {
      try (Connection c = DB.connect()) {
        String headline = explainer.headline(c, LOST_PARENTHESES, TIMEOUT);
        assertTrue(headline.matches("Full table scan \\(ALL\\) on notifications, ~[45]\\d,\\d{3} rows"), headline);
        assertEquals("Index lookup (ref) using notifications_user on notifications, ~50 rows",
            explainer.headline(c, PARENTHESES_BACK, TIMEOUT).replaceAll("~\\d+ rows", "~50 rows"));
        assertLeftAsFound(c, explainer == mySql);
      }
    }
  }

  @Test
  void placeholdersAreBoundToTheStringOneSoATextIndexAndALimitStillServe() throws SQLException {
    for (MariaDbPlanExplainer explainer : new MariaDbPlanExplainer[] {mariaDb, mySql}) {
      try (Connection c = DB.connect()) {
        assertEquals("Index lookup (ref) using mp_tags_tag on mp_tags, ~1 row",
            explainer.headline(c, "SELECT id FROM mp_tags WHERE tag = ? ORDER BY id LIMIT ?", TIMEOUT),
            "a number bound to the text column would compare as numbers and read the whole table");
        assertLeftAsFound(c, explainer == mySql);
      }
    }
  }

  @Test
  void theTextReachesTheServerIntactWhateverItsQuotes() throws SQLException {
    String sql = "SELECT id, 'it\\'s \"?\"' AS said, \"a\\\"?\" AS asked FROM `notifications` /* it's ? */ # ?\n"
        + "WHERE user_id = ?";
    for (MariaDbPlanExplainer explainer : new MariaDbPlanExplainer[] {mariaDb, mySql}) {
      try (Connection c = DB.connect()) {
        String headline = explainer.headline(c, sql, TIMEOUT);
        assertTrue(headline.startsWith("Index lookup (ref) using notifications_user on notifications"), headline);
        try (Statement s = c.createStatement()) {
          s.execute("SET SESSION sql_mode = CONCAT(@@sql_mode, ',ANSI_QUOTES')");
        }
        assertTrue(explainer.headline(c, "SELECT \"id\" FROM \"notifications\" WHERE \"user_id\" = ?", TIMEOUT)
            .startsWith("Index lookup (ref) using notifications_user"), "the session's SQL mode is the statement's");
        assertLeftAsFound(c, explainer == mySql);
      }
    }
  }

  @Test
  void aStatementWithoutPlaceholdersIsExplainedAsItIs() throws SQLException {
    try (Connection c = DB.connect()) {
      assertTrue(mariaDb.headline(c, "SELECT count(*) FROM messages WHERE body LIKE '%topic 7'", TIMEOUT)
          .matches("Full table scan \\(ALL\\) on messages, ~\\d{2},\\d{3} rows"));
      assertEquals("Impossible WHERE noticed after reading const tables",
          mariaDb.headline(c, "SELECT id FROM notifications WHERE id = -1", TIMEOUT));
      assertLeftAsFound(c, false);
    }
  }

  @Test
  void anExplainWaitingOnATableLockGivesUpAtItsTimeout() throws SQLException {
    for (MariaDbPlanExplainer explainer : new MariaDbPlanExplainer[] {mariaDb, mySql}) {
      try (Connection holder = DB.connect(); Connection c = DB.connect()) {
        try (Statement s = holder.createStatement()) {
          s.execute("LOCK TABLES mp_tags WRITE");
        }
        try {
          SQLException e = assertThrows(SQLException.class,
              () -> explainer.headline(c, "SELECT id FROM mp_tags WHERE tag = ?", TIMEOUT));
          assertEquals(1969, e.getErrorCode(), "max_statement_time exceeded: " + e);
        } finally {
          try (Statement s = holder.createStatement()) {
            s.execute("UNLOCK TABLES");
          }
        }
        assertLeftAsFound(c, explainer == mySql);
      }
    }
  }

  @Test
  void aConnectionOutsideAutocommitIsLeftWithoutATransaction() throws SQLException {
    try (Connection c = DB.connect()) {
      c.setAutoCommit(false);
      mariaDb.headline(c, LOST_PARENTHESES, TIMEOUT);
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT @@in_transaction")) {
        rs.next();
        assertEquals(0, rs.getInt(1));
      }
      assertFalse(c.getAutoCommit());
    }
  }

  /**
   * No prepared statement is left on the connection, and no user variable on MariaDB's way; on MySQL's, the one
   * it used is NULL, as an unset variable reads (MySQL cannot remove one).
   */
  static void assertLeftAsFound(Connection c, boolean mySqlWay) throws SQLException {
    try (Statement s = c.createStatement()) {
      SQLException none = assertThrows(SQLException.class,
          () -> s.execute("EXECUTE " + MariaDbPlanExplainer.PREPARED));
      assertEquals(1243, none.getErrorCode(), "unknown prepared statement: " + none);
      try (ResultSet rs = s.executeQuery(
          "SELECT VARIABLE_NAME, VARIABLE_VALUE FROM information_schema.USER_VARIABLES")) {
        if (mySqlWay) {
          assertTrue(rs.next(), "the variable MySQL's way used");
          assertEquals(MariaDbPlanExplainer.VARIABLE.substring(1), rs.getString(1));
          assertNull(rs.getString(2));
        }
        assertFalse(rs.next(), "no other user variable");
      }
    }
  }
}
