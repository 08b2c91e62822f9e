package dev.limp.db;

import static dev.limp.db.PostgresIncidentReplay.CHAT_POST;
import static dev.limp.db.PostgresIncidentReplay.CHAT_READ;
import static dev.limp.db.PostgresIncidentReplay.CRITICAL;
import static dev.limp.db.PostgresIncidentReplay.NOTIFICATIONS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.limp.FeatureStateChangedEvent;
import dev.limp.ShedCause;
import dev.limp.db.PostgresLoadDriver.Phase;
import dev.limp.db.PostgresLoadDriver.Tally;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * MariaDB's own ways of failing, replayed against the local server next to {@link PostgresIncidentTest} (see
 * {@link MariaDbFixture} for the availability rule, {@link MariaDbIncidentReplay} for the set-up): a lock wait
 * timeout (error 1205), deadlocks (1213), the statement time limit ({@code max_statement_time}, 1969) and a
 * dropped index. Each: healthy for 3 s, the incident for about 8 s, recovered until every held feature is back;
 * each prints one {@code MARIADB INCIDENT} line with what it measured, and the diagnostics on failure.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MariaDbIncidentTest {
  @RegisterExtension
  static final MariaDbFixture DB = MariaDbFixture.local();

  /** Lock waits end after 2 s, runaway statements after 6 s. */
  private static final String SESSION = "innodb_lock_wait_timeout=2,max_statement_time=6";

  /**
   * A session outside the pool updates every notification and sits in its transaction; each notifications
   * query waits for its rows until {@code innodb_lock_wait_timeout} (2 s) fails it with error 1205. The view
   * names the blocker, the waits fill the pool, notifications is held back, chat keeps succeeding.
   */
  @Test
  @Order(1)
  void holdsNotificationsBackWhileItsRowsAreLockedAndTheWaitsTimeOut() throws Exception {
    MariaDbIncidentReplay replay = new MariaDbIncidentReplay(DB, "lockwait", SESSION, 6);
    replay(replay, stage -> {
      try (Connection locker = DB.connect()) {
        locker.setAutoCommit(false);
        stage.started(); // the update takes its row locks one by one, a few hundred ms for them all
        try (Statement s = locker.createStatement()) {
          s.executeUpdate("UPDATE notifications SET seen = NOT seen");
        }
        stage.hold(Duration.ofSeconds(8));
        locker.rollback();
      }
    });
    report(1, "lock wait timeout", replay);
    verify(replay, () -> {
      assertHeldWithin(replay, NOTIFICATIONS, 5_000);
      Tally blocked = replay.driver().tally(NOTIFICATIONS, Phase.INCIDENT);
      assertTrue(blocked.failures.containsKey("LOCK(HY000)"), "no lock wait timeout (1205) as LOCK: " + blocked);
      assertTrue(replay.maxLockErrors() > 0, "db.errors.lock never counted them");
      assertNotNull(replay.blockerSeen(), "the view never named the blocker");
      assertTrue(replay.blockerSeen().contains("EXCLUSIVE row lock on notifications"), replay.blockerSeen());
      assertCritical(replay, 98.0);
    });
  }

  /**
   * The notifications feature is deployed with a "mark two read" transaction that updates two hot rows in
   * either order: InnoDB breaks each deadlock at once (error 1213, SQLState 40001) by rolling one side back.
   * The victims are counted as lock errors against notifications; chat, on other rows, is untouched.
   */
  @Test
  @Order(2)
  void countsDeadlocksAsLockErrorsOfTheFeatureThatMakesThem() throws Exception {
    MariaDbIncidentReplay replay = new MariaDbIncidentReplay(DB, "deadlock", SESSION, 6);
    replay(replay, stage -> {
      replay.notificationsQuery(MariaDbIncidentTest::markTwoRead);
      stage.started();
      stage.hold(Duration.ofSeconds(6));
      replay.notificationsQuery(MariaDbIncidentReplay::unseenNotifications);
    });
    report(2, "deadlocks", replay);
    verify(replay, () -> {
      Tally notifications = replay.driver().tally(NOTIFICATIONS, Phase.INCIDENT);
      assertTrue(notifications.failures.getOrDefault("LOCK(40001)", new java.util.concurrent.atomic.LongAdder())
          .sum() > 0, "no deadlock (1213) counted as LOCK: " + notifications);
      assertTrue(replay.maxLockErrors() > 0, "db.errors.lock never counted them");
      assertCritical(replay, 98.0);
    });
  }

  /**
   * Every notifications query is slowed to 2.5 s, and the sessions' {@code max_statement_time} of 1 s kills
   * each (error 1969, SQLState 70100): statement timeouts, not hangs, and notifications is held back.
   */
  @Test
  @Order(3)
  void holdsNotificationsBackWhenTheStatementTimeLimitKillsItsQueries() throws Exception {
    MariaDbIncidentReplay replay = new MariaDbIncidentReplay(DB, "timelimit",
        "innodb_lock_wait_timeout=2,max_statement_time=1", 6);
    replay(replay, stage -> {
      DB.delay(NOTIFICATIONS, 2500);
      stage.started();
      stage.hold(Duration.ofSeconds(8));
      DB.delay(NOTIFICATIONS, 0);
    });
    report(3, "statement time limit", replay);
    verify(replay, () -> {
      assertHeldWithin(replay, NOTIFICATIONS, 5_000);
      Tally killed = replay.driver().tally(NOTIFICATIONS, Phase.INCIDENT);
      assertTrue(killed.failures.containsKey("TIMEOUT(70100)"), "no max_statement_time (1969) as TIMEOUT: "
          + killed);
      assertTrue(replay.maxTimeoutErrors() > 0, "db.errors.timeout never counted them");
      assertCritical(replay, 98.0);
    });
  }

  /**
   * The index that serves the notifications query is dropped (a migration forgot it): each query now scans
   * messages once per notification, ~200 ms instead of 1, and six notification threads take the CPU and the
   * pool. Notifications is named culprit and held back while chat keeps succeeding.
   */
  @Test
  @Order(4)
  void holdsBackTheFeatureWhoseQueryLostItsIndex() throws Exception {
    try (Connection c = DB.connect(); Statement s = c.createStatement()) {
      s.execute("CREATE INDEX messages_author ON messages (author_id, id)");
    }
    MariaDbIncidentReplay replay = new MariaDbIncidentReplay(DB, "noindex", SESSION, 6);
    replay.notificationsQuery(MariaDbIncidentTest::unansweredNotifications); // healthy while its index is there
    replay(replay, stage -> {
      try (Connection c = DB.connect(); Statement s = c.createStatement()) {
        stage.started(); // the migration begins: its metadata lock waits for the statements running on messages
        s.execute("DROP INDEX messages_author ON messages");
        stage.hold(Duration.ofSeconds(8));
        s.execute("CREATE INDEX messages_author ON messages (author_id, id)");
      }
    });
    report(4, "missing index", replay);
    verify(replay, () -> {
      FeatureStateChangedEvent held = assertHeldWithin(replay, NOTIFICATIONS, 5_000);
      assertTrue(held.reason().cause() == ShedCause.CULPRIT || held.reason().cause() == ShedCause.THROTTLE
          || held.reason().cause() == ShedCause.LEVEL, "held by " + held.reason().cause());
      assertCritical(replay, 98.0);
    });
  }

  /** Marks two of the hottest notifications read, in either order, in one transaction. */
  private static Object markTwoRead(Connection c, ThreadLocalRandom r) throws java.sql.SQLException {
    long first = 1 + r.nextInt(2);
    c.setAutoCommit(false);
    try (PreparedStatement ps = c.prepareStatement("UPDATE notifications SET seen = NOT seen WHERE id = ?")) {
      ps.setLong(1, first);
      ps.executeUpdate();
      try (Statement s = c.createStatement()) {
        s.execute("DO SLEEP(0.02)");
      }
      ps.setLong(1, 3 - first);
      ps.executeUpdate();
      c.commit();
      return 2;
    } catch (java.sql.SQLException e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(true);
    }
  }

  /**
   * A user's unseen notifications that the user has not replied to since: a correlated subquery that the index
   * {@code messages (author_id, id)} serves in a few rows, and that reads every message after the notification's
   * without it.
   */
  private static Object unansweredNotifications(Connection c, ThreadLocalRandom r) throws java.sql.SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM notifications n WHERE n.user_id = ? "
        + "AND NOT n.seen AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.author_id = n.user_id "
        + "AND m.id > n.message_id AND m.body LIKE CONCAT('re: ', n.message_id, '%'))")) {
      ps.setInt(1, r.nextInt(MariaDbFixture.USERS));
      return MariaDbIncidentReplay.rows(ps);
    }
  }

  // ---------------------------------------------------------------- shared checks

  private static void replay(MariaDbIncidentReplay replay, PostgresIncidentReplay.Incident incident)
      throws Exception {
    try {
      replay.run(incident);
    } catch (Throwable t) {
      System.out.println(replay.diagnostics());
      throw t;
    }
  }

  private static void report(int n, String name, MariaDbIncidentReplay replay) {
    Tally critical = replay.driver().total(Phase.INCIDENT, CRITICAL);
    Tally notifications = replay.driver().tally(NOTIFICATIONS, Phase.INCIDENT);
    FeatureStateChangedEvent held = replay.firstHeld(NOTIFICATIONS);
    System.out.println(String.format(Locale.ROOT, "MARIADB INCIDENT %d %s: notifications held after %s ms (%s), "
            + "healthy notifications %s, critical success %.1f %% (%d/%d), notifications %s, "
            + "max db.errors.lock %.0f, max db.errors.timeout %.0f, blocker named: %s, restored %d ms after the incident ended", n, name,
        held == null ? "-" : Long.toString(replay.sinceIncident(held.at())),
        held == null ? "-" : held.reason().cause(), replay.driver().tally(NOTIFICATIONS, Phase.HEALTHY),
        critical.successPercent(), critical.succeeded(),
        critical.attempted(), notifications, replay.maxLockErrors(), replay.maxTimeoutErrors(),
        replay.blockerSeen(), replay.restoredAfter()));
  }

  private static void verify(MariaDbIncidentReplay replay, Runnable checks) {
    try {
      checks.run();
      for (FeatureStateChangedEvent e : replay.events.featureEvents()) {
        if (e.feature().equals(CHAT_POST) || e.feature().equals(CHAT_READ)) {
          fail("the critical tier changed state: " + e);
        }
      }
      for (String feature : CRITICAL) {
        for (Phase p : Phase.values()) {
          assertEquals(0, replay.driver().tally(feature, p).shed(), feature + " shed calls in " + p);
        }
      }
    } catch (AssertionError e) {
      System.out.println(replay.diagnostics());
      throw e;
    }
  }

  private static FeatureStateChangedEvent assertHeldWithin(MariaDbIncidentReplay replay, String feature,
      long millis) {
    FeatureStateChangedEvent held = replay.firstHeld(feature);
    assertNotNull(held, feature + " was never held back");
    assertTrue(replay.sinceIncident(held.at()) <= millis, feature + " held back only after "
        + replay.sinceIncident(held.at()) + " ms");
    return held;
  }

  private static void assertCritical(MariaDbIncidentReplay replay, double floor) {
    Tally critical = replay.driver().total(Phase.INCIDENT, CRITICAL);
    assertTrue(critical.attempted() > 0, "no critical call during the incident");
    assertTrue(critical.successPercent() >= floor, String.format(Locale.ROOT,
        "critical success %.1f %% below the floor of %.1f %%: %s", critical.successPercent(), floor, critical));
  }
}
