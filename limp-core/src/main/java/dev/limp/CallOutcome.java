package dev.limp;

/** What became of a guarded call. Every call ends in exactly one outcome. */
public enum CallOutcome {
  /** The work ran and returned normally. */
  PERMITTED,
  /** The work ran and threw. */
  FAILED,
  /** limp decided not to run it: the level, a culprit decision, an override, or the ramp. */
  SHED,
  /** resilience4j refused it: the feature's circuit breaker was open, or its bulkhead full. */
  REJECTED
}
