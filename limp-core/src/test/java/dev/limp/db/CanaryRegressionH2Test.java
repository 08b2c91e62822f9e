package dev.limp.db;

import static dev.limp.db.H2Pool.AWAIT;
import static dev.limp.db.H2Pool.awaitTrue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.limp.Level;
import dev.limp.Limp;
import dev.limp.SignalSnapshot;
import dev.limp.Tier;
import dev.limp.db.internal.AnsweredFailures;
import dev.limp.testing.FakeClock;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The canary's regressions on H2: a database it cannot reach (issue 13.13) and a query that is wrong rather
 * than a database that is sick (issue 12.6). The monitor runs on a clock the test drives, so "past the
 * canary's timeout" is the test's to say; the canary's thread runs for real.
 */
@Timeout(60)
class CanaryRegressionH2Test {
  private static final Duration TIMEOUT = Duration.ofMillis(200);

  private final FakeClock monitorClock = new FakeClock();
  private final List<AutoCloseable> resources = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (int i = resources.size() - 1; i >= 0; i--) {
      resources.get(i).close();
    }
  }

  private <T extends AutoCloseable> T closeLater(T resource) {
    resources.add(resource);
    return resource;
  }

  /** The default policy, ticked by the test on its own fake clock. */
  private Limp limp() {
    return closeLater(Limp.builder().name("h2-canary").clock(new FakeClock()).governorThread(false)
        .policy(DatabaseSignals.defaultPolicy())
        .feature("chat.post", Tier.CRITICAL_PLUS)
        .feature("search", Tier.SHEDDABLE)
        .build());
  }

  private DatabaseMonitor monitor(Limp limp, CanaryConfig.Builder canary) {
    return closeLater(DatabaseMonitor.builder(limp).clock(monitorClock)
        .canary(canary.interval(Duration.ofMillis(100)).timeout(TIMEOUT).build()).build());
  }

  private static SignalSnapshot tick(Limp limp) {
    limp.tick();
    return limp.status().signals();
  }

  // ---------------------------------------------------------------- 13.13

  @Test
  void aCanaryThatCannotReachTheDatabaseCountsAsUnreachableAndMovesTheLevel() throws Exception {
    H2Pool pool = closeLater(H2Pool.start("canary-unreachable"));
    StallingDataSource database = new StallingDataSource(pool.unpooled());
    Limp limp = limp();
    monitor(limp, CanaryConfig.builder()).wrap(database);
    awaitTrue("a first canary reading", () -> !Double.isNaN(tick(limp).get(DatabaseSignals.CANARY_LATENCY)));
    assertEquals(0.0, tick(limp).get(DatabaseSignals.CANARY_UNREACHABLE));

    database.stall(); // the database stops answering; no application traffic at all
    awaitTrue("the canary to wait for a connection", () -> database.waiting() == 1);
    SignalSnapshot waited = tick(limp);
    assertEquals(0.0, waited.get(DatabaseSignals.CANARY_UNREACHABLE), "not yet past the canary's timeout");

    monitorClock.advance(TIMEOUT.multipliedBy(3).plusMillis(1)); // three timeouts without a connection
    SignalSnapshot stalled = tick(limp);
    assertEquals(3.0, stalled.get(DatabaseSignals.CANARY_UNREACHABLE), stalled.toString());
    assertEquals(Level.SHED_CRITICAL, limp.level(), "a database no one can reach is the deepest trouble");
    assertEquals(3.0, tick(limp).get(DatabaseSignals.CANARY_UNREACHABLE), "each timeout counted once");

    database.pass();
    database.refuse(); // down now: refused at once, each run counts one
    awaitTrue("a refused connect to count", () -> tick(limp).get(DatabaseSignals.CANARY_UNREACHABLE) >= 4);
  }

  @Test
  void aCanaryThatReachesTheDatabaseAgainAnswersItsUnreachabilityAfterTheQuietPeriodNotAWindowLater()
      throws Exception {
    // regression: after the outage, the canary's refusals held the level up for the whole 10 s window
    H2Pool pool = closeLater(H2Pool.start("canary-answered"));
    StallingDataSource database = new StallingDataSource(pool.unpooled());
    Limp limp = limp();
    // a timeout longer than the quiet period: the test's jump of the clock must not make a run in flight late
    closeLater(DatabaseMonitor.builder(limp).clock(monitorClock).canary(CanaryConfig.builder()
        .interval(Duration.ofMillis(100)).timeout(Duration.ofSeconds(5)).build()).build()).wrap(database);
    database.refuse();
    awaitTrue("a refused connect to count", () -> tick(limp).get(DatabaseSignals.CANARY_UNREACHABLE) >= 1);

    database.pass();
    awaitTrue("a canary run that reached the database",
        () -> !Double.isNaN(tick(limp).get(DatabaseSignals.CANARY_LATENCY)));
    monitorClock.advance(Duration.ofMillis(1)); // the runs from now on began after the last refusal
    long opened = database.opened();
    awaitTrue("a canary run that began after the last refusal", () -> database.opened() >= opened + 2);
    assertTrue(tick(limp).get(DatabaseSignals.CANARY_UNREACHABLE) >= 1, "not before the quiet period");
    monitorClock.advance(Duration.ofNanos(AnsweredFailures.QUIET));
    assertEquals(0.0, tick(limp).get(DatabaseSignals.CANARY_UNREACHABLE), "answered, though still in the window");
  }

  @Test
  void aCanaryWaitingBehindTheApplicationsOwnConnectionsIsNotUnreachable() throws Exception {
    H2Pool pool = closeLater(H2Pool.start("canary-saturated", 2, Duration.ofSeconds(10)));
    Limp limp = limp();
    DataSource ds = monitor(limp, CanaryConfig.builder()).wrap(pool.dataSource());
    awaitTrue("a first canary reading", () -> !Double.isNaN(tick(limp).get(DatabaseSignals.CANARY_LATENCY)));

    List<Connection> held = new ArrayList<>();
    try {
      held.add(limp.guard("chat.post").call(ds::getConnection));
      held.add(limp.guard("chat.post").call(ds::getConnection));
      pool.awaitWaiters(1); // the canary, behind the application's connections
      monitorClock.advance(TIMEOUT.multipliedBy(5));
      SignalSnapshot signals = tick(limp);
      assertEquals(0.0, signals.get(DatabaseSignals.CANARY_UNREACHABLE),
          "the pool's own pressure, reported by the pool's signals: " + signals);
      assertTrue(signals.get(DatabaseSignals.POOL_WAITERS) > 0, signals.toString());
    } finally {
      for (Connection c : held) {
        c.close();
      }
    }
  }

  // ---------------------------------------------------------------- 12.6

  @Test
  void aCanaryQueryWithASyntaxErrorIsAConfigurationErrorNotALevel() throws Exception {
    H2Pool pool = closeLater(H2Pool.start("canary-selekt"));
    Limp limp = limp();
    monitor(limp, CanaryConfig.builder().query("SELEKT 1")).wrap(pool.dataSource());

    awaitTrue("the canary to report its misconfiguration",
        () -> tick(limp).get(DatabaseSignals.CANARY_MISCONFIGURED) == 1.0);
    for (int i = 0; i < 20; i++) {
      monitorClock.advance(Duration.ofSeconds(1));
      SignalSnapshot signals = tick(limp);
      assertEquals(1.0, signals.get(DatabaseSignals.CANARY_MISCONFIGURED), signals.toString());
      assertEquals(0.0, signals.get(DatabaseSignals.CANARY_FAILURES), signals.toString());
      assertTrue(Double.isNaN(signals.get(DatabaseSignals.CANARY_LATENCY)), "no reading: " + signals);
      assertEquals(Level.NORMAL, limp.level(), limp.status().levelReason());
    }
    assertEquals(Level.NORMAL, limp.status().governorLevel());
  }

  @Test
  void aCanaryQueryOnAnUnknownTableIsAConfigurationErrorToo() throws Exception {
    H2Pool pool = closeLater(H2Pool.start("canary-unknown-table"));
    Limp limp = limp();
    monitor(limp, CanaryConfig.builder().query("SELECT 1 FROM no_such_table")).wrap(pool.dataSource());
    awaitTrue("the canary to report its misconfiguration",
        () -> tick(limp).get(DatabaseSignals.CANARY_MISCONFIGURED) == 1.0);
    assertEquals(0.0, tick(limp).get(DatabaseSignals.CANARY_FAILURES));
    assertEquals(Level.NORMAL, limp.level());
    assertTrue(AWAIT.toSeconds() > 0);
  }
}
