package dev.limp.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.limp.GovernorPolicy;
import dev.limp.Level;
import dev.limp.Limp;
import dev.limp.SignalSnapshot;
import dev.limp.Tier;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.mariadb.jdbc.MariaDbDataSource;

/**
 * The database's own view on a real MariaDB (see {@link MariaDbFixture} for the availability rule), as
 * {@link DatabaseViewPostgresTest} on PostgreSQL: an outside session (user {@code limp_migrate_…}) holds the row
 * locks of notifications; three of the application's connections wait on them; the monitor names the blocker,
 * reports the waiters and the lock wait, and the level follows the lock wait's default rule. Then the other
 * readings alone (connections against the limit, the oldest statement, a session idle in its transaction), and
 * a user without the {@code PROCESS} privilege.
 */
class DatabaseViewMariaDbTest {
  @RegisterExtension
  static final MariaDbFixture DB = MariaDbFixture.local();

  private static final DatabaseViewConfig FAST = DatabaseViewConfig.builder().interval(Duration.ofMillis(200))
      .timeout(Duration.ofMillis(150)).build();

  @Test
  void namesTheOutsideSessionThatHoldsTheLockOurConnectionsWaitOn() throws Exception {
    String migrateUser = DB.createUser("migrate", "pw", "SELECT, UPDATE");
    try (Limp limp = Limp.builder().name("db-view-maria").governorThread(false).policy(lockWaitRuleOnly())
            .feature("chat.post", Tier.CRITICAL).feature("notifications", Tier.SHEDDABLE).build();
        DatabaseMonitor monitor = DatabaseMonitor.builder(limp).databaseView(FAST).build();
        Connection migrate = DB.connect(migrateUser, "pw")) {
      DataSource app = monitor.wrap(pool(DB.user(), ""));
      migrate.setAutoCommit(false);
      try (Statement s = migrate.createStatement()) {
        s.executeUpdate("UPDATE notifications SET seen = NOT seen WHERE user_id = 42");
      }
      long migrateSession = MariaDbFixture.sessionId(migrate);
      ExecutorService threads = Executors.newFixedThreadPool(3);
      List<Future<?>> polls = new ArrayList<>();
      try {
        for (int i = 0; i < 3; i++) {
          polls.add(threads.submit(() -> {
            try (Connection c = app.getConnection(); Statement s = c.createStatement()) {
              s.execute("SET SESSION innodb_lock_wait_timeout = 30");
              s.executeUpdate("UPDATE notifications SET seen = true WHERE user_id = 42");
            }
            return null;
          }));
        }
        Blocker blocker = await(monitor, "a blocker with 3 of our waiters",
            m -> !m.blockers().isEmpty() && m.blockers().get(0).ourWaiters() == 3).blockers().get(0);
        assertEquals(1, monitor.blockers().size(), "the waiters queued behind each other are no blockers: "
            + monitor.blockers());
        assertEquals(migrateSession, blocker.session());
        assertEquals(migrateUser + "@127.0.0.1", blocker.application());
        assertEquals("EXCLUSIVE row lock on notifications", blocker.lock());
        assertEquals(3, blocker.waiters());
        assertTrue(blocker.toString().matches("session " + migrateSession + " \\(application '" + migrateUser
            + "@127.0.0.1'\\) has held an EXCLUSIVE row lock on notifications for \\d+ s; 3 of our connections "
            + "wait on it"), blocker.toString());
        // the longest wait passes the default rule's 1 s: a real lock wait, awaited with a bound
        long waitDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        do {
          limp.tick();
        } while (!(monitor.signals().get(DatabaseSignals.SERVER_LOCK_WAIT) >= 1_000)
            && System.nanoTime() < waitDeadline);
        SignalSnapshot signals = monitor.signals();
        assertEquals(3, signals.get(DatabaseSignals.SERVER_LOCK_WAITERS));
        assertTrue(signals.get(DatabaseSignals.SERVER_LOCK_WAIT) >= 1_000, signals.toString());
        assertTrue(signals.get(DatabaseSignals.SERVER_OLDEST_QUERY) >= 1_000, "the waiting updates run");
        assertTrue(signals.get(DatabaseSignals.SERVER_OLDEST_IDLE_TRANSACTION) >= 1_000,
            "the migrate session is idle in its transaction");
        assertEquals(Level.SHED_SHEDDABLE, limp.status().level(), limp.status().toString());
        assertTrue(limp.status().levelReason().startsWith("db.server.lock.wait = "), limp.status().levelReason());
      } finally {
        migrate.rollback();
        for (Future<?> poll : polls) {
          poll.get(10, TimeUnit.SECONDS);
        }
        threads.shutdownNow();
      }
      await(monitor, "the blocker gone once it lets go", m -> m.blockers().isEmpty());
    }
  }

