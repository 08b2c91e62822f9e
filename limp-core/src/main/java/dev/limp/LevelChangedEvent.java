package dev.limp;

import java.time.Instant;

/**
 * The effective level changed.
 *
 * @param instance the limp instance's name
 * @param from the level before
 * @param to the level now
 * @param reason which signal crossed which threshold, or which override, in words
 * @param overridden whether an operator's forced level decided it (otherwise the governor did)
 * @param shadow whether the instance is in shadow mode (the level is reported, nothing is shed)
 * @param at when it happened
 */
public record LevelChangedEvent(String instance, Level from, Level to, String reason, boolean overridden,
    boolean shadow, Instant at) {

  /** Whether the level went up (more shedding). */
  public boolean isEscalation() {
    return to.compareTo(from) > 0;
  }
}
