package dev.limp.db.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.limp.Limp;
import dev.limp.Tier;
import dev.limp.db.PoolProbe.PoolSnapshot;
import dev.limp.testing.FakeClock;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Regression for "features back 11 s after the outage": the pool, emptied by the outage, refilled under the
 * queued callers' load, and their waits held {@code db.acquire.critical.p99} above its exit threshold for a
 * window. A pool that lost every connection while the database refused new ones starts again; an idle pool
 * that merely has no connection does not.
 */
class PoolStartAgainTest {
  private final FakeClock clock = new FakeClock();
  private final Limp limp = Limp.builder().clock(clock).governorThread(false).feature("chat", Tier.CRITICAL_PLUS)
      .build();
  private final JdbcRecorder recorder = new JdbcRecorder(clock, () -> null, 10, 1_000_000_000L);
  private final PoolStart start = new PoolStart("test", recorder,
      new ConnectionReserve(limp, recorder, 2, Tier.CRITICAL));

  @AfterEach
  void close() {
    limp.close();
  }

  private static PoolSnapshot pool(int total, int waiting) {
    return new PoolSnapshot(total, 0, total, 10, waiting);
  }

  private void refused() {
    assertTrue(recorder.enter(Integer.MAX_VALUE));
    long now = clock.nanoTime();
    recorder.acquireFailed(now, now, new SQLTransientConnectionException("Connection is not available", "55000",
        new SQLException("database is not currently accepting connections", "55000")));
  }

  @Test
  void aPoolThatLostEveryConnectionWhileTheDatabaseRefusesStartsAgainAndEndsOnceWarm() {
    start.observe(pool(10, 0), 10, clock.nanoTime(), "pool");
    assertFalse(start.starting(), "warm: started");

    start.observe(pool(0, 0), 10, clock.nanoTime(), "pool");
    assertFalse(start.starting(), "an empty pool while the database gives connections is no outage");

    refused();
    start.observe(pool(0, 40), 10, clock.nanoTime(), "pool");
    assertTrue(start.starting(), "emptied while refused: it will start again");
    clock.advanceMillis(60_000);
    start.observe(pool(0, 40), 10, clock.nanoTime(), "pool");
    assertTrue(start.starting(), "however long the outage: the start's limit counts from its first connection");

    start.observe(pool(10, 0), 10, clock.nanoTime(), "pool");
    assertFalse(start.starting(), "warm again, no thread waiting: started");
  }
}