  @Test
  void readsTheConnectionsAgainstTheLimitTheOldestStatementAndAnIdleTransaction() throws Exception {
    try (Limp limp = Limp.builder().name("db-view-maria-ages").governorThread(false)
            .feature("chat.post", Tier.CRITICAL).build();
        DatabaseMonitor monitor = DatabaseMonitor.builder(limp).databaseView(FAST).build();
        Connection sleeper = DB.connect();
        Connection idle = DB.connect()) {
      monitor.wrap(pool(DB.user(), ""));
      idle.setAutoCommit(false);
      try (Statement s = idle.createStatement()) {
        s.executeUpdate("UPDATE notifications SET seen = NOT seen WHERE user_id = 7");
      }
      ExecutorService thread = Executors.newSingleThreadExecutor();
      try {
        Future<?> sleep = thread.submit(() -> {
          try (Statement s = sleeper.createStatement()) {
            s.execute("SELECT SLEEP(4)");
          }
          return null;
        });
        await(monitor, "the statement and the transaction 1 s old", m -> {
          limp.tick();
          return m.signals().get(DatabaseSignals.SERVER_OLDEST_QUERY) >= 1_000
              && m.signals().get(DatabaseSignals.SERVER_OLDEST_IDLE_TRANSACTION) >= 1_000;
        });
        SignalSnapshot signals = monitor.signals();
        double limit;
        double connected;
        try (Statement s = idle.createStatement();
            ResultSet rs = s.executeQuery("SELECT @@max_connections, (SELECT VARIABLE_VALUE FROM "
                + "information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = 'THREADS_CONNECTED')")) {
          rs.next();
          limit = rs.getDouble(1);
          connected = rs.getDouble(2);
        }
        double used = signals.get(DatabaseSignals.SERVER_CONNECTIONS);
        // every client of the server, not only this pool: at least the two sessions above and the view's
        assertTrue(used >= 3 / limit && used <= 1, used + " of " + limit);
        assertTrue(Math.abs(used * limit - connected) <= 20, "about the server's Threads_connected (" + connected
            + ", other builds come and go), but was " + used * limit);
        assertEquals(0, signals.get(DatabaseSignals.SERVER_LOCK_WAITERS));
        assertEquals(0, signals.get(DatabaseSignals.SERVER_LOCK_WAIT));
        assertEquals(List.of(), monitor.blockers());
        idle.rollback();
        sleep.get(10, TimeUnit.SECONDS);
        await(monitor, "the ages back to 0 once the statement ends and the transaction is rolled back", m -> {
          limp.tick();
          return m.signals().get(DatabaseSignals.SERVER_OLDEST_QUERY) < 1_000
              && m.signals().get(DatabaseSignals.SERVER_OLDEST_IDLE_TRANSACTION) == 0;
        });
      } finally {
        thread.shutdownNow();
      }
    }
  }

  @Test
  void aUserWithoutTheProcessPrivilegeTurnsTheViewOffAndTheRestWorks() throws Exception {
    String user = DB.createUser("noprocess", "pw", "SELECT");
    try (Limp limp = Limp.builder().name("db-view-maria-noprocess").governorThread(false)
            .feature("chat.post", Tier.CRITICAL).build();
        DatabaseMonitor monitor = DatabaseMonitor.builder(limp).databaseView(FAST).build()) {
      DataSource app = monitor.wrap(pool(user, "pw"));
      await(monitor, "the view to find it may not read INNODB_TRX and turn itself off",
          DatabaseMonitor::databaseViewStopped);
      try (Connection c = app.getConnection(); Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT count(*) FROM messages")) {
        rs.next();
        assertTrue(rs.getLong(1) > 0);
      }
      limp.tick();
      assertTrue(Double.isNaN(monitor.signals().get(DatabaseSignals.SERVER_CONNECTIONS)));
      assertEquals(1, monitor.signals().get(DatabaseSignals.TIMEOUT_ERRORS) + 1, "the pool's signals are read");
      assertEquals(List.of(), monitor.blockers());
    }
  }

  private static MariaDbDataSource pool(String user, String password) throws SQLException {
    MariaDbDataSource ds = new MariaDbDataSource(DB.jdbcUrl());
    ds.setUser(user);
    ds.setPassword(password);
    return ds;
  }

  /** The default rule of the lock wait alone: the waiting statements' own latency would move the level too. */
  private static GovernorPolicy lockWaitRuleOnly() {
    GovernorPolicy.Builder policy = GovernorPolicy.custom();
    DatabaseSignals.defaultRules().stream().filter(r -> r.signal().equals(DatabaseSignals.SERVER_LOCK_WAIT))
        .forEach(policy::rule);
    return policy.build();
  }

  /** Waits (at most {@link H2Pool#AWAIT}) until the monitor shows what the test waits for. */
  private static DatabaseMonitor await(DatabaseMonitor monitor, String what, Predicate<DatabaseMonitor> condition) {
    H2Pool.awaitTrue(what, () -> condition.test(monitor));
    return monitor;
  }
}
