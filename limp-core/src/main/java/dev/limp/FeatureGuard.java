package dev.limp;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/**
 * Runs work for one feature: the work runs if the feature is admitted, and the caller gets the fallback
 * chain if it is shed. Obtain one per feature from {@link Limp#guard(String)} and keep it (a field): the
 * guard is the hot path and does no lookup by name.
 *
 * <p>While the work runs, the feature is the calling thread's {@linkplain Limp#currentFeature() current
 * feature}, so database time can be attributed to it.
 *
 * <p><b>When a call is shed</b> (by the level, an override, the ramp, or the feature's own breaker or
 * bulkhead), the caller gets, in this order, the first that applies:
 * <ol>
 *   <li>the fallback passed with the call;
 *   <li>for keyed calls of a feature with {@link FeatureConfig.Builder#staleValues stale values}: the last
 *       value the work returned for the same key, if not older than the maximum age;
 *   <li>the feature's {@link FeatureConfig.Builder#defaultValue default value};
 *   <li>a {@link FeatureShedException}.
 * </ol>
 * {@code Runnable} work of a feature that {@link FeatureConfig.Builder#deferWhenShed defers} is queued
 * instead, and replayed in order when the feature is restored.
 *
 * <p>The permitted path takes no lock and allocates nothing; the shed path allocates nothing unless an
 * exception reaches the caller. Exceptions from the work pass through unchanged. Thread-safe.
 */
public interface FeatureGuard {
  String name();

  Tier tier();

  /** The state callers see now. */
  FeatureState state();

  /**
   * The fraction of calls admitted now: 1 when active, 0 when shed, in between while ramping. A racy
   * point-in-time value (the governor may change it at the next tick); cheap to read, for gauges.
   */
  double admittedFraction();

  /** In shadow mode: whether the governor would shed the feature now. Always {@code false} otherwise. */
  boolean wouldShed();

  /**
   * How many calls ended in the given outcome since the feature was declared. Reading sums a striped
   * counter and allocates nothing, so metrics can poll it; each count is exact on its own, but counts read
   * one after the other while calls go on are racy with each other.
   */
  long count(CallOutcome outcome);

  /**
   * How many shed or rejected calls were answered the given way since the feature was declared. Cheap and
   * racy like {@link #count(CallOutcome)}.
   */
  long count(ShedHandling handling);

  /** How much deferred work waits for replay now; 0 for a feature that does not defer. */
  int deferredQueued();

  /**
   * How many trial calls the feature let through since it was declared, those still running included: while
   * the governor sheds a feature (with {@link GovernorPolicy#trialCalls()} on), one call per tick runs as a
   * probe of whether its queries are healthy again. Trial calls are also counted as calls
   * ({@link CallOutcome#PERMITTED} or {@link CallOutcome#FAILED}). Cheap and racy like
   * {@link #count(CallOutcome)}: a striped counter that moves only when a trial is let through.
   */
  long trialCalls();

  /**
   * How many trial calls ended and were judged healthy (no error, within the policy's
   * {@link GovernorPolicy#healthyCallLatency()}) since the feature was declared. Cheap and racy like
   * {@link #count(CallOutcome)}.
   */
  long healthyTrialCalls();

  /**
   * How many trial calls ended and were judged unhealthy (an error, or slower than the policy's
   * {@link GovernorPolicy#healthyCallLatency()}) since the feature was declared. A trial still running is in
   * neither this count nor {@link #healthyTrialCalls()}. Cheap and racy like {@link #count(CallOutcome)}.
   */
  long unhealthyTrialCalls();

  /** Runs the work, or answers through the fallback chain (default value or exception) when shed. */
  <T> T get(Supplier<T> work);

  /** Runs the work, or returns {@code fallback}'s value when shed. */
  <T> T get(Supplier<T> work, ShedFallback<? extends T> fallback);

  /**
   * Runs the work and, if the feature keeps stale values, remembers a non-null result under {@code key};
   * when shed, answers with the remembered value (stale), the default value, or an exception.
   */
  <T> T get(Object key, Supplier<T> work);

  /** Like {@link #get(Object, Supplier)}, and tells whether the value is fresh, stale or the default. */
  <T> Served<T> serve(Object key, Supplier<T> work);

  /** Runs the work; checked exceptions pass through unchanged. */
  <T> T call(Callable<T> work) throws Exception;

  /** Runs the work; checked exceptions pass through unchanged; {@code fallback} answers when shed. */
  <T> T call(Callable<T> work, ShedFallback<? extends T> fallback) throws Exception;

  /**
   * Runs the work. When shed: defers it if the feature defers; else skips it if the feature has a default
   * value; else throws {@link FeatureShedException}.
   */
  void run(Runnable work);

  /** Runs the work, or {@code fallback} when shed. */
  void run(Runnable work, Runnable fallback);

  /** The work wrapped so that each call goes through this guard. */
  default <T> Supplier<T> decorateSupplier(Supplier<T> work) {
    return () -> get(work);
  }

  /** The work wrapped so that each call goes through this guard. */
  default <T> Callable<T> decorateCallable(Callable<T> work) {
    return () -> call(work);
  }

  /** The work wrapped so that each call goes through this guard. */
  default Runnable decorateRunnable(Runnable work) {
    return () -> run(work);
  }

  /** The feature's own resilience4j circuit breaker; empty for a governor-only feature. */
  Optional<CircuitBreaker> circuitBreaker();

  /** The feature's resilience4j bulkhead, if it has one. */
  Optional<Bulkhead> bulkhead();
}
