package dev.limp.db;

import dev.limp.db.internal.CanaryReadings;
import dev.limp.db.internal.LatencyWindow;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the canary query on its own daemon thread ({@code limp-canary-<name>}), one run at a time, on a
 * connection of the underlying pool (not the monitored DataSource: the canary is not application work).
 * Only the query is timed: waiting for the connection is the pool's pressure, reported by the acquire and
 * waiter signals; a canary that gets no connection gives no reading, so a saturated pool never passes for a
 * sick database.
 * The governor only reads what it measured; a run that hangs is seen by the governor through
 * {@link #hungNanos}, counted as one failure, and never waited for. Thread-safe.
 */
final class CanaryRunner implements CanaryReadings, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CanaryRunner.class);
  private static final long IDLE = Long.MIN_VALUE;

  private final DataSource dataSource;
  private final CanaryConfig config;
  private final LongSupplier clock;
  private final LatencyWindow failures;
  private final ScheduledExecutorService executor;
  private final String name;
  private volatile String query;
  private volatile long runningSince = IDLE;
  private volatile boolean hangCounted;
  private volatile double lastLatencyMillis = Double.NaN;
  private volatile long lastFailureLog = IDLE;

  CanaryRunner(String name, DataSource dataSource, CanaryConfig config, LongSupplier clock, int buckets,
      long bucketNanos) {
    this.name = name;
    this.dataSource = dataSource;
    this.config = config;
    this.clock = clock;
    this.failures = new LatencyWindow(buckets, bucketNanos);
    this.query = config.query().orElse(null);
    ThreadFactory threads = task -> {
      Thread t = new Thread(task, "limp-canary-" + name);
      t.setDaemon(true);
      return t;
    };
    this.executor = Executors.newSingleThreadScheduledExecutor(threads);
    long interval = config.interval().toNanos();
    executor.scheduleWithFixedDelay(this::runOnce, 0, interval, TimeUnit.NANOSECONDS);
  }

  void runOnce() {
    Connection connection;
    try {
      connection = dataSource.getConnection();
    } catch (SQLException | RuntimeException e) {
      // The pool had no connection to spare: that is the pool's pressure, which the acquire and waiter
      // signals already report, not the database's health. No reading this time, rather than a stale one.
      lastLatencyMillis = Double.NaN;
      logFailure("could not get a connection for the canary", e);
      return;
    }
    long start = clock.getAsLong();
    runningSince = start;
    hangCounted = false;
    try (Connection c = connection) {
      String sql = query;
      if (sql == null) {
        sql = CanaryConfig.defaultQuery(c.getMetaData().getDatabaseProductName());
        query = sql;
      }
      try (Statement statement = c.createStatement()) {
        statement.setQueryTimeout((int) Math.max(1, Math.ceil(config.timeout().toMillis() / 1000.0)));
        statement.execute(sql);
      }
      long took = clock.getAsLong() - start;
      lastLatencyMillis = took / 1e6;
      if (took > config.timeout().toNanos() && !hangCounted) {
        failures.record(clock.getAsLong(), took);
      }
    } catch (SQLException | RuntimeException e) {
      lastLatencyMillis = (clock.getAsLong() - start) / 1e6;
      if (!hangCounted) {
        failures.record(clock.getAsLong(), 0);
      }
      logFailure("canary query failed", e);
    } finally {
      runningSince = IDLE;
    }
  }

  private void logFailure(String what, Exception e) {
    long now = clock.getAsLong();
    if (lastFailureLog == IDLE || now - lastFailureLog > TimeUnit.MINUTES.toNanos(1)) {
      lastFailureLog = now;
      LOG.warn("limp[{}]: {} (logged at most once a minute): {}", name, what, e.toString());
    }
  }

  /** How long the current run has hung past its timeout (counting it as a failure once); 0 when not hung. */
  long hungNanos(long now) {
    long since = runningSince;
    if (since == IDLE) {
      return 0;
    }
    long running = now - since;
    if (running <= config.timeout().toNanos()) {
      return 0;
    }
    if (!hangCounted) {
      hangCounted = true;
      failures.record(now, running);
    }
    return running;
  }

  /** The latency of the latest run, or of the hung run so far, in ms; NaN before the first run. */
  @Override
  public double latencyMillis(long now) {
    long hung = hungNanos(now);
    return hung > 0 ? hung / 1e6 : lastLatencyMillis;
  }

  /** Failed and timed-out runs in the window. */
  @Override
  public long failures(long now) {
    hungNanos(now);
    return failures.snapshot(now).count();
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
