package dev.limp.micrometer;

import dev.limp.CallOutcome;
import dev.limp.FeatureGuard;
import dev.limp.FeatureState;
import dev.limp.ShedHandling;
import dev.limp.Tier;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.Locale;
import java.util.function.ToLongBiFunction;
import java.util.function.ToLongFunction;

/**
 * The meters of each feature of one limp instance, in one registry, tagged {@code instance},
 * {@code feature} and {@code tier}: state, admitted fraction, would-shed and deferred-work gauges, call,
 * shed-call and trial-call function counters read from the guard's own counters, and the transition counters.
 * Gauges and function counters hold the guard weakly; their functions capture no limp object.
 *
 * <p>Thread-safe: registering a meter twice returns the first.
 */
final class FeatureMeters {
  private final LimpMetricNames names;
  private final MeterRegistry registry;
  private final String instance;

  FeatureMeters(LimpMetricNames names, MeterRegistry registry, String instance) {
    this.names = names;
    this.registry = registry;
    this.instance = instance;
  }

  /** Registers every meter of the feature, its transition counters included. Failures propagate. */
  void register(FeatureGuard guard) {
    Tags tags = Tags.of(LimpMetricNames.TAG_INSTANCE, instance, LimpMetricNames.TAG_FEATURE, guard.name(),
        LimpMetricNames.TAG_TIER, lowerCase(guard.tier()));
    Gauge.builder(names.featureStateMetricName(), guard, g -> stateValue(g.state()))
        .tags(tags)
        .description("The feature's state: 0 active, 1 ramping, 2 shed, 3 throttled")
        .register(registry);
    Gauge.builder(names.featureAdmittedMetricName(), guard, FeatureGuard::admittedFraction)
        .tags(tags)
        .description("The fraction of the feature's calls admitted now, 0 to 1")
        .register(registry);
    Gauge.builder(names.featureWouldShedMetricName(), guard, g -> g.wouldShed() ? 1 : 0)
        .tags(tags)
        .description("1 when shadow mode would shed the feature, else 0")
        .register(registry);
    Gauge.builder(names.deferredQueuedMetricName(), guard, FeatureGuard::deferredQueued)
        .tags(tags)
        .description("The feature's deferred work waiting for replay")
        .register(registry);
    countersBy(CallOutcome.values(), names.callsMetricName(), guard, FeatureGuard::count, tags,
        LimpMetricNames.TAG_OUTCOME, "Calls through the feature's guard, by outcome");
    countersBy(ShedHandling.values(), names.shedCallsMetricName(), guard, FeatureGuard::count, tags,
        LimpMetricNames.TAG_HANDLING, "Shed or rejected calls of the feature, by how they were answered");
    trialCalls(guard, tags, "healthy", FeatureGuard::healthyTrialCalls);
    trialCalls(guard, tags, "unhealthy", FeatureGuard::unhealthyTrialCalls);
    for (FeatureState to : FeatureState.values()) {
      transitions(guard.name(), guard.tier(), to);
    }
  }

  /**
   * One function counter per enum value, tagged {@code tagKey} with the value's lower-case name, reading the
   * guard's own count. The function captures the value and a method reference, no limp object.
   */
  private <E extends Enum<E>> void countersBy(E[] values, String name, FeatureGuard guard,
      ToLongBiFunction<FeatureGuard, E> count, Tags tags, String tagKey, String description) {
    for (E value : values) {
      FunctionCounter.builder(name, guard, g -> count.applyAsLong(g, value))
          .tags(tags)
          .tag(tagKey, lowerCase(value))
          .description(description)
          .register(registry);
    }
  }

  /** The function counter of the trial calls judged {@code outcome}, reading the guard's own count. */
  private void trialCalls(FeatureGuard guard, Tags tags, String outcome, ToLongFunction<FeatureGuard> count) {
    FunctionCounter.builder(names.trialCallsMetricName(), guard, count::applyAsLong)
        .tags(tags)
        .tag(LimpMetricNames.TAG_OUTCOME, outcome)
        .description("Trial calls the shed feature let through, by how they were judged as they ended")
        .register(registry);
  }

  /** The feature's transition counter for the given state; registers it if needed (idempotent). */
  Counter transitions(String feature, Tier tier, FeatureState to) {
    return Counter.builder(names.featureTransitionsMetricName())
        .tags(LimpMetricNames.TAG_INSTANCE, instance, LimpMetricNames.TAG_FEATURE, feature,
            LimpMetricNames.TAG_TIER, lowerCase(tier), LimpMetricNames.TAG_TO, lowerCase(to))
        .description("Changes of the feature's state, by the state entered")
        .register(registry);
  }

  /** An enum's tag value: its lower-case name. */
  static String lowerCase(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT);
  }

  /** 0 active, 1 ramping, 2 shed, 3 throttled; spelled out so that the published values do not hang on enum order. */
  static double stateValue(FeatureState state) {
    return switch (state) {
      case ACTIVE -> 0;
      case RAMPING -> 1;
      case SHED -> 2;
      case THROTTLED -> 3;
    };
  }
}
