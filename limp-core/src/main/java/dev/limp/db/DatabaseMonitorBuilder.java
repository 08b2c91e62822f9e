package dev.limp.db;

import dev.limp.Limp;
import dev.limp.LimpClock;
import dev.limp.Tier;
import dev.limp.internal.Checks;
import java.time.Duration;
import java.util.Objects;

/**
 * Builds a {@link DatabaseMonitor}; each setter validates at once, naming the setting, the rule and the
 * rejected value. {@link #build()} copies the settings: changing the builder afterwards does not change
 * the monitor built. Not thread-safe.
 */
public final class DatabaseMonitorBuilder {
  private final Limp limp;
  private LimpClock clock = LimpClock.system();
  private Duration window = DatabaseMonitor.DEFAULT_WINDOW;
  private int buckets = DatabaseMonitor.DEFAULT_WINDOW_BUCKETS;
  private PoolProbe probe;
  private int reserve = -1;
  private Tier reserveFor = DatabaseMonitor.DEFAULT_RESERVE_FOR;
  private double culpritShare = DatabaseMonitor.DEFAULT_CULPRIT_SHARE;
  private double culpritWaiters = DatabaseMonitor.DEFAULT_CULPRIT_WAITERS;
  private Duration culpritAcquireLatency = DatabaseMonitor.DEFAULT_CULPRIT_ACQUIRE_LATENCY;
  private Duration culpritQueryLatency = DatabaseMonitor.DEFAULT_CULPRIT_QUERY_LATENCY;
  private CanaryConfig canary;
  private DatabaseViewConfig databaseView;
  private PlanWatchConfig planWatch;

  DatabaseMonitorBuilder(Limp limp) {
    this.limp = Objects.requireNonNull(limp, "limp");
  }

  /** Where time is read; tests pass a clock they drive. */
  public DatabaseMonitorBuilder clock(LimpClock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
    return this;
  }

  /**
   * The sliding window signals are computed over, and how many buckets it slides by.
   *
   * @throws IllegalArgumentException unless the window is 1 s to 10 min and buckets 1 to 600, each at
   *     least 10 ms long
   */
  public DatabaseMonitorBuilder window(Duration window, int buckets) {
    Checks.within("window", window, Duration.ofSeconds(1), Duration.ofMinutes(10));
    if (buckets < 1 || buckets > 600 || window.toMillis() / buckets < 10) {
      throw new IllegalArgumentException("window buckets must be between 1 and 600 and each at least 10 ms "
          + "long, but was " + buckets + " buckets over " + window);
    }
    this.window = window;
    this.buckets = buckets;
    return this;
  }

  /** The probe of the pool, for pools other than HikariCP (which is found by unwrapping). */
  public DatabaseMonitorBuilder poolProbe(PoolProbe probe) {
    this.probe = Objects.requireNonNull(probe, "poolProbe");
    return this;
  }

  /**
   * How many connections are kept for the tiers at or above {@link #reserveFor(Tier)}: a feature below
   * them that would take one of them is refused at once. Default: {@link DatabaseMonitor#DEFAULT_RESERVE_FRACTION} of the
   * pool, rounded down. 0 turns the reserve off.
   *
   * <p>The pool's maximum is read again at every tick: the default follows a pool resized at run time, and a
   * reserve given here that no longer fits is clamped so that one connection stays for the lower tiers.
   *
   * @throws IllegalArgumentException if negative; {@link DatabaseMonitor#wrap} refuses one that is not
   *     below the pool's maximum
   */
  public DatabaseMonitorBuilder reserve(int connections) {
    if (connections < 0) {
      throw new IllegalArgumentException("reserve must be 0 (off) or a number of connections, but was "
          + connections);
    }
    this.reserve = connections;
    return this;
  }

  /** The lowest tier that may use the reserve. Default {@link DatabaseMonitor#DEFAULT_RESERVE_FOR}. */
  public DatabaseMonitorBuilder reserveFor(Tier tier) {
    this.reserveFor = Objects.requireNonNull(tier, "reserveFor");
    return this;
  }

