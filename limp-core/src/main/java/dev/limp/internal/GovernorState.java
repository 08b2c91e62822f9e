package dev.limp.internal;

import dev.limp.Level;
import java.util.Map;
import java.util.Objects;

/**
 * The governor's memory between ticks: its level, since when, since when the signals have been calm
 * enough to step down, why, and the features it sheds as culprits. Immutable; each tick produces the next.
 *
 * @param level the level the governor decided
 * @param levelSinceNanos when that level was entered ({@link dev.limp.LimpClock#nanoTime()})
 * @param calmSinceNanos since when no signal holds the level, or {@link #NOT_CALM}
 * @param reason why the level is what it is
 * @param culprits features shed ahead of their tier, by name
 */
public record GovernorState(Level level, long levelSinceNanos, long calmSinceNanos, String reason,
    Map<String, Culprit> culprits) {
  /** The reason of {@code NORMAL} when the governor has never left it. */
  public static final String CALM = "no signal has reached an enter threshold";

  /** {@link #calmSinceNanos} while some signal holds the level. */
  public static final long NOT_CALM = Long.MIN_VALUE;

  /**
   * A feature shed as a culprit.
   *
   * @param reason why, as the signal source said it
   * @param sinceNanos when it was first named
   * @param lastNamedNanos when it was last named; it is let back in {@code minDwell} after that
   */
  public record Culprit(String reason, long sinceNanos, long lastNamedNanos) {
  }

  public GovernorState {
    Objects.requireNonNull(level, "level");
    Objects.requireNonNull(reason, "reason");
    culprits = Map.copyOf(culprits);
  }

  /** A state without culprits. */
  public GovernorState(Level level, long levelSinceNanos, long calmSinceNanos, String reason) {
    this(level, levelSinceNanos, calmSinceNanos, reason, Map.of());
  }

  /** The state of a governor that just started: {@code NORMAL}. */
  public static GovernorState initial(long nowNanos) {
    return new GovernorState(Level.NORMAL, nowNanos, NOT_CALM, CALM);
  }

  GovernorState withCalmSince(long calmSinceNanos) {
    return calmSinceNanos == this.calmSinceNanos ? this
        : new GovernorState(level, levelSinceNanos, calmSinceNanos, reason, culprits);
  }

  GovernorState withCulprits(Map<String, Culprit> culprits) {
    return culprits.equals(this.culprits) ? this
        : new GovernorState(level, levelSinceNanos, calmSinceNanos, reason, culprits);
  }

  boolean isCalm() {
    return calmSinceNanos != NOT_CALM;
  }
}
