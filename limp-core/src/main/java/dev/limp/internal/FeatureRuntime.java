package dev.limp.internal;

import dev.limp.CallOutcome;
import dev.limp.FeatureConfig;
import dev.limp.FeatureGuard;
import dev.limp.FeatureShedException;
import dev.limp.FeatureState;
import dev.limp.Level;
import dev.limp.LimpClock;
import dev.limp.Served;
import dev.limp.ShedFallback;
import dev.limp.ShedHandling;
import dev.limp.ShedReason;
import dev.limp.Tier;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/**
 * A feature at run time and its guard: the hot path.
 *
 * <p>Every entry point ({@code get}, {@code serve}, {@code call}, {@code run}) goes through one template,
 * {@link #guarded}: admission reads {@link #admission} once (volatile); when the feature is admitted it asks
 * its {@link Permits} (breaker and bulkhead), if any, marks the thread's current feature, runs the work, and
 * records the outcome; when it is not, or when limp refuses the work from inside (the connection reserve),
 * the {@link ShedAnswers} answer. Nothing here locks or allocates on the permitted path. A failure of limp's
 * own bookkeeping never reaches the caller; for the critical tiers the work then runs without it (fail open).
 * Thread-safe.
 */
final class FeatureRuntime implements FeatureGuard {
  private static final ShedReason FAIL_OPEN = Permits.FAIL_OPEN;
  private static final Object NO_KEY = ShedAnswers.NO_KEY;

  private static final int SUPPLIER = WorkShape.SUPPLIER;
  private static final int SERVED = WorkShape.SERVED;
  private static final int CALLABLE = WorkShape.CALLABLE;
  private static final int RUNNABLE = WorkShape.RUNNABLE;

  private static final int UNBOOKED = FeatureEvidence.UNBOOKED;
  private static final int SLOT = FeatureEvidence.SLOT;
  private static final int WATCHED = FeatureEvidence.WATCHED;
  private static final int TRIAL = FeatureEvidence.TRIAL;

  private final FeatureConfig config;
  private final String name;
  private final String instance;
  private final Tier tier;
  private final CircuitBreaker breaker;
  private final Bulkhead bulkhead;
  /** The breaker and bulkhead bookkeeping; {@code null} for a governor-only feature. */
  private final Permits permits;
  private final ThreadSlots slots;
  private final ShedAnswers answers;
  /** Trial calls, the throttle's places, and what watched calls said: see {@link FeatureEvidence}. */
  private final FeatureEvidence evidence;
  /** The feature's default value, the last step of its chain before the exception; {@code null} if none. */
  private final Supplier<Object> defaultValue;
  final CallCounters counters;

  /** What the guard does with calls now. Written by the governor (under its lock), read per call. */
  private volatile Admission admission;

  /**
   * @param index the feature's index in its instance (its row in each thread's counters), unique per instance
   */
  FeatureRuntime(FeatureConfig config, int index, CircuitBreaker breaker, Bulkhead bulkhead, ThreadSlots slots,
      LimpClock clock, long healthyNanos, String instance, DeferralHost deferralHost, long nowNanos) {
    this.config = config;
    this.name = config.name();
    this.instance = instance;
    this.tier = config.tier();
    this.breaker = breaker;
    this.bulkhead = bulkhead;
    this.permits = breaker != null || bulkhead != null ? new Permits(instance, name, tier, breaker, bulkhead) : null;
    this.slots = slots;
    this.counters = new CallCounters(slots, index);
    this.answers = new ShedAnswers(this, config, counters, clock, deferralHost);
    this.defaultValue = answers.defaultValue();
    this.evidence = new FeatureEvidence(clock, healthyNanos);
    this.admission = Admission.active(nowNanos);
  }

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
  public long trialCalls() {
    return evidence.trialCalls();
  }

  @Override
  public long healthyTrialCalls() {
    return evidence.healthyTrialCalls();
  }

  @Override
  public long unhealthyTrialCalls() {
    return evidence.unhealthyTrialCalls();
  }

  @Override
  public <T> T get(Supplier<T> work) {
    return unchecked(SUPPLIER, work, NO_KEY, null, dflt());
  }

  @Override
  public <T> T get(Supplier<T> work, ShedFallback<? extends T> fallback) {
    return unchecked(SUPPLIER, work, NO_KEY, Objects.requireNonNull(fallback, "fallback"), dflt());
  }

  @Override
  public <T> T get(Object key, Supplier<T> work) {
    return unchecked(SUPPLIER, work, Objects.requireNonNull(key, "key"), null, dflt());
  }

  @Override
  public <T> Served<T> serve(Object key, Supplier<T> work) {
    return unchecked(SERVED, work, Objects.requireNonNull(key, "key"), null, null);
  }

  @Override
  public <T> T call(Callable<T> work) throws Exception {
    return guarded(CALLABLE, work, NO_KEY, null, dflt());
  }

  @Override
  public <T> T call(Callable<T> work, ShedFallback<? extends T> fallback) throws Exception {
    return guarded(CALLABLE, work, NO_KEY, fallback, dflt());
  }

  /**
   * The call of the annotation proxy ({@link AnnotatedProxies}): like {@link #call(Callable, ShedFallback)},
   * but with a key for stale values, and a shed chain that the annotation gives instead of the feature's
   * default value: {@code fallback}; the stale value for {@code key}; {@code empty}'s value (counted as
   * {@link ShedHandling#DEFAULT}); a {@link FeatureShedException}. A {@code null} argument skips its step.
   */
  <T> T call(Object key, Callable<T> work, ShedFallback<? extends T> fallback, Supplier<? extends T> empty)
      throws Exception {
    return guarded(CALLABLE, work, key == null ? NO_KEY : key, fallback, empty);
  }

