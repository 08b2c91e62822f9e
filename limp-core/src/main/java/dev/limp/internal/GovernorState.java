package dev.limp.internal;

import dev.limp.Level;
import java.util.Objects;

/**
 * The governor's memory between ticks: its level, since when, since when the signals have been calm
 * enough to step down, and why. Immutable; each tick produces the next one.
 *
 * @param level the level the governor decided
 * @param levelSinceNanos when that level was entered ({@link dev.limp.LimpClock#nanoTime()})
 * @param calmSinceNanos since when no signal holds the level, or {@link #NOT_CALM}
 * @param reason why the level is what it is
 */
public record GovernorState(Level level, long levelSinceNanos, long calmSinceNanos, String reason) {
  /** {@link #calmSinceNanos} while some signal holds the level. */
  public static final long NOT_CALM = Long.MIN_VALUE;

  public GovernorState {
    Objects.requireNonNull(level, "level");
    Objects.requireNonNull(reason, "reason");
  }

  /** The state of a governor that just started: {@code NORMAL}. */
  public static GovernorState initial(long nowNanos) {
    return new GovernorState(Level.NORMAL, nowNanos, NOT_CALM, "started");
  }

  GovernorState withCalmSince(long calmSinceNanos) {
    return calmSinceNanos == this.calmSinceNanos ? this
        : new GovernorState(level, levelSinceNanos, calmSinceNanos, reason);
  }

  boolean isCalm() {
    return calmSinceNanos != NOT_CALM;
  }
}
