package dev.limp.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.limp.CallOutcome;
import dev.limp.FeatureConfig;
import dev.limp.FeatureGuard;
import dev.limp.FeatureShedException;
import dev.limp.FeatureState;
import dev.limp.Level;
import dev.limp.Served;
import dev.limp.ShedCause;
import dev.limp.ShedFallback;
import dev.limp.ShedHandling;
import dev.limp.ShedReason;
import dev.limp.Tier;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A feature at run time and its guard: the hot path.
 *
 * <p>Admission reads {@link #admission} once (volatile); when the feature is admitted it asks the breaker
 * and the bulkhead, if any, for a permit, marks the thread's current feature, runs the work, and records
 * the outcome. Nothing here locks or allocates on the permitted path. A failure of limp's own bookkeeping
 * (a breaker that throws, say) is logged and never reaches the caller; for the critical tiers the work then
 * runs without bookkeeping (fail open).
 */
final class FeatureRuntime implements FeatureGuard {
  private static final Logger LOG = LoggerFactory.getLogger(FeatureRuntime.class);

  /** Returned by {@link #admit()} when limp's own bookkeeping failed and a critical call runs without it. */
  private static final ShedReason FAIL_OPEN = new ShedReason("-", Level.NORMAL, ShedCause.LEVEL,
      "limp bookkeeping failed; running unguarded", Duration.ZERO);
  private static final Object NO_KEY = new Object();

  private final FeatureConfig config;
  private final String name;
  private final Tier tier;
  private final CircuitBreaker breaker;
  private final Bulkhead bulkhead;
  /** Whether calls ask a breaker or a bulkhead for a permit (governor-only features do not). */
  private final boolean withResilience4j;
  private final Cache<Object, Object> staleValues;
  private final ArrayBlockingQueue<Runnable> deferred;
  private final ThreadSlots slots;
  private final LimpEngine engine;
  /** Pre-built answers for resilience4j refusals, rebuilt when the level changes (see {@link #levelChanged}). */
  private volatile ShedReason breakerReason;
  private volatile ShedReason bulkheadReason;
  final CallCounters counters;
  private final AtomicLong lastBookkeepingWarning = new AtomicLong(Long.MIN_VALUE);
  /** Answers with the configured default value; {@code null} when the feature has none. */
  private final Supplier<Object> defaultValue;
  /** Whether a replay of the deferred work is scheduled or running (one at a time). */
  final java.util.concurrent.atomic.AtomicBoolean replayRequested = new java.util.concurrent.atomic.AtomicBoolean();

  /** What the guard does with calls now. Written by the governor (under the engine's lock), read per call. */
  private volatile Admission admission;

  /**
   * @param index the feature's index in its instance (its row in each thread's counters), unique per instance
   */
  FeatureRuntime(FeatureConfig config, int index, CircuitBreaker breaker, Bulkhead bulkhead, ThreadSlots slots,
      LimpEngine engine, long nowNanos) {
    this.config = config;
    this.name = config.name();
    this.tier = config.tier();
    this.breaker = breaker;
    this.bulkhead = bulkhead;
    this.withResilience4j = breaker != null || bulkhead != null;
    this.slots = slots;
    this.counters = new CallCounters(slots, index);
    this.engine = engine;
    this.staleValues = config.staleValueMaxAge()
        .map(maxAge -> Caffeine.newBuilder()
            .expireAfterWrite(maxAge)
            .maximumSize(config.staleValueMaxEntries())
            .ticker(engine.clock()::nanoTime)
            .executor(Runnable::run)
            .<Object, Object>build())
        .orElse(null);
    this.deferred = config.deferQueueCapacity() > 0 ? new ArrayBlockingQueue<>(config.deferQueueCapacity()) : null;
    Object dflt = config.defaultValue();
    this.defaultValue = config.hasDefaultValue() ? () -> dflt : null;
    levelChanged(Level.NORMAL);
    this.admission = Admission.active(nowNanos);
  }

  // ---------------------------------------------------------------- FeatureGuard

  @Override
  public String name() {
    return name;
  }

  @Override
  public Tier tier() {
    return tier;
  }

  FeatureConfig config() {
    return config;
  }

  @Override
  public FeatureState state() {
    return admission.state();
  }

  @Override
  public double admittedFraction() {
    return admission.permille() / (double) Admission.ALL;
  }

  @Override
  public boolean wouldShed() {
    return admission.wouldShed();
  }

  @Override
  public long count(CallOutcome outcome) {
    return counters.get(Objects.requireNonNull(outcome, "outcome"));
  }

  @Override
  public long count(ShedHandling handling) {
    return counters.get(Objects.requireNonNull(handling, "handling"));
  }

  @Override
  public <T> T get(Supplier<T> work) {
    return get(NO_KEY, work, null);
  }

  @Override
  public <T> T get(Supplier<T> work, ShedFallback<? extends T> fallback) {
    return get(NO_KEY, work, Objects.requireNonNull(fallback, "fallback"));
  }

  @Override
  public <T> T get(Object key, Supplier<T> work) {
    return get(Objects.requireNonNull(key, "key"), work, null);
  }

  private <T> T get(Object key, Supplier<T> work, ShedFallback<? extends T> fallback) {
    ShedReason refusal = admit();
    if (refusal != null && refusal != FAIL_OPEN) {
      return answerShed(refusal, fallback, key, defaultValue());
    }
    T result;
    try {
      result = runAdmitted(refusal, work);
    } catch (RuntimeException e) {
      ShedReason own = ownRefusalIn(e);
      if (own == null) {
        throw e;
      }
      return answerShed(own, fallback, key, defaultValue());
    }
    if (staleValues != null && key != NO_KEY && result != null) {
      staleValues.put(key, result);
    }
    return result;
  }

  private <T> T runAdmitted(ShedReason refusal, Supplier<T> work) {
    ThreadSlots.Slot slot = slots.slot();
    FeatureRuntime outer = slot.feature;
    slot.feature = this;
    long start = refusal == null && breaker != null ? breaker.getCurrentTimestamp() : 0L;
    T result;
    try {
      result = work.get();
    } catch (Throwable t) {
      slot.feature = outer;
      completeExceptionally(slot, refusal, start, t);
      throw t;
    }
    slot.feature = outer;
    complete(slot, refusal, start, result);
    return result;
  }

  @Override
  public <T> Served<T> serve(Object key, Supplier<T> work) {
    Objects.requireNonNull(key, "key");
    ShedReason refusal = admit();
    if (refusal != null && refusal != FAIL_OPEN) {
      return serveShed(refusal, key);
    }
    T result;
    try {
      result = runAdmitted(refusal, work);
    } catch (RuntimeException e) {
      ShedReason own = ownRefusalIn(e);
      if (own == null) {
        throw e;
      }
      return serveShed(own, key);
    }
    if (staleValues != null && result != null) {
      staleValues.put(key, result);
    }
    return Served.fresh(result);
  }

  private <T> Served<T> serveShed(ShedReason refusal, Object key) {
    ThreadSlots.Slot slot = slots.slot();
    count(slot, refusal);
    T stale = staleValue(key);
    if (stale != null) {
      counters.count(slot, ShedHandling.STALE);
      return Served.stale(stale, refusal);
    }
    if (config.hasDefaultValue()) {
      counters.count(slot, ShedHandling.DEFAULT);
      return Served.ofDefault(this.<T>defaultValue().get(), refusal);
    }
    counters.count(slot, ShedHandling.THROWN);
    throw new FeatureShedException(refusal);
  }

  @Override
  public <T> T call(Callable<T> work) throws Exception {
    return call(work, null);
  }

  @Override
  public <T> T call(Callable<T> work, ShedFallback<? extends T> fallback) throws Exception {
    return call(NO_KEY, work, fallback, defaultValue());
  }

  /**
   * The call of the annotation proxy ({@link AnnotatedProxies}): like {@link #call(Callable, ShedFallback)},
   * but with a key for stale values, and a shed chain that the annotation gives instead of the feature's
   * default value: {@code fallback}; the stale value for {@code key}; {@code empty}'s value (counted as
   * {@link ShedHandling#DEFAULT}); a {@link FeatureShedException}. A {@code null} argument skips its step.
   */
  <T> T call(Object key, Callable<T> work, ShedFallback<? extends T> fallback, Supplier<? extends T> empty)
      throws Exception {
    Object cacheKey = key == null ? NO_KEY : key;
    ShedReason refusal = admit();
    if (refusal != null && refusal != FAIL_OPEN) {
      return answerShed(refusal, fallback, cacheKey, empty);
    }
    T result;
    try {
      result = callAdmitted(refusal, work);
    } catch (Exception e) {
      ShedReason own = ownRefusalIn(e);
      if (own == null) {
        throw e;
      }
      return answerShed(own, fallback, cacheKey, empty);
    }
    if (staleValues != null && cacheKey != NO_KEY && result != null) {
      staleValues.put(cacheKey, result);
    }
    return result;
  }

  private <T> T callAdmitted(ShedReason refusal, Callable<T> work) throws Exception {
    ThreadSlots.Slot slot = slots.slot();
    FeatureRuntime outer = slot.feature;
    slot.feature = this;
    long start = refusal == null && breaker != null ? breaker.getCurrentTimestamp() : 0L;
    T result;
    try {
      result = work.call();
    } catch (Throwable t) {
      slot.feature = outer;
      completeExceptionally(slot, refusal, start, t);
      throw t;
    }
    slot.feature = outer;
    complete(slot, refusal, start, result);
    return result;
  }

  @Override
  public void run(Runnable work) {
    run(work, null);
  }

  @Override
  public void run(Runnable work, Runnable fallback) {
    ShedReason refusal = admit();
    if (refusal != null && refusal != FAIL_OPEN) {
      answerShed(refusal, work, fallback);
      return;
    }
    ThreadSlots.Slot slot = slots.slot();
    FeatureRuntime outer = slot.feature;
    slot.feature = this;
    long start = refusal == null && breaker != null ? breaker.getCurrentTimestamp() : 0L;
    try {
      work.run();
    } catch (Throwable t) {
      slot.feature = outer;
      completeExceptionally(slot, refusal, start, t);
      ShedReason own = t instanceof RuntimeException ? ownRefusalIn(t) : null;
      if (own == null) {
        throw t;
      }
      answerShed(own, work, fallback);
      return;
    }
    slot.feature = outer;
    complete(slot, refusal, start, null);
  }

  @Override
  public Optional<CircuitBreaker> circuitBreaker() {
    return Optional.ofNullable(breaker);
  }

  @Override
  public Optional<Bulkhead> bulkhead() {
    return Optional.ofNullable(bulkhead);
  }

  @Override
  public String toString() {
    return "FeatureGuard[" + name + ", " + tier + ", " + admission.state() + "]";
  }

  // ---------------------------------------------------------------- the hot path

  /**
   * Decides whether a call runs. Returns {@code null} when it runs with bookkeeping, {@link #FAIL_OPEN}
   * when it runs without, or the reason it is refused.
   */
  private ShedReason admit() {
    Admission a = admission;
    int permille = a.permille();
    if (permille < Admission.ALL && (permille == 0 || !rampAdmits(permille))) {
      return a.reason();
    }
    return withResilience4j ? acquirePermits() : null;
  }

  /** Whether the ramp admits this call: {@code permille} calls in a thousand are. */
  private static boolean rampAdmits(int permille) {
    return ThreadLocalRandom.current().nextInt(Admission.ALL) < permille;
  }

  /** Asks the breaker and the bulkhead for a permit (kept out of {@link #admit()}: the hot path stays small). */
  private ShedReason acquirePermits() {
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
      bookkeepingFailed("acquiring a permit", e);
      return tier.compareTo(Tier.CRITICAL) <= 0 ? FAIL_OPEN : bookkeepingReason(e);
    }
  }

  private void complete(ThreadSlots.Slot slot, ShedReason admitted, long start, Object result) {
    counters.count(slot, CallOutcome.PERMITTED);
    if (withResilience4j && admitted != FAIL_OPEN) {
      recordSuccess(start, result);
    }
  }

  private void recordSuccess(long start, Object result) {
    try {
      if (breaker != null) {
        breaker.onResult(breaker.getCurrentTimestamp() - start, breaker.getTimestampUnit(), result);
      }
      if (bulkhead != null) {
        bulkhead.onComplete();
      }
    } catch (RuntimeException e) {
      bookkeepingFailed("recording a success", e);
    }
  }

  private void completeExceptionally(ThreadSlots.Slot slot, ShedReason admitted, long start, Throwable failure) {
    boolean refused = ownRefusalIn(failure) != null;
    if (!refused) {
      counters.count(slot, CallOutcome.FAILED); // a refusal is counted as SHED when it is answered
    }
    if (admitted == FAIL_OPEN) {
      return;
    }
    try {
      if (breaker != null) {
        if (refused) {
          breaker.releasePermission(); // the work never reached the database: nothing to record
        } else {
          breaker.onError(breaker.getCurrentTimestamp() - start, breaker.getTimestampUnit(), failure);
        }
      }
      if (bulkhead != null) {
        bulkhead.onComplete();
      }
    } catch (RuntimeException e) {
      bookkeepingFailed("recording a failure", e);
    }
  }

  // ---------------------------------------------------------------- the shed path

  private void count(ThreadSlots.Slot slot, ShedReason refusal) {
    ShedCause cause = refusal.cause();
    counters.count(slot, cause == ShedCause.CIRCUIT_BREAKER || cause == ShedCause.BULKHEAD
        ? CallOutcome.REJECTED : CallOutcome.SHED);
  }

  /**
   * The fallback chain: {@code fallback}, the stale value of {@code key}, {@code dflt}'s value, an exception.
   * A {@code null} step (or {@link #NO_KEY}) is skipped.
   */
  private <T> T answerShed(ShedReason refusal, ShedFallback<? extends T> fallback, Object key,
      Supplier<? extends T> dflt) {
    ThreadSlots.Slot slot = slots.slot();
    count(slot, refusal);
    if (fallback != null) {
      counters.count(slot, ShedHandling.FALLBACK);
      return fallback.onShed(refusal);
    }
    if (key != NO_KEY) {
      T stale = staleValue(key);
      if (stale != null) {
        counters.count(slot, ShedHandling.STALE);
        return stale;
      }
    }
    if (dflt != null) {
      counters.count(slot, ShedHandling.DEFAULT);
      return dflt.get();
    }
    counters.count(slot, ShedHandling.THROWN);
    throw new FeatureShedException(refusal);
  }

  /**
   * The reason of a refusal of this feature's own work thrown from inside it (the connection reserve of the
   * monitored DataSource refuses a sheddable feature's connection this way), found in {@code t} or its
   * causes; {@code null} for any other failure.
   */
  private ShedReason ownRefusalIn(Throwable t) {
    Throwable cause = t;
    for (int depth = 0; cause != null && depth < 8; depth++, cause = cause.getCause()) {
      if (cause instanceof FeatureShedException && ((FeatureShedException) cause).feature().equals(name)) {
        return ((FeatureShedException) cause).reason();
      }
    }
    return null;
  }

  private void answerShed(ShedReason refusal, Runnable work, Runnable fallback) {
    ThreadSlots.Slot slot = slots.slot();
    count(slot, refusal);
    if (fallback != null) {
      counters.count(slot, ShedHandling.FALLBACK);
      fallback.run();
      return;
    }
    if (deferred != null) {
      if (deferred.offer(work)) {
        counters.count(slot, ShedHandling.DEFERRED);
        if (admission.state() != FeatureState.SHED) {
          engine.replay(this); // restored between our decision and the offer: do not strand it
        }
        return;
      }
      long n = counters.countDropped(slot);
      engine.deferredWorkDropped(this, deferred.size() + deferred.remainingCapacity(), n);
      throw new FeatureShedException(refusal);
    }
    if (config.hasDefaultValue()) {
      counters.count(slot, ShedHandling.DEFAULT);
      return;
    }
    counters.count(slot, ShedHandling.THROWN);
    throw new FeatureShedException(refusal);
  }

  @SuppressWarnings("unchecked")
  private <T> T staleValue(Object key) {
    return staleValues == null ? null : (T) staleValues.getIfPresent(key);
  }

  /** The feature's default value as a supplier, or {@code null} when it has none. */
  @SuppressWarnings("unchecked")
  private <T> Supplier<T> defaultValue() {
    return (Supplier<T>) defaultValue;
  }

  // ---------------------------------------------------------------- governor side

  /** Rebuilds the answers to resilience4j refusals so that they carry the effective level. */
  void levelChanged(Level level) {
    if (breaker != null) {
      Long wait = breaker.getCircuitBreakerConfig().getWaitIntervalFunctionInOpenState().apply(1);
      breakerReason = new ShedReason(name, level, ShedCause.CIRCUIT_BREAKER, "the feature's circuit breaker '"
          + breaker.getName() + "' does not permit calls", Duration.ofMillis(wait == null ? 0 : wait));
    }
    if (bulkhead != null) {
      bulkheadReason = new ShedReason(name, level, ShedCause.BULKHEAD, "the feature's bulkhead is full ("
          + bulkhead.getBulkheadConfig().getMaxConcurrentCalls() + " concurrent calls)", Duration.ZERO);
    }
  }

  Admission admission() {
    return admission;
  }

  /** Swaps in a new decision; called by the engine under its lock. */
  void admission(Admission next) {
    this.admission = next;
  }

  @Override
  public int deferredQueued() {
    return deferred == null ? 0 : deferred.size();
  }

  /**
   * Replays deferred work in order while the feature is admitted. Called on the replay thread only.
   * Work that throws is logged and counted; it does not stop the replay.
   */
  void replayDeferred() {
    if (deferred == null) {
      return;
    }
    while (admission.state() != FeatureState.SHED) {
      Runnable work = deferred.poll();
      if (work == null) {
        return;
      }
      ThreadSlots.Slot slot = slots.slot();
      FeatureRuntime outer = slot.feature;
      slot.feature = this;
      try {
        work.run();
        counters.countReplay(false);
      } catch (Throwable e) { // includes checked exceptions thrown sneakily (Kotlin, Lombok): the replay goes on
        if (e instanceof VirtualMachineError) {
          throw (VirtualMachineError) e;
        }
        counters.countReplay(true);
        LOG.warn("limp[{}]: deferred work of feature '{}' threw on replay; going on with the rest",
            engine.name(), name, e);
      } finally {
        slot.feature = outer;
      }
    }
  }

  // ---------------------------------------------------------------- limp's own failures

  private void bookkeepingFailed(String what, RuntimeException e) {
    long now = System.nanoTime();
    long last = lastBookkeepingWarning.get();
    if (last == Long.MIN_VALUE || now - last > TimeUnit.SECONDS.toNanos(10)) {
      if (lastBookkeepingWarning.compareAndSet(last, now)) {
        LOG.error("limp[{}]: feature '{}' failed {}; {} (logged at most every 10 s)", engine.name(), name,
            what, tier.compareTo(Tier.CRITICAL) <= 0 ? "its calls run unguarded" : "its calls are shed", e);
      }
    }
  }

  private ShedReason bookkeepingReason(RuntimeException e) {
    return new ShedReason(name, Level.NORMAL, ShedCause.CIRCUIT_BREAKER,
        "limp could not ask the feature's breaker or bulkhead for a permit: " + e, Duration.ZERO);
  }
}
