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
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns the effective level, the overrides and the features' own evidence into each feature's
 * {@link Admission}: a pure function of its inputs, like {@link GovernorDecider}. Precedence, highest first:
 * <ol>
 *   <li>a feature pinned on is active;
 *   <li>a feature shed by an operator is shed;
 *   <li>a level forced by an operator sheds the tiers it sheds (even in shadow mode);
 *   <li>the governor's level sheds the tiers it sheds (in shadow mode: reported as "would shed"), with one
 *       trial call per tick; a feature whose trials are healthy while no signal is at an enter threshold is
 *       let back in although the level is unchanged (until the level rises);
 *   <li>a culprit named by a signal source is first throttled — at most half the connections it held run at
 *       once; halved each tick the pressure stays, raised by one each tick it is gone — and shed only if the
 *       pressure stays {@link GovernorPolicy#THROTTLE_GRACE} at one call (never the top tier; not while a level
 *       is forced; in shadow mode: reported);
 *   <li>a feature the governor let back in ramps from the first ramp step up to all calls over the ramp
 *       period, a step sooner each time its calls were healthy ({@link GovernorPolicy#CALLS_PER_RAMP_STEP});
 *       one an operator had shed (a shed feature or a forced level, released or expired) is back at once.
 * </ol>
 */
final class AdmissionPlanner {
  /** The limit a culprit is throttled to first when its source did not say how many connections it held. */
  static final int DEFAULT_FIRST_LIMIT = 4;

  private AdmissionPlanner() {
  }

  /** The inputs that are the same for every feature in one tick. */
  record Context(Level governorLevel, String governorReason, OperatorOverride forcedLevel, boolean shadow,
      GovernorPolicy policy, long nowNanos, Instant now, Map<String, GovernorState.Culprit> culprits,
      Set<String> namedNow, Map<String, FeatureEvidence.Observations> evidence, boolean pressureNow,
      boolean tick) {

    /** A plan between ticks (an operator's command, a new feature): no evidence, throttles stay as they are. */
    Context(Level governorLevel, String governorReason, OperatorOverride forcedLevel, boolean shadow,
        GovernorPolicy policy, long nowNanos, Instant now, Map<String, GovernorState.Culprit> culprits) {
      this(governorLevel, governorReason, forcedLevel, shadow, policy, nowNanos, now, culprits, Set.of(),
          Map.of(), true, false);
    }

    Context(Level governorLevel, String governorReason, OperatorOverride forcedLevel, boolean shadow,
        GovernorPolicy policy, long nowNanos, Instant now) {
      this(governorLevel, governorReason, forcedLevel, shadow, policy, nowNanos, now, Map.of());
    }

    Level effectiveLevel() {
      return forcedLevel != null ? forcedLevel.level().orElseThrow() : governorLevel;
    }

    FeatureEvidence.Observations evidence(String feature) {
      return evidence.getOrDefault(feature, FeatureEvidence.Observations.NONE);
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
          + describe(featureOverride), until(featureOverride, c.now())), c.nowNanos(), false);
    } else if (c.forcedLevel() != null && level.sheds(tier)) {
      next = shed(new ShedReason(feature, level, ShedCause.OVERRIDE, "operator forced level " + level
          + ", which sheds " + tier + ": " + describe(c.forcedLevel()), until(c.forcedLevel(), c.now())),
          c.nowNanos(), false);
    } else if (c.forcedLevel() == null && level.sheds(tier)) {
      next = levelShed(feature, tier, level, previous, c);
    } else if (c.forcedLevel() == null && !tier.isTop() && c.culprits().containsKey(feature)) {
      next = CulpritThrottle.plan(feature, level, c.culprits().get(feature), c.namedNow().contains(feature),
          previous, c);
    } else {
      next = admit(feature, level, previous, c, null);
    }
    if (next.sameDecision(previous)) {
      return previous;
    }
    if (next.state() == previous.state() && next.state() != FeatureState.RAMPING) {
      // same state, new details (a new reason, a new limit): keep when the state was entered
      return new Admission(next.state(), next.permille(), next.reason(), previous.sinceNanos(),
          next.wouldShed(), next.wouldShedReason(), next.pinned(), next.limit(), next.trials(),
          next.limitSinceNanos(), next.exemptAt());
    }
    return next;
  }

  /**
   * The governor's level sheds the tier: shed, with a trial call per tick, unless the feature's own trials
   * were healthy while no signal is at an enter threshold (then it comes back, exempt at this level and at
   * every shallower one the level steps down through; a deeper level sheds it again).
   */
  private static Admission levelShed(String feature, Tier tier, Level level, Admission previous, Context c) {
    if (previous.exemptAt() != null && previous.exemptAt().compareTo(level) >= 0
        && previous.state() != FeatureState.SHED) {
      // let back in by its own evidence at this level or a deeper one: a step down does not shed it again
      return admit(feature, level, previous, c, level);
    }
    FeatureEvidence.Observations seen = c.evidence(feature);
    if (previous.state() == FeatureState.SHED && previous.trials() && !c.pressureNow()
        && seen.healthyInARow() >= GovernorPolicy.TRIALS_TO_RESTORE) {
      Admission ramping = admit(feature, level, previous, c, level);
      ShedReason why = new ShedReason(feature, level, ShedCause.RAMP, String.format(Locale.ROOT,
          "level %s sheds %s, but its last %d trial calls were healthy (slowest %.0f ms) and no signal is at an "
          + "enter threshold: let back in, %s", level, tier, seen.healthyInARow(), seen.slowestNanos() / 1e6,
          ramping.reason() == null ? "fully" : ramping.reason().detail()), ramping.reason() == null
          ? Duration.ZERO : ramping.reason().retryAfter());
      return ramping.state() == FeatureState.ACTIVE ? ramping : new Admission(ramping.state(),
          ramping.permille(), why, ramping.sinceNanos(), false, null, false, Admission.UNLIMITED, false,
          ramping.sinceNanos(), level);
    }
    ShedReason reason = new ShedReason(feature, level, ShedCause.LEVEL, "level " + level + " sheds " + tier
        + ": " + c.governorReason(), c.policy().minDwell());
    return governorShed(reason, c);
  }

  /**
   * Lets a feature in: at once after an operator's shed; through the ramp after the governor's, a step
   * sooner when its calls were healthy. {@code exemptAt} marks a feature let back in by its own evidence.
   */
  static Admission admit(String feature, Level level, Admission previous, Context c, Level exemptAt) {
    long rampStart;
    if (previous.state() == FeatureState.SHED && previous.reason().cause() == ShedCause.OVERRIDE) {
      return Admission.active(c.nowNanos()); // an operator's shed, released or expired: back at once
    } else if (previous.state() == FeatureState.SHED) {
      rampStart = c.nowNanos() - trialCredit(c.evidence(feature), c.policy());
    } else if (previous.state() == FeatureState.RAMPING) {
      rampStart = previous.sinceNanos();
      FeatureEvidence.Observations seen = c.evidence(feature);
      if (seen.healthy() >= GovernorPolicy.CALLS_PER_RAMP_STEP && seen.unhealthy() == 0) {
        rampStart = c.nowNanos() - c.policy().nextRampStepStart(c.nowNanos() - rampStart); // the next step now
      }
    } else {
      return exemptAt == null ? Admission.active(c.nowNanos()) : exemptActive(c.nowNanos(), exemptAt);
    }
    long elapsed = c.nowNanos() - rampStart;
    double fraction = c.policy().rampFraction(elapsed);
    if (fraction >= 1.0) { // a feature let back in by its evidence stays exempt from this level once it is in
      return exemptAt == null ? Admission.active(c.nowNanos()) : exemptActive(c.nowNanos(), exemptAt);
    }
    int permille = (int) Math.round(fraction * Admission.ALL);
    ShedReason reason = new ShedReason(feature, level, ShedCause.RAMP, "ramping back in: "
        + Math.round(fraction * 100) + " % of calls admitted",
        Duration.ofNanos(c.policy().nanosToNextRampStep(elapsed)));
    return new Admission(FeatureState.RAMPING, permille, reason, rampStart, false, null, false,
        Admission.UNLIMITED, false, rampStart, exemptAt);
  }

  /**
   * How far into the ramp a feature's trial calls put it when it is let back in: each
   * {@link GovernorPolicy#CALLS_PER_RAMP_STEP} healthy trials in a row beyond the
   * {@link GovernorPolicy#TRIALS_TO_RESTORE} that restore it are one step, as for the calls of a ramping
   * feature, up to the last step but one: a trial a tick is evidence of health, not of the database taking
   * the feature's whole load, which the last step's healthy calls show.
   */
  private static long trialCredit(FeatureEvidence.Observations seen, GovernorPolicy policy) {
    int steps = Math.min(Math.max(0, seen.healthyInARow() - GovernorPolicy.TRIALS_TO_RESTORE)
        / GovernorPolicy.CALLS_PER_RAMP_STEP, policy.rampSteps().size() - 2);
    long elapsed = 0;
    for (int i = 0; i < steps; i++) {
      elapsed = policy.nextRampStepStart(elapsed);
    }
    return elapsed;
  }

  /** Fully in, although the level {@code exemptAt} sheds its tier: its own calls said it is healthy. */
  private static Admission exemptActive(long nowNanos, Level exemptAt) {
    return new Admission(FeatureState.ACTIVE, Admission.ALL, null, nowNanos, false, null, false,
        Admission.UNLIMITED, false, nowNanos, exemptAt);
  }

  /** A decision of the governor: shed with trial calls, or in shadow mode only reported. */
  static Admission governorShed(ShedReason reason, Context c) {
    return c.shadow()
        ? new Admission(FeatureState.ACTIVE, Admission.ALL, null, c.nowNanos(), true, reason, false)
        : shed(reason, c.nowNanos(), c.policy().trialCalls());
  }

  private static Admission shed(ShedReason reason, long nowNanos, boolean trials) {
    return new Admission(FeatureState.SHED, 0, reason, nowNanos, false, null, false, Admission.UNLIMITED, trials,
        nowNanos, null);
  }

  static String describe(OperatorOverride o) {
    return o.reason() + " (by " + o.actor() + ", until " + o.expiresAt() + ")";
  }

  private static Duration until(OperatorOverride o, Instant now) {
    Duration left = Duration.between(now, o.expiresAt());
    return left.isNegative() ? Duration.ZERO : left;
  }
}
