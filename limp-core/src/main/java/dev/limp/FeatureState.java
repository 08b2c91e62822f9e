package dev.limp;

/** Where a feature stands: running, coming back through the ramp, or shed. */
public enum FeatureState {
  /** All calls are admitted (subject to the feature's own circuit breaker and bulkhead). */
  ACTIVE,
  /** Restored after being shed: a rising fraction of calls is admitted; the rest are shed. */
  RAMPING,
  /** No call is run; callers get the fallback chain. */
  SHED
}
