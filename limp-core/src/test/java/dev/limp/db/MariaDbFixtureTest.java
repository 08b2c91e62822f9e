package dev.limp.db;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

/**
 * The MariaDB fixture's own rules: an unreachable server fails a CI run and skips a developer's, and a test
 * class's database and users are created for it and dropped after it, sessions and all.
 */
class MariaDbFixtureTest {
  /** Nothing listens on port 1 of the loopback: the connection is refused at once. */
  private static final int CLOSED_PORT = 1;

  @Test
  void failsWhenMariaDbIsUnreachableAndCiIsSet() {
    MariaDbFixture fixture = MariaDbFixture.of("127.0.0.1", CLOSED_PORT, "root", Map.of("CI", "true"));

    AssertionError e = assertThrows(AssertionError.class, () -> fixture.beforeAll(null));

    assertTrue(e.getMessage().contains("not reachable at 127.0.0.1:" + CLOSED_PORT), e.getMessage());
    assertTrue(e.getMessage().contains("CI is set"), e.getMessage());
  }

  @Test
  void skipsWithAnExplanationWhenMariaDbIsUnreachableOutsideCi() {
    MariaDbFixture fixture = MariaDbFixture.of("127.0.0.1", CLOSED_PORT, "root", Map.of("CI", "0"));

    TestAbortedException e = assertThrows(TestAbortedException.class, () -> fixture.beforeAll(null));

    assertFalse(fixture.isCi());
    assertTrue(e.getMessage().contains("set CI=true to make its absence a failure"), e.getMessage());
  }

  @Test
  void createsItsOwnDatabaseAndUsersAndDropsThemWithSessionsStillOpen() throws Exception {
    MariaDbFixture fixture = MariaDbFixture.local(); // unreachable: fails on CI, skipped elsewhere
    fixture.beforeAll(null);
    try {
      String user = fixture.createUser("fixture", "pw", "SELECT");
      try (Connection left = fixture.connect(user, "pw"); Statement s = left.createStatement();
          ResultSet rs = s.executeQuery("SELECT count(*) FROM messages")) {
        assertTrue(fixture.database().matches("limp_it_[0-9a-f]{12}"), fixture.database());
        rs.next();
        assertTrue(rs.getLong(1) > 0, "the schema is seeded");
        fixture.afterAll(null);
        assertFalse(fixture.exists(), "dropped despite the open session");
        try (Connection admin = fixture.connectAdmin(); Statement a = admin.createStatement();
            ResultSet users = a.executeQuery("SELECT count(*) FROM mysql.user WHERE User = '" + user + "'")) {
          users.next();
          assertTrue(users.getInt(1) == 0, "the user is dropped");
        }
      }
    } finally {
      fixture.afterAll(null); // does nothing once dropped
    }
  }
}
