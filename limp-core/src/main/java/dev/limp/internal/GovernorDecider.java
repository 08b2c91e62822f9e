package dev.limp.internal;

import dev.limp.GovernorPolicy;
import dev.limp.Level;
import dev.limp.Signal;
import dev.limp.SignalRule;
import dev.limp.SignalSnapshot;
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
 *   <li>otherwise the signals are calm; once calm for {@code minDwell}, and the level at least that old,
 *       the level steps down by one, and the next step needs a new dwell.
 * </ul>
 * Missing signals neither enter nor hold a level.
 */
public final class GovernorDecider {
  private GovernorDecider() {
  }

  /** The next state. Returns {@code previous} itself when nothing changed. */
  public static GovernorState decide(GovernorPolicy policy, SignalSnapshot signals, GovernorState previous,
      long nowNanos) {
    return decideLevel(policy, signals, previous, nowNanos)
        .withCulprits(culprits(policy, signals, previous.culprits(), nowNanos));
  }

  /**
   * Culprits: a feature named by a signal source is a culprit from that tick on, and stays one until it
   * has not been named for {@code minDwell} (the same hysteresis as a level).
   */
  static Map<String, GovernorState.Culprit> culprits(GovernorPolicy policy, SignalSnapshot signals,
      Map<String, GovernorState.Culprit> previous, long nowNanos) {
    if (previous.isEmpty() && signals.suspects().isEmpty()) {
      return previous;
    }
    long dwell = policy.minDwell().toNanos();
    Map<String, GovernorState.Culprit> next = new TreeMap<>();
    previous.forEach((feature, culprit) -> {
      if (nowNanos - culprit.lastNamedNanos() < dwell) {
        next.put(feature, culprit);
      }
    });
    signals.suspects().forEach((feature, reason) -> {
      GovernorState.Culprit before = previous.get(feature);
      next.put(feature, new GovernorState.Culprit(reason, before == null ? nowNanos : before.sinceNanos(),
          nowNanos));
    });
    return next;
  }

  private static GovernorState decideLevel(GovernorPolicy policy, SignalSnapshot signals,
      GovernorState previous, long nowNanos) {
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
              + " (enter " + t.level() + ")";
        }
        if (value >= t.exit() && t.level().compareTo(held) > 0) {
          held = t.level();
        }
      }
    }

    Level current = previous.level();
    if (entered.compareTo(current) > 0) {
      return new GovernorState(entered, nowNanos, GovernorState.NOT_CALM, enteredBy, previous.culprits());
    }
    if (held.compareTo(current) >= 0 || current == Level.NORMAL) {
      return previous.withCalmSince(GovernorState.NOT_CALM);
    }
    long calmSince = previous.isCalm() ? previous.calmSinceNanos() : nowNanos;
    long dwell = policy.minDwell().toNanos();
    if (nowNanos - calmSince >= dwell && nowNanos - previous.levelSinceNanos() >= dwell) {
      Level lower = current.lower();
      String reason = "signals below the exit thresholds of " + current + " for "
          + formatSeconds(nowNanos - calmSince) + " " + describe(policy, signals, current);
      return new GovernorState(lower, nowNanos, nowNanos, reason, previous.culprits());
    }
    return previous.withCalmSince(calmSince);
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
    return String.format(java.util.Locale.ROOT, "%.1f s", nanos / 1e9);
  }
}
