package dev.limp.db;

import dev.limp.FeatureGuard;
import dev.limp.FeatureShedException;
import dev.limp.FeatureState;
import dev.limp.Limp;
import dev.limp.LimpClock;
import dev.limp.OperatorOverride;
import dev.limp.ShedCause;
import dev.limp.ShedReason;
import dev.limp.SignalSource;
import dev.limp.Tier;
import dev.limp.db.internal.FeatureDbStats;
import dev.limp.db.internal.JdbcRecorder;
import dev.limp.db.internal.LatencyWindow;
import dev.limp.db.internal.SqlErrorKind;
import dev.limp.internal.LimpInternals;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
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
 * <p>Nothing it does makes the pool worse: the probe reads the pool's MXBean and uses no connection; the
 * canary uses one connection at a time; a probe that fails is logged and its signals are missing for that
 * tick. Thread-safe. Close it to stop the canary and detach it from the limp instance.
 */
public final class DatabaseMonitor implements SignalSource, AutoCloseable {
  /** The share of connection-time that makes a feature a culprit while the pool is under pressure: half. */
  public static final double DEFAULT_CULPRIT_SHARE = 0.5;
  /** The fraction of the pool kept for the reserve's tiers when no count is given: a fifth (2 of 10). */
  public static final double DEFAULT_RESERVE_FRACTION = 0.2;
  /** The window signals are computed over. */
  public static final Duration DEFAULT_WINDOW = Duration.ofSeconds(10);
  /** How many buckets the window slides by. */
  public static final int DEFAULT_WINDOW_BUCKETS = 10;

  private static final Logger LOG = LoggerFactory.getLogger(DatabaseMonitor.class);
  private static final long WAITERS_SPAN = TimeUnit.SECONDS.toNanos(2);
  /** A culprit is only named when the pool was at least this busy over the window. */
  private static final double MIN_BUSY_FRACTION = 0.5;

  private final Limp limp;
  private final JdbcRecorder recorder;
  private final Builder settings;
  private volatile PoolProbe probe;
  private volatile int limitForRestricted = Integer.MAX_VALUE;
  private volatile int poolMaximum = -1;
  private volatile CanaryRunner canary;
  private DataSource watched; // guarded by this
  private final Deque<long[]> waiterSamples = new ArrayDeque<>(); // governor thread only
  /** Culprits named by this monitor and not yet let fully back in ({@link #culpritsBeingDealtWith}). */
  private final Set<String> culprits = ConcurrentHashMap.newKeySet();
  private long lastProbeWarning = Long.MIN_VALUE;

  private DatabaseMonitor(Builder b) {
    this.limp = b.limp;
    this.settings = b;
    LimpClock clock = b.clock;
    // the engine's allocation-free lookup when it offers one; any other Limp through its public interface
    JdbcRecorder.CurrentFeature current = b.limp instanceof LimpInternals internals ? internals::currentGuard
        : () -> b.limp.currentFeature().orElse(null);
    this.recorder = new JdbcRecorder(clock, current, b.buckets, b.window.toNanos() / b.buckets);
    this.probe = b.probe;
    if (probe != null) {
      applyPoolMaximum(probe);
    }
    limp.addSignalSource(this);
  }

  /** Starts building a monitor that reports to {@code limp}. */
  public static Builder builder(Limp limp) {
    return new Builder(limp);
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
    if (probe == null) {
      PoolProbe found = HikariPoolProbe.find(dataSource);
      if (found != null) {
        applyPoolMaximum(found); // refuses a reserve that is not below the pool's maximum: then nothing is kept
        probe = found;
      } else {
        LOG.info("limp[{}]: no pool probe for {}: pool saturation, waiters and the reserve are off (pass "
            + "DatabaseMonitor.builder(limp).poolProbe(...) for a pool other than HikariCP)", limp.name(),
            dataSource);
      }
    }
    watched = dataSource;
    if (settings.canary != null) {
      canary = new CanaryRunner(limp.name(), dataSource, settings.canary, recorder::now, settings.buckets,
          settings.window.toNanos() / settings.buckets);
    }
    return new MonitoredDataSource(dataSource, recorder, this);
  }

  private void applyPoolMaximum(PoolProbe p) {
    int maximum;
    try {
      maximum = p.sample().maximum();
    } catch (RuntimeException e) {
      LOG.warn("limp[{}]: pool probe {} failed; the reserve is off until it answers", limp.name(), p, e);
      return;
    }
    setPoolMaximum(maximum);
  }

