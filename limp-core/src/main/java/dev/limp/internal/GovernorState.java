package dev.limp.internal;

import dev.limp.Level;
import java.util.Map;
import java.util.Objects;

/**
 * The governor's memory between ticks: its level, since when, since when the signals have been calm
 * enough to step down, why, the features it sheds as culprits, and how long it waits after a relapse.
 * Immutable; each tick produces the next.
 *
 * @param level the level the governor decided
 * @param levelSinceNanos when that level was entered ({@link dev.limp.LimpClock#nanoTime()})
 * @param calmSinceNanos since when no signal holds the level, or {@link #NOT_CALM}
 * @param reason why the level is what it is
 * @param culprits features shed ahead of their tier, by name
 * @param dwellNanos how long the next step down waits: 0 for the policy's {@code minDwell}, more after the
 *     level relapsed (rose again soon after a step down)
 * @param steppedDownNanos when the governor last stepped down, or {@link #NEVER}
 * @param released culprits let back in recently, by name: named again soon, they are held longer
 */
record GovernorState(Level level, long levelSinceNanos, long calmSinceNanos, String reason,
    Map<String, Culprit> culprits, long dwellNanos, long steppedDownNanos, Map<String, Released> released) {
  /** The reason of {@code NORMAL} when the governor has never left it. */
  public static final String CALM = "no signal has reached an enter threshold";

  /** {@link #calmSinceNanos} while some signal holds the level. */
  public static final long NOT_CALM = Long.MIN_VALUE;

  /** {@link #steppedDownNanos} before the first step down. */
  public static final long NEVER = Long.MIN_VALUE;

  /**
   * A feature shed as a culprit.
   *
   * @param reason why, as the signal source said it
   * @param sinceNanos when it was first named
   * @param lastNamedNanos when it was last named; it is let back in its hold after that
   * @param holdNanos how long after it was last named it is let back in: 0 for the policy's
   *     {@code minDwell}, more when it was named again soon after it had been let back in
   * @param held how many connections it held when last named (0 when its source did not say)
   */
  public record Culprit(String reason, long sinceNanos, long lastNamedNanos, long holdNanos, int held) {
    public Culprit(String reason, long sinceNanos, long lastNamedNanos, long holdNanos) {
      this(reason, sinceNanos, lastNamedNanos, holdNanos, 0);
    }
  }

  /**
   * A culprit let back in.
   *
   * @param atNanos when
   * @param holdNanos the hold it had (0 for {@code minDwell})
   */
  public record Released(long atNanos, long holdNanos) {
  }

  public GovernorState {
    Objects.requireNonNull(level, "level");
    Objects.requireNonNull(reason, "reason");
    culprits = Map.copyOf(culprits);
    released = Map.copyOf(released);
  }

  /** A state without culprits, relapses or step downs. */
  public GovernorState(Level level, long levelSinceNanos, long calmSinceNanos, String reason) {
    this(level, levelSinceNanos, calmSinceNanos, reason, Map.of(), 0, NEVER, Map.of());
  }

  /** The state of a governor that just started: {@code NORMAL}. */
  public static GovernorState initial(long nowNanos) {
    return new GovernorState(Level.NORMAL, nowNanos, NOT_CALM, CALM);
  }

  GovernorState withCalmSince(long calmSinceNanos) {
    return calmSinceNanos == this.calmSinceNanos ? this
        : new GovernorState(level, levelSinceNanos, calmSinceNanos, reason, culprits, dwellNanos, steppedDownNanos,
            released);
  }

  GovernorState withCulprits(Map<String, Culprit> culprits, Map<String, Released> released) {
    return culprits.equals(this.culprits) && released.equals(this.released) ? this
        : new GovernorState(level, levelSinceNanos, calmSinceNanos, reason, culprits, dwellNanos, steppedDownNanos,
            released);
  }

  GovernorState withDwell(long dwellNanos, long steppedDownNanos) {
    return dwellNanos == this.dwellNanos && steppedDownNanos == this.steppedDownNanos ? this
        : new GovernorState(level, levelSinceNanos, calmSinceNanos, reason, culprits, dwellNanos, steppedDownNanos,
            released);
  }

  boolean isCalm() {
    return calmSinceNanos != NOT_CALM;
  }
}
