package dev.limp.internal;

import dev.limp.FeatureState;
import dev.limp.Level;
import dev.limp.ShedReason;
import java.util.Objects;

/**
 * What a feature's guard does with calls, decided at a tick and read by the guard with one volatile read.
 * Immutable; a change of decision swaps in a new instance.
 *
 * @param state what callers see
 * @param permille how many calls in a thousand are admitted: 1000 active or throttled, 0 shed, in between
 *     ramping
 * @param reason why calls are shed (SHED), partly shed (RAMPING) or limited (THROTTLED); {@code null} when
 *     ACTIVE
 * @param sinceNanos when {@code state} was entered (for RAMPING: when the ramp started)
 * @param wouldShed in shadow mode: the governor would shed the feature now
 * @param wouldShedReason why it would; {@code null} unless {@code wouldShed}
 * @param pinned an operator pinned the feature on
 * @param limit while THROTTLED, how many calls may run at once (in shadow mode: would run); otherwise
 *     {@link #UNLIMITED}
 * @param trials while SHED by the governor, one trial call per tick runs to judge recovery
 * @param limitSinceNanos while THROTTLED, when the limit last fell (pressure went on)
 * @param exemptAt the level at which the feature's own healthy trials let it back in although that level
 *     sheds its tier; {@code null} otherwise
 */
record Admission(FeatureState state, int permille, ShedReason reason, long sinceNanos, boolean wouldShed,
    ShedReason wouldShedReason, boolean pinned, int limit, boolean trials, long limitSinceNanos,
    Level exemptAt) {
  static final int ALL = 1000;
  static final int UNLIMITED = Integer.MAX_VALUE;

  Admission(FeatureState state, int permille, ShedReason reason, long sinceNanos, boolean wouldShed,
      ShedReason wouldShedReason, boolean pinned) {
    this(state, permille, reason, sinceNanos, wouldShed, wouldShedReason, pinned, UNLIMITED, false, sinceNanos,
        null);
  }

  static Admission active(long sinceNanos) {
    return new Admission(FeatureState.ACTIVE, ALL, null, sinceNanos, false, null, false);
  }

  /** Whether the decision for callers and reporting is the same (ignores when it was made). */
  boolean sameDecision(Admission other) {
    return state == other.state && permille == other.permille && Objects.equals(reason, other.reason)
        && wouldShed == other.wouldShed && Objects.equals(wouldShedReason, other.wouldShedReason)
        && pinned == other.pinned && limit == other.limit && trials == other.trials && exemptAt == other.exemptAt;
  }
}
