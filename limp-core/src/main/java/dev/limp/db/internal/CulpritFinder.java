package dev.limp.db.internal;

import dev.limp.FeatureState;
import dev.limp.Limp;
import dev.limp.OperatorOverride;
import dev.limp.SignalSource.Sink;
import dev.limp.Tier;
import java.time.Duration;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Names <em>culprits</em>: the features below the reserve's tiers that hold a disproportionate share of
 * connection-time while the pool is under pressure. It reports them to the governor as suspects, with a
 * reason for people, and remembers them until the governor has let them fully back in, so that their own
 * statements can be left out of the query-latency signals while they are dealt with. Names only: the
 * governor decides what to do with a suspect.
 *
 * <p>{@link #name} and {@link #beingDealtWith} run on the governor thread only; {@link #current} may be read
 * from any thread.
 */
public final class CulpritFinder {
  /** A culprit is only named when at least this share of the pool is in use now. */
  private static final double MIN_BUSY_FRACTION = 0.5;

  private final Limp limp;
  private final JdbcRecorder recorder;
  private final ConnectionReserve reserve;
  private final double windowMillis;
  private final double share;
  private final double waiters;
  private final double acquireMillis;
  private final double queryMillis;
  /** Culprits named and not yet let fully back in ({@link #beingDealtWith}). */
  private final Set<String> culprits = ConcurrentHashMap.newKeySet();
  /** Culprits let fully back in, and when (recorder time): their statements are left out a window more. */
  private final Map<String, Long> released = new ConcurrentHashMap<>();
  private final long windowNanos;

  /**
   * @param share the share of connection-time that makes a feature a culprit under pressure
   * @param waiters the mean threads waiting for a connection from which the pool is under pressure
   * @param acquireLatency the acquire p99 from which the pool is under pressure
   * @param queryLatency the query p99 (or mean age of running statements) from which the pool is under pressure
   */
  public CulpritFinder(Limp limp, JdbcRecorder recorder, ConnectionReserve reserve, Duration window,
      double share, double waiters, Duration acquireLatency, Duration queryLatency) {
    this.limp = limp;
    this.recorder = recorder;
    this.reserve = reserve;
    this.windowMillis = window.toNanos() / 1e6;
    this.windowNanos = window.toNanos();
    this.share = share;
    this.waiters = waiters;
    this.acquireMillis = acquireLatency.toNanos() / 1e6;
    this.queryMillis = queryLatency.toNanos() / 1e6;
  }

  /**
   * Names the features that hold a disproportionate share of connection-time while the pool is under
   * pressure, each as a suspect on the sink. Pressure: threads wait for a connection, acquiring one is slow,
   * acquisitions time out, the reserve refuses connections (sheddable work wants more than it may have), or
   * queries are slow while the lower tiers' share of the pool is nearly used up (so the connections are held
   * long: the bad-plan incident, before the pool runs out). Slow queries in a pool with slack are not
   * pressure: a slower database that still answers in time throttles nothing.
   * And the pool must really be busy now: at least half of it in use, so that one noisy acquire does not make
   * the feature with the most (fast) calls a culprit, and the window's memory of an incident that has ended
   * (its acquire waits, its refusals) does not name whoever holds the one connection in use afterwards.
   *
   * @return the names of the features named at this tick
   */
  public Set<String> name(Sink sink, SignalMeter.Readings r) {
    double queryP99 = r.queryP99();
    double acquireP99 = r.acquireP99();
    long timeouts = r.acquireTimeouts();
    long refusals = r.refusals();
    long now = r.now();
    double total = 0;
    for (FeatureDbStats f : recorder.features()) {
      total += f.connectionMillis(now);
    }
    if (total <= 0) {
      return Set.of();
    }
    int maximum = reserve.poolMaximum();
    double busyNow = maximum > 0 ? recorder.connectionsInUse() / (double) maximum : 1;
    double busy = maximum > 0 ? Math.max(total / (maximum * windowMillis), busyNow) : 1;
    boolean slowQueries = !Double.isNaN(queryP99) && queryP99 >= queryMillis && slackGone(busy, maximum);
    boolean pressure = (!Double.isNaN(r.waiters()) && r.waiters() >= waiters)
        || (!Double.isNaN(acquireP99) && acquireP99 >= acquireMillis)
        || timeouts > 0 || refusals > 0 || slowQueries;
    if (!pressure || busyNow < MIN_BUSY_FRACTION) {
      return Set.of();
    }
    Tier reserveFor = reserve.reserveFor();
    Set<String> named = new HashSet<>();
    int inUse = recorder.connectionsInUse();
    for (FeatureDbStats f : recorder.features()) {
      if (f.tier() == null || f.tier().compareTo(reserveFor) <= 0) {
        continue;
      }
      // over the window, or now: a culprit whose slow statements have just filled the pool is named at once,
      // in the tick the first thread waits, not after its connection-time has outgrown the window's history
      double heldNow = inUse > 0 ? f.openConnections() / (double) inUse : 0;
      double held = Math.max(f.connectionMillis(now) / total, heldNow);
      if (held >= share) {
        String pressureText = r.maxWaiters() > 0 ? "while " + count(r.maxWaiters(), "thread") + " waited"
            : timeouts > 0 ? "while " + count(timeouts, "connection request") + " timed out"
            : refusals > 0 ? "while the reserve refused " + count(refusals, "connection")
            : slowQueries ? String.format(Locale.ROOT, "while queries took %.0f ms (p99)", queryP99)
            : String.format(Locale.ROOT, "while acquiring a connection took %.0f ms (p99)", acquireP99);
        sink.suspect(f.name(), String.format(Locale.ROOT, "%s held %.0f %% of connection-time %s", f.name(),
            held * 100, pressureText), (int) Math.min(Integer.MAX_VALUE, f.openConnections()));
        named.add(f.name());
      }
    }
    return named;
  }

  /**
   * Whether the tiers below the reserve's have (nearly) used up their share of the pool, now or over the
   * window: at most one of their connections free. Without a known maximum, slack cannot be read: assumed gone.
   */
  private boolean slackGone(double busy, int maximum) {
    int share = reserve.lowerTiersShare();
    return maximum <= 0 || share <= 0 || busy * maximum >= share - 1;
  }

  /**
   * Whether a culprit being dealt with still holds connections: then the pool's pressure is its doing, and
   * the level does not rise for it. "Out of the pool" means the culprit holds no connection (limp counts
   * each feature's open connections as it hands them out and they are closed).
   */
  public boolean culpritStillInThePool(Set<String> dealtWith) {
    for (FeatureDbStats f : recorder.features()) {
      if (f.name() != null && dealtWith.contains(f.name()) && culprits.contains(f.name())
          && f.openConnections() > 0) { // a culprit already let back in explains nothing
        return true;
      }
    }
    return false;
  }

  /**
   * The culprits whose own statements are left out of the query-latency signals: the features named here,
   * from the tick one is named until the governor has let it fully back in (active again, after the ramp).
   * Their slowness is evidence about them, and they are being dealt with (shed, or probed through the ramp),
   * so the level rises only if the other features' statements are slow too. Not while an operator pins the
   * culprit on or forces a level: then nobody is dealing with it, and its statements count.
   *
   * @param named the features named at this tick ({@link #name})
   */
  public Set<String> beingDealtWith(Set<String> named) {
    return beingDealtWith(named, recorder.now());
  }

  /**
   * {@link #beingDealtWith(Set)} at {@code now}: a culprit let fully back in stays left out of the query
   * latencies for one window more, until its slow statements of the incident have left the window (otherwise
   * they would raise the level, and shed the innocent features, just after the incident ended).
   */
  public Set<String> beingDealtWith(Set<String> named, long now) {
    culprits.addAll(named);
    named.forEach(released::remove);
    released.values().removeIf(at -> now - at >= windowNanos);
    if (culprits.isEmpty() && released.isEmpty()) {
      return Set.of();
    }
    culprits.removeIf(feature -> {
      boolean back = !named.contains(feature) && limp.findGuard(feature)
          .map(g -> g.state() == FeatureState.ACTIVE && !g.wouldShed()).orElse(true);
      if (back) {
        released.put(feature, now);
      }
      return back;
    });
    Set<String> excluded = new HashSet<>(culprits);
    excluded.addAll(released.keySet());
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

  /** The culprits named and not yet let fully back in, operators' pins included; a copy. */
  public Set<String> current() {
    return Set.copyOf(culprits);
  }

  /** "1 connection", "3 connections": the reason is read by people. */
  private static String count(long n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }
}
