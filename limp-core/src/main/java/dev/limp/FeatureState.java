package dev.limp;

/** Where a feature stands: running, limited, coming back through the ramp, or shed. */
public enum FeatureState {
  /** All calls are admitted (subject to the feature's own circuit breaker and bulkhead). */
  ACTIVE,
  /** Restored after being shed: a rising fraction of calls is admitted; the rest are shed. */
  RAMPING,
  /** No call is run; callers get the fallback chain (a few trial calls may run, to judge recovery). */
  SHED,
  /**
   * Limited: at most a number of its calls run at once (a limit that follows the pressure: halved while the
   * pressure stays, raised by one while it is gone); calls over it get the fallback chain at once. A culprit
   * is throttled before it is shed.
   */
  THROTTLED
}
