package dev.limp.micrometer;

import java.util.Collections;
import java.util.EnumMap;
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
  /**
   * Function counter per feature and outcome ({@code healthy} or {@code unhealthy}): the trial calls a shed
   * feature let through, counted as each ends and is judged.
   */
  public static final String DEFAULT_TRIAL_CALLS = "limp.calls.trial";
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
  /**
   * Tag of {@link #DEFAULT_CALLS}: the call's {@link dev.limp.CallOutcome}, lower case; of
   * {@link #DEFAULT_TRIAL_CALLS}: how the trial call was judged, {@code healthy} or {@code unhealthy}.
   */
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

  /** The name of each meter, in the catalogue's order. */
  private final Map<MeterName, String> names;
  private final boolean gaugePerSignal;

  private LimpMetricNames(Builder b) {
    this.names = Collections.unmodifiableMap(new EnumMap<>(b.names));
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
    return names.get(MeterName.LEVEL);
  }

  /** Defaults to {@value #DEFAULT_LEVEL_OVERRIDDEN}. */
  public String levelOverriddenMetricName() {
    return names.get(MeterName.LEVEL_OVERRIDDEN);
  }

  /** Defaults to {@value #DEFAULT_LEVEL_TRANSITIONS}. */
  public String levelTransitionsMetricName() {
    return names.get(MeterName.LEVEL_TRANSITIONS);
  }

  /** Defaults to {@value #DEFAULT_FEATURE_STATE}. */
  public String featureStateMetricName() {
    return names.get(MeterName.FEATURE_STATE);
  }

  /** Defaults to {@value #DEFAULT_FEATURE_ADMITTED}. */
  public String featureAdmittedMetricName() {
    return names.get(MeterName.FEATURE_ADMITTED);
  }

  /** Defaults to {@value #DEFAULT_FEATURE_WOULD_SHED}. */
  public String featureWouldShedMetricName() {
    return names.get(MeterName.FEATURE_WOULD_SHED);
  }

  /** Defaults to {@value #DEFAULT_FEATURE_TRANSITIONS}. */
  public String featureTransitionsMetricName() {
    return names.get(MeterName.FEATURE_TRANSITIONS);
  }

  /** Defaults to {@value #DEFAULT_CALLS}. */
  public String callsMetricName() {
    return names.get(MeterName.CALLS);
  }

  /** Defaults to {@value #DEFAULT_SHED_CALLS}. */
  public String shedCallsMetricName() {
    return names.get(MeterName.SHED_CALLS);
  }

  /** Defaults to {@value #DEFAULT_TRIAL_CALLS}. */
  public String trialCallsMetricName() {
    return names.get(MeterName.TRIAL_CALLS);
  }

  /** Defaults to {@value #DEFAULT_DEFERRED_QUEUED}. */
  public String deferredQueuedMetricName() {
    return names.get(MeterName.DEFERRED_QUEUED);
  }

  /** Defaults to {@value #DEFAULT_SIGNAL}. */
  public String signalMetricName() {
    return names.get(MeterName.SIGNAL);
  }

  /**
   * The name of one signal's own gauge: {@link #signalMetricName()}, a dot, and the signal's name
   * ({@code limp.signal.db.query.p99}), so that a view of a meter name without tags shows one reading.
   */
  public String signalMetricName(dev.limp.Signal s) {
    return signalMetricName() + "." + s.name();
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
    return o instanceof LimpMetricNames && ((LimpMetricNames) o).names.equals(names)
        && ((LimpMetricNames) o).gaugePerSignal == gaugePerSignal;
  }

  @Override
  public int hashCode() {
    return names.hashCode() * 31 + Boolean.hashCode(gaugePerSignal);
  }

  @Override
  public String toString() {
    Map<String, String> bySetting = new LinkedHashMap<>();
    names.forEach((meter, name) -> bySetting.put(meter.setting, name));
    return "LimpMetricNames" + bySetting + (gaugePerSignal ? " with a gauge per signal" : "");
  }

  /**
   * Builds {@link LimpMetricNames}. Each setter checks its name at once; {@link #build()} checks that no two
   * meters share a name. Not thread-safe.
   */
  public static final class Builder {
    private final Map<MeterName, String> names = new EnumMap<>(MeterName.class);
    private boolean gaugePerSignal;

    private Builder() {
      for (MeterName meter : MeterName.values()) {
        names.put(meter, meter.defaultName);
      }
    }

    private Builder(LimpMetricNames base) {
      names.putAll(base.names);
      gaugePerSignal = base.gaugePerSignal;
    }

    /** Renames the level gauge ({@value LimpMetricNames#DEFAULT_LEVEL}). */
    public Builder levelMetricName(String name) {
      return set(MeterName.LEVEL, name);
    }

    /** Renames the forced-level gauge ({@value LimpMetricNames#DEFAULT_LEVEL_OVERRIDDEN}). */
    public Builder levelOverriddenMetricName(String name) {
      return set(MeterName.LEVEL_OVERRIDDEN, name);
    }

    /** Renames the level-transition counter ({@value LimpMetricNames#DEFAULT_LEVEL_TRANSITIONS}). */
    public Builder levelTransitionsMetricName(String name) {
      return set(MeterName.LEVEL_TRANSITIONS, name);
    }

    /** Renames the feature-state gauge ({@value LimpMetricNames#DEFAULT_FEATURE_STATE}). */
    public Builder featureStateMetricName(String name) {
      return set(MeterName.FEATURE_STATE, name);
    }

    /** Renames the admitted-fraction gauge ({@value LimpMetricNames#DEFAULT_FEATURE_ADMITTED}). */
    public Builder featureAdmittedMetricName(String name) {
      return set(MeterName.FEATURE_ADMITTED, name);
    }

    /** Renames the shadow-mode gauge ({@value LimpMetricNames#DEFAULT_FEATURE_WOULD_SHED}). */
    public Builder featureWouldShedMetricName(String name) {
      return set(MeterName.FEATURE_WOULD_SHED, name);
    }

    /** Renames the feature-transition counter ({@value LimpMetricNames#DEFAULT_FEATURE_TRANSITIONS}). */
    public Builder featureTransitionsMetricName(String name) {
      return set(MeterName.FEATURE_TRANSITIONS, name);
    }

    /** Renames the call counter ({@value LimpMetricNames#DEFAULT_CALLS}). */
    public Builder callsMetricName(String name) {
      return set(MeterName.CALLS, name);
    }

    /** Renames the shed-call counter ({@value LimpMetricNames#DEFAULT_SHED_CALLS}). */
    public Builder shedCallsMetricName(String name) {
      return set(MeterName.SHED_CALLS, name);
    }

    /** Renames the trial-call counter ({@value LimpMetricNames#DEFAULT_TRIAL_CALLS}). */
    public Builder trialCallsMetricName(String name) {
      return set(MeterName.TRIAL_CALLS, name);
    }

    /** Renames the deferred-work gauge ({@value LimpMetricNames#DEFAULT_DEFERRED_QUEUED}). */
    public Builder deferredQueuedMetricName(String name) {
      return set(MeterName.DEFERRED_QUEUED, name);
    }

    /** Renames the signal gauge ({@value LimpMetricNames#DEFAULT_SIGNAL}). */
    public Builder signalMetricName(String name) {
      return set(MeterName.SIGNAL, name);
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
      Map<String, MeterName> meterByName = new LinkedHashMap<>();
      names.forEach((meter, name) -> {
        MeterName other = meterByName.putIfAbsent(name, meter);
        if (other != null) {
          throw new IllegalStateException(meter.setting + " must differ from " + other.setting + ", but both are '"
              + name + "'; every meter needs a name of its own");
        }
      });
      return new LimpMetricNames(this);
    }

    private Builder set(MeterName meter, String name) {
      names.put(meter, meter.check(name));
      return this;
    }
  }
}
