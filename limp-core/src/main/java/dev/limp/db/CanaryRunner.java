package dev.limp.db;

import dev.limp.db.internal.AnsweredFailures;
import dev.limp.db.internal.CanaryReadings;
import dev.limp.db.internal.LatencyWindow;
import dev.limp.db.internal.SqlErrorKind;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the canary query on its own daemon thread ({@code limp-canary-<name>}), one run at a time, on a
 * connection of the underlying pool (not the monitored DataSource: the canary is not application work).
 * Three outcomes are kept apart:
 * <ul>
 *   <li>the query's latency, and its failures (a run that hangs past the timeout is seen by the governor
 *       through {@link #hungNanos}, counted as one failure, and never waited for);
 *   <li>no connection: each canary timeout spent waiting for one, and a connect that fails, counts as
 *       <em>unreachable</em>, unless the application's own connections fill the pool (then it is the pool's
 *       pressure, which the acquire and waiter signals report: a saturated pool never passes for a sick
 *       database);
 *   <li>a query that is wrong for the database (see {@link SqlErrorKind#isConfiguration}): no reading, no
 *       failure, {@link #misconfigured()} until the query works, and one ERROR line per episode.
 * </ul>
 * Thread-safe.
 */
final class CanaryRunner implements CanaryReadings, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CanaryRunner.class);
  private static final long IDLE = Long.MIN_VALUE;

  /** A wait for a connection: when it began, and how many whole timeouts of it were counted. */
  private static final class Wait {
    final long since;
    final AtomicLong counted = new AtomicLong();

    Wait(long since) {
      this.since = since;
    }
  }

  private final DataSource dataSource;
  private final CanaryConfig config;
  private final LongSupplier clock;
  private final BooleanSupplier poolHeldByApplication;
  private final LatencyWindow failures;
  private final LatencyWindow unreachable;
  /** Failures and unreachability the database has since answered with a run that succeeded. */
  private final AnsweredFailures answered = new AnsweredFailures();
  private final ScheduledExecutorService executor;
  private final String name;
  private volatile String query;
  private volatile long runningSince = IDLE;
  private volatile boolean hangCounted;
  private volatile Wait waiting;
  private volatile double lastLatencyMillis = Double.NaN;
  private volatile long lastFailureLog = IDLE;
  private volatile boolean misconfigured;

  /**
   * @param poolHeldByApplication whether the application's own connections fill the pool now (then a canary
   *     without a connection is the pool's pressure, not an unreachable database)
   */
  CanaryRunner(String name, DataSource dataSource, CanaryConfig config, LongSupplier clock,
      BooleanSupplier poolHeldByApplication, int buckets, long bucketNanos) {
    this.name = name;
    this.dataSource = dataSource;
    this.config = config;
    this.clock = clock;
    this.poolHeldByApplication = poolHeldByApplication;
    this.failures = new LatencyWindow(buckets, bucketNanos);
    this.unreachable = new LatencyWindow(buckets, bucketNanos);
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
    Wait wait = new Wait(clock.getAsLong());
    waiting = wait;
    try {
      connection = dataSource.getConnection();
      countUnreachable(wait, clock.getAsLong(), false); // a connection that came late: its timeouts count
    } catch (SQLException | RuntimeException e) {
      countUnreachable(wait, clock.getAsLong(), true);
      lastLatencyMillis = Double.NaN; // no reading this time, rather than a stale one
      logFailure("could not get a connection for the canary", e);
      return;
    } finally {
      waiting = null;
    }
    long start = clock.getAsLong();
    runningSince = start;
    hangCounted = false;
    String sql = query;
    try (Connection c = connection) {
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
      if (took > config.timeout().toNanos()) {
        if (!hangCounted) {
          failures.record(clock.getAsLong(), took);
        }
        answered.failed(clock.getAsLong());
      } else {
        answered.succeeded(wait.since, clock.getAsLong());
      }
      worksAgain(sql);
    } catch (SQLException e) {
      if (SqlErrorKind.isConfiguration(e)) {
        misconfiguredBy(sql, e);
      } else {
        failed(start, e);
      }
    } catch (RuntimeException e) {
      failed(start, e);
    } finally {
      runningSince = IDLE;
    }
  }

  private void failed(long start, Exception e) {
    lastLatencyMillis = (clock.getAsLong() - start) / 1e6;
    if (!hangCounted) {
      failures.record(clock.getAsLong(), 0);
    }
    answered.failed(clock.getAsLong());
    logFailure("canary query failed", e);
  }

  /** The query is wrong for this database: a configuration error, said loudly once, never a failure. */
  private void misconfiguredBy(String sql, SQLException e) {
    lastLatencyMillis = Double.NaN;
    if (!misconfigured) {
      misconfigured = true;
      LOG.error("limp[{}]: the canary query '{}' fails with SQLState {} ({}): the query is wrong for this "
          + "database, not a sign of its health, so the canary reports db.canary.misconfigured = 1 and no "
          + "latency or failure until it works; fix the canary query (CanaryConfig.Builder.query, "
          + "limp.database.canary.query in Spring)", name, sql, e.getSQLState(),
          String.valueOf(e.getMessage()).replaceAll("\\s+", " "));
    }
  }

  private void worksAgain(String sql) {
    if (misconfigured) {
      misconfigured = false;
      LOG.info("limp[{}]: the canary query '{}' works again", name, sql);
    }
  }

  /**
   * Counts the whole canary timeouts of {@code wait} not counted yet (at least one if {@code failed}), unless
   * the application's connections fill the pool. Runs on the canary thread and on the governor's.
   */
  private void countUnreachable(Wait wait, long now, boolean failed) {
    long timeouts = (now - wait.since) / config.timeout().toNanos();
    if (failed) {
      timeouts = Math.max(1, timeouts);
    }
    long counted = wait.counted.get();
    while (timeouts > counted) {
      if (poolHeldByApplication.getAsBoolean()) {
        wait.counted.set(Math.max(counted, timeouts)); // the pool's pressure: never counted later either
        return;
      }
      if (wait.counted.compareAndSet(counted, counted + 1)) {
        unreachable.record(now, now - wait.since);
        answered.failed(now);
      }
      counted = wait.counted.get();
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
    if (since == IDLE || misconfigured) { // a wrong query says nothing about the database's health
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
    answered.failed(now);
    return running;
  }

  /** The latency of the latest run, or of the hung run so far, in ms; NaN before the first run. */
  @Override
  public double latencyMillis(long now) {
    long hung = hungNanos(now);
    return hung > 0 ? hung / 1e6 : lastLatencyMillis;
  }

  /**
   * Failed and timed-out runs in the window, unless the database has answered them since: a run that began
   * after the latest failure succeeded, and none failed for {@link AnsweredFailures#QUIET}.
   */
  @Override
  public long failures(long now) {
    hungNanos(now);
    return answered.answered(now) ? 0 : failures.snapshot(now).count();
  }

  @Override
  public long unreachable(long now) {
    Wait wait = waiting;
    if (wait != null) {
      countUnreachable(wait, now, false);
    }
    return answered.answered(now) ? 0 : unreachable.snapshot(now).count();
  }

  @Override
  public boolean misconfigured() {
    return misconfigured;
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
