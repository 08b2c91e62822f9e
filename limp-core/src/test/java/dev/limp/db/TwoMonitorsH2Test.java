package dev.limp.db;

import static dev.limp.db.H2Pool.AWAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.limp.Level;
import dev.limp.Limp;
import dev.limp.SignalSnapshot;
import dev.limp.Tier;
import dev.limp.testing.FakeClock;
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
 * Issue 13.4: two {@link DatabaseMonitor}s on one limp (a primary and a replica) do not mask each other: the
 * governor reads the worst of each signal, and each monitor keeps its own readings.
 */
@Timeout(60)
class TwoMonitorsH2Test {
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

  @Test
  void anExhaustedPoolIsNotMaskedByAHealthyPoolWatchedOnTheSameLimp() throws Exception {
    H2Pool primary = closeLater(H2Pool.start("primary", 2, Duration.ofSeconds(10)));
    H2Pool replica = closeLater(H2Pool.start("replica", 10, Duration.ofSeconds(10)));
    Limp limp = closeLater(Limp.builder().name("h2-two").clock(new FakeClock()).governorThread(false)
        .policy(DatabaseSignals.defaultPolicy())
        .feature("chat.post", Tier.CRITICAL_PLUS)
        .feature("search", Tier.SHEDDABLE)
        .build());
    DatabaseMonitor primaryMonitor = closeLater(DatabaseMonitor.builder(limp).reserve(0).build());
    DataSource primaryDs = primaryMonitor.wrap(primary.dataSource());
    DatabaseMonitor replicaMonitor = closeLater(DatabaseMonitor.builder(limp).build()); // watched last
    DataSource replicaDs = replicaMonitor.wrap(replica.dataSource());
    MonitoredDataSourceTest.execute(replicaDs, "SELECT 1");

    H2Pool.Gate gate = primary.gate("hold");
    List<Future<?>> work = new ArrayList<>();
    for (int i = 0; i < 4; i++) { // two hold the primary's connections, two wait for one
      work.add(threads.submit(() -> limp.guard("chat.post").call(() -> {
        MonitoredDataSourceTest.execute(primaryDs, gate.sql());
        return null;
      })));
    }
    gate.awaitInside(2);
    primary.awaitWaiters(2);

    limp.tick();
    SignalSnapshot signals = limp.status().signals();
    assertEquals(1.0, signals.get(DatabaseSignals.POOL_SATURATION), signals.toString());
    assertEquals(2.0, signals.get(DatabaseSignals.POOL_WAITERS), signals.toString());
    assertEquals(Level.SHED_SHEDDABLE, limp.level(), limp.status().levelReason());
    // each monitor keeps its own view: the data source in trouble is named by its readings
    assertEquals(2.0, primaryMonitor.signals().get(DatabaseSignals.POOL_WAITERS));
    assertEquals(0.0, replicaMonitor.signals().get(DatabaseSignals.POOL_WAITERS));
    assertEquals(0.0, replicaMonitor.signals().get(DatabaseSignals.POOL_SATURATION));

    gate.open();
    for (Future<?> f : work) {
      f.get(AWAIT.toSeconds(), TimeUnit.SECONDS);
    }
    primaryMonitor.close(); // a closed monitor leaves the other reporting alone
    limp.tick();
    assertEquals(0.0, limp.status().signals().get(DatabaseSignals.POOL_WAITERS));
    replicaMonitor.close();
    limp.tick();
    assertTrue(Double.isNaN(limp.status().signals().get(DatabaseSignals.POOL_WAITERS)), "no monitor, no signal");
  }
}
