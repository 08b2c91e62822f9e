package dev.limp.micrometer;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The names of the meters {@link LimpMetrics} registers, so that an application can rename them (to fit a
 * house prefix, or to run two naming schemes side by side). Names follow Micrometer's convention: lower
 * case and dot-separated; each registry's naming convention turns them into its own form
 * ({@code limp.calls} becomes {@code limp_calls_total} in Prometheus).
 *
 * <pre>{@code
 * LimpMetricNames names = LimpMetricNames.custom()
 *     .levelMetricName("chat.limp.level")
 *     .callsMetricName("chat.limp.calls")
 *     .build();
 * LimpMetrics.of(limp, names).bindTo(registry);
 * }</pre>
 *
 * <p>Tag keys are fixed: {@link #TAG_INSTANCE}, {@link #TAG_FEATURE}, {@link #TAG_TIER},
 * {@link #TAG_OUTCOME}, {@link #TAG_HANDLING}, {@link #TAG_DIRECTION}, {@link #TAG_TO} and
 * {@link #TAG_SIGNAL}. Tag values that come from enums are their lower-case names ({@code sheddable_plus},
 * {@code permitted}, {@code stale}).
 *
 * <p>Immutable and thread-safe. Create with {@link #ofDefaults()}, {@link #custom()} or
 * {@link #from(LimpMetricNames)}.
 */
public final class LimpMetricNames {
  /** Gauge: the effective level's ordinal, 0 ({@code NORMAL}) to 3 ({@code SHED_CRITICAL}). */
  public static final String DEFAULT_LEVEL = "limp.level";
  /** Gauge: 1 while an operator forces the level, else 0. */
  public static final String DEFAULT_LEVEL_OVERRIDDEN = "limp.level.overridden";
  /** Counter: changes of the effective level, by direction. */
  public static final String DEFAULT_LEVEL_TRANSITIONS = "limp.level.transitions";
  /** Gauge per feature: 0 active, 1 ramping, 2 shed, 3 throttled. */
  public static final String DEFAULT_FEATURE_STATE = "limp.feature.state";
  /** Gauge per feature: the fraction of calls admitted now, 0 to 1. */
  public static final String DEFAULT_FEATURE_ADMITTED = "limp.feature.admitted";
  /** Gauge per feature: 1 when shadow mode would shed the feature, else 0. */
  public static final String DEFAULT_FEATURE_WOULD_SHED = "limp.feature.would.shed";
  /** Counter per feature: changes of the feature's state, by the state entered. */
  public static final String DEFAULT_FEATURE_TRANSITIONS = "limp.feature.transitions";
  /** Function counter per feature and outcome: guarded calls. */
  public static final String DEFAULT_CALLS = "limp.calls";
  /** Function counter per feature and handling: how shed or rejected calls were answered. */
  public static final String DEFAULT_SHED_CALLS = "limp.calls.shed";
  /** Gauge per feature: deferred work waiting for replay. */
  public static final String DEFAULT_DEFERRED_QUEUED = "limp.deferred.queued";
  /** Gauge per signal: the latest reading, {@code NaN} when there is none. */
  public static final String DEFAULT_SIGNAL = "limp.signal";

  /** Tag: the limp instance's name. On every meter. */
  public static final String TAG_INSTANCE = "instance";
  /** Tag: the feature's name. */
  public static final String TAG_FEATURE = "feature";
  /** Tag: the feature's tier, lower case. */
  public static final String TAG_TIER = "tier";
  /** Tag of {@link #DEFAULT_CALLS}: the call's {@link dev.limp.CallOutcome}, lower case. */
  public static final String TAG_OUTCOME = "outcome";
  /** Tag of {@link #DEFAULT_SHED_CALLS}: the {@link dev.limp.ShedHandling}, lower case. */
  public static final String TAG_HANDLING = "handling";
  /** Tag of {@link #DEFAULT_LEVEL_TRANSITIONS}: {@code escalation} or {@code recovery}. */
  public static final String TAG_DIRECTION = "direction";
  /** Tag of {@link #DEFAULT_FEATURE_TRANSITIONS}: the state entered, {@code shed}, {@code ramping} or {@code active}. */
  public static final String TAG_TO = "to";
  /** Tag of {@link #DEFAULT_SIGNAL}: the signal's name. */
  public static final String TAG_SIGNAL = "signal";

  private static final LimpMetricNames DEFAULTS = custom().build();

  private final String level;
  private final String levelOverridden;
  private final String levelTransitions;
  private final String featureState;
  private final String featureAdmitted;
  private final String featureWouldShed;
  private final String featureTransitions;
  private final String calls;
  private final String shedCalls;
  private final String deferredQueued;
  private final String signal;
  private final boolean gaugePerSignal;

  private LimpMetricNames(Builder b) {
    this.level = b.level;
    this.levelOverridden = b.levelOverridden;
    this.levelTransitions = b.levelTransitions;
    this.featureState = b.featureState;
    this.featureAdmitted = b.featureAdmitted;
    this.featureWouldShed = b.featureWouldShed;
    this.featureTransitions = b.featureTransitions;
    this.calls = b.calls;
    this.shedCalls = b.shedCalls;
    this.deferredQueued = b.deferredQueued;
    this.signal = b.signal;
    this.gaugePerSignal = b.gaugePerSignal;
  }

  /** The default names ({@code limp.level}, {@code limp.calls}, …). */
  public static LimpMetricNames ofDefaults() {
    return DEFAULTS;
  }

  /** A builder starting from the default names; rename only the meters you need to. */
  public static Builder custom() {
    return new Builder();
  }

  /** A builder starting from the given names. */
  public static Builder from(LimpMetricNames base) {
    return new Builder(Objects.requireNonNull(base, "base"));
  }

  /** Defaults to {@value #DEFAULT_LEVEL}. */
  public String levelMetricName() {
    return level;
  }

  /** Defaults to {@value #DEFAULT_LEVEL_OVERRIDDEN}. */
  public String levelOverriddenMetricName() {
    return levelOverridden;
  }

  /** Defaults to {@value #DEFAULT_LEVEL_TRANSITIONS}. */
  public String levelTransitionsMetricName() {
    return levelTransitions;
  }

  /** Defaults to {@value #DEFAULT_FEATURE_STATE}. */
  public String featureStateMetricName() {
    return featureState;
  }

  /** Defaults to {@value #DEFAULT_FEATURE_ADMITTED}. */
  public String featureAdmittedMetricName() {
    return featureAdmitted;
  }

  /** Defaults to {@value #DEFAULT_FEATURE_WOULD_SHED}. */
  public String featureWouldShedMetricName() {
    return featureWouldShed;
  }

  /** Defaults to {@value #DEFAULT_FEATURE_TRANSITIONS}. */
  public String featureTransitionsMetricName() {
    return featureTransitions;
  }

  /** Defaults to {@value #DEFAULT_CALLS}. */
  public String callsMetricName() {
    return calls;
  }

  /** Defaults to {@value #DEFAULT_SHED_CALLS}. */
  public String shedCallsMetricName() {
    return shedCalls;
  }

  /** Defaults to {@value #DEFAULT_DEFERRED_QUEUED}. */
  public String deferredQueuedMetricName() {
    return deferredQueued;
  }

  /** Defaults to {@value #DEFAULT_SIGNAL}. */
  public String signalMetricName() {
    return signal;
  }

  /**
   * The name of one signal's own gauge: {@link #signalMetricName()}, a dot, and the signal's name
   * ({@code limp.signal.db.query.p99}), so that a view of a meter name without tags shows one reading.
   */
  public String signalMetricName(dev.limp.Signal s) {
    return signal + "." + s.name();
  }

  /**
   * Whether each signal also gets a gauge of its own name ({@link #signalMetricName(dev.limp.Signal)}), as
   * well as its place in the tagged {@link #signalMetricName()} family. Default {@code false}.
   */
  public boolean gaugePerSignal() {
    return gaugePerSignal;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LimpMetricNames && ((LimpMetricNames) o).byName().equals(byName())
        && ((LimpMetricNames) o).gaugePerSignal == gaugePerSignal;
  }

  @Override
  public int hashCode() {
    return byName().hashCode() * 31 + Boolean.hashCode(gaugePerSignal);
  }

  @Override
  public String toString() {
    return "LimpMetricNames" + byName() + (gaugePerSignal ? " with a gauge per signal" : "");
  }

  /** Every name, keyed by its builder setter, in a fixed order. */
  private Map<String, String> byName() {
    Map<String, String> names = new LinkedHashMap<>();
    names.put("levelMetricName", level);
    names.put("levelOverriddenMetricName", levelOverridden);
    names.put("levelTransitionsMetricName", levelTransitions);
    names.put("featureStateMetricName", featureState);
    names.put("featureAdmittedMetricName", featureAdmitted);
    names.put("featureWouldShedMetricName", featureWouldShed);
    names.put("featureTransitionsMetricName", featureTransitions);
    names.put("callsMetricName", calls);
    names.put("shedCallsMetricName", shedCalls);
    names.put("deferredQueuedMetricName", deferredQueued);
    names.put("signalMetricName", signal);
    return names;
  }

  /**
   * Builds {@link LimpMetricNames}. Each setter checks its name at once; {@link #build()} checks that no two
   * meters share a name. Not thread-safe.
   */
  public static final class Builder {
    private String level = DEFAULT_LEVEL;
    private String levelOverridden = DEFAULT_LEVEL_OVERRIDDEN;
    private String levelTransitions = DEFAULT_LEVEL_TRANSITIONS;
    private String featureState = DEFAULT_FEATURE_STATE;
    private String featureAdmitted = DEFAULT_FEATURE_ADMITTED;
    private String featureWouldShed = DEFAULT_FEATURE_WOULD_SHED;
    private String featureTransitions = DEFAULT_FEATURE_TRANSITIONS;
    private String calls = DEFAULT_CALLS;
    private String shedCalls = DEFAULT_SHED_CALLS;
    private String deferredQueued = DEFAULT_DEFERRED_QUEUED;
    private String signal = DEFAULT_SIGNAL;
    private boolean gaugePerSignal;

    private Builder() {
    }

    private Builder(LimpMetricNames base) {
      level = base.level;
      levelOverridden = base.levelOverridden;
      levelTransitions = base.levelTransitions;
      featureState = base.featureState;
      featureAdmitted = base.featureAdmitted;
      featureWouldShed = base.featureWouldShed;
      featureTransitions = base.featureTransitions;
      calls = base.calls;
      shedCalls = base.shedCalls;
      deferredQueued = base.deferredQueued;
      signal = base.signal;
      gaugePerSignal = base.gaugePerSignal;
    }

    /** Renames the level gauge ({@value LimpMetricNames#DEFAULT_LEVEL}). */
    public Builder levelMetricName(String name) {
      level = check("levelMetricName", name);
      return this;
    }

    /** Renames the forced-level gauge ({@value LimpMetricNames#DEFAULT_LEVEL_OVERRIDDEN}). */
    public Builder levelOverriddenMetricName(String name) {
      levelOverridden = check("levelOverriddenMetricName", name);
      return this;
    }

    /** Renames the level-transition counter ({@value LimpMetricNames#DEFAULT_LEVEL_TRANSITIONS}). */
    public Builder levelTransitionsMetricName(String name) {
      levelTransitions = check("levelTransitionsMetricName", name);
      return this;
    }

    /** Renames the feature-state gauge ({@value LimpMetricNames#DEFAULT_FEATURE_STATE}). */
    public Builder featureStateMetricName(String name) {
      featureState = check("featureStateMetricName", name);
      return this;
    }

    /** Renames the admitted-fraction gauge ({@value LimpMetricNames#DEFAULT_FEATURE_ADMITTED}). */
    public Builder featureAdmittedMetricName(String name) {
      featureAdmitted = check("featureAdmittedMetricName", name);
      return this;
    }

    /** Renames the shadow-mode gauge ({@value LimpMetricNames#DEFAULT_FEATURE_WOULD_SHED}). */
    public Builder featureWouldShedMetricName(String name) {
      featureWouldShed = check("featureWouldShedMetricName", name);
      return this;
    }

    /** Renames the feature-transition counter ({@value LimpMetricNames#DEFAULT_FEATURE_TRANSITIONS}). */
    public Builder featureTransitionsMetricName(String name) {
      featureTransitions = check("featureTransitionsMetricName", name);
      return this;
    }

    /** Renames the call counter ({@value LimpMetricNames#DEFAULT_CALLS}). */
    public Builder callsMetricName(String name) {
      calls = check("callsMetricName", name);
      return this;
    }

    /** Renames the shed-call counter ({@value LimpMetricNames#DEFAULT_SHED_CALLS}). */
    public Builder shedCallsMetricName(String name) {
      shedCalls = check("shedCallsMetricName", name);
      return this;
    }

    /** Renames the deferred-work gauge ({@value LimpMetricNames#DEFAULT_DEFERRED_QUEUED}). */
    public Builder deferredQueuedMetricName(String name) {
      deferredQueued = check("deferredQueuedMetricName", name);
      return this;
    }

    /** Renames the signal gauge ({@value LimpMetricNames#DEFAULT_SIGNAL}). */
    public Builder signalMetricName(String name) {
      signal = check("signalMetricName", name);
      return this;
    }

    /**
     * Also registers, for each signal, a gauge named after it ({@code limp.signal.db.query.p99}), for
     * registry views that show a meter name without its tags: Spring Boot's {@code /actuator/metrics}
     * sums the tagged family over signals of different units, a number that means nothing. Default
     * {@code false}; the auto-configuration of {@code limp-spring} turns it on.
     */
    public Builder gaugePerSignal(boolean gaugePerSignal) {
      this.gaugePerSignal = gaugePerSignal;
      return this;
    }

    /**
     * Builds the names.
     *
     * @throws IllegalStateException if two meters were given the same name (a registry cannot hold a gauge
     *     and a counter, or two differently tagged meters, under one name)
     */
    public LimpMetricNames build() {
      LimpMetricNames names = new LimpMetricNames(this);
      Map<String, String> settingByName = new LinkedHashMap<>();
      names.byName().forEach((setting, name) -> {
        String other = settingByName.putIfAbsent(name, setting);
        if (other != null) {
          throw new IllegalStateException(setting + " must differ from " + other + ", but both are '" + name
              + "'; every meter needs a name of its own");
        }
      });
      return names;
    }

    private static String check(String setting, String name) {
      Objects.requireNonNull(name, setting);
      if (name.isBlank() || !name.strip().equals(name) || name.chars().anyMatch(Character::isWhitespace)) {
        throw new IllegalArgumentException(setting + " must be a non-blank meter name without whitespace, "
            + "like 'limp.level', but was '" + name + "'");
      }
      return name;
    }
  }
}
