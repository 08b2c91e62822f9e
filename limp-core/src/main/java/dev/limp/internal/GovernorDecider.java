package dev.limp.internal;

import dev.limp.GovernorPolicy;
import dev.limp.Level;
import dev.limp.Signal;
import dev.limp.SignalRule;
import dev.limp.SignalSnapshot;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The governor's decision: a pure function of the policy, the signals, the previous state and the time.
 * No clock, no threads, no side effects; every rule of the ladder is here and tested here.
 *
 * <ul>
 *   <li>the <em>entered</em> level is the highest level whose enter threshold some signal reaches;
 *       above the current level it is taken at once (escalation may jump);
 *   <li>the <em>held</em> level is the highest level whose exit threshold some signal still reaches; while
 *       it is at or above the current level, nothing moves and the calm clock is reset;
 *   <li>otherwise the signals are calm; once calm for the dwell, and the level at least that old, the level
 *       steps down by one, and the next step needs a new dwell.
 *   <li>the dwell is {@code minDwell}; after a <em>relapse</em> (the level rises again within a dwell and a
 *       ramp period of a step down: the ramp's trickle found the database still sick) it doubles, up to
 *       {@code maxDwell}, so that a long incident is probed less and less often; a step down not followed
 *       by a relapse within that time brings it back to {@code minDwell}.
 * </ul>
 * Culprits follow the same rules with their own hold. Missing signals neither enter nor hold a level.
 */
final class GovernorDecider {
  private GovernorDecider() {
  }

  /** The next state, without evidence from the features' own calls. */
  static GovernorState decide(GovernorPolicy policy, SignalSnapshot signals, GovernorState previous,
      long nowNanos) {
    return decide(policy, signals, previous, nowNanos, Evidence.NONE);
  }

  /**
   * What the features' own watched calls (trials of shed features, calls of throttled or ramping ones) say,
   * for the decision: the dwell and a culprit's hold are ceilings, and healthy evidence ends them sooner.
   *
   * @param healthyInARow per feature, its watched calls that were healthy in a row
   * @param levelRecovered every feature the current level sheds that was tried had healthy trials in a row
   */
  record Evidence(Map<String, Integer> healthyInARow, boolean levelRecovered) {
    static final Evidence NONE = new Evidence(Map.of(), false);
  }

  /** The next state. Returns {@code previous} itself when nothing changed. */
  static GovernorState decide(GovernorPolicy policy, SignalSnapshot signals, GovernorState previous,
      long nowNanos, Evidence evidence) {
    GovernorState next = decideLevel(policy, signals, previous, nowNanos, evidence.levelRecovered());
    Map<String, GovernorState.Released> released = new TreeMap<>();
    Map<String, GovernorState.Culprit> culprits = culprits(policy, signals, previous.culprits(),
        previous.released(), released, nowNanos, evidence.healthyInARow());
    return next.withCulprits(culprits, released);
  }

  /** The dwell a backed-off value stands for: the policy's {@code minDwell} for 0. */
  static long dwell(GovernorPolicy policy, long backedOffNanos) {
    return backedOffNanos > 0 ? backedOffNanos : policy.minDwell().toNanos();
  }

  /** The dwell after one more relapse: doubled, at most {@code maxDwell}. */
  static long doubled(GovernorPolicy policy, long dwellNanos) {
    long max = policy.maxDwell().toNanos();
    return dwellNanos >= max / 2 ? max : 2 * dwellNanos;
  }

  /** How soon after a step down (or a release) a rise (or a new naming) counts as a relapse. */
  private static long relapseWindow(GovernorPolicy policy, long dwellNanos) {
    long window = dwellNanos + policy.rampPeriod().toNanos();
    return window < 0 ? Long.MAX_VALUE : window; // saturate
  }

  /**
   * Culprits: a feature named by a signal source is a culprit from that tick on, and stays one until it
   * has not been named for its hold: {@code minDwell}, or, if it was named again soon after it had been let
   * back in, twice its last hold (at most {@code maxDwell}). {@code released} receives the culprits let
   * back in recently.
   */
  static Map<String, GovernorState.Culprit> culprits(GovernorPolicy policy, SignalSnapshot signals,
      Map<String, GovernorState.Culprit> previous, Map<String, GovernorState.Released> previouslyReleased,
      Map<String, GovernorState.Released> released, long nowNanos) {
    return culprits(policy, signals, previous, previouslyReleased, released, nowNanos, Map.of());
  }

  /**
   * {@link #culprits(GovernorPolicy, SignalSnapshot, Map, Map, Map, long)}, where a culprit that is not named
   * this tick and whose own calls were healthy {@link #healthyCallsToRelease} times in a row is let back in at
   * once: {@link GovernorPolicy#TRIALS_TO_RESTORE}, more after a relapse.
   */
  static Map<String, GovernorState.Culprit> culprits(GovernorPolicy policy, SignalSnapshot signals,
      Map<String, GovernorState.Culprit> previous, Map<String, GovernorState.Released> previouslyReleased,
      Map<String, GovernorState.Released> released, long nowNanos, Map<String, Integer> healthyInARow) {
    if (previous.isEmpty() && previouslyReleased.isEmpty() && signals.suspects().isEmpty()) {
      return previous;
    }
    previouslyReleased.forEach((feature, r) -> {
      if (nowNanos - r.atNanos() < relapseWindow(policy, dwell(policy, r.holdNanos()))) {
        released.put(feature, r);
      }
    });
    Map<String, GovernorState.Culprit> next = new TreeMap<>();
    previous.forEach((feature, culprit) -> {
      boolean recovered = healthyInARow.getOrDefault(feature, 0) >= healthyCallsToRelease(policy, culprit);
      if (signals.suspects().containsKey(feature)
          || (!recovered && nowNanos - culprit.lastNamedNanos() < dwell(policy, culprit.holdNanos()))) {
        next.put(feature, culprit);
      } else {
        released.put(feature, new GovernorState.Released(nowNanos, culprit.holdNanos()));
      }
    });
    signals.suspects().forEach((feature, reason) -> {
      GovernorState.Culprit before = next.get(feature);
      if (before != null) {
        next.put(feature, new GovernorState.Culprit(reason, before.sinceNanos(), nowNanos, before.holdNanos(),
            signals.held(feature)));
        return;
      }
      GovernorState.Released r = released.remove(feature);
      long hold = r == null ? 0 : doubled(policy, dwell(policy, r.holdNanos())); // within its window: a relapse
      next.put(feature, new GovernorState.Culprit(reason, nowNanos, nowNanos, hold, signals.held(feature)));
    });
    return next;
  }

  /**
   * The healthy calls in a row that let a culprit back in before its hold ends: {@link
   * GovernorPolicy#TRIALS_TO_RESTORE}, times as many dwells as its hold lasts after a relapse (twice the
   * evidence for a doubled hold): the hold is a ceiling, and a relapse asks for more evidence, not a wait.
   */
  static int healthyCallsToRelease(GovernorPolicy policy, GovernorState.Culprit culprit) {
    long dwells = Math.max(1, (culprit.holdNanos() + policy.minDwell().toNanos() - 1) / policy.minDwell().toNanos());
    return (int) Math.min(Integer.MAX_VALUE, GovernorPolicy.TRIALS_TO_RESTORE * dwells);
  }

  private static GovernorState decideLevel(GovernorPolicy policy, SignalSnapshot signals,
      GovernorState previous, long nowNanos, boolean recovered) {
    Level entered = Level.NORMAL;
    String enteredBy = null;
    Level held = Level.NORMAL;
    for (SignalRule rule : policy.rules()) {
      Signal signal = rule.signal();
      double value = signals.get(signal);
      if (Double.isNaN(value)) {
        continue;
      }
      for (SignalRule.Threshold t : rule.thresholds()) {
        if (value >= t.enter() && t.level().compareTo(entered) > 0) {
          entered = t.level();
          enteredBy = signal.name() + " = " + signal.format(value) + " ≥ " + signal.format(t.enter())
              + " (enter " + t.level() + ")" + signals.detail(signal).map(d -> ": " + d).orElse("");
        }
        if (value >= t.exit() && t.level().compareTo(held) > 0) {
          held = t.level();
        }
      }
    }

    Level current = previous.level();
    long dwell = dwell(policy, previous.dwellNanos());
    boolean steppedDownLately = previous.steppedDownNanos() != GovernorState.NEVER
        && nowNanos - previous.steppedDownNanos() < relapseWindow(policy, dwell);
    // A step down not followed by a relapse within its window: the dwell is back to minDwell.
    GovernorState base = previous.steppedDownNanos() == GovernorState.NEVER || steppedDownLately ? previous
        : previous.withDwell(0, GovernorState.NEVER);
    if (entered.compareTo(current) > 0) {
      long nextDwell = steppedDownLately ? doubled(policy, dwell) : base.dwellNanos();
      String reason = !steppedDownLately ? enteredBy : enteredBy + String.format(Locale.ROOT,
          "; again %s after a step down, so the next step down waits %s", formatSeconds(nowNanos
              - previous.steppedDownNanos()), formatSeconds(nextDwell));
      // the relapse used up the step down: the back-off holds until the next one
      return new GovernorState(entered, nowNanos, GovernorState.NOT_CALM, reason, previous.culprits(), nextDwell,
          GovernorState.NEVER, previous.released());
    }
    if (held.compareTo(current) >= 0 || current == Level.NORMAL) {
      return base.withCalmSince(GovernorState.NOT_CALM);
    }
    long calmSince = base.isCalm() ? base.calmSinceNanos() : nowNanos;
    dwell = dwell(policy, base.dwellNanos());
    if (recovered || (nowNanos - calmSince >= dwell && nowNanos - base.levelSinceNanos() >= dwell)) {
      Level lower = current.lower();
      String reason = "signals below the exit thresholds of " + current + " for "
          + formatSeconds(nowNanos - calmSince) + " " + describe(policy, signals, current)
          + (recovered ? " and the shed features' trial calls healthy: the dwell is a ceiling" : "");
      return new GovernorState(lower, nowNanos, nowNanos, reason, base.culprits(), base.dwellNanos(), nowNanos,
          base.released());
    }
    return base.withCalmSince(calmSince);
  }

  private static String describe(GovernorPolicy policy, SignalSnapshot signals, Level level) {
    StringBuilder sb = new StringBuilder("(");
    for (SignalRule rule : policy.rules()) {
      double value = signals.get(rule.signal());
      for (SignalRule.Threshold t : rule.thresholds()) {
        if (t.level() == level) {
          if (sb.length() > 1) {
            sb.append(", ");
          }
          sb.append(rule.signal().name()).append(" = ")
              .append(Double.isNaN(value) ? "no reading" : rule.signal().format(value))
              .append(" < ").append(rule.signal().format(t.exit()));
        }
      }
    }
    return sb.append(')').toString();
  }

  static String formatSeconds(long nanos) {
    return String.format(Locale.ROOT, "%.1f s", nanos / 1e9);
  }
}
