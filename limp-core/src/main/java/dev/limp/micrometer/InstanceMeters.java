package dev.limp.micrometer;

import dev.limp.LevelChangedEvent;
import dev.limp.Limp;
import dev.limp.OperatorOverride;
import dev.limp.Signal;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.function.ToDoubleFunction;

/**
 * The meters of one limp instance as a whole, in one registry, tagged only {@code instance}: the level
 * gauge, the forced-level gauge, the level-transition counters, and one gauge per signal (tagged
 * {@code signal} too). Gauges hold their state objects weakly and their functions capture no limp object.
 *
 * <p>Thread-safe: the counters are Micrometer's; registering a meter twice returns the first.
 */
final class InstanceMeters {
  private final Limp limp;
  private final LimpMetricNames names;
  private final MeterRegistry registry;
  private final Tags tags;
  private final Counter escalations;
  private final Counter recoveries;

  /**
   * Registers the level gauge (reading {@code pollLevel} of {@code levelState}), the forced-level gauge and
   * the level-transition counters. Failures propagate.
   */
  <T> InstanceMeters(Limp limp, LimpMetricNames names, MeterRegistry registry, T levelState,
      ToDoubleFunction<T> pollLevel) {
    this.limp = limp;
    this.names = names;
    this.registry = registry;
    this.tags = Tags.of(LimpMetricNames.TAG_INSTANCE, limp.name());
    Gauge.builder(names.levelMetricName(), levelState, pollLevel)
        .tags(tags)
        .description("The effective degradation level: 0 NORMAL, 1 SHED_SHEDDABLE, 2 SHED_SHEDDABLE_PLUS, "
            + "3 SHED_CRITICAL")
        .register(registry);
    Gauge.builder(names.levelOverriddenMetricName(), limp, InstanceMeters::levelForced)
        .tags(tags)
        .description("1 while an operator forces the level, else 0")
        .register(registry);
    escalations = levelTransitions("escalation");
    recoveries = levelTransitions("recovery");
  }

  private Counter levelTransitions(String direction) {
    return Counter.builder(names.levelTransitionsMetricName())
        .tags(tags)
        .tag(LimpMetricNames.TAG_DIRECTION, direction)
        .description("Changes of the effective level")
        .register(registry);
  }

  /** Counts a change of the effective level, by its direction. */
  void levelChanged(LevelChangedEvent event) {
    (event.isEscalation() ? escalations : recoveries).increment();
  }

  /**
   * Registers the gauges of a signal; they read {@code NaN} while the signal has no reading. One is in the
   * tagged family ({@code limp.signal{signal=…}}, for dashboards); with
   * {@link LimpMetricNames#gaugePerSignal()}, another has a name of its own ({@code limp.signal.<signal>}),
   * so that a registry view without tags (Actuator's {@code /actuator/metrics}) shows this signal's
   * reading, not a sum of readings in different units.
   */
  void registerSignal(Signal signal) {
    Gauge.builder(names.signalMetricName(), limp, l -> l.signals().get(signal))
        .tags(tags)
        .tag(LimpMetricNames.TAG_SIGNAL, signal.name())
        .description("The latest reading of a signal the governor reads; NaN while there is none")
        .register(registry);
    if (!names.gaugePerSignal()) {
      return;
    }
    Gauge.builder(names.signalMetricName(signal), limp, l -> l.signals().get(signal))
        .tags(tags)
        .description("The latest reading of " + signal.name() + " (" + signal.unit().name().toLowerCase(
            java.util.Locale.ROOT) + "); NaN while there is none")
        .register(registry);
  }

  /** 1 while an operator forces the level, else 0; takes the governor's lock briefly. */
  static double levelForced(Limp limp) {
    for (OperatorOverride o : limp.overrides().active()) {
      if (o.kind() == OperatorOverride.Kind.FORCE_LEVEL) {
        return 1;
      }
    }
    return 0;
  }
}
