package dev.limp.db.internal;

import dev.limp.db.DatabaseMonitor;
import dev.limp.db.PoolProbe;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the pool's own start from pressure. A pool opens its first connections when it starts (HikariCP
 * lazily, on the first request, one connect after another); callers that arrive meanwhile wait for a connect,
 * not for a connection someone else holds. So the pool counts as <em>starting</em> from when the monitor
 * starts watching it until the probe first sees it hold its warm size (HikariCP's {@code minimumIdle}, at
 * least one connection) with no thread waiting, or until {@link DatabaseMonitor#POOL_START_LIMIT} after it
 * first had a connection or a waiter (a pool that never catches up is under pressure, not starting). While
 * it starts, acquisitions that began then are left out of the acquire latencies, waiters are not averaged,
 * and the reserve refuses nothing; acquire failures, query latencies and the canary count as always. The end
 * is one log line.
 *
 * <p>A pool that has lost every connection while the database refuses new ones (an outage: sessions
 * terminated, connections refused) starts again the same way when the database answers: its callers then
 * wait for the pool's connects, and the waiters queued during the outage drain, which is the outage's
 * aftermath, not pressure. The limit counts from its first connection then, however long the outage.
 *
 * <p>{@link #observe} runs on the governor thread (and once when watching begins); the rest may be read from
 * any thread.
 */
public final class PoolStart {
  /** Logged under the monitor's name: the category operators already configure. */
  private static final Logger LOG = LoggerFactory.getLogger(DatabaseMonitor.class);
  private static final long NONE = Long.MIN_VALUE;

  private final String limpName;
  private final JdbcRecorder recorder;
  private final ConnectionReserve reserve;
  private final long limitNanos = DatabaseMonitor.POOL_START_LIMIT.toNanos();
  private volatile boolean starting;
  private long begunAt = NONE; // governor thread
  private boolean again; // governor thread: a start after an outage

  public PoolStart(String limpName, JdbcRecorder recorder, ConnectionReserve reserve) {
    this.limpName = limpName;
    this.recorder = recorder;
    this.reserve = reserve;
  }

  /** The monitor starts watching a pool through a probe: it is starting until {@link #observe} says not. */
  public void watch() {
    starting = true;
    recorder.poolStarting();
    reserve.poolStarting(true);
  }

  /** Whether the pool is still starting. */
  public boolean starting() {
    return starting;
  }

  /**
   * Reads the pool at a tick: ends the start once it holds {@code warmSize} connections with no thread
   * waiting, or {@link DatabaseMonitor#POOL_START_LIMIT} after it began.
   */
  public void observe(PoolProbe.PoolSnapshot pool, int warmSize, long now, String poolName) {
    if (!starting) {
      if (pool.total() > 0 || !recorder.refusingConnections()) {
        return;
      }
      startAgain(poolName);
    }
    if (begunAt == NONE && (pool.total() > 0 || (!again && (pool.active() > 0 || pool.waiting() > 0)))) {
      begunAt = now;
    }
    int warm = Math.max(1, warmSize);
    if (pool.total() >= warm && pool.waiting() == 0) {
      end(now);
      LOG.info("limp[{}]: pool {} has started ({} connections open, none waiting): its acquire waits, waiters "
          + "and the reserve count from now", limpName, poolName, pool.total());
    } else if (begunAt != NONE && now - begunAt >= limitNanos) {
      end(now);
      LOG.info("limp[{}]: pool {} is still starting after {} ({} of {} connections open, {} waiting): that is "
          + "pressure, not a start; its acquire waits, waiters and the reserve count from now", limpName,
          poolName, DatabaseMonitor.POOL_START_LIMIT, pool.total(), warm, pool.waiting());
    }
  }

  /** The pool has no connection left and the database refuses new ones: it will start again. */
  private void startAgain(String poolName) {
    again = true;
    begunAt = NONE;
    watch();
    LOG.info("limp[{}]: pool {} has lost every connection while the database refuses new ones: it starts again "
        + "when the database answers (its acquire waits, waiters and the reserve count once it has started)",
        limpName, poolName);
  }

  private void end(long now) {
    starting = false;
    again = false;
    recorder.poolStarted(now);
    reserve.poolStarting(false);
  }
}
