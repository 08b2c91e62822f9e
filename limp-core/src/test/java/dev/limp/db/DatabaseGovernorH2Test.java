package dev.limp.db;

import static dev.limp.db.H2Pool.AWAIT;
import static dev.limp.db.H2Pool.awaitTrue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.limp.CallOutcome;
import dev.limp.FeatureConfig;
import dev.limp.FeatureGuard;
import dev.limp.FeatureState;
import dev.limp.FeatureStatus;
import dev.limp.GovernorPolicy;
import dev.limp.LevelChangedEvent;
import dev.limp.Level;
import dev.limp.Limp;
import dev.limp.LimpListener;
import dev.limp.ShedCause;
import dev.limp.ShedHandling;
import dev.limp.ShedReason;
import dev.limp.SignalRule;
import dev.limp.Tier;
import dev.limp.testing.FakeClock;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The governor end to end on a real HikariCP pool over H2. The database monitor runs on the system clock
 * over a 1 s window, so latencies and pool occupancy are real; the limp instance runs on a fake clock and is
 * ticked by the test, so dwell times and ramps move only when the test says. Assertions are on levels,
 * states and counts, never on how long something took.
 */
@Timeout(90)
class DatabaseGovernorH2Test {
  private static final Duration DWELL = Duration.ofSeconds(5);
  private static final Duration RAMP = Duration.ofSeconds(3);

  private final FakeClock clock = new FakeClock();
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

  /** chat.post (CRITICAL_PLUS), chat.read (CRITICAL), notifications (SHEDDABLE_PLUS), search (SHEDDABLE). */
  private Limp limp(GovernorPolicy policy, LimpListener... listeners) {
    var builder = Limp.builder().name("h2-governor").clock(clock).governorThread(false).policy(policy)
        .feature("chat.post", Tier.CRITICAL_PLUS)
        .feature("chat.read", Tier.CRITICAL)
        .feature(FeatureConfig.builder("notifications", Tier.SHEDDABLE_PLUS).defaultValue("no notifications").build())
        .feature(FeatureConfig.builder("search", Tier.SHEDDABLE).defaultValue("no results").build());
    for (LimpListener listener : listeners) {
      builder.listener(listener);
    }
    return closeLater(builder.build());
  }

  /** A monitor on the system clock over a 1 s window of ten 100 ms buckets. */
  private DatabaseMonitor monitor(Limp limp) {
    return closeLater(DatabaseMonitor.builder(limp).window(Duration.ofSeconds(1), 10).build());
  }

  private static FeatureStatus status(Limp limp, String feature) {
    return limp.status().feature(feature).orElseThrow();
  }

