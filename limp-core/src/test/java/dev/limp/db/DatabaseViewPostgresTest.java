package dev.limp.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.limp.Limp;
import dev.limp.SignalSnapshot;
import dev.limp.Tier;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The database's own view on a real PostgreSQL: an outside session (application 'migrate') takes an ACCESS
 * EXCLUSIVE lock on notifications; three of the application's connections wait on it; the monitor names the
 * blocker, reports the waiters and the lock wait, and the level follows the lock wait's default rule.
 */
class DatabaseViewPostgresTest {
  @RegisterExtension
  static final PostgresFixture DB = PostgresFixture.local();

  @Test
  void namesTheOutsideSessionThatHoldsTheLockOurConnectionsWaitOn() throws Exception {
    PGSimpleDataSource pool = new PGSimpleDataSource();
    pool.setUrl(DB.jdbcUrl());
    pool.setUser(DB.user());
    pool.setApplicationName("chat-app");
    try (Limp limp = Limp.builder().name("db-view").governorThread(false).policy(lockWaitRuleOnly())
            .feature("chat.post", Tier.CRITICAL).feature("notifications", Tier.SHEDDABLE).build();
        DatabaseMonitor monitor = DatabaseMonitor.builder(limp)
            .databaseView(DatabaseViewConfig.builder().interval(Duration.ofMillis(200))
                .timeout(Duration.ofMillis(150)).build()).build();
        Connection migrate = DB.connect()) {
      DataSource app = monitor.wrap(pool);
      migrate.setClientInfo("ApplicationName", "migrate");
      migrate.setAutoCommit(false);
      try (Statement s = migrate.createStatement()) {
        s.execute("LOCK TABLE notifications IN ACCESS EXCLUSIVE MODE");
      }
      long migratePid = pid(migrate);
      ExecutorService threads = Executors.newFixedThreadPool(3);
      List<Future<?>> polls = new ArrayList<>();
      try {
        for (int i = 0; i < 3; i++) {
          polls.add(threads.submit(() -> {
            try (Connection c = app.getConnection(); Statement s = c.createStatement()) {
              s.execute("SELECT count(*) FROM notifications");
            }
            return null;
          }));
        }
        Blocker blocker = awaitBlocker(monitor);
        assertEquals(migratePid, blocker.session());
        assertEquals("migrate", blocker.application());
        assertEquals("ACCESS EXCLUSIVE lock on notifications", blocker.lock());
        assertEquals(3, blocker.ourWaiters());
        assertTrue(blocker.toString().matches("session " + migratePid + " \\(application 'migrate'\\) has held an "
            + "ACCESS EXCLUSIVE lock on notifications for \\d+ s; 3 of our connections wait on it"), blocker.toString());
        // the longest wait passes the default rule's 1 s: a real lock wait, awaited with a bound
        long waitDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        do {
          limp.tick();
        } while (!(monitor.signals().get(DatabaseSignals.SERVER_LOCK_WAIT) >= 1_000)
            && System.nanoTime() < waitDeadline);
        SignalSnapshot signals = monitor.signals();
        assertEquals(3, signals.get(DatabaseSignals.SERVER_LOCK_WAITERS));
        assertTrue(signals.get(DatabaseSignals.SERVER_LOCK_WAIT) >= 1_000, signals.toString());
        assertTrue(signals.get(DatabaseSignals.SERVER_CONNECTIONS) > 0);
        assertTrue(signals.get(DatabaseSignals.SERVER_OLDEST_QUERY) >= 1_000);
        assertTrue(signals.get(DatabaseSignals.SERVER_OLDEST_IDLE_TRANSACTION) >= 1_000,
            "the migrate session is idle in its transaction");
        assertEquals(dev.limp.Level.SHED_SHEDDABLE, limp.status().level(), limp.status().toString());
        assertTrue(limp.status().levelReason().startsWith("db.server.lock.wait = "), limp.status().levelReason());
        // the level's reason names the blocker: who holds which lock, how long, and how many of ours wait
        assertTrue(limp.status().levelReason().matches("db\\.server\\.lock\\.wait = .* \\(enter SHED_SHEDDABLE\\): "
            + "session " + migratePid + " \\(application 'migrate'\\) has held an ACCESS EXCLUSIVE lock on "
            + "notifications for \\d+ s; 3 of our connections wait on it"), limp.status().levelReason());
        assertEquals(blocker.toString().replaceAll("for \\d+ s", ""),
            signals.detail(DatabaseSignals.SERVER_LOCK_WAIT)
            .orElseThrow().replaceAll("for \\d+ s", ""), "the monitor's own snapshot keeps the detail");
      } finally {
        migrate.rollback();
        for (Future<?> poll : polls) {
          poll.get(10, TimeUnit.SECONDS);
        }
        threads.shutdownNow();
      }
      H2Pool.awaitTrue("the blocker to be gone once it lets go", () -> monitor.blockers().isEmpty());
    }
  }

  /** The default rule of the lock wait alone: the waiting statements' own latency would move the level too. */
  private static dev.limp.GovernorPolicy lockWaitRuleOnly() {
    dev.limp.GovernorPolicy.Builder policy = dev.limp.GovernorPolicy.custom();
    DatabaseSignals.defaultRules().stream().filter(r -> r.signal().equals(DatabaseSignals.SERVER_LOCK_WAIT))
        .forEach(policy::rule);
    return policy.build();
  }

  private static Blocker awaitBlocker(DatabaseMonitor monitor) {
    H2Pool.awaitTrue("a blocker with 3 of our waiters named",
        () -> !monitor.blockers().isEmpty() && monitor.blockers().get(0).ourWaiters() == 3);
    return monitor.blockers().get(0);
  }

  private static long pid(Connection c) throws SQLException {
    try (Statement s = c.createStatement(); var rs = s.executeQuery("SELECT pg_backend_pid()")) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
