package dev.limp.internal;

import dev.limp.FeatureState;
import dev.limp.GovernorPolicy;
import dev.limp.Level;
import dev.limp.OperatorOverride;
import dev.limp.ShedCause;
import dev.limp.ShedReason;
import dev.limp.Tier;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * Turns the effective level and the overrides into each feature's {@link Admission}: a pure function of
 * its inputs, like {@link GovernorDecider}. Precedence, highest first:
 * <ol>
 *   <li>a feature pinned on is active;
 *   <li>a feature shed by an operator is shed;
 *   <li>a level forced by an operator sheds the tiers it sheds (even in shadow mode);
 *   <li>the governor's level sheds the tiers it sheds (in shadow mode: reported as "would shed");
 *   <li>a culprit named by a signal source is shed ahead of its tier (not the top tier; not while a level is
 *       forced; in shadow mode: reported);
 *   <li>a feature the governor let back in ramps from the first ramp step up to all calls over the ramp
 *       period; one an operator had shed (a shed feature or a forced level, released or expired) is back at
 *       once, unless the governor itself sheds it.
 * </ol>
 */
final class AdmissionPlanner {
  private AdmissionPlanner() {
  }

  /** The inputs that are the same for every feature in one tick. */
  record Context(Level governorLevel, String governorReason, OperatorOverride forcedLevel, boolean shadow,
      GovernorPolicy policy, long nowNanos, Instant now, Map<String, GovernorState.Culprit> culprits) {

    Context(Level governorLevel, String governorReason, OperatorOverride forcedLevel, boolean shadow,
        GovernorPolicy policy, long nowNanos, Instant now) {
      this(governorLevel, governorReason, forcedLevel, shadow, policy, nowNanos, now, Map.of());
    }

    Level effectiveLevel() {
      return forcedLevel != null ? forcedLevel.level().orElseThrow() : governorLevel;
    }
  }

  static Admission plan(String feature, Tier tier, OperatorOverride featureOverride, Admission previous,
      Context c) {
    Level level = c.effectiveLevel();
    Admission next;
    if (featureOverride != null && featureOverride.kind() == OperatorOverride.Kind.PIN_FEATURE) {
      next = new Admission(FeatureState.ACTIVE, Admission.ALL, null, c.nowNanos(), false, null, true);
    } else if (featureOverride != null && featureOverride.kind() == OperatorOverride.Kind.SHED_FEATURE) {
      next = shed(new ShedReason(feature, level, ShedCause.OVERRIDE, "operator shed the feature: "
          + describe(featureOverride), until(featureOverride, c.now())), c.nowNanos());
    } else if (c.forcedLevel() != null && level.sheds(tier)) {
      next = shed(new ShedReason(feature, level, ShedCause.OVERRIDE, "operator forced level " + level
          + ", which sheds " + tier + ": " + describe(c.forcedLevel()), until(c.forcedLevel(), c.now())),
          c.nowNanos());
    } else if (c.forcedLevel() == null && level.sheds(tier)) {
      ShedReason reason = new ShedReason(feature, level, ShedCause.LEVEL, "level " + level + " sheds " + tier
          + ": " + c.governorReason(), c.policy().minDwell());
      next = governorShed(reason, c);
    } else if (c.forcedLevel() == null && !tier.isTop() && c.culprits().containsKey(feature)) {
      GovernorState.Culprit culprit = c.culprits().get(feature);
      long hold = GovernorDecider.dwell(c.policy(), culprit.holdNanos());
      ShedReason reason = new ShedReason(feature, level, ShedCause.CULPRIT, "culprit, shed ahead of its tier "
          + tier + ": " + culprit.reason() + (culprit.holdNanos() == 0 ? "" : "; named again soon after it was "
          + "let back in, so it is held " + GovernorDecider.formatSeconds(hold) + " this time"),
          Duration.ofNanos(hold));
      next = governorShed(reason, c);
    } else {
      next = admit(feature, level, previous, c);
    }
    if (next.sameDecision(previous)) {
      return previous;
    }
    if (next.state() == previous.state() && next.state() != FeatureState.RAMPING) {
      // same state, new details (a new reason): keep when the state was entered
      return new Admission(next.state(), next.permille(), next.reason(), previous.sinceNanos(),
          next.wouldShed(), next.wouldShedReason(), next.pinned());
    }
    return next;
  }

  private static Admission admit(String feature, Level level, Admission previous, Context c) {
    long rampStart;
    if (previous.state() == FeatureState.SHED && previous.reason().cause() == ShedCause.OVERRIDE) {
      return Admission.active(c.nowNanos()); // an operator's shed, released or expired: back at once
    } else if (previous.state() == FeatureState.SHED) {
      rampStart = c.nowNanos();
    } else if (previous.state() == FeatureState.RAMPING) {
      rampStart = previous.sinceNanos();
    } else {
      return Admission.active(c.nowNanos());
    }
    long elapsed = c.nowNanos() - rampStart;
    double fraction = c.policy().rampFraction(elapsed);
    if (fraction >= 1.0) {
      return Admission.active(c.nowNanos());
    }
    int permille = (int) Math.round(fraction * Admission.ALL);
    ShedReason reason = new ShedReason(feature, level, ShedCause.RAMP, "ramping back in: "
        + Math.round(fraction * 100) + " % of calls admitted",
        Duration.ofNanos(c.policy().nanosToNextRampStep(elapsed)));
    return new Admission(FeatureState.RAMPING, permille, reason, rampStart, false, null, false);
  }

  /** A decision of the governor: shed, or in shadow mode only reported. */
  private static Admission governorShed(ShedReason reason, Context c) {
    return c.shadow()
        ? new Admission(FeatureState.ACTIVE, Admission.ALL, null, c.nowNanos(), true, reason, false)
        : shed(reason, c.nowNanos());
  }

  private static Admission shed(ShedReason reason, long nowNanos) {
    return new Admission(FeatureState.SHED, 0, reason, nowNanos, false, null, false);
  }

  static String describe(OperatorOverride o) {
    return o.reason() + " (by " + o.actor() + ", until " + o.expiresAt() + ")";
  }

  private static Duration until(OperatorOverride o, Instant now) {
    Duration left = Duration.between(now, o.expiresAt());
    return left.isNegative() ? Duration.ZERO : left;
  }
}
