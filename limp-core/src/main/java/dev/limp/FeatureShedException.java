package dev.limp;

import java.time.Duration;

/**
 * Thrown to a caller whose call was shed and for which no fallback, stale value or default value was
 * available. Unchecked. It carries no stack trace (it is a decision, not a bug) and builds its message
 * only when asked.
 */
public class FeatureShedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient ShedReason reason;

  public FeatureShedException(ShedReason reason) {
    super(null, null, false, false);
    this.reason = java.util.Objects.requireNonNull(reason, "reason");
  }

  /** The decision behind this exception. */
  public ShedReason reason() {
    return reason;
  }

  public String feature() {
    return reason.feature();
  }

  public Level level() {
    return reason.level();
  }

  public ShedCause shedCause() {
    return reason.cause();
  }

  public Duration retryAfter() {
    return reason.retryAfter();
  }

  @Override
  public String getMessage() {
    return reason.toString();
  }
}
