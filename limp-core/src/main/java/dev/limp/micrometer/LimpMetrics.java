package dev.limp.micrometer;

import dev.limp.CallOutcome;
import dev.limp.DeferredWorkDroppedEvent;
import dev.limp.FeatureGuard;
import dev.limp.FeatureState;
import dev.limp.FeatureStateChangedEvent;
import dev.limp.LevelChangedEvent;
import dev.limp.Limp;
import dev.limp.LimpListener;
import dev.limp.OperatorOverride;
import dev.limp.OverrideChangedEvent;
import dev.limp.ShedHandling;
import dev.limp.Signal;
import dev.limp.Tier;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Collections;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds a {@link Limp} instance's level, features, calls and signals to a Micrometer {@link MeterRegistry}.
 * Micrometer is an optional dependency of limp: only this package uses it, and nothing in limp loads it
 * unless the application calls this class.
 *
 * <pre>{@code
 * LimpMetrics.of(limp).bindTo(meterRegistry);
 * }</pre>
 *
 * <p>The meters, with their {@linkplain LimpMetricNames default names} (every meter is tagged
 * {@code instance} with the limp instance's name; per-feature meters also {@code feature} and {@code tier}):
 * <table>
 *   <caption>Meters</caption>
 *   <tr><th>name</th><th>type</th><th>more tags</th><th>value</th></tr>
 *   <tr><td>{@code limp.level}</td><td>gauge</td><td></td><td>effective level: 0 {@code NORMAL} … 3
 *       {@code SHED_CRITICAL}</td></tr>
 *   <tr><td>{@code limp.level.overridden}</td><td>gauge</td><td></td><td>1 while an operator forces the
 *       level</td></tr>
 *   <tr><td>{@code limp.level.transitions}</td><td>counter</td><td>{@code direction}
 *       ({@code escalation}|{@code recovery})</td><td>changes of the effective level</td></tr>
 *   <tr><td>{@code limp.feature.state}</td><td>gauge</td><td></td><td>0 active, 1 ramping, 2 shed</td></tr>
 *   <tr><td>{@code limp.feature.admitted}</td><td>gauge</td><td></td><td>fraction of calls admitted,
 *       0 to 1</td></tr>
 *   <tr><td>{@code limp.feature.would.shed}</td><td>gauge</td><td></td><td>1 when shadow mode would shed
 *       the feature</td></tr>
 *   <tr><td>{@code limp.feature.transitions}</td><td>counter</td><td>{@code to}
 *       ({@code shed}|{@code ramping}|{@code active})</td><td>changes of the feature's state (shadow-mode
 *       "would" changes are not counted: nothing changed for callers)</td></tr>
 *   <tr><td>{@code limp.calls}</td><td>function counter</td><td>{@code outcome} ({@code permitted},
 *       {@code failed}, {@code shed}, {@code rejected})</td><td>guarded calls</td></tr>
 *   <tr><td>{@code limp.calls.shed}</td><td>function counter</td><td>{@code handling} ({@code fallback},
 *       {@code stale}, {@code default}, {@code deferred}, {@code dropped}, {@code thrown})</td><td>how
 *       shed or rejected calls were answered</td></tr>
 *   <tr><td>{@code limp.deferred.queued}</td><td>gauge</td><td></td><td>deferred work waiting for
 *       replay</td></tr>
 *   <tr><td>{@code limp.signal}</td><td>gauge</td><td>{@code signal} (no {@code feature}/{@code tier})</td>
 *       <td>the latest reading; {@code NaN} while there is none</td></tr>
 * </table>
 *
 * <p><b>Reading.</b> Gauges and function counters read the engine when the registry polls them: the level,
 * each guard's volatile state and striped counters ({@link FeatureGuard#count(CallOutcome)} and its
 * siblings), and the latest signal snapshot ({@link Limp#signals()}); no poll builds a
 * {@link Limp#status()}. Per poll, only the level gauge allocates (one copy of the guard list, to notice
 * new features) and only the forced-level gauge takes the governor's lock (briefly, to list the overrides
 * in force). Transition counters are incremented by a {@link LimpListener} this binder adds to the
 * instance, so they move on limp's event thread, shortly after the change.
 *
 * <p><b>Features and signals that appear later.</b> Features {@linkplain Limp#declare declared} after
 * binding, and signals a source first reports after binding, get their meters when the binder next
 * notices them: at every event limp sends to listeners, and at every poll of the {@code limp.level} gauge
 * (that is, every scrape or publication). So a new feature or signal shows up at the latest one scrape
 * after it appeared. A signal that stops being reported keeps its gauge, which reads {@code NaN}.
 *
 * <p><b>References.</b> Gauges and function counters hold their state objects (the instance, its guards,
 * and the binding's own bookkeeping) weakly, as Micrometer does by default, and their functions capture no
 * limp object; so a registry that outlives a closed and forgotten instance does not keep it alive. Its
 * meters stay registered and read {@code NaN} once it is collected. This binder itself holds the instance.
 *
 * <p>Bind each instance once per registry: a second {@code bindTo} of this binder to the same registry is
 * ignored, but two binders of the same instance bound to one registry would count transitions twice.
 *
 * <p>Thread-safe: {@code bindTo} may be called from any thread, meters are polled from any thread, and
 * late registration may happen concurrently from the event thread and a polling thread; each meter is
 * registered once.
 */
public final class LimpMetrics implements MeterBinder {
  private static final Logger LOG = LoggerFactory.getLogger(LimpMetrics.class);

  private final Limp limp;
  private final LimpMetricNames names;
  /** The registries this binder is bound to, by identity, held weakly. Guarded by itself. */
  private final Set<MeterRegistry> bound = Collections.newSetFromMap(new WeakHashMap<>());

  private LimpMetrics(Limp limp, LimpMetricNames names) {
    this.limp = Objects.requireNonNull(limp, "limp");
    this.names = Objects.requireNonNull(names, "names");
  }

  /** A binder of the instance's meters under the {@linkplain LimpMetricNames#ofDefaults() default names}. */
  public static LimpMetrics of(Limp limp) {
    return new LimpMetrics(limp, LimpMetricNames.ofDefaults());
  }

  /** A binder of the instance's meters under the given names. */
  public static LimpMetrics of(Limp limp, LimpMetricNames names) {
    return new LimpMetrics(limp, names);
  }

  /** The names this binder registers meters under. */
  public LimpMetricNames names() {
    return names;
  }

  /**
   * Registers the meters of the instance, its features and the signals seen so far, and adds the listener
   * that counts transitions and picks up later features and signals. A second call with the same registry
   * does nothing.
   *
   * @throws RuntimeException whatever the registry throws when a meter cannot be registered (a meter of
   *     another type already holds one of the names, say)
   */
  @Override
  public void bindTo(MeterRegistry registry) {
    Objects.requireNonNull(registry, "registry");
    synchronized (bound) {
      if (!bound.add(registry)) {
        LOG.debug("limp[{}]: already bound to {}; ignored", limp.name(), registry);
        return;
      }
    }
    try {
      new Binding(limp, names, registry).start();
    } catch (RuntimeException | Error e) {
      synchronized (bound) {
        bound.remove(registry);
      }
      throw e;
    }
  }

  @Override
  public String toString() {
    return "LimpMetrics[" + limp.name() + "]";
  }

  static String lowerCase(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT);
  }

  /** 0 active, 1 ramping, 2 shed; spelled out so that the published values do not hang on enum order. */
  static double stateValue(FeatureState state) {
    return switch (state) {
      case ACTIVE -> 0;
      case RAMPING -> 1;
      case SHED -> 2;
    };
  }

  static double levelForced(Limp limp) {
    for (OperatorOverride o : limp.overrides().active()) {
      if (o.kind() == OperatorOverride.Kind.FORCE_LEVEL) {
        return 1;
      }
    }
    return 0;
  }

  /**
   * One instance bound to one registry: registers the meters, remembers which features and signals have
   * them, and listens to the instance. Reachable strongly only from the instance's listener list, so it lives
   * exactly as long as the instance.
   */
  private static final class Binding implements LimpListener {
    private final Limp limp;
    private final LimpMetricNames names;
    private final MeterRegistry registry;
    private final String instance;
    private final Set<String> features = ConcurrentHashMap.newKeySet();
    private final Set<String> signals = ConcurrentHashMap.newKeySet();
    private final Counter escalations;
    private final Counter recoveries;

    /** Registers the instance's own meters; failures propagate to {@code bindTo}. */
    Binding(Limp limp, LimpMetricNames names, MeterRegistry registry) {
      this.limp = limp;
      this.names = names;
      this.registry = registry;
      this.instance = limp.name();
      Tags tags = Tags.of(LimpMetricNames.TAG_INSTANCE, instance);
      Gauge.builder(names.levelMetricName(), this, Binding::pollLevel)
          .tags(tags)
          .description("The effective degradation level: 0 NORMAL, 1 SHED_SHEDDABLE, 2 SHED_SHEDDABLE_PLUS, "
              + "3 SHED_CRITICAL")
          .register(registry);
      Gauge.builder(names.levelOverriddenMetricName(), limp, LimpMetrics::levelForced)
          .tags(tags)
          .description("1 while an operator forces the level, else 0")
          .register(registry);
      escalations = levelTransitions(tags, "escalation");
      recoveries = levelTransitions(tags, "recovery");
    }

    /** Registers the features and signals that exist now (failures propagate), then starts listening. */
    void start() {
      for (FeatureGuard guard : limp.guards()) {
        if (features.add(guard.name())) {
          registerFeature(guard);
        }
      }
      for (Signal signal : limp.signals().readings().keySet()) {
        if (signals.add(signal.name())) {
          registerSignal(signal);
        }
      }
      limp.addListener(this);
    }

    private Counter levelTransitions(Tags tags, String direction) {
      return Counter.builder(names.levelTransitionsMetricName())
          .tags(tags)
          .tag(LimpMetricNames.TAG_DIRECTION, direction)
          .description("Changes of the effective level")
          .register(registry);
    }

    /** The level gauge's function: notices late features and signals, then reads the level. */
    private static double pollLevel(Binding binding) {
      binding.registerLateMeters();
      return binding.limp.level().ordinal();
    }

    /**
     * Registers the meters of features and signals that have none yet. Cheap when there are none: one copy
     * of the guard list and one look-up per feature and signal. Never throws: a feature or signal whose
     * meters cannot be registered is logged once and not tried again.
     */
    void registerLateMeters() {
      try {
        for (FeatureGuard guard : limp.guards()) {
          if (features.add(guard.name())) {
            try {
              registerFeature(guard);
            } catch (RuntimeException e) {
              LOG.warn("limp[{}]: could not register the meters of feature '{}' in {}; it has no metrics",
                  instance, guard.name(), registry, e);
            }
          }
        }
        for (Signal signal : limp.signals().readings().keySet()) {
          if (signals.add(signal.name())) {
            try {
              registerSignal(signal);
            } catch (RuntimeException e) {
              LOG.warn("limp[{}]: could not register the gauge of signal '{}' in {}; it has no metric",
                  instance, signal.name(), registry, e);
            }
          }
        }
      } catch (RuntimeException e) {
        LOG.warn("limp[{}]: could not look for new features and signals to bind to {}", instance, registry, e);
      }
    }

    private void registerFeature(FeatureGuard guard) {
      Tags tags = Tags.of(LimpMetricNames.TAG_INSTANCE, instance, LimpMetricNames.TAG_FEATURE, guard.name(),
          LimpMetricNames.TAG_TIER, lowerCase(guard.tier()));
      Gauge.builder(names.featureStateMetricName(), guard, g -> stateValue(g.state()))
          .tags(tags)
          .description("The feature's state: 0 active, 1 ramping, 2 shed")
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
      for (CallOutcome outcome : CallOutcome.values()) {
        FunctionCounter.builder(names.callsMetricName(), guard, g -> g.count(outcome))
            .tags(tags)
            .tag(LimpMetricNames.TAG_OUTCOME, lowerCase(outcome))
            .description("Calls through the feature's guard, by outcome")
            .register(registry);
      }
      for (ShedHandling handling : ShedHandling.values()) {
        FunctionCounter.builder(names.shedCallsMetricName(), guard, g -> g.count(handling))
            .tags(tags)
            .tag(LimpMetricNames.TAG_HANDLING, lowerCase(handling))
            .description("Shed or rejected calls of the feature, by how they were answered")
            .register(registry);
      }
      for (FeatureState to : FeatureState.values()) {
        featureTransitions(guard.name(), guard.tier(), to);
      }
    }

    /** The feature's transition counter for the given state; registers it if needed (idempotent). */
    private Counter featureTransitions(String feature, Tier tier, FeatureState to) {
      return Counter.builder(names.featureTransitionsMetricName())
          .tags(LimpMetricNames.TAG_INSTANCE, instance, LimpMetricNames.TAG_FEATURE, feature,
              LimpMetricNames.TAG_TIER, lowerCase(tier), LimpMetricNames.TAG_TO, lowerCase(to))
          .description("Changes of the feature's state, by the state entered")
          .register(registry);
    }

    private void registerSignal(Signal signal) {
      Gauge.builder(names.signalMetricName(), limp, l -> l.signals().get(signal))
          .tags(LimpMetricNames.TAG_INSTANCE, instance, LimpMetricNames.TAG_SIGNAL, signal.name())
          .description("The latest reading of a signal the governor reads; NaN while there is none")
          .register(registry);
    }

    // ------------------------------------------------------------ LimpListener (limp's event thread)

    @Override
    public void onLevelChanged(LevelChangedEvent event) {
      registerLateMeters();
      (event.isEscalation() ? escalations : recoveries).increment();
    }

    @Override
    public void onFeatureStateChanged(FeatureStateChangedEvent event) {
      registerLateMeters();
      if (!event.shadow()) {
        featureTransitions(event.feature(), event.tier(), event.to()).increment();
      }
    }

    @Override
    public void onOverrideChanged(OverrideChangedEvent event) {
      registerLateMeters();
    }

    @Override
    public void onDeferredWorkDropped(DeferredWorkDroppedEvent event) {
      registerLateMeters();
    }

    @Override
    public String toString() {
      return "LimpMetrics[" + instance + " → " + registry.getClass().getSimpleName() + "]";
    }
  }
}
