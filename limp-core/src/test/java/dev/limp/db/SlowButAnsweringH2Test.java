package dev.limp.db;

import static dev.limp.db.H2Pool.AWAIT;
import static dev.limp.db.H2Pool.awaitTrue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.limp.FeatureConfig;
import dev.limp.FeatureGuard;
import dev.limp.FeatureState;
import dev.limp.Level;
import dev.limp.Limp;
import dev.limp.SignalSnapshot;
import dev.limp.Tier;
import dev.limp.testing.FakeClock;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Regression for "a busy database that still answered every request in time shed 15 % of the secondary
 * requests for no gain in chat": slow statements of a sheddable feature in a pool with slack move nothing;
 * the critical path's own slowness still does, and so does a slow feature once the pool's slack is gone.
 * Limp and the monitor share a fake clock, so "slow" is the time the test advances while real statements
 * are held in a gate on a real HikariCP pool over H2.
 */
@Timeout(90)
class SlowButAnsweringH2Test {
  private final FakeClock clock = new FakeClock();
  private final List<AutoCloseable> resources = new ArrayList<>();
  private final ExecutorService threads = Executors.newCachedThreadPool();

  @AfterEach
  void stop() throws Exception {
    for (int i = resources.size() - 1; i >= 0; i--) {
      resources.get(i).close(); // the pool opens its gates first
    }
    threads.shutdownNow();
    assertTrue(threads.awaitTermination(AWAIT.toSeconds(), TimeUnit.SECONDS), "worker threads did not end");
  }

  private <T extends AutoCloseable> T closeLater(T resource) {
    resources.add(resource);
    return resource;
  }

  private Limp limp() {
    return closeLater(Limp.builder().name("h2-slow-but-answering").clock(clock).governorThread(false)
        .policy(DatabaseSignals.defaultPolicy())
        .feature("chat.post", Tier.CRITICAL_PLUS)
        .feature(FeatureConfig.builder("search", Tier.SHEDDABLE).defaultValue("no results").build())
        .build());
  }

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

  private List<Future<String>> hold(FeatureGuard guard, DataSource ds, H2Pool.Gate gate, int statements) {
    List<Future<String>> held = new ArrayList<>();
    for (int i = 0; i < statements; i++) {
      held.add(threads.submit(() -> run(guard, ds, gate.sql())));
    }
    gate.awaitInside(statements);
    return held;
  }

  @Test
  void slowSheddableStatementsInAPoolWithSlackShedAndThrottleNothingWhileTheCriticalPathsOwnSlownessDoes()
      throws Exception {
    H2Pool pool = closeLater(H2Pool.start("slow-but-answering")); // 10 connections; the reserve keeps 2
    Limp limp = limp();
    DatabaseMonitor monitor = closeLater(DatabaseMonitor.builder(limp).clock(clock)
        .window(Duration.ofSeconds(10), 10).build());
    DataSource ds = monitor.wrap(pool.dataSource());
    FeatureGuard chat = limp.guard("chat.post");
    FeatureGuard search = limp.guard("search");

    // search's statements take 2 s each, five at a time: half the pool, slack left for everyone
    H2Pool.Gate slowSearch = pool.gate("slow-search");
    List<Future<String>> searches = hold(search, ds, slowSearch, 5);
    clock.advance(Duration.ofSeconds(2));
    assertEquals("done", run(chat, ds, "SELECT 1"), "chat answers in no time");
    limp.tick();
    SignalSnapshot signals = limp.signals();
    assertTrue(signals.get(DatabaseSignals.QUERY_P99) >= 2_000, "search's statements are slow: " + signals);
    assertTrue(signals.get(DatabaseSignals.CRITICAL_QUERY_P99) < 100, "chat's are not: " + signals);
    assertEquals(Level.NORMAL, limp.level(), limp.status().levelReason());
    assertEquals(FeatureState.ACTIVE, limp.status().feature("search").orElseThrow().state(),
        "a slow feature with slack in the pool is neither throttled nor shed");
    slowSearch.open();
    for (Future<String> f : searches) {
      assertEquals("done", f.get(AWAIT.toSeconds(), TimeUnit.SECONDS));
    }
    limp.tick();
    assertEquals(Level.NORMAL, limp.level(), limp.status().levelReason());

    // the same slowness on the critical path: now the level rises, and says why
    H2Pool.Gate slowChat = pool.gate("slow-chat");
    List<Future<String>> posts = hold(chat, ds, slowChat, 1);
    clock.advance(Duration.ofMillis(600));
    limp.tick();
    assertEquals(Level.SHED_SHEDDABLE, limp.level(), limp.status().levelReason());
    assertTrue(limp.status().levelReason().startsWith("db.query.critical.p99 = "), limp.status().levelReason());
    slowChat.open();
    assertEquals("done", posts.get(0).get(AWAIT.toSeconds(), TimeUnit.SECONDS));
  }

