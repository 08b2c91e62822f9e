package dev.limp.internal;

import dev.limp.FeatureState;
import dev.limp.LimpClock;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * What a feature's own calls say about it while the governor holds it back, and the guard's side of
 * throttling: the trial-call token of a shed feature (re-armed at each tick: one trial per tick), the count
 * of its calls in flight while throttled, and the outcome of the calls that were watched (trial calls of a
 * shed feature, calls of a throttled or ramping one): healthy when they returned without error within the
 * policy's {@code healthyCallLatency}. It also counts, for operators, every trial call let through and how
 * each was judged (never reset: since the feature was declared). Nothing here is touched on the path of an
 * active, unthrottled feature. Thread-safe.
 */
final class FeatureEvidence {
  /** What the watched calls said since the last {@link #reset()}. */
  record Observations(long healthy, long unhealthy, int healthyInARow, long slowestNanos) {
    static final Observations NONE = new Observations(0, 0, 0, 0);
  }

  /** How an admitted call runs, as bits: without resilience4j bookkeeping (it failed: fail open). */
  static final int UNBOOKED = 1;
  /** It holds one of the throttle's places. */
  static final int SLOT = 2;
  /** It is timed and judged as evidence (a trial call, a call of a throttled or a ramping feature). */
  static final int WATCHED = 4;
  /** It is the trial call of a shed feature: no permits (limp forced the feature's breaker open). */
  static final int TRIAL = 8;

  private final LimpClock clock;
  private final long healthyNanos;
  private final AtomicBoolean trialToken = new AtomicBoolean();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicLong healthy = new AtomicLong();
  private final AtomicLong unhealthy = new AtomicLong();
  private final AtomicInteger healthyInARow = new AtomicInteger();
  private final AtomicLong slowestNanos = new AtomicLong();
  /** For status and metrics, never reset: trial calls let through, and how the ended ones were judged. */
  private final LongAdder trials = new LongAdder();
  private final LongAdder healthyTrials = new LongAdder();
  private final LongAdder unhealthyTrials = new LongAdder();

  FeatureEvidence(LimpClock clock, long healthyNanos) {
    this.clock = clock;
    this.healthyNanos = healthyNanos;
  }

  /**
   * Admission of a shed, ramping or throttled feature, as mode bits: the ramp's share, the trial of this
   * tick, a place among the throttle's; -1 refuses (the caller answers with the admission's reason).
   */
  int admit(Admission a) {
    int permille = a.permille();
    if (permille == 0) {
      if (a.trials() && takeTrial()) {
        trials.increment(); // at most once per tick: the token is re-armed by the governor
        return TRIAL | WATCHED;
      }
      return -1;
    }
    if (permille < Admission.ALL) {
      return ThreadLocalRandom.current().nextInt(Admission.ALL) < permille ? WATCHED : -1;
    }
    return a.state() == FeatureState.THROTTLED ? (enter(a.limit()) ? SLOT | WATCHED : -1) : 0;
  }

  /** After the work of a call admitted in {@code mode}: the throttle's place given back, a watched call judged. */
  void done(int mode, long watched, boolean ok) {
    if (mode != 0) {
      leave(mode);
      if ((mode & WATCHED) != 0) {
        boolean healthyCall = observed(watched, ok);
        if ((mode & TRIAL) != 0) {
          (healthyCall ? healthyTrials : unhealthyTrials).increment();
        }
      }
    }
  }

  /** Gives back the throttle's place a call admitted in {@code mode} holds, if any. */
  void leave(int mode) {
    if ((mode & SLOT) != 0) {
      inFlight.decrementAndGet();
    }
  }

  /** Lets one more trial call through (called by the governor at each tick while the feature is shed). */
  void armTrial() {
    trialToken.set(true);
  }

  /** Whether this call is the trial of this tick. */
  boolean takeTrial() {
    return trialToken.get() && trialToken.compareAndSet(true, false);
  }

  /** Takes a place among at most {@code limit} calls in flight; {@code false} when all are taken. */
  boolean enter(int limit) {
    for (;;) {
      int now = inFlight.get();
      if (now >= limit) {
        return false;
      }
      if (inFlight.compareAndSet(now, now + 1)) {
        return true;
      }
    }
  }

  int inFlight() {
    return inFlight.get();
  }

  long start() {
    return clock.nanoTime();
  }

  /**
   * Records a watched call that started at {@code start}; {@code ok} when it returned without error. Returns
   * whether it was judged healthy.
   */
  boolean observed(long start, boolean ok) {
    long took = clock.nanoTime() - start;
    slowestNanos.accumulateAndGet(took, Math::max);
    if (ok && took <= healthyNanos) {
      healthy.incrementAndGet();
      healthyInARow.incrementAndGet();
      return true;
    }
    unhealthy.incrementAndGet();
    healthyInARow.set(0);
    return false;
  }

  Observations observations() {
    long h = healthy.get();
    long u = unhealthy.get();
    return h == 0 && u == 0 ? Observations.NONE
        : new Observations(h, u, healthyInARow.get(), slowestNanos.get());
  }

  /** Trial calls let through since the feature was declared, those still running included. */
  long trialCalls() {
    return trials.sum();
  }

  /** Trial calls that ended and were judged healthy, since the feature was declared. */
  long healthyTrialCalls() {
    return healthyTrials.sum();
  }

  /** Trial calls that ended and were judged unhealthy (an error, or slower than healthy), since declared. */
  long unhealthyTrialCalls() {
    return unhealthyTrials.sum();
  }

  /** Starts counting afresh (the trial counts for operators excepted): called by the governor when the feature's admission changes. */
  void reset() {
    healthy.set(0);
    unhealthy.set(0);
    healthyInARow.set(0);
    slowestNanos.set(0);
    trialToken.set(false);
  }
}
