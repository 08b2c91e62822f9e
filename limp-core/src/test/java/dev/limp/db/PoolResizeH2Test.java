package dev.limp.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.limp.FeatureShedException;
import dev.limp.Limp;
import dev.limp.ShedCause;
import dev.limp.SignalSnapshot;
import dev.limp.Tier;
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
 * Issue 13.11: a pool resized at run time (through {@code HikariConfigMXBean.setMaximumPoolSize}) keeps its
 * {@code db.pool.*} signals, and the reserve follows the new size.
 */
@Timeout(60)
class PoolResizeH2Test {
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

  private Limp limp() {
    return closeLater(Limp.builder().name("h2-resize").clock(new FakeClock()).governorThread(false)
        .feature("chat.post", Tier.CRITICAL_PLUS)
        .feature("search", Tier.SHEDDABLE)
        .build());
  }

  /** Opens connections in the feature's guard until one is refused; returns how many it got (and holds them). */
  private static int takeUntilRefused(Limp limp, String feature, DataSource ds, List<Connection> held, int most)
      throws Exception {
    return limp.guard(feature).call(() -> {
      int got = 0;
      while (got < most) {
        try {
          held.add(ds.getConnection());
          got++;
        } catch (FeatureShedException e) {
          assertEquals(ShedCause.RESERVE, e.reason().cause(), e.toString());
          break;
        }
      }
      return got;
    });
  }

  @Test
  void shrinkingThePoolKeepsThePoolSignalsAndResizesTheReserve() throws Exception {
    H2Pool pool = closeLater(H2Pool.start("shrink", 10, Duration.ofMillis(500)));
    Limp limp = limp();
    DatabaseMonitor monitor = closeLater(DatabaseMonitor.builder(limp).reserve(3).build());
    DataSource ds = monitor.wrap(pool.dataSource());
    limp.tick();

    pool.dataSource().getHikariConfigMXBean().setMaximumPoolSize(3); // down to the reserve
    limp.tick();
    SignalSnapshot signals = limp.status().signals();
    assertFalse(Double.isNaN(signals.get(DatabaseSignals.POOL_SATURATION)), signals.toString());
    assertFalse(Double.isNaN(signals.get(DatabaseSignals.POOL_WAITERS)), signals.toString());

    // the reserve of 3 no longer fits a pool of 3: it is clamped to 2, one connection stays for lower tiers
    List<Connection> held = new ArrayList<>();
    try {
      assertEquals(1, takeUntilRefused(limp, "search", ds, held, 3), "search gets one connection, not all three");
      assertEquals(2, limp.guard("chat.post").call(() -> {
        held.add(ds.getConnection());
        held.add(ds.getConnection());
        return 2;
      }), "chat.post finds the two connections kept for it");
    } finally {
      held.forEach(PoolResizeH2Test::close);
      held.clear();
    }

    // grown back, the configured reserve of 3 applies again
    pool.dataSource().getHikariConfigMXBean().setMaximumPoolSize(10);
    limp.tick();
    try {
      assertEquals(7, takeUntilRefused(limp, "search", ds, held, 10));
    } finally {
      held.forEach(PoolResizeH2Test::close);
    }
  }

  @Test
  void theDefaultReserveFollowsThePoolsSize() throws Exception {
    H2Pool pool = closeLater(H2Pool.start("shrink-default", 10, Duration.ofMillis(500)));
    Limp limp = limp();
    DatabaseMonitor monitor = closeLater(DatabaseMonitor.builder(limp).build());
    DataSource ds = monitor.wrap(pool.dataSource());
    List<Connection> held = new ArrayList<>();
    try {
      assertEquals(8, takeUntilRefused(limp, "search", ds, held, 10), "a fifth of 10 kept");
    } finally {
      held.forEach(PoolResizeH2Test::close);
      held.clear();
    }

    pool.dataSource().getHikariConfigMXBean().setMaximumPoolSize(5);
    limp.tick();
    assertTrue(limp.status().signals().get(DatabaseSignals.POOL_SATURATION) >= 0);
    try {
      assertEquals(4, takeUntilRefused(limp, "search", ds, held, 5), "a fifth of 5 kept");
    } finally {
      held.forEach(PoolResizeH2Test::close);
    }
  }

  @Test
  void aReserveThatDoesNotFitAtStartIsStillRefused() {
    H2Pool pool = closeLater(H2Pool.start("shrink-start", 3, Duration.ofMillis(500)));
    Limp limp = limp();
    DatabaseMonitor monitor = closeLater(DatabaseMonitor.builder(limp).reserve(3).build());
    assertThrows(IllegalStateException.class, () -> monitor.wrap(pool.dataSource()));
  }

  private static void close(Connection c) {
    try {
      c.close();
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
