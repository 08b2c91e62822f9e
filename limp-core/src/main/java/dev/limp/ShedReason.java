package dev.limp;

import java.time.Duration;
import java.util.Objects;

/**
 * Why a feature's call was not run: the feature, the level at the time, the cause, a human-readable
 * detail ("db.query.p99 = 812 ms ≥ 500 ms") and a hint of when to retry.
 *
 * <p>Instances are created when a feature's state changes, not per call, and are shared by every call shed
 * for the same reason: the shed path allocates nothing. Immutable and thread-safe.
 */
public final class ShedReason {
  private final String feature;
  private final Level level;
  private final ShedCause cause;
  private final String detail;
  private final Duration retryAfter;

  public ShedReason(String feature, Level level, ShedCause cause, String detail, Duration retryAfter) {
    this.feature = Objects.requireNonNull(feature, "feature");
    this.level = Objects.requireNonNull(level, "level");
    this.cause = Objects.requireNonNull(cause, "cause");
    this.detail = Objects.requireNonNull(detail, "detail");
    this.retryAfter = Objects.requireNonNull(retryAfter, "retryAfter");
  }

  /** The name of the feature whose call was shed. */
  public String feature() {
    return feature;
  }

  /** The effective level when the decision was made. */
  public Level level() {
    return level;
  }

  public ShedCause cause() {
    return cause;
  }

  /** What triggered the decision, for people: the signal and threshold, the override and its reason, … */
  public String detail() {
    return detail;
  }

  /** The earliest time after which a retry may be admitted; a hint, not a promise. */
  public Duration retryAfter() {
    return retryAfter;
  }

  @Override
  public String toString() {
    return "feature '" + feature + "' shed (" + cause + " at level " + level + "): " + detail
        + "; retry after " + retryAfter.toMillis() + " ms";
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof ShedReason)) {
      return false;
    }
    ShedReason other = (ShedReason) o;
    return feature.equals(other.feature) && level == other.level && cause == other.cause
        && detail.equals(other.detail) && retryAfter.equals(other.retryAfter);
  }

  @Override
  public int hashCode() {
    return Objects.hash(feature, level, cause, detail, retryAfter);
  }
}
