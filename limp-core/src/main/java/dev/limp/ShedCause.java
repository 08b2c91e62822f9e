package dev.limp;

/** Why a call was not run. */
public enum ShedCause {
  /** The governor's level sheds the feature's tier. */
  LEVEL,
  /** The feature holds a disproportionate share of a saturated pool and was shed ahead of its tier. */
  CULPRIT,
  /** An operator override (a forced level, or a shed feature). */
  OVERRIDE,
  /** The feature is coming back through the ramp and this call was not among the admitted fraction. */
  RAMP,
  /** The feature's own resilience4j circuit breaker did not permit the call. */
  CIRCUIT_BREAKER,
  /** The feature's resilience4j bulkhead was full. */
  BULKHEAD,
  /** The call would have used a connection kept in reserve for the top tiers. */
  RESERVE,
  /**
   * The feature is throttled (a culprit, limited before it is shed) and as many of its calls as the limit
   * allows were already running.
   */
  THROTTLE
}
