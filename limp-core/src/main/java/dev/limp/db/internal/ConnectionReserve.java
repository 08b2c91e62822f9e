package dev.limp.db.internal;

import dev.limp.FeatureGuard;
import dev.limp.FeatureShedException;
import dev.limp.Limp;
import dev.limp.ShedCause;
import dev.limp.ShedReason;
import dev.limp.Tier;
import dev.limp.db.DatabaseMonitor;
import dev.limp.db.PoolProbe;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection reserve: the last connections of the pool are kept for the tiers at or above
 * {@code reserveFor}; a feature below them that would take one is refused at once, with a
 * {@link FeatureShedException} (cause {@link ShedCause#RESERVE}), instead of waiting out the pool's
 * connection timeout. In shadow mode nothing is refused. The reserve is sized from the pool's maximum,
 * once known, and again whenever the probe reports a new one (see {@link #poolMaximum(int)}).
 *
 * <p>Thread-safe: {@link #enter} runs on the JDBC hot path of every thread; it takes no lock and allocates
 * nothing unless it refuses.
 */
public final class ConnectionReserve {
  /** Logged under the monitor's name: the category operators already configure. */
  private static final Logger LOG = LoggerFactory.getLogger(DatabaseMonitor.class);
  /** How long a refused caller is told to wait before trying again. */
  private static final Duration RETRY_AFTER = Duration.ofMillis(250);

  private final Limp limp;
  private final JdbcRecorder recorder;
  /** The connections to keep; negative for {@link DatabaseMonitor#DEFAULT_RESERVE_FRACTION} of the pool. */
  private final int reserve;
  private final Tier reserveFor;
  private volatile int limitForRestricted = Integer.MAX_VALUE;
  private volatile int poolMaximum = -1;
  private volatile int kept; // written under the governor thread (and at wrap), like poolMaximum
  private volatile boolean poolStarting;

  /**
   * @param reserve the connections to keep, or a negative number for
   *     {@link DatabaseMonitor#DEFAULT_RESERVE_FRACTION} of the pool's maximum
   */
  public ConnectionReserve(Limp limp, JdbcRecorder recorder, int reserve, Tier reserveFor) {
    this.limp = limp;
    this.recorder = recorder;
    this.reserve = reserve;
    this.reserveFor = reserveFor;
  }

  /**
   * Counts a connection about to be acquired for {@code feature} (running on this thread), or refuses it if
   * it would take one of the reserve's connections. If it returns, {@code MonitoredConnection.acquire} or
   * {@code acquireFailed} (or {@link JdbcRecorder#abandoned}) must follow.
   *
   * @throws FeatureShedException if the connection is refused
   */
  public void enter(FeatureGuard feature) {
    int limit = connectionLimit(feature);
    if (!recorder.enter(limit)) {
      recorder.refused();
      throw refusal(feature, limit);
    }
  }

  /** How many connections the feature may hold in all, counting everyone's. */
  int connectionLimit(FeatureGuard feature) {
    if (feature == null || feature.tier().compareTo(reserveFor) <= 0 || limp.isShadowMode()) {
      // shadow mode sheds nothing, the reserve included
      return Integer.MAX_VALUE;
    }
    return limitForRestricted;
  }

  private FeatureShedException refusal(FeatureGuard feature, int limit) {
    int maximum = poolMaximum;
    return new FeatureShedException(new ShedReason(feature.name(), limp.level(), ShedCause.RESERVE,
        limit + " of " + maximum + " connections are in use; the last " + (maximum - limit) + " are kept for "
            + reserveFor + " and above", RETRY_AFTER));
  }

  /**
   * Sizes the reserve from the pool's maximum as the probe reports it now, when the monitor starts watching
   * the pool: a reserve given explicitly must fit. A probe that fails is logged, and the reserve stays off
   * until it answers.
   *
   * @throws IllegalStateException if the reserve is not below the pool's maximum
   */
  public void sizeFrom(PoolProbe probe) {
    int maximum;
    try {
      maximum = probe.sample().maximum();
    } catch (RuntimeException e) {
      LOG.warn("limp[{}]: pool probe {} failed; the reserve is off until it answers", limp.name(), probe, e);
      return;
    }
    if (maximum > 0 && reserve >= maximum) {
      throw new IllegalStateException("reserve must be below the pool's maximum size (" + maximum
          + " connections), but was " + reserve + "; lower the reserve or grow the pool");
    }
    poolMaximum(maximum);
  }

  /**
   * Sizes the reserve for a pool of {@code maximum} connections, unless that is the size already known or no
   * size at all (0 or less). Called at every tick with the size the probe reports, so a pool resized at run
   * time (HikariCP's {@code setMaximumPoolSize}) is followed, and never refuses: the default reserve stays
   * {@link DatabaseMonitor#DEFAULT_RESERVE_FRACTION} of the new size; a reserve given explicitly that no
   * longer fits is clamped so that one connection stays for the tiers below {@code reserveFor} (none is kept
   * for a pool of one), and applies in full again once the pool is large enough. Each change is one log line.
   */
  public void poolMaximum(int maximum) {
    int before = poolMaximum;
    if (maximum == before || maximum <= 0) {
      return;
    }
    int kept = keptFor(maximum);
    poolMaximum = maximum;
    this.kept = kept;
    applyLimit();
    if (before < 0) {
      if (kept > 0) {
        LOG.info("limp[{}]: {} of {} connections are kept for {} and above", limp.name(), kept, maximum,
            reserveFor);
      }
      return;
    }
    String rule = reserve < 0 ? "a fifth of the pool, rounded down"
        : kept < reserve ? "the reserve of " + reserve + " does not fit, so one connection stays for lower tiers"
        : "the reserve of " + reserve;
    LOG.info("limp[{}]: the pool's maximum changed from {} to {} connections: {} kept for {} and above ({})",
        limp.name(), before, maximum, kept, reserveFor, rule);
  }

  /**
   * While the pool starts ({@link PoolStart}), callers waiting for its first connects hold no connection
   * anyone else wants: the reserve refuses nothing until it has started.
   */
  void poolStarting(boolean starting) {
    poolStarting = starting;
    applyLimit();
  }

  private void applyLimit() {
    int maximum = poolMaximum;
    int k = kept;
    limitForRestricted = poolStarting || k == 0 || maximum <= 0 ? Integer.MAX_VALUE : maximum - k;
  }

  /** The connections kept in a pool of {@code maximum}: the configured reserve, clamped to leave one. */
  private int keptFor(int maximum) {
    int wanted = reserve >= 0 ? reserve : (int) Math.floor(maximum * DatabaseMonitor.DEFAULT_RESERVE_FRACTION);
    return Math.max(0, Math.min(wanted, maximum - 1));
  }

  /**
   * How many of the pool's connections the tiers below {@link #reserveFor} may hold: the maximum less the
   * reserve; -1 before the pool's maximum is known.
   */
  public int lowerTiersShare() {
    int maximum = poolMaximum;
    return maximum <= 0 ? -1 : maximum - kept;
  }

  /** The pool's maximum as last reported, or -1 before it is known. */
  public int poolMaximum() {
    return poolMaximum;
  }

  /** The connections kept for the reserve's tiers now; 0 before the pool's size is known. */
  public int kept() {
    return kept;
  }

  /** The lowest tier that may use the reserve: features at or above it are never refused. */
  public Tier reserveFor() {
    return reserveFor;
  }
}
