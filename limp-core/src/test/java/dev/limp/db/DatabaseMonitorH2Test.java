package dev.limp.db;

import static dev.limp.db.H2Pool.AWAIT;
import static dev.limp.db.H2Pool.awaitTrue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.limp.CallOutcome;
import dev.limp.FeatureGuard;
import dev.limp.Limp;
import dev.limp.SignalSnapshot;
import dev.limp.Tier;
import dev.limp.db.internal.FeatureDbStats;
import dev.limp.db.internal.SqlErrorKind;
import dev.limp.testing.FakeClock;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What the monitor measures on a real HikariCP pool over H2: whose work holds connections and runs
 * statements, how slow statements and a full pool show in the signals, acquire timeouts, the canary (also a
 * hung one), and a pool it does not know. Latencies are real (the monitor runs on the system clock); the
 * limp instance is ticked by the test.
 */
@Timeout(60)
class DatabaseMonitorH2Test {
  private final List<AutoCloseable> resources = new ArrayList<>();
  private final ExecutorService threads = Executors.newCachedThreadPool();

  @AfterEach
  void stop() throws Exception {
    threads.shutdownNow();
    assertTrue(threads.awaitTermination(AWAIT.toSeconds(), TimeUnit.SECONDS), "worker threads did not end");
    for (int i = resources.size() - 1; i >= 0; i--) {
      resources.get(i).close();
    }
  }

  private <T extends AutoCloseable> T closeLater(T resource) {
    resources.add(resource);
    return resource;
  }

  private Limp limp() {
    return closeLater(Limp.builder().name("h2-monitor").clock(new FakeClock()).governorThread(false)
        .feature("chat.post", Tier.CRITICAL_PLUS)
        .feature("notifications", Tier.SHEDDABLE_PLUS)
        .feature("search", Tier.SHEDDABLE)
        .build());
  }

  private static SignalSnapshot tick(Limp limp) {
    limp.tick();
    return limp.status().signals();
  }

  // ---------------------------------------------------------------- attribution

  @Test
  void statementAndHoldTimeAreAttributedToTheFeatureWhoseGuardRunsTheWork() throws Exception {
    H2Pool pool = closeLater(H2Pool.start("attribution"));
    Limp limp = limp();
    DatabaseMonitor monitor = closeLater(DatabaseMonitor.builder(limp).build());
    DataSource ds = monitor.wrap(pool.dataSource());

    limp.guard("search").call(() -> {
      try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
        s.execute("SELECT * FROM messages WHERE body LIKE '%a%'");
        s.execute("SELECT * FROM users");
        s.execute("CALL SLEEP(20)");
      }
      return null;
    });
    limp.guard("chat.post").call(() -> {
      MonitoredDataSourceTest.execute(ds, "INSERT INTO messages (room_id, user_id, body) VALUES (1, 1, 'hey')");
      return null;
    });
    MonitoredDataSourceTest.execute(ds, "SELECT 1");
    MonitoredDataSourceTest.execute(ds, "SELECT 2");

