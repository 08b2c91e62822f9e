package dev.limp.micrometer;

import dev.limp.DeferredWorkDroppedEvent;
import dev.limp.FeatureGuard;
import dev.limp.FeatureStateChangedEvent;
import dev.limp.LevelChangedEvent;
import dev.limp.Limp;
import dev.limp.LimpListener;
import dev.limp.OverrideChangedEvent;
import dev.limp.Signal;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One instance bound to one registry: registers the meters ({@link InstanceMeters}, {@link FeatureMeters}),
 * remembers which features and signals have them, gives meters to features and signals that appear later
 * (at every event, and at every poll of the level gauge), and counts transitions as limp's events report
 * them. Reachable strongly only from the instance's listener list, so it lives exactly as long as the
 * instance.
 *
 * <p>Thread-safe: late registration may run at once on limp's event thread and on a polling thread; the
 * sets of names with meters make each feature and signal registered once.
 */
final class MetricsBinding implements LimpListener {
  private static final Logger LOG = LoggerFactory.getLogger(LimpMetrics.class);

  private final Limp limp;
  private final MeterRegistry registry;
  private final String instance;
  private final Set<String> features = ConcurrentHashMap.newKeySet();
  private final Set<String> signals = ConcurrentHashMap.newKeySet();
  private final InstanceMeters instanceMeters;
  private final FeatureMeters featureMeters;

  /** Registers the instance's own meters; failures propagate to {@code bindTo}. */
  MetricsBinding(Limp limp, LimpMetricNames names, MeterRegistry registry) {
    this.limp = limp;
    this.registry = registry;
    this.instance = limp.name();
    this.instanceMeters = new InstanceMeters(limp, names, registry, this, MetricsBinding::pollLevel);
    this.featureMeters = new FeatureMeters(names, registry, instance);
  }

  /** Registers the features and signals that exist now (failures propagate), then starts listening. */
  void start() {
    registerNewMeters(true);
    limp.addListener(this);
  }

  /** The level gauge's function: notices late features and signals, then reads the level. */
  private static double pollLevel(MetricsBinding binding) {
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
      registerNewMeters(false);
    } catch (RuntimeException e) {
      LOG.warn("limp[{}]: could not look for new features and signals to bind to {}", instance, registry, e);
    }
  }

  /**
   * Registers the meters of the features and signals not seen before. At binding ({@code atBind}), a
   * failure propagates; later, it is logged and that feature or signal goes without meters.
   */
  private void registerNewMeters(boolean atBind) {
    for (FeatureGuard guard : limp.guards()) {
      if (features.add(guard.name())) {
        register(atBind, () -> featureMeters.register(guard), "meters of feature", guard.name(), "no metrics");
      }
    }
    for (Signal signal : limp.signals().readings().keySet()) {
      if (signals.add(signal.name())) {
        register(atBind, () -> instanceMeters.registerSignal(signal), "gauge of signal", signal.name(),
            "no metric");
      }
    }
  }

  private void register(boolean atBind, Runnable registration, String what, String name, String without) {
    try {
      registration.run();
    } catch (RuntimeException e) {
      if (atBind) {
        throw e;
      }
      LOG.warn("limp[{}]: could not register the {} '{}' in {}; it has {}", instance, what, name, registry,
          without, e);
    }
  }

  // ------------------------------------------------------------ LimpListener (limp's event thread)

  @Override
  public void onLevelChanged(LevelChangedEvent event) {
    registerLateMeters();
    instanceMeters.levelChanged(event);
  }

  @Override
  public void onFeatureStateChanged(FeatureStateChangedEvent event) {
    registerLateMeters();
    if (!event.shadow()) {
      featureMeters.transitions(event.feature(), event.tier(), event.to()).increment();
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