  @Override
  public void run(Runnable work) {
    unchecked(RUNNABLE, work, NO_KEY, null, null);
  }

  @Override
  public void run(Runnable work, Runnable fallback) {
    unchecked(RUNNABLE, work, NO_KEY, fallback, null);
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

  @SuppressWarnings("unchecked")
  private <T> Supplier<T> dflt() {
    return (Supplier<T>) defaultValue;
  }

  /** {@link #guarded} for work that throws no checked exception: one that is thrown sneakily passes as is. */
  private <T> T unchecked(int shape, Object work, Object key, Object fallback, Supplier<? extends T> dflt) {
    try {
      return guarded(shape, work, key, fallback, dflt);
    } catch (Exception e) {
      throw Sneaky.<RuntimeException>rethrow(e);
    }
  }

  /**
   * The one template: admit, run and record, or answer. {@code fallback} is a {@link ShedFallback} or, for
   * {@link #RUNNABLE} work, a {@code Runnable}; {@code dflt} the last step of the chain before the exception.
   */
  @SuppressWarnings("unchecked")
  private <T> T guarded(int shape, Object work, Object key, Object fallback, Supplier<? extends T> dflt)
      throws Exception {
    Objects.requireNonNull(work, "work");
    Admission a = admission;
    int mode = 0;
    if (a.permille() < Admission.ALL || a.limit() != Admission.UNLIMITED) { // kept small: the JIT inlines it
      mode = evidence.admit(a);
      if (mode < 0) {
        return (T) answer(shape, a.reason(), work, key, fallback, dflt);
      }
    }
    if (permits != null && (mode & TRIAL) == 0) {
      ShedReason refusal = permits.acquire();
      if (refusal == FAIL_OPEN) {
        mode |= UNBOOKED;
      } else if (refusal != null) {
        evidence.leave(mode);
        return (T) answer(shape, refusal, work, key, fallback, dflt);
      }
    }
    return run(mode, shape, work, key, fallback, dflt);
  }

  /** Runs admitted work; a refusal by limp from inside it (the reserve) is answered like a shed call. */
  @SuppressWarnings("unchecked")
  private <T> T run(int mode, int shape, Object work, Object key, Object fallback, Supplier<? extends T> dflt)
      throws Exception {
    Object result;
    try {
      result = runAdmitted(mode, shape, work);
    } catch (Exception e) {
      ShedReason own = ownRefusalIn(e);
      if (own == null) {
        throw e;
      }
      return (T) answer(shape, own, work, key, fallback, dflt);
    }
    answers.remember(key, result);
    return (T) (shape == SERVED ? Served.fresh(result) : result);
  }

  /** Runs admitted work as the thread's current feature and records its outcome. */
  private Object runAdmitted(int mode, int shape, Object work) throws Exception {
    ThreadSlots.Slot slot = slots.slot();
    FeatureRuntime outer = slot.feature;
    slot.feature = this;
    boolean booked = permits != null && (mode & (UNBOOKED | TRIAL)) == 0;
    long start = booked ? permits.start() : 0L;
    long watched = (mode & WATCHED) != 0 ? evidence.start() : 0L;
    Object result;
    try {
      result = WorkShape.invoke(shape, work);
    } catch (Throwable t) {
      slot.feature = outer;
      boolean refused = ownRefusalIn(t) != null;
      if (!refused) {
        counters.count(slot, CallOutcome.FAILED); // a refusal is counted as SHED when it is answered
      }
      if (booked) {
        permits.failed(start, t, refused);
      }
      evidence.done(mode, watched, false);
      throw t;
    }
    slot.feature = outer;
    counters.count(slot, CallOutcome.PERMITTED);
    if (booked) {
      permits.succeeded(start, result);
    }
    evidence.done(mode, watched, true);
    return result;
  }

  /** Whether {@code t} is limp refusing this feature's own work from inside it (the connection reserve). */
  boolean refusedByLimp(Throwable t) {
    return ownRefusalIn(t) != null;
  }

  private ShedReason ownRefusalIn(Throwable t) {
    return WorkShape.refusalOf(name, t);
  }

  private Object answer(int shape, ShedReason refusal, Object work, Object key, Object fallback,
      Supplier<?> dflt) {
    return WorkShape.answer(answers, shape, refusal, work, key, fallback, dflt);
  }

  /** Rebuilds the answers to resilience4j refusals so that they carry the effective level. */
  void levelChanged(Level level) {
    if (permits != null) {
      permits.levelChanged(level);
    }
  }

  Admission admission() {
    return admission;
  }

  /** Swaps in a new decision; called by the governor under its lock. */
  void admission(Admission next) {
    this.admission = next;
  }

  /** The deferral queue, or {@code null} when the feature does not defer. */
  DeferredQueue deferred() {
    return answers.deferred();
  }

  @Override
  public int deferredQueued() {
    DeferredQueue q = answers.deferred();
    return q == null ? 0 : q.size();
  }

  FeatureEvidence evidence() {
    return evidence;
  }

  ThreadSlots slots() {
    return slots;
  }

  String instance() {
    return instance;
  }
}
