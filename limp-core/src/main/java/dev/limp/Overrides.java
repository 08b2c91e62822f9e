package dev.limp;

import java.time.Duration;
import java.util.List;

/**
 * The operator switch, from code. The JMX MXBean calls the same methods. Every override needs a positive
 * duration no longer than the instance's maximum, and a reason; every change is logged with the actor,
 * the reason and the state before and after. A refused request changes nothing.
 *
 * <p>Thread-safe.
 */
public interface Overrides {
  /**
   * Forces the effective level, whatever the signals say. {@code NORMAL} stops the governor from shedding.
   * The top tier is never shed by a level.
   *
   * @throws IllegalArgumentException for a non-positive or too long duration, or a blank reason
   */
  OperatorOverride forceLevel(Level level, Duration duration, String reason, String actor);

  /**
   * Sheds one feature. Refuses a top-tier feature: that takes {@link #shedTopTier}.
   *
   * @throws IllegalArgumentException for an unknown or top-tier feature, a bad duration or a blank reason
   */
  OperatorOverride shed(String feature, Duration duration, String reason, String actor);

  /**
   * Sheds a {@link Tier#CRITICAL_PLUS} feature: the one way to shed the top tier, for when the critical
   * path itself is what hurts the database.
   *
   * @throws IllegalArgumentException for an unknown feature, one not in the top tier, a bad duration or a
   *     blank reason
   */
  OperatorOverride shedTopTier(String feature, Duration duration, String reason, String actor);

  /**
   * Keeps one feature on: neither the governor nor a forced level sheds it (its own circuit breaker still
   * works).
   *
   * @throws IllegalArgumentException for an unknown feature, a bad duration or a blank reason
   */
  OperatorOverride pin(String feature, Duration duration, String reason, String actor);

  /** Releases the forced level, if any. Returns whether there was one. */
  boolean releaseLevel(String actor);

  /**
   * Releases the override of one feature (shed or pin), if any. Returns whether there was one.
   *
   * @throws IllegalArgumentException for an unknown feature
   */
  boolean releaseFeature(String feature, String actor);

  /** Releases every override. Returns how many there were. */
  int releaseAll(String actor);

  /** The overrides in force now: the forced level first, then features by name. */
  List<OperatorOverride> active();
}
