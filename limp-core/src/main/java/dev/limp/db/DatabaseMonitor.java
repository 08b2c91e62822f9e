package dev.limp.db;

import dev.limp.Limp;
import dev.limp.LimpClock;
import dev.limp.SignalSnapshot;
import dev.limp.SignalSource;
import dev.limp.Tier;
import dev.limp.db.internal.ConnectionReserve;
import dev.limp.db.internal.CulpritFinder;
import dev.limp.db.internal.DatabaseViewRunner;
import dev.limp.db.internal.JdbcRecorder;
import dev.limp.db.internal.OwnReadings;
import dev.limp.db.internal.PlanWatch;
import dev.limp.db.internal.SignalMeter;
import dev.limp.internal.LimpInternals;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.IntSupplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches a database for a limp instance: wraps its {@link DataSource} (see {@link MonitoredDataSource}),
 * probes its pool, optionally runs a canary query, and reports the {@link DatabaseSignals} to the governor
 * at every tick. It also names <em>culprits</em>: when the pool is under pressure (threads wait for a
 * connection, acquiring one is slow, or acquisitions time out) and one feature below the reserve's tiers
 * holds at least {@link #DEFAULT_CULPRIT_SHARE} of the connection-time, the governor sheds it ahead of its
 * tier, with a reason such as "notifications held 78 % of connection-time while 12 threads waited".
 *
 * <pre>{@code
 * Limp limp = Limp.builder().policy(DatabaseSignals.defaultPolicy()) ... .build();
 * DatabaseMonitor monitor = DatabaseMonitor.builder(limp).canary(CanaryConfig.ofDefaults()).build();
 * DataSource dataSource = monitor.wrap(hikariDataSource);   // give this one to the application
 * }</pre>
 *
 * <p><b>Several data sources.</b> Build one monitor per DataSource (a primary and a read replica, say), on the
 * same limp instance. Each reports its own readings ({@link #signals()}); the governor reads, for each
 * signal, the <em>worst</em> reading of all the monitors on the instance (every database signal reads higher
 * as worse), and every culprit any of them names: an exhausted pool is never masked by a healthy one watched
 * beside it. Each monitor keeps its own reserve and canary.
 *
 * <p>Nothing it does makes the pool worse: the probe reads the pool's MXBean and uses no connection; the
 * canary uses one connection at a time; a probe that fails is logged and its signals are missing for that
 * tick. Its settings are fixed when it is built ({@link #config()}). Thread-safe. Close it to stop the canary
 * and detach it from the limp instance.
 */
public final class DatabaseMonitor implements SignalSource, AutoCloseable {
  /** The share of connection-time that makes a feature a culprit while the pool is under pressure: half. */
  public static final double DEFAULT_CULPRIT_SHARE = 0.5;
  /**
   * The mean number of threads waiting for a connection, over the last 2 s, from which the pool is under
   * pressure: 0.5, a thread waiting at every other tick.
   */
  public static final double DEFAULT_CULPRIT_WAITERS = 0.5;
  /** The acquire latency (p99 over the window) from which the pool is under pressure: 50 ms. */
  public static final Duration DEFAULT_CULPRIT_ACQUIRE_LATENCY = Duration.ofMillis(50);
  /**
   * The query latency (p99 over the window, or the mean age of the running statements if higher) from which
   * the pool is under pressure, its connections held long: 250 ms.
   */
  public static final Duration DEFAULT_CULPRIT_QUERY_LATENCY = Duration.ofMillis(250);
  /** The fraction of the pool kept for the reserve's tiers when no count is given: a fifth (2 of 10). */
  public static final double DEFAULT_RESERVE_FRACTION = 0.2;
  /** The lowest tier that may use the reserve: {@link Tier#CRITICAL}. */
  public static final Tier DEFAULT_RESERVE_FOR = Tier.CRITICAL;
  /** The window signals are computed over. */
  public static final Duration DEFAULT_WINDOW = Duration.ofSeconds(10);
  /** How many buckets the window slides by. */
  public static final int DEFAULT_WINDOW_BUCKETS = 10;
  /**
   * The longest a pool counts as starting once it has a connection or a waiter: 30 s, HikariCP's default
   * {@code connectionTimeout}. A pool that has not caught up with its callers by then is under pressure.
   */
  public static final Duration POOL_START_LIMIT = Duration.ofSeconds(30);

  private static final Logger LOG = LoggerFactory.getLogger(DatabaseMonitor.class);

  private final Limp limp;
  private final DatabaseMonitorConfig config;
  private final JdbcRecorder recorder;
  /** {@link JdbcRecorder#acquiredTotal()} at the last sample; read and written by the sampling thread only. */
  private long acquiredAtLastSample;
  private final ConnectionReserve reserve;
  private final SignalMeter meter;
  private final CulpritFinder culprits;
  private volatile CanaryRunner canary;
  private volatile DatabaseViewRunner view;
  private volatile PlanWatch planWatch;
  private volatile SignalSnapshot latest = SignalSnapshot.empty();
  private DataSource watched; // guarded by this

  /** A monitor with these settings, added to the limp instance's signal sources: {@link DatabaseMonitorBuilder}'s. */
  DatabaseMonitor(Limp limp, LimpClock clock, PoolProbe probe, DatabaseMonitorConfig config) {
    this.limp = limp;
    this.config = config;
    // the engine's allocation-free lookup when it offers one; any other Limp through its public interface
    JdbcRecorder.CurrentFeature current = limp instanceof LimpInternals internals ? internals::currentGuard
        : () -> limp.currentFeature().orElse(null);
    this.recorder = new JdbcRecorder(clock, current, config.windowBuckets(), config.bucketNanos());
    this.reserve = new ConnectionReserve(limp, recorder, config.reserve().orElse(-1), config.reserveFor());
    this.meter = new SignalMeter(limp.name(), recorder, reserve);
    this.culprits = new CulpritFinder(limp, recorder, reserve, config.window(), config.culpritShare(),
        config.culpritWaiters(), config.culpritAcquireLatency(), config.culpritQueryLatency());
    if (probe != null) {
      reserve.sizeFrom(probe); // refuses a reserve that is not below the pool's maximum
      meter.probe(probe, warmSize(probe));
    }
    limp.addSignalSource(this);
  }

  /** Starts building a monitor that reports to {@code limp}. */
  public static DatabaseMonitorBuilder builder(Limp limp) {
    return new DatabaseMonitorBuilder(limp);
  }

  /**
   * Wraps the application's DataSource. The pool probe is found by unwrapping to HikariCP when none was
   * given; the canary, if configured, starts on the wrapped DataSource. Wrap one DataSource per monitor.
   *
   * @throws IllegalStateException if this monitor already wraps a DataSource, or the reserve is not below
   *     the pool's maximum
   */
  public synchronized MonitoredDataSource wrap(DataSource dataSource) {
    Objects.requireNonNull(dataSource, "dataSource");
    if (dataSource instanceof MonitoredDataSource) {
      throw new IllegalArgumentException("the DataSource is already monitored: " + dataSource);
    }
    if (watched != null) {
      throw new IllegalStateException("this DatabaseMonitor already watches " + watched + ", so it cannot watch "
          + dataSource + " too; build one monitor per DataSource");
    }
    if (meter.probe() == null) {
      PoolProbe found = HikariPoolProbe.find(dataSource);
      if (found != null) {
        reserve.sizeFrom(found); // refuses a reserve that is not below the pool's maximum: then nothing is kept
        meter.probe(found, warmSize(found));
      } else {
        LOG.info("limp[{}]: no pool probe for {}: pool saturation, waiters and the reserve are off (pass "
            + "DatabaseMonitor.builder(limp).poolProbe(...) for a pool other than HikariCP)", limp.name(),
            dataSource);
      }
    }
    watched = dataSource;
    config.canary().ifPresent(c -> {
      CanaryRunner runner = new CanaryRunner(limp.name(), dataSource, c, recorder::now,
          this::poolHeldByApplication, config.windowBuckets(), config.bucketNanos());
      canary = runner;
      meter.canary(runner);
    });
    config.databaseView().ifPresent(v -> view = new DatabaseViewRunner(limp.name(), dataSource, v, recorder::now));
    if (config.planWatch().enabled()) { // EXPLAINs on the view's thread, and connection, when there is one
      DatabaseViewRunner v = view;
      planWatch = new PlanWatch(limp.name(), dataSource, config.planWatch(), recorder::now,
          config.window().toNanos(), config.culpritQueryLatency().toNanos(), this::connectionsFreeOutsideReserve,
          v == null ? null : v::submit);
      recorder.addStatementListener(planWatch);
    }
    return new MonitoredDataSource(dataSource, recorder, reserve, this);
  }

  /** How many connections a pool holds once started: HikariCP's {@code minimumIdle}; 1 for other pools. */
  private static IntSupplier warmSize(PoolProbe probe) {
    return probe instanceof HikariPoolProbe hikari ? hikari::minimumIdle : () -> 1;
  }

  /** The pool's connections free now that are not kept for the reserve; 1 when the pool's size is unknown. */
  private int connectionsFreeOutsideReserve() {
    int maximum = reserve.poolMaximum();
    return maximum <= 0 ? 1 : maximum - reserve.kept() - recorder.connectionsInUse();
  }

  /** Whether the application's connections (held or being acquired) fill the pool's known maximum now. */
  private boolean poolHeldByApplication() {
    int maximum = reserve.poolMaximum();
    return maximum > 0 && recorder.connectionsInUse() >= maximum;
  }

  /**
   * Measures this monitor's data source and writes its signals and culprits to {@code sink}. The governor
   * calls it at every tick, through the monitors of its limp instance, read together (see the class comment).
   */
  @Override
  public void sample(Sink governor) {
    OwnReadings sink = new OwnReadings(governor);
    recorder.reclaimClosedElsewhere(); // connections the pool has back although limp did not see them closed
    long acquired = recorder.acquiredTotal();
    if (acquired > acquiredAtLastSample) { // evidence that the database answers: critical breakers may close
      sink.answering((acquired - acquiredAtLastSample) + " connection(s) acquired since the last tick");
    }
    acquiredAtLastSample = acquired;
    OwnReadings.Held pool = sink.held();
    SignalMeter.Readings readings = meter.measure(sink, pool);
    PlanWatch plans = planWatch;
    if (plans != null) {
      plans.tick();
    }
    Set<String> excluded = culprits.beingDealtWith(culprits.name(plans == null ? sink : plans.annotating(sink),
        readings));
    if (excluded.isEmpty() || !culprits.culpritStillInThePool(excluded)) {
      pool.passOn();
    } else {
      pool.keepOnly(); // the culprit's doing: the level rises only if the pressure stays once it is out
    }
    meter.putQueryLatency(sink, readings, excluded);
    DatabaseViewRunner v = view;
    if (v != null) {
      v.report(sink, recorder.now());
    }
    latest = sink.snapshot();
  }

  /**
   * This monitor's own readings at the latest tick, of its data source alone (the governor reads the worst of
   * every monitor on the limp instance): which data source is in trouble. Empty before the first tick.
   */
  public SignalSnapshot signals() {
    return latest;
  }

  /**
   * The sessions others wait on, at the database view's latest reading, the most waited-on first; empty
   * without {@link DatabaseMonitorBuilder#databaseView} or when nobody waits. Each one's {@code toString()} is a sentence
   * for people ("session 4711 (application 'migrate') has held an ACCESS EXCLUSIVE lock on notifications for
   * 38 s; 9 of our connections wait on it"); a new blocker is also logged once.
   */
  public List<Blocker> blockers() {
    DatabaseViewRunner v = view;
    return v == null ? List.of() : v.blockers(recorder.now());
  }

  /** The settings this monitor was built with. */
  public DatabaseMonitorConfig config() {
    return config;
  }

  /** What the monitor has seen, read now: racy point-in-time values, like a pool's MXBean gauges. */
  public DatabaseActivity activity() {
    return meter.activity(culprits.current());
  }

  /** The pool probe in use, or {@code null}. */
  public PoolProbe poolProbe() {
    return meter.probe();
  }

  /** The recorder, for tests in this package. Not API. */
  /** Whether a database view was configured and turned itself off; for tests. */
  boolean databaseViewStopped() {
    DatabaseViewRunner v = view;
    return v != null && v.stopped();
  }

  /** The plan watch, or {@code null} when it is off or nothing is wrapped yet; for tests. */
  PlanWatch planWatch() {
    return planWatch;
  }

  JdbcRecorder recorder() {
    return recorder;
  }

  @Override
  public void close() {
    limp.removeSignalSource(this);
    CanaryRunner c = canary;
    if (c != null) {
      c.close();
    }
    DatabaseViewRunner v = view;
    if (v != null) {
      v.close();
    }
    PlanWatch p = planWatch;
    if (p != null) {
      p.close();
    }
  }
}