  private void setPoolMaximum(int maximum) {
    if (maximum == poolMaximum || maximum <= 0) {
      return;
    }
    int reserve = settings.reserve >= 0 ? settings.reserve
        : (int) Math.floor(maximum * DEFAULT_RESERVE_FRACTION);
    if (reserve >= maximum) {
      throw new IllegalStateException("reserve must be below the pool's maximum size (" + maximum
          + " connections), but was " + reserve + "; lower the reserve or grow the pool");
    }
    poolMaximum = maximum;
    limitForRestricted = reserve == 0 ? Integer.MAX_VALUE : maximum - reserve;
    if (reserve > 0) {
      LOG.info("limp[{}]: {} of {} connections are kept for {} and above", limp.name(), reserve, maximum,
          settings.reserveFor);
    }
  }

  // ---------------------------------------------------------------- the reserve (JDBC hot path)

  /** How many connections the feature may hold in all, counting everyone's. */
  int connectionLimit(FeatureGuard feature) {
    if (feature == null || feature.tier().compareTo(settings.reserveFor) <= 0 || limp.isShadowMode()) {
      // shadow mode sheds nothing, the reserve included
      return Integer.MAX_VALUE;
    }
    return limitForRestricted;
  }

  FeatureShedException reserveRefusal(FeatureGuard feature, int limit) {
    int maximum = poolMaximum;
    return new FeatureShedException(new ShedReason(feature.name(), limp.level(), ShedCause.RESERVE,
        limit + " of " + maximum + " connections are in use; the last " + (maximum - limit) + " are kept for "
            + settings.reserveFor + " and above", Duration.ofMillis(250)));
  }

  // ---------------------------------------------------------------- signals

  @Override
  public void sample(Sink sink) {
    long now = recorder.now();
    LatencyWindow.Snapshot statements = recorder.statements();
    double queryP99 = queryP99(statements, recorder.runningMeanAgeMillis());
    LatencyWindow.Snapshot acquires = recorder.acquires();
    sink.put(DatabaseSignals.ACQUIRE_P99, acquires.percentileMillis(0.99));
    sink.put(DatabaseSignals.ACQUIRE_TIMEOUTS, recorder.acquireFailures().count());
    long refusals = recorder.refusals();
    sink.put(DatabaseSignals.RESERVE_REFUSALS, refusals);
    sink.put(DatabaseSignals.LOCK_ERRORS, recorder.errors(SqlErrorKind.LOCK));
    sink.put(DatabaseSignals.TIMEOUT_ERRORS, recorder.errors(SqlErrorKind.TIMEOUT));
    sink.put(DatabaseSignals.CONNECTION_ERRORS, recorder.errors(SqlErrorKind.CONNECTION));

    double waiters = Double.NaN;
    long maxWaiters = 0;
    PoolProbe p = probe;
    if (p != null) {
      try {
        PoolProbe.PoolSnapshot pool = p.sample();
        setPoolMaximum(pool.maximum());
        sink.put(DatabaseSignals.POOL_SATURATION, pool.saturation());
        waiterSamples.addLast(new long[] {now, pool.waiting()});
        while (waiterSamples.size() > 1 && now - waiterSamples.peekFirst()[0] > WAITERS_SPAN) {
          waiterSamples.removeFirst();
        }
        long sum = 0;
        for (long[] sample : waiterSamples) {
          sum += sample[1];
          maxWaiters = Math.max(maxWaiters, sample[1]);
        }
        waiters = sum / (double) waiterSamples.size();
        sink.put(DatabaseSignals.POOL_WAITERS, waiters);
      } catch (RuntimeException e) {
        if (lastProbeWarning == Long.MIN_VALUE || now - lastProbeWarning > TimeUnit.MINUTES.toNanos(1)) {
          lastProbeWarning = now;
          LOG.warn("limp[{}]: pool probe {} failed; its signals are missing (logged at most once a minute)",
              limp.name(), p, e);
        }
      }
    }
    CanaryRunner c = canary;
    if (c != null) {
      sink.put(DatabaseSignals.CANARY_LATENCY, c.latencyMillis(now));
      sink.put(DatabaseSignals.CANARY_FAILURES, c.failures(now));
    }
    Set<String> named = nameCulprits(sink, now, waiters, maxWaiters, acquires, refusals, queryP99);
    Set<String> excluded = culpritsBeingDealtWith(named);
    LatencyWindow.Snapshot others = excluded.isEmpty() ? statements : recorder.statements(excluded);
    double othersRunning = excluded.isEmpty() ? Double.NaN : recorder.runningMeanAgeMillis(excluded);
    if (excluded.isEmpty() || (others.count() == 0 && Double.isNaN(othersRunning))) {
      // nothing to leave out, or nothing but the culprits ran: their statements are all there is to read
      sink.put(DatabaseSignals.QUERY_P99, queryP99);
      sink.put(DatabaseSignals.QUERY_P50, statements.percentileMillis(0.50));
    } else {
      sink.put(DatabaseSignals.QUERY_P99, queryP99(others, othersRunning));
      sink.put(DatabaseSignals.QUERY_P50, others.percentileMillis(0.50));
    }
  }

