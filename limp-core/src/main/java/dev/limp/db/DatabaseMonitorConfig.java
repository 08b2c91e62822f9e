package dev.limp.db;

import dev.limp.Tier;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The settings of a {@link DatabaseMonitor}, copied from its {@link DatabaseMonitorBuilder} when it was built:
 * a builder changed afterwards does not change a running monitor. Every value here was validated by the
 * builder's setter. Immutable and thread-safe; read it with {@link DatabaseMonitor#config()}.
 */
public final class DatabaseMonitorConfig {
  private final Duration window;
  private final int windowBuckets;
  private final int reserve;
  private final Tier reserveFor;
  private final double culpritShare;
  private final double culpritWaiters;
  private final Duration culpritAcquireLatency;
  private final Duration culpritQueryLatency;
  private final CanaryConfig canary;
  private final DatabaseViewConfig databaseView;
  private final PlanWatchConfig planWatch;

  DatabaseMonitorConfig(Duration window, int windowBuckets, int reserve, Tier reserveFor,
      double culpritShare, double culpritWaiters, Duration culpritAcquireLatency, Duration culpritQueryLatency,
      CanaryConfig canary, DatabaseViewConfig databaseView, PlanWatchConfig planWatch) {
    this.window = window;
    this.windowBuckets = windowBuckets;
    this.reserve = reserve;
    this.reserveFor = reserveFor;
    this.culpritShare = culpritShare;
    this.culpritWaiters = culpritWaiters;
    this.culpritAcquireLatency = culpritAcquireLatency;
    this.culpritQueryLatency = culpritQueryLatency;
    this.canary = canary;
    this.databaseView = databaseView;
    this.planWatch = planWatch;
  }

  /** The sliding window signals are computed over. Default {@link DatabaseMonitor#DEFAULT_WINDOW}. */
  public Duration window() {
    return window;
  }

  /** How many buckets the window slides by. Default {@link DatabaseMonitor#DEFAULT_WINDOW_BUCKETS}. */
  public int windowBuckets() {
    return windowBuckets;
  }

  /** The length of one bucket of the window, in nanoseconds. */
  public long bucketNanos() {
    return window.toNanos() / windowBuckets;
  }

  /**
   * The connections kept for {@link #reserveFor()} and above; empty for the default,
   * {@link DatabaseMonitor#DEFAULT_RESERVE_FRACTION} of the pool's maximum, rounded down. 0 means no reserve.
   */
  public OptionalInt reserve() {
    return reserve < 0 ? OptionalInt.empty() : OptionalInt.of(reserve);
  }

  /** The lowest tier that may use the reserve. Default {@link DatabaseMonitor#DEFAULT_RESERVE_FOR}. */
  public Tier reserveFor() {
    return reserveFor;
  }

  /** The share of connection-time that makes a feature a culprit. Default {@link DatabaseMonitor#DEFAULT_CULPRIT_SHARE}. */
  public double culpritShare() {
    return culpritShare;
  }

  /**
   * The mean number of threads waiting for a connection (over the last 2 s) from which the pool counts as under
   * pressure. Default {@link DatabaseMonitor#DEFAULT_CULPRIT_WAITERS}.
   */
  public double culpritWaiters() {
    return culpritWaiters;
  }

  /**
   * The acquire latency (p99 over the window) from which the pool counts as under pressure. Default
   * {@link DatabaseMonitor#DEFAULT_CULPRIT_ACQUIRE_LATENCY}.
   */
  public Duration culpritAcquireLatency() {
    return culpritAcquireLatency;
  }

  /**
   * The query latency (p99 over the window, or the mean age of the running statements if higher) from which
   * the pool counts as under pressure. Default {@link DatabaseMonitor#DEFAULT_CULPRIT_QUERY_LATENCY}.
   */
  public Duration culpritQueryLatency() {
    return culpritQueryLatency;
  }

  /** How the database's own view is read; empty when it is not (the default). */
  public Optional<DatabaseViewConfig> databaseView() {
    return Optional.ofNullable(databaseView);
  }

  /**
   * How culprits' slowest statements are explained; {@link PlanWatchConfig#enabled()} is false when they are
   * not (the default without a database view).
   */
  public PlanWatchConfig planWatch() {
    return planWatch;
  }

  /** The canary's settings; empty when no canary runs (the default). */
  public Optional<CanaryConfig> canary() {
    return Optional.ofNullable(canary);
  }

  @Override
  public String toString() {
    return "DatabaseMonitorConfig[window " + window + " in " + windowBuckets + " buckets, reserve "
        + (reserve < 0 ? "default" : Integer.toString(reserve)) + " for " + reserveFor + ", culpritShare "
        + culpritShare + ", culpritWaiters " + culpritWaiters + ", culpritAcquireLatency " + culpritAcquireLatency
        + ", culpritQueryLatency " + culpritQueryLatency + ", canary " + (canary == null ? "off" : canary)
        + ", databaseView " + (databaseView == null ? "off" : databaseView) + ", planWatch " + planWatch + "]";
  }
}
