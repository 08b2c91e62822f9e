package dev.limp.internal;

import dev.limp.FeatureState;
import dev.limp.GovernorPolicy;
import dev.limp.Level;
import dev.limp.ShedCause;
import dev.limp.ShedReason;
import java.time.Duration;

/**
 * How the governor limits a culprit before it sheds it, in the spirit of AIMD: throttled first to half the
 * connections it held (or {@link AdmissionPlanner#DEFAULT_FIRST_LIMIT}), the limit halves at each tick the
 * culprit is named again (the pressure stays) and rises by one at each tick it is not; at one call at a time
 * under pressure for {@link GovernorPolicy#THROTTLE_GRACE}, it is shed, with a trial call per tick. A pure
 * function of its inputs.
 */
final class CulpritThrottle {
  private CulpritThrottle() {
  }

  static Admission plan(String feature, Level level, GovernorState.Culprit culprit, boolean namedNow,
      Admission previous, AdmissionPlanner.Context c) {
    long now = c.nowNanos();
    long hold = GovernorDecider.dwell(c.policy(), culprit.holdNanos());
    String again = culprit.holdNanos() == 0 ? "" : "; named again soon after it was let back in, so it is held "
        + GovernorDecider.formatSeconds(hold) + " this time";
    ShedCause was = previous.state() == FeatureState.SHED ? ShedCause.CULPRIT
        : previous.state() == FeatureState.THROTTLED ? ShedCause.THROTTLE
        : previous.wouldShed() ? previous.wouldShedReason().cause() : null;
    if (was == ShedCause.THROTTLE && !c.tick()) {
      return previous; // the limit moves at ticks only
    }
    if (was == ShedCause.CULPRIT) {
      return AdmissionPlanner.governorShed(new ShedReason(feature, level, ShedCause.CULPRIT,
          "culprit, shed ahead of its tier: " + culprit.reason() + again, Duration.ofNanos(hold)), c);
    }
    int limit = first(culprit);
    long limitSince = now;
    if (was == ShedCause.THROTTLE) {
      limit = previous.limit();
      limitSince = previous.limitSinceNanos();
      if (namedNow && limit > 1) {
        limit = Math.max(1, limit / 2);
        limitSince = now;
      } else if (namedNow && now - limitSince >= GovernorPolicy.THROTTLE_GRACE.toNanos()) {
        return AdmissionPlanner.governorShed(new ShedReason(feature, level, ShedCause.CULPRIT, "culprit, "
            + "throttled to 1 call at a time for " + GovernorDecider.formatSeconds(now - limitSince)
            + " and the pressure stayed, so shed ahead of its tier: " + culprit.reason() + again,
            Duration.ofNanos(hold)), c);
      } else if (!namedNow) {
        limit++;
      }
    }
    ShedReason reason = new ShedReason(feature, level, ShedCause.THROTTLE, "culprit, throttled to " + limit
        + (limit == 1 ? " call" : " calls") + " at a time (halved while the pressure stays, +1 a tick once it "
        + "is gone): " + culprit.reason() + again, Duration.ofMillis(250));
    if (c.shadow()) {
      return new Admission(FeatureState.ACTIVE, Admission.ALL, null, previous.sinceNanos(), true, reason, false,
          limit, false, limitSince, null); // the limit is remembered, not applied
    }
    return new Admission(FeatureState.THROTTLED, Admission.ALL, reason, now, false, null, false, limit, false,
        limitSince, null);
  }

  /** The first limit: half of what the culprit held, at least one. */
  private static int first(GovernorState.Culprit culprit) {
    return culprit.held() > 0 ? Math.max(1, culprit.held() / 2) : AdmissionPlanner.DEFAULT_FIRST_LIMIT;
  }
}
