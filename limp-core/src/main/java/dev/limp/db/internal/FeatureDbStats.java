package dev.limp.db.internal;

import dev.limp.FeatureGuard;
import dev.limp.Tier;

/**
 * One feature's use of the database: how long its connections were held (closed ones in the window, open
 * ones so far) and how long its statements took. Lock-free. Thread-safe.
 */
public final class FeatureDbStats {
  private final String name;
  private final Tier tier;
  final LatencyWindow holds;
  final LatencyWindow statements;
  /** How long each of the feature's acquisitions waited for its connection. */
  final LatencyWindow acquires;
  /** The connections open now, and their acquire times. */
  private final InProgress open = new InProgress();
  /** The feature's statements running now, and their start times. */
  final InProgress running = new InProgress();

  FeatureDbStats(String name, Tier tier, int buckets, long bucketNanos) {
    this.name = name;
    this.tier = tier;
    this.holds = new LatencyWindow(buckets, bucketNanos);
    this.statements = new LatencyWindow(buckets, bucketNanos);
    this.acquires = new LatencyWindow(buckets, bucketNanos);
  }

  static FeatureDbStats of(FeatureGuard guard, int buckets, long bucketNanos) {
    return new FeatureDbStats(guard.name(), guard.tier(), buckets, bucketNanos);
  }

  /** The feature's name, or {@code null} for work that ran outside any guard. */
  public String name() {
    return name;
  }

  /** The feature's tier, or {@code null} for unattributed work. */
  public Tier tier() {
    return tier;
  }

  void opened(long acquiredAt) {
    open.begin(acquiredAt);
  }

  void closed(long acquiredAt, long now) {
    open.end(acquiredAt);
    holds.record(now, now - acquiredAt);
  }

  /** Connections this feature holds now. */
  public long openConnections() {
    return open.count();
  }

  /**
   * Connection-time in milliseconds: the holds that ended within the window plus the time the connections
   * open now have been held so far (a query that has held its connection for a minute counts a minute).
   */
  public double connectionMillis(long now) {
    double openMillis = open.totalAge(now) / 1e6;
    return holds.snapshot(now).sumMillis() + openMillis;
  }

  /** The mean age, in milliseconds, of this feature's statements running now; NaN when none runs. */
  public double runningMeanAgeMillis(long now) {
    long[] countAndAge = new long[2];
    if (!running.addTo(now, countAndAge) || countAndAge[0] == 0) {
      return Double.NaN;
    }
    return countAndAge[1] / (double) countAndAge[0] / 1e6;
  }

  /** The window of this feature's waits for a connection. */
  public LatencyWindow.Snapshot acquires(long now) {
    return acquires.snapshot(now);
  }

  /** The window of this feature's statement latencies. */
  public LatencyWindow.Snapshot statements(long now) {
    return statements.snapshot(now);
  }
}