    long now = monitor.recorder().now();
    FeatureDbStats search = stats(monitor, "search");
    FeatureDbStats chat = stats(monitor, "chat.post");
    FeatureDbStats unattributed = stats(monitor, null);
    assertEquals(Tier.SHEDDABLE, search.tier());
    assertEquals(Tier.CRITICAL_PLUS, chat.tier());
    assertNull(unattributed.tier());
    assertEquals(3, search.statements(now).count());
    assertEquals(1, chat.statements(now).count());
    assertEquals(2, unattributed.statements(now).count());
    assertEquals(6, monitor.recorder().statements().count());
    assertTrue(search.statements(now).maxMillis() >= 20);
    assertTrue(search.connectionMillis(now) >= 20, "search held its connection through SLEEP(20)");
    assertTrue(chat.connectionMillis(now) > 0);
    assertTrue(unattributed.connectionMillis(now) > 0);
    assertEquals(3, monitor.recorder().features().size(), "no feature stats for notifications, which did nothing");
  }

  @Test
  void activityShowsWhatTheMonitorSawOverItsWindow() throws Exception {
    H2Pool pool = closeLater(H2Pool.start("activity"));
    Limp limp = limp();
    DatabaseMonitor monitor = closeLater(DatabaseMonitor.builder(limp).build());
    DataSource ds = monitor.wrap(pool.dataSource());
    assertEquals(0, monitor.activity().statements());
    assertTrue(Double.isNaN(monitor.activity().queryP99Millis()), "no statement, no latency");

    Connection held = ds.getConnection();
    limp.guard("search").call(() -> {
      MonitoredDataSourceTest.execute(ds, "SELECT 1");
      MonitoredDataSourceTest.execute(ds, "CALL SLEEP(20)");
      return null;
    });
    assertThrows(SQLException.class, () -> MonitoredDataSourceTest.execute(ds, "SELECT * FROM no_such_table"));

    DatabaseActivity activity = monitor.activity();
    assertEquals(1, activity.connectionsInUse(), "the connection still held");
    assertEquals(3, activity.statements(), "a failed statement is timed too");
    assertTrue(activity.queryP99Millis() >= 20, activity.toString());
    assertTrue(activity.queryP50Millis() <= activity.queryP99Millis(), activity.toString());
    assertEquals(4, activity.acquires());
    assertFalse(Double.isNaN(activity.acquireP99Millis()));
    assertEquals(0, activity.acquireFailures());
    assertEquals(0, activity.reserveRefusals());
    assertEquals(0, activity.lockErrors() + activity.timeoutErrors() + activity.connectionErrors());
    assertEquals(Set.of(), activity.culprits());
    held.close();
    assertEquals(0, monitor.activity().connectionsInUse());
  }

  @Test
  void aConnectionHeldOpenCountsForItsFeatureUntilClosed() throws Exception {
    H2Pool pool = closeLater(H2Pool.start("open-hold"));
    Limp limp = limp();
    DatabaseMonitor monitor = closeLater(DatabaseMonitor.builder(limp).build());
    DataSource ds = monitor.wrap(pool.dataSource());
    H2Pool.Gate gate = pool.gate("hold");

    Future<?> holder = threads.submit(() -> limp.guard("notifications").call(() -> {
      MonitoredDataSourceTest.execute(ds, gate.sql());
      return null;
    }));
    gate.awaitInside(1);
    FeatureDbStats notifications = stats(monitor, "notifications");
    assertEquals(1, notifications.openConnections());
    assertEquals(1, monitor.recorder().connectionsInUse());
    double before = notifications.connectionMillis(monitor.recorder().now());
    awaitTrue("the open connection's time to grow",
        () -> notifications.connectionMillis(monitor.recorder().now()) > before);
    assertEquals(0, notifications.statements(monitor.recorder().now()).count(), "the statement is still running");

    gate.open();
    holder.get(AWAIT.toSeconds(), TimeUnit.SECONDS);
    assertEquals(0, notifications.openConnections());
    assertEquals(1, notifications.statements(monitor.recorder().now()).count());
  }

  // ---------------------------------------------------------------- signals

  @Test
  void slowStatementsRaiseTheQueryP99() throws Exception {
    H2Pool pool = closeLater(H2Pool.start("slow"));
    Limp limp = limp();
    DatabaseMonitor monitor = closeLater(DatabaseMonitor.builder(limp).build());
    DataSource ds = monitor.wrap(pool.dataSource());

    for (int i = 0; i < 20; i++) {
      MonitoredDataSourceTest.execute(ds, "SELECT name FROM users WHERE id = 1");
    }
    SignalSnapshot fast = tick(limp);
    assertFalse(Double.isNaN(fast.get(DatabaseSignals.QUERY_P99)), fast.toString());

    limp.guard("search").call(() -> {
      MonitoredDataSourceTest.execute(ds, "CALL SLEEP(200)");
      return null;
    });
    SignalSnapshot slow = tick(limp);
    assertTrue(slow.get(DatabaseSignals.QUERY_P99) >= 200, slow.toString());
    assertTrue(slow.get(DatabaseSignals.QUERY_P50) <= slow.get(DatabaseSignals.QUERY_P99), slow.toString());
    assertEquals(21, monitor.recorder().statements().count());
    assertEquals(0.0, slow.get(DatabaseSignals.ACQUIRE_TIMEOUTS));
    assertEquals(0.0, slow.get(DatabaseSignals.POOL_SATURATION));
    assertEquals(0.0, slow.get(DatabaseSignals.POOL_WAITERS));
    assertTrue(Double.isNaN(slow.get(DatabaseSignals.CANARY_LATENCY)), "no canary configured");
  }

  @Test
  void connectionsHeldOpenSaturateThePoolAndWaitersRaiseTheAcquireP99() throws Exception {
    H2Pool pool = closeLater(H2Pool.start("saturation", 4, Duration.ofSeconds(10)));
    Limp limp = limp();
    DatabaseMonitor monitor = closeLater(DatabaseMonitor.builder(limp).build());
    DataSource ds = monitor.wrap(pool.dataSource());
    H2Pool.Gate gate = pool.gate("hold");
    SignalSnapshot idle = tick(limp);
    assertEquals(0.0, idle.get(DatabaseSignals.POOL_SATURATION));
    assertEquals(0.0, idle.get(DatabaseSignals.POOL_WAITERS));

    List<Future<?>> work = new ArrayList<>();
    for (int i = 1; i <= 4; i++) {
      work.add(threads.submit(() -> limp.guard("chat.post").call(() -> {
        MonitoredDataSourceTest.execute(ds, gate.sql());
        return null;
      })));
      gate.awaitInside(i);
    }
    SignalSnapshot full = tick(limp);
    assertEquals(1.0, full.get(DatabaseSignals.POOL_SATURATION));
    assertEquals(0.0, full.get(DatabaseSignals.POOL_WAITERS));

    for (int i = 0; i < 2; i++) {
      work.add(threads.submit(() -> limp.guard("chat.post").call(() -> {
        MonitoredDataSourceTest.execute(ds, "SELECT 1");
        return null;
      })));
    }
    pool.awaitWaiters(2);
    long waitersSeen = System.nanoTime(); // both waiters started acquiring before this
    SignalSnapshot queueing = tick(limp);
    // averaged over the last two seconds of ticks: 0, 0 and now 2
    assertTrue(queueing.get(DatabaseSignals.POOL_WAITERS) > 0, queueing.toString());
    assertEquals(1.0, queueing.get(DatabaseSignals.POOL_SATURATION));

    long opened = System.nanoTime(); // the waiters get a connection only after the gate opens
    gate.open();
    for (Future<?> f : work) {
      f.get(AWAIT.toSeconds(), TimeUnit.SECONDS);
    }
    double waitedAtLeast = (opened - waitersSeen) / 1e6;
    SignalSnapshot after = tick(limp);
    assertTrue(after.get(DatabaseSignals.ACQUIRE_P99) >= waitedAtLeast - 0.01,
        "acquire p99 " + after.get(DatabaseSignals.ACQUIRE_P99) + " ms, but the waiters waited at least "
            + waitedAtLeast + " ms");
    assertEquals(0.0, after.get(DatabaseSignals.POOL_SATURATION));
    assertEquals(6, monitor.recorder().acquires().count());
    assertEquals(0.0, after.get(DatabaseSignals.ACQUIRE_TIMEOUTS));
  }

  @Test
  void aPoolThatTimesOutProducesAcquireTimeouts() throws Exception {
    H2Pool pool = closeLater(H2Pool.start("timeouts", 2, Duration.ofMillis(250)));
    Limp limp = limp();
    DatabaseMonitor monitor = closeLater(DatabaseMonitor.builder(limp).build());
    DataSource ds = monitor.wrap(pool.dataSource());
    H2Pool.Gate gate = pool.gate("hold");
    List<Future<?>> holders = new ArrayList<>();
    for (int i = 1; i <= 2; i++) {
      holders.add(threads.submit(() -> {
        MonitoredDataSourceTest.execute(ds, gate.sql());
        return null;
      }));
      gate.awaitInside(i);
    }

    // the pool makes the caller wait its connectionTimeout, then gives up: Hikari's exception, unchanged
    SQLException timedOut = assertThrows(SQLException.class, ds::getConnection);
    assertInstanceOf(SQLTransientConnectionException.class, timedOut);
    assertTrue(timedOut.getMessage().contains("request timed out"), timedOut.getMessage());
    assertEquals(2, monitor.recorder().connectionsInUse(), "the failed acquisition is not counted as in use");

    SignalSnapshot signals = tick(limp);
    assertEquals(1.0, signals.get(DatabaseSignals.ACQUIRE_TIMEOUTS));
    assertEquals(1.0, signals.get(DatabaseSignals.CONNECTION_ERRORS));
    assertEquals(0.0, signals.get(DatabaseSignals.LOCK_ERRORS));
    assertEquals(1, monitor.recorder().errors(SqlErrorKind.CONNECTION));

    gate.open();
    for (Future<?> f : holders) {
      f.get(AWAIT.toSeconds(), TimeUnit.SECONDS);
    }
    assertEquals(0, monitor.recorder().connectionsInUse());
  }

  @Test
  void anUnsupportedGetConnectionIsNotAnAcquireTimeout() throws Exception {
    H2Pool pool = closeLater(H2Pool.start("unsupported"));
    Limp limp = limp();
    DatabaseMonitor monitor = closeLater(DatabaseMonitor.builder(limp).build());
    DataSource ds = monitor.wrap(pool.dataSource());
    // HikariCP does not take credentials per call: a programming error, not a database in trouble
    assertThrows(SQLFeatureNotSupportedException.class, () -> ds.getConnection("sa", ""));
    SignalSnapshot signals = tick(limp);
    assertEquals(0.0, signals.get(DatabaseSignals.ACQUIRE_TIMEOUTS));
    assertEquals(0, monitor.recorder().connectionsInUse());
  }

  // ---------------------------------------------------------------- canary

  @Test
  void theCanaryReportsItsLatency() throws Exception {
    H2Pool pool = closeLater(H2Pool.start("canary"));
    Limp limp = limp();
    DatabaseMonitor monitor = closeLater(DatabaseMonitor.builder(limp)
        .canary(CanaryConfig.builder().interval(Duration.ofMillis(100)).timeout(Duration.ofSeconds(1)).build())
        .build());
    monitor.wrap(pool.dataSource());

    awaitTrue("a canary reading", () -> !Double.isNaN(tick(limp).get(DatabaseSignals.CANARY_LATENCY)));
    SignalSnapshot signals = tick(limp);
    assertTrue(signals.get(DatabaseSignals.CANARY_LATENCY) >= 0);
    assertEquals(0.0, signals.get(DatabaseSignals.CANARY_FAILURES));
    assertEquals(0, monitor.recorder().statements().count(), "the canary is not application work");
    assertEquals(0, monitor.recorder().connectionsInUse());
  }

  @Test
  void aHungCanaryCountsOneFailureAndNeverBlocksTheTick() throws Exception {
    H2Pool pool = closeLater(H2Pool.start("canary-hung"));
    H2Pool.Gate hang = pool.gate("canary");
    Limp limp = limp();
    // one run only (the next would be an hour later): the run that hangs until the test opens the gate
    DatabaseMonitor monitor = closeLater(DatabaseMonitor.builder(limp)
        .canary(CanaryConfig.builder().query(hang.sql()).interval(Duration.ofHours(1))
            .timeout(Duration.ofMillis(200)).build())
        .build());
    monitor.wrap(pool.dataSource());

    hang.awaitInside(1);
    // the canary's statement cannot end before the gate opens: every tick below returns while it hangs
    awaitTrue("the hung canary to count as a failure",
        () -> tick(limp).get(DatabaseSignals.CANARY_FAILURES) >= 1);
    SignalSnapshot hung = tick(limp);
    assertEquals(1.0, hung.get(DatabaseSignals.CANARY_FAILURES), "one hang, one failure, however many ticks");
    assertTrue(hung.get(DatabaseSignals.CANARY_LATENCY) > 200, "the latency of a hung canary is how long it hung");
    double soFar = hung.get(DatabaseSignals.CANARY_LATENCY);
    awaitTrue("the hung canary's latency to keep rising",
        () -> tick(limp).get(DatabaseSignals.CANARY_LATENCY) > soFar);
    assertEquals(1, hang.inside(), "still hung");
    assertFalse(hang.isOpen());

    hang.open();
    hang.awaitInside(0);
    // once the run has ended its latency stops rising: it is the run's whole duration
    double[] last = {Double.NaN};
    awaitTrue("the hung run to end", () -> {
      double latency = tick(limp).get(DatabaseSignals.CANARY_LATENCY);
      boolean ended = latency == last[0];
      last[0] = latency;
      return ended;
    });
    assertTrue(last[0] > soFar);
    assertEquals(1.0, tick(limp).get(DatabaseSignals.CANARY_FAILURES), "the hang that ended is not counted again");
  }

  // ---------------------------------------------------------------- a pool it does not know

  @Test
  void aPlainDataSourceIsWatchedWithoutProbeAndWithoutReserve() throws Exception {
    H2Pool pool = closeLater(H2Pool.start("plain"));
    Limp limp = limp();
    DatabaseMonitor monitor = closeLater(DatabaseMonitor.builder(limp).reserve(2)
        .canary(CanaryConfig.builder().interval(Duration.ofMillis(100)).build())
        .build());
    DataSource ds = monitor.wrap(pool.unpooled());
    assertNull(monitor.poolProbe());

    FeatureGuard search = limp.guard("search");
    int opened = search.call(() -> {
      List<Connection> held = new ArrayList<>();
      try {
        for (int i = 0; i < 12; i++) { // more than any reserve would allow: there is no known maximum
          Connection c = ds.getConnection();
          held.add(c);
          try (Statement s = c.createStatement()) {
            s.execute("SELECT COUNT(*) FROM messages");
          }
        }
        return held.size();
      } finally {
        for (Connection c : held) {
          c.close();
        }
      }
    });
    assertEquals(12, opened);
    assertEquals(0, search.count(CallOutcome.SHED));

    awaitTrue("a canary reading", () -> !Double.isNaN(tick(limp).get(DatabaseSignals.CANARY_LATENCY)));
    SignalSnapshot signals = tick(limp);
    assertTrue(Double.isNaN(signals.get(DatabaseSignals.POOL_SATURATION)), signals.toString());
    assertTrue(Double.isNaN(signals.get(DatabaseSignals.POOL_WAITERS)), signals.toString());
    assertFalse(Double.isNaN(signals.get(DatabaseSignals.QUERY_P99)));
    assertFalse(Double.isNaN(signals.get(DatabaseSignals.ACQUIRE_P99)));
    assertEquals(12, stats(monitor, "search").statements(monitor.recorder().now()).count());
  }

  // ---------------------------------------------------------------- helpers

  /** The stats of the named feature; {@code null} for the unattributed work. */
  static FeatureDbStats stats(DatabaseMonitor monitor, String feature) {
    return monitor.recorder().features().stream()
        .filter(f -> feature == null ? f.name() == null : feature.equals(f.name()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no stats for " + feature + " in "
            + monitor.recorder().features().stream().map(FeatureDbStats::name).toList()));
  }
}
