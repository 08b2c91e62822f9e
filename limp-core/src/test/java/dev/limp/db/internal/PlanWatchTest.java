package dev.limp.db.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.limp.db.H2Pool;
import dev.limp.db.PlanWatchConfig;
import dev.limp.testing.FakeClock;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The plan watch's bounds, on a real pool (H2) with an explainer that counts, the EXPLAINs run at once on the
 * calling thread and the clock driven: one EXPLAIN per statement shape per interval, failures included; no
 * EXPLAIN without a free connection outside the reserve; texts too long are not kept; statements shaped as
 * their database quotes; a database limp cannot explain turns it off, one not reached is not tried again
 * within the interval.
 */
class PlanWatchTest {
  private static final long MS = 1_000_000L;
  private static final Duration WINDOW = Duration.ofSeconds(10);
  private static final Duration AHEAD = Duration.ofMillis(250);
  private static final String POLL = "SELECT * FROM notifications WHERE user_id = 7 AND seen = false OR id = 9";

  private final FakeClock clock = new FakeClock();
  private final H2Pool h2 = H2Pool.start("planwatch");
  private final List<String> explained = new ArrayList<>();
  private final AtomicInteger free = new AtomicInteger(1);
  private boolean failing;

  private final PlanExplainer counting = (connection, sql, timeout) -> {
    assertFalse(connection.isClosed());
    explained.add(sql);
    if (failing) {
      throw new SQLException("canceling statement due to statement timeout", "57014");
    }
    return "Seq Scan on notifications, ~200,000 rows";
  };

  @AfterEach
  void close() {
    h2.close();
  }

  private PlanWatch watch(PlanExplainer explainer) {
    return watch(h2.dataSource(), explainer);
  }

  private PlanWatch watch(DataSource dataSource, PlanExplainer explainer) {
    PlanWatchConfig config = PlanWatchConfig.builder().minInterval(Duration.ofMinutes(5)).build();
    return new PlanWatch("test", dataSource, config, clock::nanoTime, WINDOW.toNanos(), AHEAD.toNanos(),
        free::get, Runnable::run, explainer);
  }

  @Test
  void explainsAStatementOncePerIntervalAndAttachesTheHeadlineWhenKnown() {
    try (PlanWatch watch = watch(counting)) {
      watch.executed(POLL, "notifications", 900 * MS);

      assertNull(watch.headline("notifications"), "explained in the background: not known yet this tick");
      assertEquals("Seq Scan on notifications, ~200,000 rows", watch.headline("notifications"));
      watch.executed(POLL.replace("7", "8"), "notifications", 950 * MS); // the same shape, other values
      clock.advance(Duration.ofMinutes(4));
      watch.tick();
      assertEquals("Seq Scan on notifications, ~200,000 rows", watch.headline("notifications"));
      assertEquals(1, explained.size(), "one EXPLAIN per statement per interval: " + explained);

      clock.advance(Duration.ofMinutes(2)); // the interval has passed: explained again
      watch.tick();
      watch.executed(POLL, "notifications", 900 * MS);
      assertNull(watch.headline("notifications"));
      assertEquals(2, explained.size());
    }
  }

  @Test
  void aStatementAsSlowAsACulpritsIsExplainedAheadAtTheNextTick() {
    try (PlanWatch watch = watch(counting)) {
      watch.executed("SELECT id FROM messages WHERE room = 1", "chat", 3 * MS);
      watch.tick();
      assertEquals(0, explained.size(), "a fast statement is explained only once its feature is a culprit");

      watch.executed(POLL, "notifications", 300 * MS);
      watch.tick();
      assertEquals(List.of(POLL), explained);
      assertEquals("Seq Scan on notifications, ~200,000 rows", watch.headline("notifications"),
          "known when notifications is named");
      watch.tick();
      assertEquals(1, explained.size(), "and not explained again within the interval");
    }
  }

  @Test
  void theSlowestStatementOfTheWindowIsExplained() {
    try (PlanWatch watch = watch(counting)) {
      watch.executed("SELECT 1", "notifications", 2 * MS);
      watch.executed(POLL, "notifications", 900 * MS);
      watch.executed("SELECT 2", "notifications", 3 * MS);
      watch.headline("notifications");
      assertEquals(List.of(POLL), explained);

      clock.advance(WINDOW); // a new window: its first statement is the slowest so far
      watch.tick();
      watch.executed("SELECT id FROM messages", "notifications", 1 * MS);
      watch.headline("notifications");
      assertEquals(List.of(POLL, "SELECT id FROM messages"), explained);
    }
  }

