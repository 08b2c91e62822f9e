package dev.limp;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * When one signal raises the level, and when it lets it fall again. For each level the rule names, a
 * reading at or above the <em>enter</em> threshold raises the level to at least that level; the level is
 * held while the reading stays at or above the lower <em>exit</em> threshold (hysteresis).
 *
 * <pre>{@code
 * SignalRule.of(QUERY_P99)
 *     .level(Level.SHED_SHEDDABLE, 200, 100)       // enter at 200 ms, exit below 100 ms
 *     .level(Level.SHED_SHEDDABLE_PLUS, 500, 250)
 *     .level(Level.SHED_CRITICAL, 2000, 1000)
 *     .build();
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class SignalRule {
  /** One level's thresholds. */
  public static final class Threshold {
    private final Level level;
    private final double enter;
    private final double exit;

    Threshold(Level level, double enter, double exit) {
      this.level = level;
      this.enter = enter;
      this.exit = exit;
    }

    public Level level() {
      return level;
    }

    /** A reading at or above this raises the level to at least {@link #level()}. */
    public double enter() {
      return enter;
    }

    /** While a reading stays at or above this, {@link #level()} is held. Below {@link #enter()}. */
    public double exit() {
      return exit;
    }

    @Override
    public String toString() {
      return level + "[enter " + enter + ", exit " + exit + "]";
    }
  }

  private final Signal signal;
  private final List<Threshold> thresholds;

  private SignalRule(Signal signal, List<Threshold> thresholds) {
    this.signal = signal;
    this.thresholds = thresholds;
  }

  /** Starts a rule for the given signal. */
  public static Builder of(Signal signal) {
    return new Builder(signal);
  }

  public Signal signal() {
    return signal;
  }

  /** The thresholds, from the lowest level to the highest. */
  public List<Threshold> thresholds() {
    return thresholds;
  }

  @Override
  public String toString() {
    return "SignalRule[" + signal + " " + thresholds + "]";
  }

  /** Builds a {@link SignalRule}; each setter validates at once. Not thread-safe. */
  public static final class Builder {
    private final Signal signal;
    private final Map<Level, Threshold> byLevel = new EnumMap<>(Level.class);

    private Builder(Signal signal) {
      this.signal = Objects.requireNonNull(signal, "signal");
    }

    /**
     * The thresholds for one level.
     *
     * @throws IllegalArgumentException if the level is {@code NORMAL}, a threshold is not finite or not above 0,
     *     a {@link Signal.Unit#RATIO} threshold is above 1, the exit threshold is not below the enter threshold,
     *     or the level already has thresholds
     */
    public Builder level(Level level, double enter, double exit) {
      Objects.requireNonNull(level, "level");
      String where = signal + " at " + level;
      if (level == Level.NORMAL) {
        throw new IllegalArgumentException(where + ": NORMAL is where the ladder starts and takes no "
            + "thresholds; name SHED_SHEDDABLE, SHED_SHEDDABLE_PLUS or SHED_CRITICAL");
      }
      if (!Double.isFinite(enter) || !Double.isFinite(exit)) {
        throw new IllegalArgumentException(where + ": thresholds must be finite numbers, but were enter="
            + enter + ", exit=" + exit);
      }
      if (!(exit > 0)) {
        throw new IllegalArgumentException(where + ": thresholds must be above 0 (readings are 0 or more, so "
            + "a rule at or below 0 would enter or hold its level for ever), but were enter=" + signal.format(enter)
            + ", exit=" + signal.format(exit));
      }
      if (signal.unit() == Signal.Unit.RATIO && enter > 1) {
        throw new IllegalArgumentException(where + ": " + signal.name() + " is a RATIO, read between 0 and 1, so "
            + "its thresholds must be at most 1 (80 % is 0.8), but were enter=" + enter + ", exit=" + exit);
      }
      if (!(exit < enter)) {
        throw new IllegalArgumentException(where + ": exit threshold must be below the enter threshold ("
            + signal.format(enter) + "), but was " + signal.format(exit));
      }
      if (byLevel.containsKey(level)) {
        throw new IllegalArgumentException(where + ": thresholds for this level are already set ("
            + byLevel.get(level) + "); a level takes one pair, but was given another: enter "
            + signal.format(enter) + ", exit " + signal.format(exit));
      }
      byLevel.put(level, new Threshold(level, enter, exit));
      return this;
    }

    /**
     * Builds the rule.
     *
     * @throws IllegalStateException if no level was given, or thresholds do not rise with the level
     */
    public SignalRule build() {
      if (byLevel.isEmpty()) {
        throw new IllegalStateException(signal + ": a rule needs thresholds for at least one level");
      }
      List<Threshold> ordered = new ArrayList<>(byLevel.values()); // EnumMap iterates in level order
      for (int i = 1; i < ordered.size(); i++) {
        Threshold lower = ordered.get(i - 1);
        Threshold higher = ordered.get(i);
        if (!(higher.enter > lower.enter)) {
          throw new IllegalStateException(signal + ": enter threshold of " + higher.level + " must be above "
              + "that of " + lower.level + " (" + signal.format(lower.enter) + "), but was "
              + signal.format(higher.enter));
        }
        if (!(higher.exit >= lower.exit)) {
          throw new IllegalStateException(signal + ": exit threshold of " + higher.level + " must not be "
              + "below that of " + lower.level + " (" + signal.format(lower.exit) + "), but was "
              + signal.format(higher.exit));
        }
      }
      return new SignalRule(signal, Collections.unmodifiableList(ordered));
    }
  }
}
