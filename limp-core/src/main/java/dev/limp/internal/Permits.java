package dev.limp.internal;

import dev.limp.Level;
import dev.limp.ShedCause;
import dev.limp.ShedReason;
import dev.limp.Tier;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A feature's resilience4j bookkeeping: asks its circuit breaker and bulkhead for a permit and records each
 * call's outcome with them. Allocation-free. A failure of the bookkeeping itself (a breaker that throws) is
 * logged at most every 10 s and never reaches the caller: the critical tiers then run unguarded
 * ({@link #FAIL_OPEN}), the others are refused. Thread-safe.
 */
final class Permits {
  private static final Logger LOG = LoggerFactory.getLogger(FeatureRuntime.class);

  /** Returned by {@link #acquire()} when the bookkeeping failed and a critical call runs without it. */
  static final ShedReason FAIL_OPEN = new ShedReason("-", Level.NORMAL, ShedCause.LEVEL,
      "limp bookkeeping failed; running unguarded", Duration.ZERO);

  private final String instance;
  private final String feature;
  private final Tier tier;
  private final CircuitBreaker breaker;
  private final Bulkhead bulkhead;
  private final AtomicLong lastWarning = new AtomicLong(Long.MIN_VALUE);
  /** Pre-built answers to refusals, rebuilt when the level changes so that they carry it. */
  private volatile ShedReason breakerReason;
  private volatile ShedReason bulkheadReason;

  Permits(String instance, String feature, Tier tier, CircuitBreaker breaker, Bulkhead bulkhead) {
    this.instance = instance;
    this.feature = feature;
    this.tier = tier;
    this.breaker = breaker;
    this.bulkhead = bulkhead;
    levelChanged(Level.NORMAL);
  }

  /** {@code null} when permitted, {@link #FAIL_OPEN} when running without bookkeeping, or the refusal. */
  ShedReason acquire() {
    try {
      if (breaker != null && !breaker.tryAcquirePermission()) {
        return breakerReason;
      }
      if (bulkhead != null && !bulkhead.tryAcquirePermission()) {
        if (breaker != null) {
          breaker.releasePermission();
        }
        return bulkheadReason;
      }
      return null;
    } catch (RuntimeException e) {
      failed("acquiring a permit", e);
      return tier.compareTo(Tier.CRITICAL) <= 0 ? FAIL_OPEN : new ShedReason(feature, Level.NORMAL,
          ShedCause.CIRCUIT_BREAKER, "limp could not ask the feature's breaker or bulkhead for a permit: " + e,
          Duration.ZERO);
    }
  }

  /** When a permitted call starts, on the breaker's clock; 0 when nothing is timed. */
  long start() {
    return breaker != null ? breaker.getCurrentTimestamp() : 0L;
  }

  void succeeded(long start, Object result) {
    try {
      if (breaker != null) {
        breaker.onResult(breaker.getCurrentTimestamp() - start, breaker.getTimestampUnit(), result);
      }
      if (bulkhead != null) {
        bulkhead.onComplete();
      }
    } catch (RuntimeException e) {
      failed("recording a success", e);
    }
  }

  /**
   * Records a failed call. A refusal by limp from inside the work (the connection reserve) never reached the
   * database: the breaker's permit is released, nothing is recorded against the feature.
   */
  void failed(long start, Throwable failure, boolean refusedByLimp) {
    try {
      if (breaker != null) {
        if (refusedByLimp) {
          breaker.releasePermission();
        } else {
          breaker.onError(breaker.getCurrentTimestamp() - start, breaker.getTimestampUnit(), failure);
        }
      }
      if (bulkhead != null) {
        bulkhead.onComplete();
      }
    } catch (RuntimeException e) {
      failed("recording a failure", e);
    }
  }

  /** Rebuilds the answers to refusals so that they carry the effective level. */
  void levelChanged(Level level) {
    if (breaker != null) {
      Long wait = breaker.getCircuitBreakerConfig().getWaitIntervalFunctionInOpenState().apply(1);
      breakerReason = new ShedReason(feature, level, ShedCause.CIRCUIT_BREAKER, "the feature's circuit breaker '"
          + breaker.getName() + "' does not permit calls", Duration.ofMillis(wait == null ? 0 : wait));
    }
    if (bulkhead != null) {
      bulkheadReason = new ShedReason(feature, level, ShedCause.BULKHEAD, "the feature's bulkhead is full ("
          + bulkhead.getBulkheadConfig().getMaxConcurrentCalls() + " concurrent calls)", Duration.ZERO);
    }
  }

  private void failed(String what, RuntimeException e) {
    long now = System.nanoTime();
    long last = lastWarning.get();
    if ((last == Long.MIN_VALUE || now - last > TimeUnit.SECONDS.toNanos(10)) && lastWarning.compareAndSet(last, now)) {
      LOG.error("limp[{}]: feature '{}' failed {}; {} (logged at most every 10 s)", instance, feature, what,
          tier.compareTo(Tier.CRITICAL) <= 0 ? "its calls run unguarded" : "its calls are shed", e);
    }
  }
}
