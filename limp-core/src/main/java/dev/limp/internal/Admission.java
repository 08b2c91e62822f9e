package dev.limp.internal;

import dev.limp.FeatureState;
import dev.limp.ShedReason;
import java.util.Objects;

/**
 * What a feature's guard does with calls, decided at a tick and read by the guard with one volatile read.
 * Immutable; a change of decision swaps in a new instance.
 *
 * @param state what callers see
 * @param permille how many calls in a thousand are admitted: 1000 active, 0 shed, in between ramping
 * @param reason why calls are shed (SHED) or partly shed (RAMPING); {@code null} when ACTIVE
 * @param sinceNanos when {@code state} was entered (for RAMPING: when the ramp started)
 * @param wouldShed in shadow mode: the governor would shed the feature now
 * @param wouldShedReason why it would; {@code null} unless {@code wouldShed}
 * @param pinned an operator pinned the feature on
 */
record Admission(FeatureState state, int permille, ShedReason reason, long sinceNanos, boolean wouldShed,
    ShedReason wouldShedReason, boolean pinned) {
  static final int ALL = 1000;

  static Admission active(long sinceNanos) {
    return new Admission(FeatureState.ACTIVE, ALL, null, sinceNanos, false, null, false);
  }

  /** Whether the decision for callers and reporting is the same (ignores when it was made). */
  boolean sameDecision(Admission other) {
    return state == other.state && permille == other.permille && Objects.equals(reason, other.reason)
        && wouldShed == other.wouldShed && Objects.equals(wouldShedReason, other.wouldShedReason)
        && pinned == other.pinned;
  }
}