  @Test
  void aStatementThatCouldNotBeExplainedIsNotTriedAgainWithinTheInterval() {
    failing = true;
    try (PlanWatch watch = watch(counting)) {
      watch.executed(POLL, "notifications", 900 * MS);
      for (int tick = 0; tick < 10; tick++) {
        assertNull(watch.headline("notifications"));
      }
      assertEquals(1, explained.size());
    }
  }

  @Test
  void nothingIsExplainedWhileNoConnectionOutsideTheReserveIsFree() {
    free.set(0);
    try (PlanWatch watch = watch(counting)) {
      watch.executed(POLL, "notifications", 900 * MS);
      assertNull(watch.headline("notifications"));
      assertEquals(0, explained.size());
      free.set(1); // the culprit throttled gives a connection back: explained at the next tick
      watch.headline("notifications");
      assertEquals(1, explained.size());
    }
  }

  @Test
  void textsTooLongOrOfNoFeatureAreNotKept() {
    try (PlanWatch watch = watch(counting)) {
      String huge = "SELECT * FROM t WHERE id IN (" + "1, ".repeat(PlanWatchConfig.MAX_STATEMENT_LENGTH / 3) + "1)";
      watch.executed(huge, "notifications", 900 * MS);
      watch.executed(POLL, null, 900 * MS);
      assertNull(watch.headline("notifications"));
      assertEquals(0, explained.size());
    }
  }

  @Test
  void statementsEXPLAINCannotTakeAreNotExplained() {
    try (PlanWatch watch = watch(counting)) {
      watch.executed("CALL SLEEP(900)", "notifications", 900 * MS);
      assertNull(watch.headline("notifications"));
      assertEquals(0, explained.size());
    }
  }

  @Test
  void statementsAreShapedAsTheirDatabaseQuotes() {
    PlanExplainer mariaDb = new PlanExplainer() {
      @Override
      public String headline(Connection connection, String sql, Duration timeout) throws SQLException {
        return counting.headline(connection, sql, timeout);
      }

      @Override
      public StatementText.Quoting quoting() {
        return StatementText.Quoting.MYSQL;
      }
    };
    try (PlanWatch watch = watch(mariaDb)) {
      watch.executed("SELECT * FROM users WHERE name = 'O\\'Brien'", "search", 900 * MS);
      watch.headline("search");
      watch.executed("SELECT * FROM users WHERE name = 'D\\'Arcy'", "search", 950 * MS);
      assertEquals("Seq Scan on notifications, ~200,000 rows", watch.headline("search"),
          "one statement, whatever the name: read as PostgreSQL reads it, a piece of each name would be kept");
      assertEquals(1, explained.size());
    }
  }

  @Test
  void aDatabaseNotReachedToFindWhichItIsIsNotTriedAgainWithinTheInterval() {
    JdbcDataSource database = h2.unpooled();
    String url = database.getURL();
    database.setURL("jdbc:h2:mem:" + h2.name() + "-absent;IFEXISTS=TRUE"); // refuses to connect
    try (PlanWatch watch = watch(database, null)) {
      watch.executed(POLL, "notifications", 900 * MS);
      assertNull(watch.headline("notifications"));
      database.setURL(url);
      clock.advance(Duration.ofMinutes(4));
      assertNull(watch.headline("notifications"));
      assertFalse(watch.stopped(), "not tried again within the interval: H2 is not found yet");

      clock.advance(Duration.ofMinutes(1));
      assertNull(watch.headline("notifications"));
      assertTrue(watch.stopped(), "tried again: found to be H2, which limp cannot explain");
    }
  }

  @Test
  void aDatabaseLimpCannotExplainTurnsItOff() {
    try (PlanWatch watch = watch(null)) { // H2: found by its product name, and there is no explainer for it
      watch.executed(POLL, "notifications", 900 * MS);
      assertNull(watch.headline("notifications"));
      assertTrue(watch.stopped());
      assertNull(watch.headline("notifications"));
    }
  }
}
