package dev.limp.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.limp.FeatureGuard;
import dev.limp.FeatureShedException;
import dev.limp.FeatureStateChangedEvent;
import dev.limp.LimpListener;
import dev.limp.Limp;
import dev.limp.Tier;
import dev.limp.db.internal.PlanWatch;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The plan watch on a real MariaDB (see {@link MariaDbFixture} for the availability rule), as
 * {@link PlanWatchPostgresTest} on PostgreSQL: the notifications poll lost its parentheses
 * ({@code user_id = ? AND seen = false OR message_id = ?}) on a 200,000-row table, so each poll reads the
 * whole table; notifications becomes the culprit, and its reason names the plan: a full table scan of
 * notifications and its rows. The statement has placeholders: it is explained with each bound to {@code '1'}
 * ({@code EXECUTE IMMEDIATE}), and the pool's connections are left without a prepared statement or a user
 * variable.
 */
class PlanWatchMariaDbTest {
  @RegisterExtension
  static final MariaDbFixture DB = MariaDbFixture.local();

  private static final String POLL = "SELECT id FROM pw_notifications WHERE user_id = ? AND seen = false "
      + "OR message_id = ?";
  private static final String SCAN = "Full table scan (ALL) on pw_notifications";

  @BeforeAll
  static void twoHundredThousandNotificationsWithoutAnIndex() throws SQLException {
    try (Connection c = DB.connect(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE pw_notifications (id bigint AUTO_INCREMENT PRIMARY KEY, user_id int NOT NULL, "
          + "message_id bigint NOT NULL, seen boolean NOT NULL) ENGINE=InnoDB");
      s.execute("INSERT INTO pw_notifications (user_id, message_id, seen) "
          + "SELECT seq % 5000, seq, seq % 3 = 0 FROM seq_1_to_200000");
      s.execute("ANALYZE TABLE pw_notifications");
    }
  }

  private static HikariDataSource pool(String name) {
    HikariConfig config = new HikariConfig();
    config.setPoolName(name);
    config.setJdbcUrl(DB.jdbcUrl());
    config.setUsername(DB.user());
    config.setPassword("");
    config.setMaximumPoolSize(5);
    return new HikariDataSource(config);
  }

  @Test
  void theCulpritsReasonNamesTheFullTableScanOfItsSlowestStatement() throws Exception {
    try (HikariDataSource pool = pool("pw-maria-culprit");
        Limp limp = Limp.builder().name("plan-watch-maria").governorThread(false)
            .feature("chat.post", Tier.CRITICAL).feature("notifications", Tier.SHEDDABLE).build();
        DatabaseMonitor monitor = DatabaseMonitor.builder(limp)
            .culpritQueryLatency(Duration.ofMillis(1)) // a scan of 200,000 rows takes some 30 ms here
            .databaseView(DatabaseViewConfig.builder().interval(Duration.ofMillis(200))
                .timeout(Duration.ofMillis(150)).build())
            .build()) {
      assertTrue(monitor.config().planWatch().enabled(), "on by default with the database view");
      DataSource app = monitor.wrap(pool);
      List<FeatureStateChangedEvent> events = new CopyOnWriteArrayList<>();
      limp.addListener(new LimpListener() {
        @Override
        public void onFeatureStateChanged(FeatureStateChangedEvent event) {
          events.add(event);
        }
      });
      FeatureGuard notifications = limp.guard("notifications");
      AtomicBoolean polling = new AtomicBoolean(true);
      ExecutorService threads = Executors.newFixedThreadPool(3);
      List<Future<?>> pollers = new ArrayList<>();
      try {
        // one poller: a fifth of the pool, no culprit yet; its statements are slow enough to be explained ahead
        pollers.add(threads.submit(() -> pollUntilStopped(notifications, app, polling, 0)));
        PlanWatch watch = monitor.planWatch();
        long aheadDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (watch.lastExplained() == null && System.nanoTime() < aheadDeadline) {
          limp.tick();
          Thread.sleep(50); // a tick's pace: the poller and the EXPLAIN run on their own threads
        }
        assertTrue(String.valueOf(watch.lastExplained()).contains(SCAN), "explained ahead: " + watch.lastExplained());
        assertTrue(events.isEmpty(), "no culprit with one poller: " + events);
        for (int i = 1; i < 3; i++) {
          int user = i;
          pollers.add(threads.submit(() -> pollUntilStopped(notifications, app, polling, user)));
        }
        String reason = awaitReason(limp, monitor, SCAN, Duration.ofSeconds(20));
        assertTrue(reason.matches("notifications held \\d+ % of connection-time .*; plan of its slowest "
            + "statement: Full table scan \\(ALL\\) on pw_notifications, ~(19\\d|20\\d),\\d{3} rows"), reason);
        long eventDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (events.isEmpty() && System.nanoTime() < eventDeadline) {
          Thread.sleep(10); // events are delivered on limp's event thread
        }
        FeatureStateChangedEvent first = events.get(0);
        assertEquals("notifications", first.feature());
        assertTrue(first.reason().detail().contains("plan of its slowest statement: " + SCAN), "the first event "
            + "about the culprit names the plan: " + first.reason().detail());
      } finally {
        polling.set(false);
        for (Future<?> poller : pollers) {
          poller.get(10, TimeUnit.SECONDS);
        }
        threads.shutdownNow();
      }
      PlanWatch watch = monitor.planWatch();
      assertTrue(watch.lastExplained().contains(SCAN), watch.lastExplained());
      List<Connection> all = new ArrayList<>(); // every connection of the pool, the one that explained included
      try {
        for (int i = 0; i < pool.getMaximumPoolSize(); i++) {
          all.add(pool.getConnection());
        }
        for (Connection c : all) {
          try (Statement s = c.createStatement()) {
            SQLException none = assertThrows(SQLException.class, () -> s.execute("EXECUTE limp_plan_watch"));
            assertEquals(1243, none.getErrorCode(), "no prepared statement is left: " + none);
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM information_schema.USER_VARIABLES")) {
              rs.next();
              assertEquals(0, rs.getInt(1), "no user variable is left");
            }
          }
        }
      } finally {
        for (Connection c : all) {
          c.close();
        }
      }
    }
  }

  private static Void pollUntilStopped(FeatureGuard notifications, DataSource app, AtomicBoolean polling, int user)
      throws InterruptedException {
    while (polling.get()) {
      try {
        notifications.run(() -> poll(app, user));
      } catch (FeatureShedException throttled) {
        Thread.sleep(5); // the culprit is throttled or shed: its caller backs off a little
      }
    }
    return null;
  }

  private static void poll(DataSource app, int user) {
    try (Connection c = app.getConnection(); PreparedStatement p = c.prepareStatement(POLL)) {
      p.setInt(1, user);
      p.setLong(2, user);
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          rs.getLong(1);
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Ticks until the culprit's reason (in the monitor's snapshot and the feature's status) names the plan. */
  private static String awaitReason(Limp limp, DatabaseMonitor monitor, String plan, Duration within)
      throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    String reason = null;
    while (System.nanoTime() < deadline) {
      limp.tick();
      reason = monitor.signals().suspects().get("notifications");
      String status = limp.status().feature("notifications").map(f -> f.reason() == null ? ""
          : f.reason().detail()).orElse("");
      if (reason != null && reason.contains(plan) && status.contains(plan)) {
        return reason;
      }
      Thread.sleep(50); // a tick's pace: the pollers and the EXPLAIN run on their own threads
    }
    throw new AssertionError("no culprit reason naming '" + plan + "' within " + within + ": " + reason + "; "
        + limp.status());
  }
}
