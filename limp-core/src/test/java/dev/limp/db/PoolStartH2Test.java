package dev.limp.db;

import static dev.limp.db.H2Pool.AWAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.zaxxer.hikari.HikariDataSource;
import dev.limp.CallOutcome;
import dev.limp.FeatureConfig;
import dev.limp.GovernorPolicy;
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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 12.5: a lazily started HikariCP pool whose physical connections are slow to open (each connect waits
 * {@link #CONNECT}, as a real server's first connections take), under traffic from its first moment, is not
 * an incident: the default policy, the default reserve, no shed and no level change. The monitor runs on the
 * system clock (the waits are real); limp on a fake clock, ticked by the test.
 */
@Timeout(90)
class PoolStartH2Test {
  private static final Duration CONNECT = Duration.ofMillis(150);
  private static final List<String> FEATURES = List.of("chat.post", "search", "analytics");

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

  private Limp limp(FakeClock clock) {
    return closeLater(Limp.builder().name("h2-start").clock(clock).governorThread(false)
        // the database defaults without the query-latency rule: a stalled test machine must not move the
        // level here, where the point is the pool's start (acquire wait, waiters, the reserve)
        .policy(GovernorPolicy.from(DatabaseSignals.defaultPolicy()).removeRule(DatabaseSignals.CRITICAL_QUERY_P99)
            .build())
        .feature("chat.post", Tier.CRITICAL_PLUS)
        .feature(FeatureConfig.builder("search", Tier.SHEDDABLE).defaultValue("no results").build())
        .feature(FeatureConfig.builder("analytics", Tier.SHEDDABLE_PLUS).defaultValue("later").build())
        .build());
  }

  /** A pool as users have it: HikariCP's defaults (10 connections, minimumIdle = maximum), opened lazily. */
  private HikariDataSource lazyPool(DataSource database) {
    HikariDataSource hikari = new HikariDataSource(); // no-arg: the pool starts on the first getConnection
    hikari.setPoolName("lazy-start");
    hikari.setDataSource(database);
    hikari.setInitializationFailTimeout(-1);
    hikari.setConnectionTimeout(AWAIT.toMillis());
    return closeLater(hikari);
  }

  @Test
  void aLazilyStartedPoolWithSlowFirstConnectionsIsNotAnIncident() throws Exception {
    H2Pool schema = closeLater(H2Pool.start("lazy-start", 1, Duration.ofSeconds(5)));
    StallingDataSource database = new StallingDataSource(schema.unpooled());
    database.delay(CONNECT);
    HikariDataSource hikari = lazyPool(database);
    FakeClock clock = new FakeClock();
    Limp limp = limp(clock);
    DataSource ds = closeLater(DatabaseMonitor.builder(limp).build()).wrap(hikari);
    assertNull(hikari.getHikariPoolMXBean(), "not started yet");

    AtomicBoolean running = new AtomicBoolean(true);
    List<Future<?>> traffic = new ArrayList<>();
    for (int i = 0; i < 6; i++) { // six callers from the first moment: fewer than the pool, more than one
      String feature = FEATURES.get(i % FEATURES.size());
      traffic.add(threads.submit(() -> {
        while (running.get()) {
          limp.guard(feature).get(() -> {
            try {
              MonitoredDataSourceTest.execute(ds, "SELECT name FROM users WHERE id = 1");
              return "done";
            } catch (SQLException e) {
              throw new IllegalStateException(e);
            }
          });
        }
        return null;
      }));
    }

    int ticks = 0;
    int warmTicks = 0;
    long deadline = System.nanoTime() + AWAIT.toNanos();
    while (warmTicks < 40) { // through the start, then 10 s of limp's time with the pool warm
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
      clock.advanceMillis(250);
      limp.tick();
      ticks++;
      assertEquals(Level.NORMAL, limp.level(), "tick " + ticks + ": " + limp.status().levelReason() + " "
          + limp.status().signals());
      assertTrue(limp.status().signals().suspects().isEmpty(), limp.status().signals().toString());
      if (hikari.getHikariPoolMXBean() != null && hikari.getHikariPoolMXBean().getTotalConnections() == 10) {
        warmTicks++;
      }
      if (System.nanoTime() - deadline > 0) {
        fail("the pool did not fill within " + AWAIT + ": " + database.opened() + " connections opened");
      }
    }
    running.set(false);
    for (Future<?> f : traffic) {
      f.get(AWAIT.toSeconds(), TimeUnit.SECONDS);
    }
    for (String feature : FEATURES) {
      assertEquals(0, limp.guard(feature).count(CallOutcome.SHED), feature + " was shed");
      assertTrue(limp.guard(feature).count(CallOutcome.PERMITTED) > 0, feature + " never ran");
    }
    assertTrue(database.opened() >= 10, "the physical connects were slow: " + database.opened());

    // once started, the pool's waits are read again: its acquisitions are in the signal
    limp.guard("search").get(() -> "warm");
    MonitoredDataSourceTest.execute(ds, "SELECT 1");
    limp.tick();
    SignalSnapshot warm = limp.status().signals();
    assertFalse(Double.isNaN(warm.get(DatabaseSignals.ACQUIRE_P99)), warm.toString());
    assertFalse(Double.isNaN(warm.get(DatabaseSignals.POOL_WAITERS)), warm.toString());
  }

  @Test
  void aPoolThatNeverCatchesUpIsPressureOnceTheStartLimitHasPassed() {
    FakeClock clock = new FakeClock();
    Limp limp = limp(clock);
    // a pool of 10 stuck at 2 connections with 3 threads waiting: it began, it never catches up
    PoolProbe stuck = () -> new PoolProbe.PoolSnapshot(2, 0, 2, 10, 3);
    closeLater(DatabaseMonitor.builder(limp).clock(clock).poolProbe(stuck).build());
    limp.tick();
    assertTrue(Double.isNaN(limp.status().signals().get(DatabaseSignals.POOL_WAITERS)), "starting: no reading");
    assertEquals(Level.NORMAL, limp.level());

    clock.advance(DatabaseMonitor.POOL_START_LIMIT);
    limp.tick();
    assertEquals(3.0, limp.status().signals().get(DatabaseSignals.POOL_WAITERS));
    assertEquals(Level.SHED_SHEDDABLE, limp.level(), limp.status().levelReason());
  }
}
