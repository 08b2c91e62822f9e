package dev.limp.redis;

import dev.limp.Level;
import dev.limp.Signal;
import dev.limp.SignalRule;
import java.util.Objects;

/**
 * The fleet rule (opt-in): when at least {@code minInstances} other live instances, or at least
 * {@code minShare} of them, are at a level of at least {@code level} by their own signals, this instance goes
 * to that level too: the database is shared, and what hurts it for them hurts it for this one.
 *
 * <p>The fleet reports this as the signal {@link #SIGNAL} (the ordinal of the deepest level the rule reaches,
 * 0 for none), read by the governor like any other, so its hysteresis, dwell times and staged recovery apply;
 * add {@link #signalRule()} to the instance's {@link dev.limp.GovernorPolicy}. Instances that are at a level
 * only because they follow the fleet do not count, so the fleet cannot hold itself up. Immutable.
 */
public final class FleetRule {
  /** The deepest level the fleet rule reaches, as an ordinal of {@link Level} (0 = NORMAL). */
  public static final Signal SIGNAL = Signal.of("fleet.level", Signal.Unit.COUNT);

  private final int minInstances;
  private final double minShare;
  private final Level fromLevel;

  private FleetRule(int minInstances, double minShare, Level fromLevel) {
    this.minInstances = minInstances;
    this.minShare = minShare;
    this.fromLevel = fromLevel;
  }

  /**
   * At least {@code k} other live instances at a level.
   *
   * @throws IllegalArgumentException unless k is at least 1
   */
  public static FleetRule atLeast(int k) {
    if (k < 1) {
      throw new IllegalArgumentException("k must be at least 1 (instances other than this one), but was " + k);
    }
    return new FleetRule(k, Double.NaN, Level.SHED_SHEDDABLE);
  }

  /**
   * At least {@code share} of the other live instances (and at least one) at a level.
   *
   * @throws IllegalArgumentException unless share is in (0, 1]
   */
  public static FleetRule atLeastShare(double share) {
    if (!(share > 0 && share <= 1)) {
      throw new IllegalArgumentException("share must be a fraction in (0, 1], but was " + share);
    }
    return new FleetRule(1, share, Level.SHED_SHEDDABLE);
  }

  /**
   * This rule, following only the levels from {@code level} up: the others at a lower level are not followed
   * (by default every level is, from {@link Level#SHED_SHEDDABLE}).
   *
   * @throws IllegalArgumentException if {@code level} is {@link Level#NORMAL}
   */
  public FleetRule fromLevel(Level level) {
    Objects.requireNonNull(level, "level");
    if (level == Level.NORMAL) {
      throw new IllegalArgumentException("fromLevel must be a level above NORMAL (the level the fleet rule "
          + "starts following), but was NORMAL");
    }
    return new FleetRule(minInstances, minShare, level);
  }

  /** The lowest level this rule follows. */
  public Level fromLevel() {
    return fromLevel;
  }

  /** Whether {@code atLevel} of {@code others} other live instances are enough to follow. */
  public boolean reached(int atLevel, int others) {
    if (atLevel < minInstances) {
      return false;
    }
    return Double.isNaN(minShare) || others > 0 && atLevel >= minShare * others;
  }

  /**
   * The governor rule for {@link #SIGNAL}: a reading of a level's ordinal enters that level, and the level is
   * held while the reading stays at least half a step below it.
   */
  public static SignalRule signalRule() {
    SignalRule.Builder b = SignalRule.of(SIGNAL);
    for (Level level : Level.values()) {
      if (level != Level.NORMAL) {
        b.level(level, level.ordinal(), level.ordinal() - 0.5);
      }
    }
    return b.build();
  }

  @Override
  public String toString() {
    String from = fromLevel == Level.SHED_SHEDDABLE ? "" : ", from " + fromLevel;
    return Double.isNaN(minShare) ? "FleetRule[at least " + minInstances + " instances" + from + "]"
        : "FleetRule[at least " + Math.round(minShare * 100) + " % of the others" + from + "]";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FleetRule r && r.minInstances == minInstances
        && Double.compare(r.minShare, minShare) == 0 && r.fromLevel == fromLevel;
  }

  @Override
  public int hashCode() {
    return Objects.hash(minInstances, minShare, fromLevel);
  }
}
