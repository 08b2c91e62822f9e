package dev.limp.internal;

import dev.limp.FeatureConfig;
import dev.limp.GovernorPolicy;
import dev.limp.Limp;
import dev.limp.LimpClock;
import dev.limp.LimpListener;
import dev.limp.Overrides;
import dev.limp.SignalSource;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Everything {@link dev.limp.LimpBuilder} collected and validated, and the one way to start an engine from
 * it. Immutable. Internal: not part of the API.
 */
public record EngineSettings(String name, LimpClock clock, GovernorPolicy policy, Duration tickInterval,
    Duration maxOverrideDuration, List<FeatureConfig> features, List<SignalSource> signalSources,
    List<LimpListener> listeners, boolean shadowMode, boolean governorThread, boolean registerMBean,
    CircuitBreakerRegistry circuitBreakerRegistry, BulkheadRegistry bulkheadRegistry,
    UnaryOperator<Overrides> overridesDecorator) {

  /** Starts an instance with these settings: its threads run, its MBean is registered if asked for. */
  public Limp start() {
    return new LimpEngine(this);
  }
}
