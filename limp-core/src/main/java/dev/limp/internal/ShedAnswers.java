package dev.limp.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.limp.CallOutcome;
import dev.limp.FeatureConfig;
import dev.limp.FeatureShedException;
import dev.limp.FeatureState;
import dev.limp.LimpClock;
import dev.limp.Served;
import dev.limp.ShedCause;
import dev.limp.ShedFallback;
import dev.limp.ShedHandling;
import dev.limp.ShedReason;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a feature answers a call it does not run: the fallback chain (the caller's fallback, the last good
 * value for the call's key, the default value, a {@link FeatureShedException}), and for {@code Runnable} work
 * the deferral queue. Each answer is counted once as an outcome ({@link CallOutcome#SHED} or
 * {@link CallOutcome#REJECTED}) and once as a {@link ShedHandling}. Allocation-free up to the answer itself.
 * Thread-safe.
 */
final class ShedAnswers {
  private static final Logger LOG = LoggerFactory.getLogger(FeatureRuntime.class);

  /** The key of a call without one: never looked up, never remembered. */
  static final Object NO_KEY = new Object();

  private final FeatureRuntime feature;
  private final CallCounters counters;
  private final DeferralHost deferralHost;
  private final Cache<Object, Object> staleValues;
  private final DeferredQueue deferred;
  /** Answers with the configured default value; {@code null} when the feature has none. */
  private final Supplier<Object> defaultValue;
  private final AtomicLong lastKeyWarning = new AtomicLong(Long.MIN_VALUE);

  ShedAnswers(FeatureRuntime feature, FeatureConfig config, CallCounters counters, LimpClock clock,
      DeferralHost deferralHost) {
    this.feature = feature;
    this.counters = counters;
    this.deferralHost = deferralHost;
    this.staleValues = config.staleValueMaxAge()
        .map(maxAge -> Caffeine.newBuilder()
            .expireAfterWrite(maxAge)
            .maximumSize(config.staleValueMaxEntries())
            .ticker(clock::nanoTime)
            .executor(Runnable::run)
            .<Object, Object>build())
        .orElse(null);
    this.deferred = config.deferQueueCapacity() > 0 ? new DeferredQueue(config.deferQueueCapacity()) : null;
    Object dflt = config.defaultValue();
    this.defaultValue = config.hasDefaultValue() ? () -> dflt : null;
  }

  /** The feature's default value as a supplier, or {@code null} when it has none. */
  @SuppressWarnings("unchecked")
  <T> Supplier<T> defaultValue() {
    return (Supplier<T>) defaultValue;
  }

  DeferredQueue deferred() {
    return deferred;
  }

  /**
   * Keeps {@code result} as the last good value of {@code key}, if the feature keeps stale values. A key that
   * cannot be hashed or compared is logged and not kept: the caller still gets the work's result.
   */
  void remember(Object key, Object result) {
    if (staleValues != null && key != NO_KEY && result != null) {
      try {
        staleValues.put(key, result);
      } catch (RuntimeException e) {
        badKey("keeping a value for", key, e);
      }
    }
  }

  /**
   * The fallback chain: {@code fallback}, the stale value of {@code key}, {@code dflt}'s value, an exception.
   * A {@code null} step (or {@link #NO_KEY}) is skipped.
   */
  <T> T answer(ShedReason refusal, ShedFallback<? extends T> fallback, Object key, Supplier<? extends T> dflt) {
    ThreadSlots.Slot slot = counted(refusal);
    if (fallback != null) {
      counters.count(slot, ShedHandling.FALLBACK);
      return fallback.onShed(refusal);
    }
    T stale = stale(slot, key);
    if (stale != null) {
      return stale;
    }
    if (dflt != null) {
      counters.count(slot, ShedHandling.DEFAULT);
      return dflt.get();
    }
    throw thrown(slot, refusal);
  }

  /** The chain of {@code serve}: the stale value of {@code key}, the default value, an exception. */
  <T> Served<T> serve(ShedReason refusal, Object key) {
    ThreadSlots.Slot slot = counted(refusal);
    T stale = stale(slot, key);
    if (stale != null) {
      return Served.stale(stale, refusal);
    }
    if (defaultValue != null) {
      counters.count(slot, ShedHandling.DEFAULT);
      return Served.ofDefault(this.<T>defaultValue().get(), refusal);
    }
    throw thrown(slot, refusal);
  }

  /** The chain of {@code Runnable} work: {@code fallback}, the deferral queue, skipping it, an exception. */
  void run(ShedReason refusal, Runnable work, Runnable fallback) {
    ThreadSlots.Slot slot = counted(refusal);
    if (fallback != null) {
      counters.count(slot, ShedHandling.FALLBACK);
      fallback.run();
    } else if (deferred != null) {
      defer(slot, refusal, work);
    } else if (defaultValue != null) {
      counters.count(slot, ShedHandling.DEFAULT);
    } else {
      throw thrown(slot, refusal);
    }
  }

  private void defer(ThreadSlots.Slot slot, ShedReason refusal, Runnable work) {
    if (deferralHost.accepting() && deferred.offer(work)) {
      counters.count(slot, ShedHandling.DEFERRED);
      if (feature.admission().state() != FeatureState.SHED) {
        deferralHost.replaySoon(feature); // restored between our decision and the offer: do not strand it
      }
      return;
    }
    long n = counters.countDropped(slot);
    deferralHost.dropped(feature, deferred.capacity(), n);
    throw new FeatureShedException(refusal);
  }

  /** Counts the refusal as an outcome; returns the calling thread's slot for the handling. */
  private ThreadSlots.Slot counted(ShedReason refusal) {
    ThreadSlots.Slot slot = counters.slot();
    ShedCause cause = refusal.cause();
    counters.count(slot, cause == ShedCause.CIRCUIT_BREAKER || cause == ShedCause.BULKHEAD
        ? CallOutcome.REJECTED : CallOutcome.SHED);
    return slot;
  }

  @SuppressWarnings("unchecked")
  private <T> T stale(ThreadSlots.Slot slot, Object key) {
    if (staleValues == null || key == NO_KEY) {
      return null;
    }
    T stale;
    try {
      stale = (T) staleValues.getIfPresent(key);
    } catch (RuntimeException e) { // the key's own hashCode or equals: as if nothing were cached
      badKey("looking up", key, e);
      return null;
    }
    if (stale != null) {
      counters.count(slot, ShedHandling.STALE);
    }
    return stale;
  }

  /** A stale-value key whose {@code hashCode} or {@code equals} throws; logged at most every 10 s. */
  private void badKey(String what, Object key, RuntimeException e) {
    long now = System.nanoTime();
    long last = lastKeyWarning.get();
    if ((last == Long.MIN_VALUE || now - last > TimeUnit.SECONDS.toNanos(10)) && lastKeyWarning.compareAndSet(last, now)) {
      LOG.warn("limp[{}]: feature '{}' failed {} the stale value of a key of {}: its hashCode or equals threw; "
          + "the call goes on as if nothing were cached (logged at most every 10 s)", feature.instance(),
          feature.name(), what, key.getClass().getName(), e);
    }
  }

  private FeatureShedException thrown(ThreadSlots.Slot slot, ShedReason refusal) {
    counters.count(slot, ShedHandling.THROWN);
    return new FeatureShedException(refusal);
  }
}