  /**
   * The share of connection-time that makes a feature a culprit while the pool is under pressure. Default
   * {@link DatabaseMonitor#DEFAULT_CULPRIT_SHARE}.
   *
   * @throws IllegalArgumentException unless above 0 and at most 1
   */
  public DatabaseMonitorBuilder culpritShare(double share) {
    this.culpritShare = Checks.fraction("culpritShare", share);
    return this;
  }

  /**
   * The mean number of threads waiting for a connection, over the last 2 s, from which the pool is under
   * pressure (and a feature holding {@link #culpritShare} of the connection-time is named a culprit).
   * Default {@link DatabaseMonitor#DEFAULT_CULPRIT_WAITERS}.
   *
   * @throws IllegalArgumentException unless a finite number above 0 (at 0 every tick would be pressure)
   */
  public DatabaseMonitorBuilder culpritWaiters(double waiters) {
    if (!(waiters > 0) || Double.isInfinite(waiters)) {
      throw new IllegalArgumentException("culpritWaiters must be a finite number above 0, but was " + waiters);
    }
    this.culpritWaiters = waiters;
    return this;
  }

  /**
   * The time to acquire a connection (p99 over the window) from which the pool is under pressure. Default
   * {@link DatabaseMonitor#DEFAULT_CULPRIT_ACQUIRE_LATENCY}.
   *
   * @throws IllegalArgumentException unless positive
   */
  public DatabaseMonitorBuilder culpritAcquireLatency(Duration latency) {
    this.culpritAcquireLatency = Checks.positive("culpritAcquireLatency", latency);
    return this;
  }

  /**
   * The query latency (p99 over the window, or the mean age of the running statements if higher) from
   * which the pool is under pressure: slow queries hold their connections long. Default
   * {@link DatabaseMonitor#DEFAULT_CULPRIT_QUERY_LATENCY}.
   *
   * @throws IllegalArgumentException unless positive
   */
  public DatabaseMonitorBuilder culpritQueryLatency(Duration latency) {
    this.culpritQueryLatency = Checks.positive("culpritQueryLatency", latency);
    return this;
  }

  /** Runs a canary query with these settings. Off by default. */
  public DatabaseMonitorBuilder canary(CanaryConfig canary) {
    this.canary = Objects.requireNonNull(canary, "canary");
    return this;
  }

  /**
   * Reads the database's own view of its sessions, locks and connection limit with these settings, and
   * reports the {@code db.server.*} {@link DatabaseSignals}. Off by default.
   */
  public DatabaseMonitorBuilder databaseView(DatabaseViewConfig databaseView) {
    this.databaseView = Objects.requireNonNull(databaseView, "databaseView");
    return this;
  }

  /**
   * Explains the slowest statement of each culprit with these settings, and adds its plan's headline to the
   * culprit's reason ("Seq Scan on notifications, ~200,000 rows"); {@link PlanWatchConfig#off()} turns it
   * off. Default: {@link PlanWatchConfig#ofDefaults()} when a {@link #databaseView} is configured (the
   * EXPLAINs run on its thread, one connection at a time), off otherwise.
   */
  public DatabaseMonitorBuilder planWatch(PlanWatchConfig planWatch) {
    this.planWatch = Objects.requireNonNull(planWatch, "planWatch");
    return this;
  }

  /**
   * Builds the monitor, with a copy of this builder's settings, and adds it to the limp instance's signal
   * sources.
   *
   * @throws IllegalStateException if a {@link #poolProbe pool probe} was given and the reserve is not below
   *     the maximum size it reports
   */
  public DatabaseMonitor build() {
    DatabaseMonitorConfig config = new DatabaseMonitorConfig(window, buckets, reserve, reserveFor, culpritShare,
        culpritWaiters, culpritAcquireLatency, culpritQueryLatency, canary, databaseView,
        planWatch != null ? planWatch : databaseView != null ? PlanWatchConfig.ofDefaults() : PlanWatchConfig.off());
    return new DatabaseMonitor(limp, clock, probe, config);
  }
}

