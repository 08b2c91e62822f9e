package dev.limp.db.internal;

import dev.limp.FeatureGuard;
import dev.limp.LimpClock;
import dev.limp.db.StatementListener;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the monitored JDBC objects report to: connection acquire time and failures, statement time, hold
 * time and classified errors, each attributed to the feature running on the calling thread. Recording is
 * lock-free; it allocates nothing per statement or connection (a window allocates one bucket when it slides
 * into a new second, and a feature's stats are created the first time it is seen). Thread-safe.
 */
public final class JdbcRecorder {
  /** The feature whose work runs on the calling thread, or {@code null}; must not allocate. */
  @FunctionalInterface
  public interface CurrentFeature {
    FeatureGuard get();
  }

  private static final Logger LOG = LoggerFactory.getLogger(JdbcRecorder.class);

  private final LimpClock clock;
  private final CurrentFeature current;
  /** The statement listeners: the hot path reads one volatile array when there are none. */
  private final CopyOnWriteArrayList<StatementListener> listeners = new CopyOnWriteArrayList<>();
  private final int buckets;
  private final long bucketNanos;
  private final long origin;
  /** Failed acquisitions: the pool's timeouts, and the refusals the database may since have answered. */
  private final AcquireFailures acquireFailures;
  private final Map<SqlErrorKind, LatencyWindow> errors = new EnumMap<>(SqlErrorKind.class);
  private final Map<FeatureGuard, FeatureDbStats> byFeature = new ConcurrentHashMap<>();
  private final Function<FeatureGuard, FeatureDbStats> newStats;
  private final FeatureDbStats unattributed;
  private final AtomicInteger inUse = new AtomicInteger();
  private final LongAdder acquiredTotal = new LongAdder();
  /** The monitored connections handed out and not yet released, for {@link #reclaimClosedElsewhere()}. */
  private final Set<MonitoredConnection> open = ConcurrentHashMap.newKeySet();
  /** Acquisitions that began before this time were the pool's own start ({@link PoolStart}); none by default. */
  private volatile long poolStartEnded = Long.MIN_VALUE;
  final LatencyWindow refusals;

  public JdbcRecorder(LimpClock clock, CurrentFeature current, int buckets, long bucketNanos) {
    this.clock = clock;
    this.current = current;
    this.buckets = buckets;
    this.bucketNanos = bucketNanos;
    this.origin = clock.nanoTime();
    this.acquireFailures = new AcquireFailures(buckets, bucketNanos);
    this.refusals = new LatencyWindow(buckets, bucketNanos);
    for (SqlErrorKind kind : SqlErrorKind.values()) {
      errors.put(kind, new LatencyWindow(buckets, bucketNanos));
    }
    this.newStats = guard -> FeatureDbStats.of(guard, buckets, bucketNanos);
    this.unattributed = new FeatureDbStats(null, null, buckets, bucketNanos);
  }

  /** Now, on the recorder's own scale (nanoseconds since it was created): small enough to multiply. */
  public long now() {
    return clock.nanoTime() - origin;
  }

  /** The stats of the feature running on this thread. */
  public FeatureDbStats currentStats() {
    return statsOf(current.get());
  }

  /** The stats of a feature; the unattributed ones for {@code null}. */
  public FeatureDbStats statsOf(FeatureGuard guard) {
    if (guard == null) {
      return unattributed;
    }
    FeatureDbStats stats = byFeature.get(guard);
    return stats != null ? stats : byFeature.computeIfAbsent(guard, newStats);
  }

  /** The feature running on this thread, or {@code null}. */
  public FeatureGuard currentFeature() {
    return current.get();
  }

  /**
   * Counts a connection about to be acquired, unless that would take more than {@code limit} connections
   * (the pool's maximum less the reserve, for features that may not use the reserve). Exact for the
   * connections handed out through the monitored DataSource, without a lock.
   *
   * @return whether the connection may be acquired; if so, {@link #acquired} or {@link #acquireFailed}
   *     must follow
   */
  public boolean enter(int limit) {
    if (inUse.incrementAndGet() > limit) {
      inUse.decrementAndGet();
      return false;
    }
    return true;
  }

  void acquired(FeatureDbStats owner, long start, long now) {
    acquiredTotal.increment();
    // two volatile reads of fields rarely written: a wait for the pool's first connects, or one that began
    // while the database refused connections, is not the pool's pressure
    if (acquireFailures.succeeded(start, now) && start >= poolStartEnded) {
      owner.acquires.record(now, now - start);
    }
    owner.opened(now);
  }

  /** The pool is starting: acquisitions that begin from now on are not timed, until {@link #poolStarted}. */
  void poolStarting() {
    poolStartEnded = Long.MAX_VALUE;
  }

  /** The pool has started at {@code now}: acquisitions that begin from then on are timed. */
  void poolStarted(long now) {
    poolStartEnded = now;
  }

  void acquireFailed(long start, long now, SQLException e) {
    inUse.decrementAndGet();
    acquireFailures.failed(start, now, e);
    errors.get(SqlErrorKind.of(e)).record(now, 0);
  }

  void released(FeatureDbStats owner, long acquiredAt, long now) {
    inUse.decrementAndGet();
    owner.closed(acquiredAt, now);
  }

  void opened(MonitoredConnection connection) {
    open.add(connection);
  }

  void forgotten(MonitoredConnection connection) {
    open.remove(connection);
  }

  /**
   * Releases the connections that were closed without limp seeing it: through a driver's back-reference
   * ({@code resultSet.getStatement().getConnection().close()}, the metadata's connection), an unwrapped
   * pool proxy, or an abort. The pool has them back, so they no longer count as in use, for the reserve or
   * for hold time. Called once a tick.
   *
   * @return how many were released here
   */
  public int reclaimClosedElsewhere() {
    int reclaimed = 0;
    for (MonitoredConnection c : open) {
      if (c.releaseIfClosedElsewhere()) {
        reclaimed++;
      }
    }
    return reclaimed;
  }

  /**
   * A statement of {@code feature} (from {@link #currentStats()}) starts executing: returns its start time,
   * and counts it as running until {@link #finished}.
   */
  long started(FeatureDbStats feature) {
    long start = now();
    feature.running.begin(start);
    return start;
  }

  /** A statement started at {@code start} stopped running (whatever the outcome). */
  void finished(FeatureDbStats feature, long start) {
    feature.running.end(start);
  }

  /**
   * The mean age, in milliseconds, of the statements running now; NaN when none runs. A slow query is seen
   * while it runs, not only once it has finished.
   */
  public double runningMeanAgeMillis() {
    return runningMeanAgeMillis(Set.of());
  }

  /** {@link #runningMeanAgeMillis()} of the statements of every feature but the {@code excluded} ones. */
  public double runningMeanAgeMillis(Set<String> excluded) {
    return runningMeanAgeMillisOf(f -> f.name() == null || !excluded.contains(f.name()));
  }

  /** {@link #runningMeanAgeMillis()} of the statements of the features {@code which} accepts. */
  public double runningMeanAgeMillisOf(Predicate<FeatureDbStats> which) {
    long now = now();
    long[] countAndAge = new long[2];
    boolean read = true;
    for (FeatureDbStats f : features()) {
      if (which.test(f)) {
        read &= f.running.addTo(now, countAndAge);
      }
    }
    // a feature whose statements could not be read would make the mean of the others: no reading instead
    return !read || countAndAge[0] == 0 ? Double.NaN : countAndAge[1] / (double) countAndAge[0] / 1e6;
  }

  /** A connection was refused because it would have dipped into the reserve. */
  public void refused() {
    refusals.record(now(), 0);
  }

  /** Connections refused by the reserve in the window. */
  public long refusals() {
    return refusals.snapshot(now()).count();
  }

  /**
   * Records a statement's time once, in the window of the feature running it ({@link #statements()} merges
   * them), and tells the statement listeners, if any, of its text ({@code null} when unknown).
   */
  void executed(FeatureDbStats feature, long start, long now, String sql) {
    feature.statements.record(now, now - start);
    if (!listeners.isEmpty()) { // the one check the hot path pays when nobody listens
      tell(feature, sql, now - start);
    }
  }

  void failed(FeatureDbStats feature, long start, long now, String sql, SQLException e) {
    executed(feature, start, now, sql);
    errors.get(SqlErrorKind.of(e)).record(now, 0);
  }

  private void tell(FeatureDbStats feature, String sql, long nanos) {
    if (sql == null) {
      return;
    }
    for (StatementListener listener : listeners) {
      try {
        listener.executed(sql, feature.name(), nanos);
      } catch (RuntimeException e) {
        LOG.warn("limp: statement listener {} failed on a statement of {}; the statement is unaffected",
            listener, feature.name() == null ? "no feature" : feature.name(), e);
      }
    }
  }

  /** Adds a listener told of every statement from now on. */
  public void addStatementListener(StatementListener listener) {
    listeners.add(listener);
  }

  /** Removes a listener (its first registration); no-op if it is not registered. */
  public void removeStatementListener(StatementListener listener) {
    listeners.remove(listener);
  }

  /** Undoes {@link #enter} after an acquisition failed with something other than an SQLException. */
  public void abandoned() {
    inUse.decrementAndGet();
  }

  /** Connections acquired since the recorder was made: evidence that the database answers. */
  public long acquiredTotal() {
    return acquiredTotal.sum();
  }

  /** Connections handed out through the monitored DataSource and not yet closed. */
  public int connectionsInUse() {
    return Math.max(0, inUse.get());
  }

  // ---------------------------------------------------------------- reading

  /** Every statement in the window, whichever feature ran it: the features' windows merged. */
  public LatencyWindow.Snapshot statements() {
    return statements(Set.of());
  }

  /** The statements in the window of every feature but the {@code excluded} ones (by name). */
  public LatencyWindow.Snapshot statements(Set<String> excluded) {
    return statementsOf(f -> f.name() == null || !excluded.contains(f.name()));
  }

  /** The statements in the window of the features {@code which} accepts (the unattributed work among them). */
  public LatencyWindow.Snapshot statementsOf(Predicate<FeatureDbStats> which) {
    return merged(which, FeatureDbStats::statements);
  }

  /** Every acquisition's wait in the window, whichever feature acquired: the features' windows merged. */
  public LatencyWindow.Snapshot acquires() {
    return acquiresOf(f -> true);
  }

  /** The acquisitions' waits in the window of the features {@code which} accepts. */
  public LatencyWindow.Snapshot acquiresOf(Predicate<FeatureDbStats> which) {
    return merged(which, FeatureDbStats::acquires);
  }

  /** One window of each feature {@code which} accepts, read now and merged. */
  private LatencyWindow.Snapshot merged(Predicate<FeatureDbStats> which,
      BiFunction<FeatureDbStats, Long, LatencyWindow.Snapshot> window) {
    long now = now();
    LatencyWindow.Snapshot all = LatencyWindow.Snapshot.EMPTY;
    for (FeatureDbStats f : features()) {
      if (which.test(f)) {
        all = all.plus(window.apply(f, now));
      }
    }
    return all;
  }

  /** Whether the database refuses connections now: it has refused one and given none since. */
  public boolean refusingConnections() {
    return acquireFailures.refusing();
  }

  /** Every failed acquisition in the window, refused by the database or timed out in the pool. */
  public LatencyWindow.Snapshot acquireFailures() {
    return acquireFailures.all(now());
  }

  /**
   * The failed acquisitions in the window that still say something about the database now: every pool
   * timeout of a caller that began waiting after the database last answered, and the acquisitions the
   * database refused (with the pool timeouts of callers queued while it refused) unless it has answered them
   * since (see {@link AnsweredFailures}): after an outage they stop counting two seconds after the first
   * connection, instead of a whole window later.
   */
  public long acquireFailuresUnanswered() {
    return acquireFailures.unanswered(now());
  }

  /** How many errors of a kind the window holds. */
  public long errors(SqlErrorKind kind) {
    return errors.get(kind).snapshot(now()).count();
  }

  /** Every attributed feature's stats, and the unattributed ones last. */
  public List<FeatureDbStats> features() {
    List<FeatureDbStats> all = new ArrayList<>(byFeature.values());
    all.add(unattributed);
    return all;
  }

  public int buckets() {
    return buckets;
  }

  public long bucketNanos() {
    return bucketNanos;
  }
}
