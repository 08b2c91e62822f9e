package dev.limp.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
 * The PostgreSQL fixture's own rules: an unreachable server fails a CI run and skips a developer's, and a
 * test class's database is created for it and dropped after it, backends and all.
 */
class PostgresFixtureTest {
  /** Nothing listens on port 1 of the loopback: the connection is refused at once. */
  private static final int CLOSED_PORT = 1;

  @Test
  void failsWhenPostgresIsUnreachableAndCiIsSet() {
    PostgresFixture fixture = PostgresFixture.of("127.0.0.1", CLOSED_PORT, "postgres", Map.of("CI", "true"));

    AssertionError e = assertThrows(AssertionError.class, () -> fixture.beforeAll(null));

    assertTrue(e.getMessage().contains("not reachable at 127.0.0.1:" + CLOSED_PORT), e.getMessage());
    assertTrue(e.getMessage().contains("CI is set"), e.getMessage());
  }

  @Test
  void skipsWithAnExplanationWhenPostgresIsUnreachableOutsideCi() {
    PostgresFixture fixture = PostgresFixture.of("127.0.0.1", CLOSED_PORT, "postgres", Map.of());

    TestAbortedException e = assertThrows(TestAbortedException.class, () -> fixture.beforeAll(null));

    assertTrue(e.getMessage().contains("not reachable at 127.0.0.1:" + CLOSED_PORT), e.getMessage());
    assertTrue(e.getMessage().contains("set CI=true to make its absence a failure"), e.getMessage());
  }

  @Test
  void treatsCiFalseAsADeveloperRun() {
    PostgresFixture fixture = PostgresFixture.of("127.0.0.1", CLOSED_PORT, "postgres", Map.of("CI", "false"));

    assertFalse(fixture.isCi());
    assertThrows(TestAbortedException.class, () -> fixture.beforeAll(null));
  }

  @Test
  void createsItsOwnDatabaseAndDropsItEvenWithBackendsStillConnected() throws Exception {
    PostgresFixture fixture = PostgresFixture.local(); // unreachable: fails on CI, skipped elsewhere
    fixture.beforeAll(null);
    try (Connection left = fixture.connect()) { // a backend the test "forgot" to close
      assertTrue(fixture.database().matches("limp_it_[0-9a-f]{12}"), fixture.database());
      assertTrue(fixture.exists());
      try (Statement s = left.createStatement();
          ResultSet rs = s.executeQuery("SELECT count(*) FROM messages")) {
        rs.next();
        assertTrue(rs.getLong(1) > 0, "the schema is seeded");
      }
      assertEquals(1, fixture.backends());

      fixture.afterAll(null);

      assertFalse(fixture.exists(), "dropped despite the open connection");
    } finally {
      fixture.afterAll(null); // does nothing once dropped
    }
  }
}