  /** The query-latency signal: the p99 of the window, or the mean age of the running statements if higher. */
  private static double queryP99(LatencyWindow.Snapshot statements, double runningMeanAgeMillis) {
    double p99 = statements.percentileMillis(0.99);
    return Double.isNaN(runningMeanAgeMillis) || runningMeanAgeMillis <= p99 ? p99 : runningMeanAgeMillis;
  }

  /**
   * The culprits whose own statements are left out of the query-latency signals: the features this monitor
   * named, from the tick it names one until the governor has let it fully back in (active again, after the
   * ramp). Their slowness is evidence about them, and they are being dealt with (shed, or probed through the
   * ramp), so the level rises only if the other features' statements are slow too. Not while an operator
   * pins the culprit on or forces a level: then nobody is dealing with it, and its statements count.
   */
  private Set<String> culpritsBeingDealtWith(Set<String> named) {
    culprits.addAll(named);
    if (culprits.isEmpty()) {
      return Set.of();
    }
    culprits.removeIf(feature -> !named.contains(feature) && limp.findGuard(feature)
        .map(g -> g.state() == FeatureState.ACTIVE && !g.wouldShed()).orElse(true));
    Set<String> excluded = new HashSet<>(culprits);
    for (OperatorOverride o : limp.overrides().active()) {
      if (o.kind() == OperatorOverride.Kind.FORCE_LEVEL) {
        return Set.of();
      }
      if (o.kind() == OperatorOverride.Kind.PIN_FEATURE) {
        excluded.remove(o.target());
      }
    }
    return excluded;
  }

  /**
   * Names the features that hold a disproportionate share of connection-time while the pool is under
   * pressure. Pressure: threads wait for a connection, acquiring one is slow, acquisitions time out, the
   * reserve refuses connections (sheddable work wants more than it may have), or queries are slow (so the
   * connections are held long: the bad-plan incident, before the pool runs out). And the pool must really be
   * busy: at least half of it in use now, or half its capacity used over the window, so that one noisy
   * acquire does not make the feature with the most (fast) calls a culprit.
   */
  private Set<String> nameCulprits(Sink sink, long now, double waiters, long maxWaiters,
      LatencyWindow.Snapshot acquires, long refusals, double queryP99) {
    double acquireP99 = acquires.percentileMillis(0.99);
    long timeouts = recorder.acquireFailures().count();
    boolean pressure = (!Double.isNaN(waiters) && waiters >= settings.culpritWaiters)
        || (!Double.isNaN(acquireP99) && acquireP99 >= settings.culpritAcquireMillis)
        || timeouts > 0 || refusals > 0
        || (!Double.isNaN(queryP99) && queryP99 >= settings.culpritQueryMillis);
    if (!pressure) {
      return Set.of();
    }
    double total = 0;
    for (FeatureDbStats f : recorder.features()) {
      total += f.connectionMillis(now);
    }
    int maximum = poolMaximum;
    if (total <= 0) {
      return Set.of();
    }
    if (maximum > 0) {
      double busyOverWindow = total / (maximum * (settings.window.toNanos() / 1e6));
      double busyNow = recorder.connectionsInUse() / (double) maximum;
      if (Math.max(busyOverWindow, busyNow) < MIN_BUSY_FRACTION) {
        return Set.of();
      }
    }
    Set<String> named = new HashSet<>();
    for (FeatureDbStats f : recorder.features()) {
      if (f.tier() == null || f.tier().compareTo(settings.reserveFor) <= 0) {
        continue;
      }
      double share = f.connectionMillis(now) / total;
      if (share >= settings.culpritShare) {
        String pressureText = maxWaiters > 0 ? "while " + maxWaiters + " threads waited"
            : timeouts > 0 ? "while " + timeouts + " connection requests timed out"
            : refusals > 0 ? "while the reserve refused " + refusals + " connections"
            : !Double.isNaN(queryP99) && queryP99 >= settings.culpritQueryMillis
                ? String.format(Locale.ROOT, "while queries took %.0f ms (p99)", queryP99)
            : String.format(Locale.ROOT, "while acquiring a connection took %.0f ms (p99)", acquireP99);
        sink.suspect(f.name(), String.format(Locale.ROOT, "%s held %.0f %% of connection-time %s", f.name(),
            share * 100, pressureText));
        named.add(f.name());
      }
    }
    return named;
  }