  @Test
  void aSlowFeatureIsThrottledOnceItHasTakenTheLowerTiersShareOfThePool() throws Exception {
    H2Pool pool = closeLater(H2Pool.start("slow-no-slack")); // 10 connections; the lower tiers may hold 8
    Limp limp = limp();
    DatabaseMonitor monitor = closeLater(DatabaseMonitor.builder(limp).clock(clock)
        .window(Duration.ofSeconds(10), 10).build());
    DataSource ds = monitor.wrap(pool.dataSource());
    FeatureGuard search = limp.guard("search");

    H2Pool.Gate slowSearch = pool.gate("slow-search");
    List<Future<String>> searches = hold(search, ds, slowSearch, 8);
    clock.advance(Duration.ofSeconds(2));
    limp.tick();
    assertEquals(FeatureState.THROTTLED, limp.status().feature("search").orElseThrow().state(),
        limp.status().toString());
    assertEquals(Level.NORMAL, limp.level(), "the culprit is dealt with first: " + limp.status().levelReason());
    slowSearch.open();
    for (Future<String> f : searches) {
      assertEquals("done", f.get(AWAIT.toSeconds(), TimeUnit.SECONDS));
    }
    awaitTrue("search's connections to be back", () -> monitor.activity().connectionsInUse() == 0);
  }

  @Test
  void theWindowsMemoryOfAnEndedIncidentNamesNobodyWhoHoldsALoneConnectionAfterwards() throws Exception {
    // regression: after the slow-database replay ended, the window still held its refusals and acquire waits
    // and named whichever feature held the one connection in use then ("held 100 % of connection-time"),
    // re-throttling notifications and search after the incident
    H2Pool pool = closeLater(H2Pool.start("ended-incident")); // 10 connections; the lower tiers may hold 8
    Limp limp = limp();
    DatabaseMonitor monitor = closeLater(DatabaseMonitor.builder(limp).clock(clock)
        .window(Duration.ofSeconds(10), 10).build());
    DataSource ds = monitor.wrap(pool.dataSource());
    FeatureGuard search = limp.guard("search");

    H2Pool.Gate incident = pool.gate("incident");
    List<Future<String>> held = hold(search, ds, incident, 8);
    assertEquals("no results", run(search, ds, "SELECT 1"), "the reserve refuses the ninth: pressure");
    clock.advance(Duration.ofSeconds(7)); // the pool busy for most of the window
    limp.tick();
    assertTrue(limp.signals().suspects().containsKey("search"), limp.signals().toString());
    incident.open();
    for (Future<String> f : held) {
      assertEquals("done", f.get(AWAIT.toSeconds(), TimeUnit.SECONDS));
    }

    H2Pool.Gate after = pool.gate("after");
    List<Future<String>> lone = hold(search, ds, after, 1); // one connection of ten, the incident over
    limp.tick();
    assertTrue(limp.signals().suspects().isEmpty(), "nobody is a culprit in an idle pool: " + limp.signals());
    after.open();
    assertEquals("done", lone.get(0).get(AWAIT.toSeconds(), TimeUnit.SECONDS));
  }
}