  /** Runs {@code sql} through {@code ds} inside the feature's guard; answers "done" or the shed answer. */
  private static String run(FeatureGuard guard, DataSource ds, String sql) {
    return guard.get(() -> {
      try {
        MonitoredDataSourceTest.execute(ds, sql);
        return "done";
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    });
  }

  private static <T> List<T> join(List<Future<T>> futures) throws Exception {
    List<T> results = new ArrayList<>();
    for (Future<T> f : futures) {
      results.add(f.get(AWAIT.toSeconds(), TimeUnit.SECONDS));
    }
    return results;
  }

  // ---------------------------------------------------------------- escalation and recovery

  @Test
  void slowStatementsShedTheSheddableTiersAndRecoveryStepsDownOneLevelAtATimeThroughTheRamp() throws Exception {
    // the database defaults, with the query thresholds lowered so that SLEEP(300) is "very slow"
    GovernorPolicy policy = GovernorPolicy.from(DatabaseSignals.defaultPolicy())
        .replaceRule(SignalRule.of(DatabaseSignals.CRITICAL_QUERY_P99)
            .level(Level.SHED_SHEDDABLE, 100, 50)
            .level(Level.SHED_SHEDDABLE_PLUS, 250, 120)
            .level(Level.SHED_CRITICAL, 5_000, 2_000)
            .build())
        .minDwell(DWELL)
        .rampPeriod(RAMP)
        .trialCalls(false) // the ladder and the dwell here; trial calls have their own tests
        .build();
    BlockingQueue<LevelChangedEvent> levels = new LinkedBlockingQueue<>();
    H2Pool pool = closeLater(H2Pool.start("escalation"));
    Limp limp = limp(policy, new LimpListener() {
      @Override
      public void onLevelChanged(LevelChangedEvent event) {
        levels.add(event);
      }
    });
    DatabaseMonitor monitor = monitor(limp);
    DataSource ds = monitor.wrap(pool.dataSource());
    FeatureGuard chat = limp.guard("chat.post");
    FeatureGuard search = limp.guard("search");
    FeatureGuard notifications = limp.guard("notifications");

    limp.tick();
    assertEquals(Level.NORMAL, limp.level());
    assertEquals("done", run(search, ds, "SELECT body FROM messages WHERE body LIKE '%ada%'"));

    // the incident: chat's own statements turn slow, over and over, until the slow load is stopped
    AtomicBoolean slow = new AtomicBoolean(true);
    Future<Integer> load = threads.submit(() -> {
      int n = 0;
      while (slow.get() && n < 100) {
        run(chat, ds, "CALL SLEEP(300)");
        n++;
      }
      return n;
    });
    awaitTrue("the slow statements to raise the level to SHED_SHEDDABLE_PLUS", () -> {
      limp.tick();
      return limp.level() == Level.SHED_SHEDDABLE_PLUS;
    });
    assertTrue(limp.status().levelReason().startsWith("db.query.critical.p99 = "), limp.status().levelReason());
    FeatureStatus searchShed = status(limp, "search");
    assertEquals(FeatureState.SHED, searchShed.state());
    assertEquals(ShedCause.LEVEL, searchShed.reason().cause());
    assertTrue(searchShed.reason().detail().contains("db.query.critical.p99"), searchShed.reason().detail());
    assertEquals(FeatureState.SHED, status(limp, "notifications").state());
    assertEquals(FeatureState.ACTIVE, status(limp, "chat.read").state());
    assertEquals(FeatureState.ACTIVE, status(limp, "chat.post").state());

    AtomicInteger searchRan = new AtomicInteger();
    assertEquals("no results", search.get(() -> {
      searchRan.incrementAndGet();
      return "ran";
    }));
    assertEquals(0, searchRan.get(), "a shed feature's work does not run");
    assertEquals(1, search.count(CallOutcome.SHED));
    assertEquals(1, search.count(ShedHandling.DEFAULT));
    assertEquals("no notifications", run(notifications, ds, "SELECT * FROM notifications"));

    // the slow load stops; once the 1 s window has emptied the signals are calm
    slow.set(false);
    assertTrue(load.get(AWAIT.toSeconds(), TimeUnit.SECONDS) >= 1);
    assertTrue(chat.count(CallOutcome.FAILED) == 0 && chat.count(CallOutcome.PERMITTED) >= 1);
    awaitTrue("the 1 s window to empty", () -> {
      limp.tick();
      return Double.isNaN(limp.signals().get(DatabaseSignals.QUERY_P99))
          && Double.isNaN(limp.signals().get(DatabaseSignals.ACQUIRE_P99));
    });
    assertEquals(Level.SHED_SHEDDABLE_PLUS, limp.level(), "calm, but not yet for the dwell time");

    clock.advance(DWELL);
    limp.tick();
    assertEquals(Level.SHED_SHEDDABLE, limp.level(), "one level down, not straight to NORMAL");
    FeatureStatus ramping = status(limp, "notifications");
    assertEquals(FeatureState.RAMPING, ramping.state());
    assertEquals(ShedCause.RAMP, ramping.reason().cause());
    assertEquals(0.1, ramping.admittedFraction(), 1e-9);
    assertEquals(FeatureState.SHED, status(limp, "search").state());

    limp.tick();
    assertEquals(Level.SHED_SHEDDABLE, limp.level(), "each step down takes a new dwell");

    clock.advance(DWELL);
    limp.tick();
    assertEquals(Level.NORMAL, limp.level());
    assertEquals(FeatureState.RAMPING, status(limp, "search").state());
    assertEquals(FeatureState.ACTIVE, status(limp, "notifications").state(), "its ramp ended");

    clock.advance(RAMP);
    limp.tick();
    assertEquals(FeatureState.ACTIVE, status(limp, "search").state());
    assertEquals("done", run(search, ds, "SELECT body FROM messages WHERE body LIKE '%ada%'"));

    // the events: up (at once, or via SHED_SHEDDABLE on a slow start), then down one level at a time
    List<String> steps = new ArrayList<>();
    LevelChangedEvent e;
    do {
      e = levels.poll(AWAIT.toSeconds(), TimeUnit.SECONDS);
      assertNotNull(e, "level events so far: " + steps);
      steps.add(e.from() + " -> " + e.to());
    } while (e.to() != Level.NORMAL);
    assertEquals(List.of("SHED_SHEDDABLE_PLUS -> SHED_SHEDDABLE", "SHED_SHEDDABLE -> NORMAL"),
        steps.subList(steps.size() - 2, steps.size()), steps.toString());
    assertTrue(steps.get(steps.size() - 3).endsWith("-> SHED_SHEDDABLE_PLUS"), steps.toString());
  }

  // ---------------------------------------------------------------- culprits

  @Test
  void aFeatureHoldingMostConnectionsWhileOthersWaitIsShedAsCulpritAheadOfItsTier() throws Exception {
    // the database defaults without the two latency rules: a stalled test machine must not move the level
    // here, where the point is that the level alone would NOT shed notifications
    GovernorPolicy policy = GovernorPolicy.from(DatabaseSignals.defaultPolicy())
        .removeRule(DatabaseSignals.CRITICAL_QUERY_P99)
        .removeRule(DatabaseSignals.CRITICAL_ACQUIRE_P99)
        .minDwell(DWELL)
        .rampPeriod(RAMP)
        .build();
    H2Pool pool = closeLater(H2Pool.start("culprit"));
    Limp limp = limp(policy);
    DatabaseMonitor monitor = monitor(limp);
    DataSource ds = monitor.wrap(pool.dataSource());
    FeatureGuard notifications = limp.guard("notifications");
    FeatureGuard chat = limp.guard("chat.post");
    H2Pool.Gate notificationQueries = pool.gate("notifications");
    H2Pool.Gate chatQueries = pool.gate("chat");

    // notifications' bad plan: 8 of the 10 connections stuck in its statements
    List<Future<String>> work = new ArrayList<>();
    for (int i = 1; i <= 8; i++) {
      work.add(threads.submit(() -> run(notifications, ds, notificationQueries.sql())));
      notificationQueries.awaitInside(i);
    }
    // chat takes the last two, and three more chat requests queue for a connection
    for (int i = 1; i <= 2; i++) {
      work.add(threads.submit(() -> run(chat, ds, chatQueries.sql())));
      chatQueries.awaitInside(i);
    }
    for (int i = 0; i < 3; i++) {
      work.add(threads.submit(() -> run(chat, ds, "SELECT body FROM messages WHERE room_id = 1")));
    }
    pool.awaitWaiters(3);

    limp.tick();
    // the culprit explains the pressure: named in the tick the threads wait, and the pool's pressure is held
    // back from the level while its connections are in the pool (issue 12: culprit before level)
    assertEquals(3.0, monitor.signals().get(DatabaseSignals.POOL_WAITERS), "the monitor saw the waiters");
    assertTrue(Double.isNaN(limp.signals().get(DatabaseSignals.POOL_WAITERS)), "the level did not read them");
    assertEquals(Level.NORMAL, limp.level(), limp.status().levelReason());

    FeatureStatus culprit = status(limp, "notifications");
    assertEquals(FeatureState.THROTTLED, culprit.state(), "throttled before it is shed");
    assertEquals(ShedCause.THROTTLE, culprit.reason().cause());
    assertTrue(culprit.reason().detail().contains("throttled to 4 calls at a time"), "half of the 8 it held: "
        + culprit.reason().detail());
    Matcher m = Pattern.compile("notifications held (\\d+) % of connection-time while 3 threads waited")
        .matcher(culprit.reason().detail());
    assertTrue(m.find(), culprit.reason().detail());
    int share = Integer.parseInt(m.group(1));
    assertTrue(share >= 50 && share <= 100, "share " + share + " %");
    assertTrue(limp.signals().suspects().containsKey("notifications"), limp.signals().toString());
    assertEquals(FeatureState.ACTIVE, status(limp, "search").state(), "nothing innocent is shed for the culprit");
    assertEquals(FeatureState.ACTIVE, status(limp, "chat.post").state(), "the top tier is never a culprit");

    // the limit counts the calls admitted since: a quick one still runs (PrecisionTest: calls over the limit)
    assertEquals("sent", notifications.get(() -> "sent", reason -> "later"));

    // the pressure stays: the limit halves each tick, and after the grace at one call it is shed
    limp.tick();
    limp.tick();
    assertTrue(status(limp, "notifications").reason().detail().contains("throttled to 1 call at a time"),
        status(limp, "notifications").reason().detail());
    clock.advance(GovernorPolicy.THROTTLE_GRACE);
    limp.tick();
    assertEquals(FeatureState.SHED, status(limp, "notifications").state());
    assertEquals(ShedCause.CULPRIT, status(limp, "notifications").reason().cause());
    assertEquals(Level.NORMAL, limp.level(), "still nothing but the culprit: " + limp.status().levelReason());

    // the stuck statements end; everything that was admitted before completes, the queued chat included
    notificationQueries.open();
    chatQueries.open();
    assertEquals(List.of("done", "done", "done", "done", "done", "done", "done", "done", "done", "done", "done",
        "done", "done"), join(work));
    assertEquals(5, chat.count(CallOutcome.PERMITTED));
    assertEquals(9, notifications.count(CallOutcome.PERMITTED), "the 8 stuck ones and the quick one");
    assertEquals(0, notifications.count(CallOutcome.FAILED));

    // named no more once the pressure is gone; its healthy trial calls let it back in, long before the dwell
    awaitTrue("notifications to be named a culprit no more", () -> {
      limp.tick();
      return limp.signals().suspects().isEmpty();
    });
    for (int i = 0; i < GovernorPolicy.TRIALS_TO_RESTORE; i++) {
      assertEquals("done", run(notifications, ds, "SELECT * FROM notifications"), "the tick's trial call");
      limp.tick();
    }
    assertEquals(FeatureState.RAMPING, status(limp, "notifications").state(), limp.status().toString());
  }

  /** notifications' table scans: 8 of the 10 connections stuck in its statements until the gate opens. */
  private List<Future<String>> stuckScans(FeatureGuard notifications, DataSource ds, H2Pool.Gate gate)
      throws InterruptedException {
    List<Future<String>> work = new ArrayList<>();
    for (int i = 1; i <= 8; i++) {
      work.add(threads.submit(() -> run(notifications, ds, gate.sql())));
      gate.awaitInside(i);
    }
    return work;
  }

  /** Ticks until notifications is named a culprit and its statements have run 300 ms; {@code meanwhile} runs each time. */
  private static void untilNamedWithSlowScans(Limp limp, DatabaseMonitor monitor, Runnable meanwhile) {
    awaitTrue("notifications to be named a culprit once its statements have run 300 ms", () -> {
      meanwhile.run();
      limp.tick();
      return limp.signals().suspects().containsKey("notifications")
          && monitor.recorder().runningMeanAgeMillis() >= 300;
    });
  }

  @Test
  void aCulpritsOwnSlowStatementsDoNotRaiseTheQueryLatencyTheLevelReads() throws Exception {
    GovernorPolicy policy = GovernorPolicy.from(DatabaseSignals.defaultPolicy()).minDwell(DWELL).rampPeriod(RAMP)
        .build();
    H2Pool pool = closeLater(H2Pool.start("culprit-latency"));
    Limp limp = limp(policy);
    DatabaseMonitor monitor = monitor(limp);
    DataSource ds = monitor.wrap(pool.dataSource());
    FeatureGuard chat = limp.guard("chat.post");
    H2Pool.Gate scans = pool.gate("notifications-scan");
    List<Future<String>> work = stuckScans(limp.guard("notifications"), ds, scans);

    untilNamedWithSlowScans(limp, monitor,
        () -> assertEquals("done", run(chat, ds, "SELECT body FROM messages WHERE room_id = 1")));
    limp.tick(); // the culprit is shed now: its statements stay left out

    double queryP99 = limp.signals().get(DatabaseSignals.QUERY_P99);
    assertTrue(queryP99 < 250, "the level reads chat's quick queries, not the culprit's " + Math.round(
        monitor.recorder().runningMeanAgeMillis()) + " ms scans, but db.query.p99 was " + queryP99);
    assertEquals(Level.NORMAL, limp.level(), limp.status().levelReason());
    assertEquals(ShedCause.THROTTLE, status(limp, "notifications").reason().cause(), "throttled first");
    assertEquals(FeatureState.ACTIVE, status(limp, "search").state(), "nothing else is shed for the culprit");

    scans.open();
    assertEquals(8, join(work).size());
  }

  @Test
  void aCulpritPinnedOnByAnOperatorCountsInTheQueryLatency() throws Exception {
    H2Pool pool = closeLater(H2Pool.start("culprit-pinned"));
    Limp limp = limp(GovernorPolicy.from(DatabaseSignals.defaultPolicy()).minDwell(DWELL).rampPeriod(RAMP).build());
    DatabaseMonitor monitor = monitor(limp);
    DataSource ds = monitor.wrap(pool.dataSource());
    FeatureGuard chat = limp.guard("chat.post");
    limp.overrides().pin("notifications", Duration.ofMinutes(5), "the product team needs it on", "ops");
    H2Pool.Gate scans = pool.gate("notifications-pinned");
    List<Future<String>> work = stuckScans(limp.guard("notifications"), ds, scans);

    untilNamedWithSlowScans(limp, monitor,
        () -> assertEquals("done", run(chat, ds, "SELECT body FROM messages WHERE room_id = 1")));

    assertTrue(limp.signals().get(DatabaseSignals.QUERY_P99) >= 250, "nobody sheds a pinned culprit: its "
        + "scans are the database's latency, but db.query.p99 was " + limp.signals().get(DatabaseSignals.QUERY_P99));
    assertEquals(FeatureState.ACTIVE, status(limp, "notifications").state(), "pinned");

    scans.open();
    assertEquals(8, join(work).size());
  }

  @Test
  void whenOnlyTheCulpritRunsItsStatementsAreStillRead() throws Exception {
    H2Pool pool = closeLater(H2Pool.start("culprit-alone"));
    Limp limp = limp(GovernorPolicy.from(DatabaseSignals.defaultPolicy()).minDwell(DWELL).rampPeriod(RAMP).build());
    DatabaseMonitor monitor = monitor(limp);
    DataSource ds = monitor.wrap(pool.dataSource());
    H2Pool.Gate scans = pool.gate("notifications-alone");
    List<Future<String>> work = stuckScans(limp.guard("notifications"), ds, scans);

    untilNamedWithSlowScans(limp, monitor, () -> { });
    limp.tick();

    double queryP99 = limp.signals().get(DatabaseSignals.QUERY_P99);
    assertTrue(queryP99 >= 250, "at night the culprit's scans are the only witness of a stalled database: "
        + "the signal must not go blank, but db.query.p99 was " + queryP99);

    scans.open();
    assertEquals(8, join(work).size());
  }

  // ---------------------------------------------------------------- the reserve

  @Test
  void aSheddableFloodIsRefusedTheLastConnectionsWhileTheTopTierKeepsGettingThem() throws Exception {
    // a short connection timeout: any call that had to wait for the pool would fail within 250 ms
    H2Pool pool = closeLater(H2Pool.start("reserve", 10, Duration.ofMillis(250)));
    Limp limp = limp(DatabaseSignals.defaultPolicy());
    DatabaseMonitor monitor = monitor(limp); // default reserve: a fifth of 10
    DataSource ds = monitor.wrap(pool.dataSource());
    FeatureGuard search = limp.guard("search");
    FeatureGuard chat = limp.guard("chat.post");
    FeatureGuard chatRead = limp.guard("chat.read");
    H2Pool.Gate searches = pool.gate("search");
    H2Pool.Gate chats = pool.gate("chat");

    CountDownLatch go = new CountDownLatch(1);
    List<Future<String>> flood = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      flood.add(threads.submit(() -> {
        go.await();
        return run(search, ds, searches.sql());
      }));
    }
    go.countDown();
    searches.awaitInside(8);
    awaitTrue("the four refused searches to be answered", () -> flood.stream().filter(Future::isDone).count() == 4);
    for (Future<String> f : flood) {
      if (f.isDone()) {
        assertEquals("no results", f.get());
      }
    }
    assertEquals(8, searches.inside());
    assertEquals(8, monitor.recorder().connectionsInUse());
    assertEquals(4, search.count(CallOutcome.SHED));
    assertEquals(4, search.count(ShedHandling.DEFAULT));
    assertEquals(0, search.count(CallOutcome.FAILED), "a refusal is a shed call, not a failure");
    assertEquals(FeatureState.ACTIVE, status(limp, "search").state(), "the reserve refuses calls, it does not shed the feature");

    String answer = search.get(() -> {
      try {
        MonitoredDataSourceTest.execute(ds, "SELECT 1");
        return "ran";
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    }, reason -> reason.cause() + ": " + reason.detail());
    assertEquals("RESERVE: 8 of 10 connections are in use; the last 2 are kept for CRITICAL and above", answer);

    // the top tiers still get connections at once, as many times as they ask
    List<Future<String>> holdingChats = new ArrayList<>();
    holdingChats.add(threads.submit(() -> run(chat, ds, chats.sql())));
    holdingChats.add(threads.submit(() -> run(chatRead, ds, chats.sql())));
    chats.awaitInside(2);
    assertEquals(10, monitor.recorder().connectionsInUse());
    chats.open();
    assertEquals(List.of("done", "done"), join(holdingChats));
    for (int i = 0; i < 10; i++) {
      assertEquals("done", run(chat, ds, "INSERT INTO messages (room_id, user_id, body) VALUES (1, 1, 'still up')"));
    }
    assertEquals(11, chat.count(CallOutcome.PERMITTED));
    assertEquals(0, chat.count(CallOutcome.FAILED));
    assertEquals(1, chatRead.count(CallOutcome.PERMITTED));
    assertEquals(0, monitor.recorder().acquireFailures().count(), "nobody waited out the pool's timeout");

    searches.open();
    List<String> results = join(flood);
    assertEquals(8, results.stream().filter("done"::equals).count());
    assertEquals(4, results.stream().filter("no results"::equals).count());
    assertEquals(8, search.count(CallOutcome.PERMITTED));
    assertEquals(5, search.count(CallOutcome.SHED));
    assertEquals(0, search.count(CallOutcome.FAILED));
    assertEquals(0, monitor.recorder().connectionsInUse());
  }
}