  /** What the monitor has seen, for tests, endpoints and the curious. Racy point-in-time values. */
  public JdbcRecorder recorder() {
    return recorder;
  }

  /** The pool probe in use, or {@code null}. */
  public PoolProbe poolProbe() {
    return probe;
  }

  @Override
  public void close() {
    limp.removeSignalSource(this);
    CanaryRunner c = canary;
    if (c != null) {
      c.close();
    }
  }

  /** Builds a {@link DatabaseMonitor}; each setter validates at once. Not thread-safe. */
  public static final class Builder {
    private final Limp limp;
    private LimpClock clock = LimpClock.system();
    private Duration window = DEFAULT_WINDOW;
    private int buckets = DEFAULT_WINDOW_BUCKETS;
    private PoolProbe probe;
    private int reserve = -1;
    private Tier reserveFor = Tier.CRITICAL;
    private double culpritShare = DEFAULT_CULPRIT_SHARE;
    private double culpritWaiters = 0.5;
    private double culpritAcquireMillis = 50;
    private double culpritQueryMillis = 250;
    private CanaryConfig canary;

    private Builder(Limp limp) {
      this.limp = Objects.requireNonNull(limp, "limp");
    }

    /** Where time is read; tests pass a clock they drive. */
    public Builder clock(LimpClock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * The sliding window signals are computed over, and how many buckets it slides by.
     *
     * @throws IllegalArgumentException unless the window is 1 s to 10 min and buckets 1 to 600, each at
     *     least 10 ms long
     */
    public Builder window(Duration window, int buckets) {
      CanaryConfig.Builder.within("window", window, Duration.ofSeconds(1), Duration.ofMinutes(10));
      if (buckets < 1 || buckets > 600 || window.toMillis() / buckets < 10) {
        throw new IllegalArgumentException("window buckets must be between 1 and 600 and each at least 10 ms "
            + "long, but was " + buckets + " buckets over " + window);
      }
      this.window = window;
      this.buckets = buckets;
      return this;
    }

    /** The probe of the pool, for pools other than HikariCP (which is found by unwrapping). */
    public Builder poolProbe(PoolProbe probe) {
      this.probe = Objects.requireNonNull(probe, "poolProbe");
      return this;
    }

    /**
     * How many connections are kept for the tiers at or above {@link #reserveFor(Tier)}: a feature below
     * them that would take one of them is refused at once. Default: a fifth of the pool, rounded down.
     * 0 turns the reserve off.
     *
     * @throws IllegalArgumentException if negative; {@link DatabaseMonitor#wrap} refuses one that is not
     *     below the pool's maximum
     */
    public Builder reserve(int connections) {
      if (connections < 0) {
        throw new IllegalArgumentException("reserve must be 0 (off) or a number of connections, but was "
            + connections);
      }
      this.reserve = connections;
      return this;
    }

    /** The lowest tier that may use the reserve. Default {@link Tier#CRITICAL}. */
    public Builder reserveFor(Tier tier) {
      this.reserveFor = Objects.requireNonNull(tier, "reserveFor");
      return this;
    }

    /**
     * The share of connection-time that makes a feature a culprit while the pool is under pressure.
     *
     * @throws IllegalArgumentException unless above 0 and at most 1
     */
    public Builder culpritShare(double share) {
      if (!(share > 0 && share <= 1)) {
        throw new IllegalArgumentException("culpritShare must be a fraction in (0, 1], but was " + share);
      }
      this.culpritShare = share;
      return this;
    }

    /** Runs a canary query with these settings. Off by default. */
    public Builder canary(CanaryConfig canary) {
      this.canary = Objects.requireNonNull(canary, "canary");
      return this;
    }

    /** Builds the monitor and adds it to the limp instance's signal sources. */
    public DatabaseMonitor build() {
      return new DatabaseMonitor(this);
    }
  }
}
