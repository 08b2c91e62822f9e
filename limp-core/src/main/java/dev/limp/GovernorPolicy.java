package dev.limp;

import dev.limp.internal.Checks;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How the governor turns signals into a level: one {@link SignalRule} per signal, the minimum dwell time
 * before any recovery step, and the ramp through which restored features come back.
 *
 * <ul>
 *   <li><b>Escalation</b> is immediate and may jump several levels: the level becomes the highest level
 *       whose enter threshold any signal reaches.
 *   <li><b>Recovery</b> goes one level at a time, and only once every signal has stayed below the exit
 *       thresholds of the current level for {@link #minDwell()}, and the current level is at least that old.
 *   <li><b>Relapse back-off</b>: when the level rises again within a dwell and a ramp period of a step down
 *       (the ramp's trickle found the database still sick), the next step down waits twice as long, up to
 *       {@link #maxDwell()}; a culprit named again soon after it was let back in is held twice as long. A
 *       long incident is probed less and less often instead of every {@code minDwell}; a step down that
 *       holds brings the dwell back to {@code minDwell}.
 *   <li><b>Ramp</b>: a feature let back in admits {@code rampSteps[0]} of its calls, then the next step,
 *       each step lasting {@code rampPeriod / rampSteps.length}; it is fully admitted (ACTIVE) as soon as a
 *       step is 1.0, and at the latest after {@link #rampPeriod()}. With the defaults: 10 % for 10 s, 50 % for
 *       10 s, then all calls from 20 s on.
 * </ul>
 *
 * <p>Immutable and thread-safe. Create with {@link #custom()}, {@link #from(GovernorPolicy)} or
 * {@link #ofDefaults()}.
 */
public final class GovernorPolicy {
  /**
   * 15 s: longer than the 10 s signal window, so a level is only left after a whole window of calm
   * readings, and short enough that a recovered database gets its features back within a minute.
   */
  public static final Duration DEFAULT_MIN_DWELL = Duration.ofSeconds(15);

  /** 10 % → 50 % → 100 %: a restored feature first sends a trickle, so a still-fragile database is not
   * hit by every deferred request at once. */
  public static final List<Double> DEFAULT_RAMP_STEPS = List.of(0.1, 0.5, 1.0);

  /** 30 s: each of the three default steps lasts 10 s, one signal window each. */
  public static final Duration DEFAULT_RAMP_PERIOD = Duration.ofSeconds(30);

  /**
   * Unless set, {@code maxDwell} is this many times {@code minDwell} (2 min with the default dwell): three
   * relapses in a row, then a probe every two minutes for as long as the incident lasts.
   */
  public static final int DEFAULT_MAX_DWELL_FACTOR = 8;
  /** The longest {@code minDwell}: a level held longer than an hour after calm returns is an operator's call. */
  public static final Duration MAX_MIN_DWELL = Duration.ofHours(1);
  /** The longest {@code maxDwell}: however often a database relapses, it is probed at least once a day. */
  public static final Duration MAX_MAX_DWELL = Duration.ofHours(24);
  /** The longest {@code rampPeriod}: a feature let back in admits every call within an hour. */
  public static final Duration MAX_RAMP_PERIOD = Duration.ofHours(1);

  /**
   * 250 ms: a trial call of a shed feature, or a call of a ramping one, that returns without error within
   * this is healthy evidence (the same as the database rules' first enter threshold for query latency).
   */
  public static final Duration DEFAULT_HEALTHY_CALL_LATENCY = Duration.ofMillis(250);
  /** Healthy trial calls in a row (one per tick) that let a shed feature back in before its dwell is over. */
  public static final int TRIALS_TO_RESTORE = 2;
  /** Healthy calls, and none unhealthy, that move a ramping feature to its next step before its time. */
  public static final int CALLS_PER_RAMP_STEP = 3;
  /** How long a culprit throttled to one call at a time may stay under pressure before it is shed. */
  public static final Duration THROTTLE_GRACE = Duration.ofSeconds(2);

  private static final GovernorPolicy DEFAULTS = custom().build();

  private final List<SignalRule> rules;
  private final Duration minDwell;
  private final Duration maxDwell;
  /** {@code maxDwell} as set, or {@code null} when it follows {@code minDwell}. */
  private final Duration maxDwellSetting;
  private final double[] rampSteps;
  private final Duration rampPeriod;
  private final Duration healthyCallLatency;
  private final boolean trialCalls;

  private GovernorPolicy(Builder b) {
    this.rules = Collections.unmodifiableList(new ArrayList<>(b.rules.values()));
    this.minDwell = b.minDwell;
    this.maxDwellSetting = b.maxDwell;
    this.maxDwell = b.maxDwell != null ? b.maxDwell : Checks.times(b.minDwell, DEFAULT_MAX_DWELL_FACTOR);
    this.rampSteps = b.rampSteps.clone();
    this.rampPeriod = b.rampPeriod;
    this.healthyCallLatency = b.healthyCallLatency;
    this.trialCalls = b.trialCalls;
  }

  /** The default policy: no signal rules (add them, or use the database defaults), default dwell and ramp. */
  public static GovernorPolicy ofDefaults() {
    return DEFAULTS;
  }

  public static Builder custom() {
    return new Builder();
  }

  /** A builder that starts from the given policy's settings. */
  public static Builder from(GovernorPolicy base) {
    return new Builder(base);
  }

  /** The rules, one per signal, in the order they were added. */
  public List<SignalRule> rules() {
    return rules;
  }

  public Duration minDwell() {
    return minDwell;
  }

  /** The longest the dwell grows to after relapses ({@link #DEFAULT_MAX_DWELL_FACTOR} × minDwell unless set). */
  public Duration maxDwell() {
    return maxDwell;
  }

  /** The admitted fraction at each ramp step, strictly rising, each in (0, 1]. */
  public List<Double> rampSteps() {
    List<Double> steps = new ArrayList<>(rampSteps.length);
    for (double step : rampSteps) {
      steps.add(step);
    }
    return Collections.unmodifiableList(steps);
  }

  /** The fraction admitted {@code nanosSinceRestore} after a feature was let back in. */
  public double rampFraction(long nanosSinceRestore) {
    long period = rampPeriod.toNanos();
    if (nanosSinceRestore >= period) {
      return 1.0;
    }
    int step = (int) (Math.max(0, nanosSinceRestore) / (period / rampSteps.length));
    return rampSteps[Math.min(step, rampSteps.length - 1)];
  }

  /** The time until the ramp's next step, or zero once the ramp is over. */
  public long nanosToNextRampStep(long nanosSinceRestore) {
    long period = rampPeriod.toNanos();
    if (nanosSinceRestore >= period) {
      return 0;
    }
    long stepLength = period / rampSteps.length;
    long step = Math.max(0, nanosSinceRestore) / stepLength;
    return Math.max(0, Math.min(period, (step + 1) * stepLength) - nanosSinceRestore);
  }

  public Duration rampPeriod() {
    return rampPeriod;
  }

  /** The longest a watched call (a trial of a shed feature, a call of a ramping one) may take to be healthy. */
  public Duration healthyCallLatency() {
    return healthyCallLatency;
  }

  /** Whether a feature the governor sheds lets one trial call through per tick, to judge its recovery. */
  public boolean trialCalls() {
    return trialCalls;
  }

  /** When, after a feature was let back in, the ramp step after the one at {@code nanosSinceRestore} starts. */
  public long nextRampStepStart(long nanosSinceRestore) {
    return Math.max(0, nanosSinceRestore) + nanosToNextRampStep(nanosSinceRestore);
  }

  @Override
  public String toString() {
    return "GovernorPolicy[rules=" + rules + ", minDwell=" + minDwell + ", maxDwell=" + maxDwell
        + ", rampSteps=" + rampSteps()
        + ", rampPeriod=" + rampPeriod + ", healthyCallLatency=" + healthyCallLatency + ", trialCalls="
        + trialCalls + "]";
  }

  /** Builds a {@link GovernorPolicy}; each setter validates at once. Not thread-safe. */
  public static final class Builder {
    private final Map<Signal, SignalRule> rules = new LinkedHashMap<>();
    private Duration minDwell = DEFAULT_MIN_DWELL;
    private Duration maxDwell;
    private double[] rampSteps = DEFAULT_RAMP_STEPS.stream().mapToDouble(Double::doubleValue).toArray();
    private Duration rampPeriod = DEFAULT_RAMP_PERIOD;
    private Duration healthyCallLatency = DEFAULT_HEALTHY_CALL_LATENCY;
    private boolean trialCalls = true;

    private Builder() {
    }

    private Builder(GovernorPolicy base) {
      Objects.requireNonNull(base, "base");
      base.rules.forEach(rule -> rules.put(rule.signal(), rule));
      minDwell = base.minDwell;
      maxDwell = base.maxDwellSetting;
      rampSteps = base.rampSteps.clone();
      rampPeriod = base.rampPeriod;
      healthyCallLatency = base.healthyCallLatency;
      trialCalls = base.trialCalls;
    }

    /**
     * Adds the rule for a signal.
     *
     * @throws IllegalArgumentException if the signal already has a rule (use {@link #replaceRule})
     */
    public Builder rule(SignalRule rule) {
      Objects.requireNonNull(rule, "rule");
      if (rules.containsKey(rule.signal())) {
        throw new IllegalArgumentException("rules: signal '" + rule.signal() + "' already has a rule ("
            + rules.get(rule.signal()) + "); use replaceRule to change it");
      }
      rules.put(rule.signal(), rule);
      return this;
    }

    /** Sets the rule for a signal, replacing any rule it had. */
    public Builder replaceRule(SignalRule rule) {
      Objects.requireNonNull(rule, "rule");
      rules.put(rule.signal(), rule);
      return this;
    }

    /** Removes the rule for a signal, if any: the signal no longer moves the level. */
    public Builder removeRule(Signal signal) {
      rules.remove(Objects.requireNonNull(signal, "signal"));
      return this;
    }

    /**
     * How long the signals must stay calm, and a level must have lasted, before the governor steps down.
     *
     * @throws IllegalArgumentException if not positive, or longer than {@link #MAX_MIN_DWELL}
     */
    public Builder minDwell(Duration minDwell) {
      this.minDwell = Checks.positiveAtMost("minDwell", minDwell, "MAX_MIN_DWELL: a level held longer after "
          + "calm returns is an operator's call", MAX_MIN_DWELL);
      return this;
    }

    /**
     * The longest the dwell grows to after relapses: each relapse doubles the wait before the next step down
     * (and a relapsing culprit's hold), up to this. Unless set, {@link #DEFAULT_MAX_DWELL_FACTOR} times
     * {@code minDwell}; set it to {@code minDwell} for no back-off.
     *
     * @throws IllegalArgumentException if not positive, or longer than {@link #MAX_MAX_DWELL}
     */
    public Builder maxDwell(Duration maxDwell) {
      this.maxDwell = Checks.positiveAtMost("maxDwell", maxDwell, "MAX_MAX_DWELL: the database is probed at "
          + "least once a day", MAX_MAX_DWELL);
      return this;
    }

    /**
     * The fractions of calls a restored feature admits, step by step.
     *
     * @throws IllegalArgumentException if empty, a step is outside (0, 1], or steps do not strictly rise
     */
    public Builder rampSteps(double... steps) {
      Objects.requireNonNull(steps, "rampSteps");
      if (steps.length == 0) {
        throw new IllegalArgumentException("rampSteps must name at least one step, like 0.1, 0.5, 1.0, but "
            + "none was given");
      }
      for (int i = 0; i < steps.length; i++) {
        if (!(steps[i] > 0 && steps[i] <= 1)) {
          throw new IllegalArgumentException("rampSteps must each be a fraction in (0, 1], but step " + i
              + " was " + steps[i]);
        }
        if (i > 0 && !(steps[i] > steps[i - 1])) {
          throw new IllegalArgumentException("rampSteps must strictly rise, but step " + i + " (" + steps[i]
              + ") is not above step " + (i - 1) + " (" + steps[i - 1] + ")");
        }
      }
      this.rampSteps = steps.clone();
      return this;
    }

    /**
     * How long a restored feature takes to be fully admitted again.
     *
     * @throws IllegalArgumentException if not positive, or longer than {@link #MAX_RAMP_PERIOD}
     */
    public Builder rampPeriod(Duration rampPeriod) {
      this.rampPeriod = Checks.positiveAtMost("rampPeriod", rampPeriod, "MAX_RAMP_PERIOD", MAX_RAMP_PERIOD);
      return this;
    }

    /**
     * The longest a watched call may take to count as healthy evidence: a trial call of a shed feature (one
     * per tick), or a call of a ramping one. Healthy trials let a shed feature back in before its dwell is
     * over; healthy ramp calls move the ramp on before its time.
     *
     * @throws IllegalArgumentException if not positive, or above 1 minute
     */
    public Builder healthyCallLatency(Duration healthyCallLatency) {
      this.healthyCallLatency = Checks.positiveAtMost("healthyCallLatency", healthyCallLatency, "1 minute",
          Duration.ofMinutes(1));
      return this;
    }

    /**
     * Whether a feature the governor sheds (by its level or as a culprit; never an operator's shed) lets one
     * of its calls through per tick as a trial, whose latency and outcome tell when it is healthy again.
     * Default {@code true}; without trials, shed features come back when the dwell is over.
     */
    public Builder trialCalls(boolean trialCalls) {
      this.trialCalls = trialCalls;
      return this;
    }

    /**
     * Builds the policy.
     *
     * @throws IllegalStateException if the ramp period is too short to give each ramp step a nanosecond, or
     *     {@code maxDwell} is shorter than {@code minDwell}
     */
    public GovernorPolicy build() {
      if (maxDwell != null) {
        Checks.notBelow("maxDwell", maxDwell, "minDwell", minDwell);
      }
      if (rampPeriod.toNanos() < rampSteps.length) {
        throw new IllegalStateException("rampPeriod must last at least one nanosecond for each of the "
            + rampSteps.length + " rampSteps, but was " + rampPeriod);
      }
      return new GovernorPolicy(this);
    }
  }
}
