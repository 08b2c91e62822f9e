package dev.limp.db.internal;

import dev.limp.Signal;
import dev.limp.Tier;
import dev.limp.SignalSource.Sink;
import dev.limp.db.DatabaseActivity;
import dev.limp.db.DatabaseMonitor;
import dev.limp.db.DatabaseSignals;
import dev.limp.db.PoolProbe;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measures the database's signals at each tick: from the recorder, acquire latency and timeouts, reserve
 * refusals and classified errors; from the pool probe, saturation and the threads waiting for a connection
 * (averaged over 2 s, once the pool has started: see {@link PoolStart}); from the canary, its latency,
 * failures, unreachability and misconfiguration; the query latencies, with the statements of the culprits
 * being dealt with left out; and the critical path's own query and acquire latencies, which the default rules
 * read. Measures only: which features are culprits is
 * {@link CulpritFinder}'s call.
 *
 * <p>{@link #measure} and {@link #putQueryLatency} run on the governor thread only (one tick at a time); the
 * probe and the canary may be set from any thread.
 */
public final class SignalMeter {
  /** Logged under the monitor's name: the category operators already configure. */
  private static final Logger LOG = LoggerFactory.getLogger(DatabaseMonitor.class);
  /** The span the waiters are averaged over. */
  private static final long WAITERS_SPAN = TimeUnit.SECONDS.toNanos(2);
  private static final long PROBE_WARNING_INTERVAL = TimeUnit.MINUTES.toNanos(1);

  /**
   * What one tick measured that naming culprits needs. Query latencies are of every statement, the culprits'
   * included.
   *
   * @param now the recorder's time of the tick
   * @param statements every statement in the window
   * @param queryP99 the p99 of {@code statements}, or the mean age of the running statements if higher
   * @param acquireP99 the p99 of the acquire latencies in the window, ms
   * @param acquireTimeouts the failed acquisitions in the window
   * @param refusals the connections the reserve refused in the window
   * @param waiters the mean of the threads waiting for a connection over 2 s; NaN without a probe's reading
   * @param maxWaiters the most threads seen waiting in those 2 s
   */
  public record Readings(long now, LatencyWindow.Snapshot statements, double queryP99, double acquireP99,
      long acquireTimeouts, long refusals, double waiters, long maxWaiters) {
  }

  private final String limpName;
  private final JdbcRecorder recorder;
  private final ConnectionReserve reserve;
  private final Deque<long[]> waiterSamples = new ArrayDeque<>(); // governor thread only
  private long lastProbeWarning = Long.MIN_VALUE; // governor thread only
  private final PoolStart start;
  private volatile PoolProbe probe;
  private volatile IntSupplier warmSize = () -> 1;
  private volatile CanaryReadings canary;

  public SignalMeter(String limpName, JdbcRecorder recorder, ConnectionReserve reserve) {
    this.limpName = limpName;
    this.recorder = recorder;
    this.reserve = reserve;
    this.start = new PoolStart(limpName, recorder, reserve);
  }

  /** The pool probe in use, or {@code null}. */
  public PoolProbe probe() {
    return probe;
  }

  /**
   * Starts reading the pool through {@code probe}; the pool counts as starting (see {@link PoolStart}) until
   * it holds {@code warmSize} connections with no thread waiting, which may be so already.
   */
  public void probe(PoolProbe probe, IntSupplier warmSize) {
    this.warmSize = warmSize;
    this.probe = probe;
    start.watch();
    try {
      start.observe(probe.sample(), warmSize.getAsInt(), recorder.now(), probe.toString());
    } catch (RuntimeException e) {
      // read again at the next tick, where a failing probe is logged
    }
  }

  public void canary(CanaryReadings canary) {
    this.canary = canary;
  }

  /**
   * Puts every signal but the query latencies ({@link #putQueryLatency} puts those, once the culprits are
   * known), and returns what culprit naming needs. A probe that fails is logged at most once a minute; its
   * signals are then missing for the tick.
   */
  public Readings measure(Sink sink) {
    return measure(sink, sink);
  }

  /** The signals the pool's pressure shows in, which a culprit still in the pool explains. */
  public static final Set<Signal> POOL_PRESSURE = Set.of(DatabaseSignals.ACQUIRE_P99,
      DatabaseSignals.CRITICAL_ACQUIRE_P99,
      DatabaseSignals.ACQUIRE_TIMEOUTS, DatabaseSignals.RESERVE_REFUSALS, DatabaseSignals.POOL_SATURATION,
      DatabaseSignals.POOL_WAITERS);

  /**
   * {@link #measure(Sink)}, with the {@link #POOL_PRESSURE} signals put on {@code poolSink} (so that the monitor
   * can hold them back while a culprit still in the pool explains them) and the others on {@code sink}.
   */
  public Readings measure(Sink sink, Sink poolSink) {
    long now = recorder.now();
    LatencyWindow.Snapshot statements = recorder.statements();
    double queryP99 = queryP99(statements, recorder.runningMeanAgeMillis());
    LatencyWindow.Snapshot acquires = recorder.acquires();
    double acquireP99 = acquires.percentileMillis(0.99);
    long timeouts = recorder.acquireFailuresUnanswered();
    poolSink.put(DatabaseSignals.ACQUIRE_P99, acquireP99);
    Predicate<FeatureDbStats> critical = criticalPath();
    poolSink.put(DatabaseSignals.CRITICAL_ACQUIRE_P99, recorder.acquiresOf(critical).percentileMillis(0.99));
    sink.put(DatabaseSignals.CRITICAL_QUERY_P99,
        queryP99(recorder.statementsOf(critical), recorder.runningMeanAgeMillisOf(critical)));
    poolSink.put(DatabaseSignals.ACQUIRE_TIMEOUTS, timeouts);
    long refusals = recorder.refusals();
    poolSink.put(DatabaseSignals.RESERVE_REFUSALS, refusals);
    sink.put(DatabaseSignals.LOCK_ERRORS, recorder.errors(SqlErrorKind.LOCK));
    sink.put(DatabaseSignals.TIMEOUT_ERRORS, recorder.errors(SqlErrorKind.TIMEOUT));
    sink.put(DatabaseSignals.CONNECTION_ERRORS, recorder.errors(SqlErrorKind.CONNECTION));

    double waiters = Double.NaN;
    long maxWaiters = 0;
    PoolProbe p = probe;
    if (p != null) {
      try {
        PoolProbe.PoolSnapshot pool = p.sample();
        poolSink.put(DatabaseSignals.POOL_SATURATION, pool.saturation());
        reserve.poolMaximum(pool.maximum()); // follows a pool resized at run time; never throws
        start.observe(pool, warmSize.getAsInt(), now, p.toString());
        if (start.starting()) { // threads waiting for the pool's first connects are not pressure
          waiterSamples.clear(); // nor are those of before a start again, after an outage
        } else {
          waiterSamples.addLast(new long[] {now, pool.waiting()});
        }
        while (waiterSamples.size() > 1 && now - waiterSamples.peekFirst()[0] > WAITERS_SPAN) {
          waiterSamples.removeFirst();
        }
        long sum = 0;
        for (long[] sample : waiterSamples) {
          sum += sample[1];
          maxWaiters = Math.max(maxWaiters, sample[1]);
        }
        waiters = waiterSamples.isEmpty() ? Double.NaN : sum / (double) waiterSamples.size();
        poolSink.put(DatabaseSignals.POOL_WAITERS, waiters);
      } catch (RuntimeException e) {
        if (lastProbeWarning == Long.MIN_VALUE || now - lastProbeWarning > PROBE_WARNING_INTERVAL) {
          lastProbeWarning = now;
          LOG.warn("limp[{}]: pool probe {} failed; its signals are missing (logged at most once a minute)",
              limpName, p, e);
        }
      }
    }
    CanaryReadings c = canary;
    if (c != null) {
      sink.put(DatabaseSignals.CANARY_LATENCY, c.latencyMillis(now));
      sink.put(DatabaseSignals.CANARY_FAILURES, c.failures(now));
      sink.put(DatabaseSignals.CANARY_UNREACHABLE, c.unreachable(now));
      sink.put(DatabaseSignals.CANARY_MISCONFIGURED, c.misconfigured() ? 1 : 0);
    }
    return new Readings(now, statements, queryP99, acquireP99, timeouts, refusals, waiters, maxWaiters);
  }

  /**
   * The critical path: the features at or above the reserve's tier, and work outside any feature (which limp
   * cannot shed, so it counts as what the application must keep). A culprit is never on it.
   */
  private Predicate<FeatureDbStats> criticalPath() {
    Tier reserveFor = reserve.reserveFor();
    return f -> f.tier() == null || f.tier().compareTo(reserveFor) <= 0;
  }

  /**
   * Puts the query latencies, leaving out the statements of the {@code excluded} features (by name) unless
   * nothing else ran: then the culprits' statements are all there is to read.
   */
  public void putQueryLatency(Sink sink, Readings readings, Set<String> excluded) {
    LatencyWindow.Snapshot others = excluded.isEmpty() ? readings.statements() : recorder.statements(excluded);
    double othersRunning = excluded.isEmpty() ? Double.NaN : recorder.runningMeanAgeMillis(excluded);
    if (excluded.isEmpty() || (others.count() == 0 && Double.isNaN(othersRunning))) {
      sink.put(DatabaseSignals.QUERY_P99, readings.queryP99());
      sink.put(DatabaseSignals.QUERY_P50, readings.statements().percentileMillis(0.50));
    } else {
      sink.put(DatabaseSignals.QUERY_P99, queryP99(others, othersRunning));
      sink.put(DatabaseSignals.QUERY_P50, others.percentileMillis(0.50));
    }
  }

  /** What the monitor has seen, read now; {@code culprits} as the {@link CulpritFinder} reports them. */
  public DatabaseActivity activity(Set<String> culprits) {
    LatencyWindow.Snapshot statements = recorder.statements();
    LatencyWindow.Snapshot acquires = recorder.acquires();
    return new DatabaseActivity(recorder.connectionsInUse(), statements.count(), statements.percentileMillis(0.99),
        statements.percentileMillis(0.50), acquires.count(), acquires.percentileMillis(0.99),
        recorder.acquireFailures().count(), recorder.refusals(), recorder.errors(SqlErrorKind.LOCK),
        recorder.errors(SqlErrorKind.TIMEOUT), recorder.errors(SqlErrorKind.CONNECTION), culprits,
        connectionsByFeature());
  }

  private Map<String, Long> connectionsByFeature() {
    Map<String, Long> held = new TreeMap<>();
    for (FeatureDbStats f : recorder.features()) {
      long open = f.openConnections();
      if (f.name() != null && open > 0) {
        held.put(f.name(), open);
      }
    }
    return held;
  }

  /** The query-latency signal: the p99 of the window, or the mean age of the running statements if higher. */
  private static double queryP99(LatencyWindow.Snapshot statements, double runningMeanAgeMillis) {
    double p99 = statements.percentileMillis(0.99);
    return Double.isNaN(runningMeanAgeMillis) || runningMeanAgeMillis <= p99 ? p99 : runningMeanAgeMillis;
  }
}
