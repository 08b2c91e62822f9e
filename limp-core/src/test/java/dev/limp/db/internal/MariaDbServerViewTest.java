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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The MariaDB/MySQL view: chosen by product name, its lock sentences, and the session left as found. */
class MariaDbServerViewTest {
  @RegisterExtension
  static final MariaDbFixture DB = MariaDbFixture.local();

  @Test
  void isChosenForMariaDbAndMySqlByProductName() {
    assertInstanceOf(MariaDbServerView.class, ServerView.of("MariaDB"));
    assertInstanceOf(MariaDbServerView.class, ServerView.of("MySQL"));
    assertInstanceOf(PostgresServerView.class, ServerView.of("PostgreSQL"));
    assertNull(ServerView.of("H2"));
  }

  @Test
  void describesInnoDbLocksInWords() {
    assertEquals("EXCLUSIVE row lock on notifications", MariaDbServerView.describe("X|RECORD|`chat`.`notifications`",
        "chat"));
    assertEquals("SHARED GAP row lock on other.notifications",
        MariaDbServerView.describe("S,GAP|RECORD|`other`.`notifications`", "chat"));
    assertEquals("INTENTION EXCLUSIVE table lock on notifications",
        MariaDbServerView.describe("IX|TABLE|chat.notifications", "chat"));
    assertEquals("EXCLUSIVE row lock on notifications", // MySQL 8's data_locks
        MariaDbServerView.describe("X,REC_NOT_GAP|RECORD|chat.notifications", "chat"));
    assertEquals("a lock", MariaDbServerView.describe(null, "chat"));
  }

  @Test
  void readsWithItsOwnTimeoutAndLeavesTheSessionAsFound() throws SQLException {
    try (Connection c = DB.connect(); Statement s = c.createStatement()) {
      s.execute("SET SESSION max_statement_time = 7");
      ServerReadings r = new MariaDbServerView(true).read(c, Duration.ofMillis(300));
      assertTrue(r.connectionsUsed() > 0 && r.connectionsUsed() <= 1, r.toString());
      assertFalse(r.partial());
      assertTrue(c.getAutoCommit());
      try (ResultSet rs = s.executeQuery("SELECT @@session.max_statement_time")) {
        rs.next();
        assertEquals(7.0, rs.getDouble(1), "the session's own limit is untouched");
      }
    }
  }

  @Test
  void aUserWithoutProcessGetsAnAccessErrorTheRunnerTakesForConfiguration() throws SQLException {
    String user = DB.createUser("viewer", "pw", "SELECT");
    try (Connection c = DB.connect(user, "pw")) {
      SQLException e = assertThrows(SQLException.class, () -> new MariaDbServerView(true).read(c,
          Duration.ofMillis(300)));
      assertTrue(SqlErrorKind.isConfiguration(e), e.getSQLState() + " " + e.getMessage());
      assertTrue(e.getMessage().contains("PROCESS"), e.getMessage());
    }
  }
}
