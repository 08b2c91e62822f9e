package dev.limp.internal;

import dev.limp.FeatureConfig;
import dev.limp.FeatureGuard;
import dev.limp.Level;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The features of one instance by name, and the per-thread slots their guards count in. Lookups are
 * lock-free; declaring is serialised by the caller (the {@link Governor}'s decision lock), so that a new
 * feature is planned by the tick that follows. Thread-safe for reading.
 */
final class FeatureTable {
  private static final Logger LOG = LoggerFactory.getLogger(dev.limp.Limp.class);
  private final EngineSettings settings;
  private final DeferralHost deferralHost;
  private final Map<String, FeatureRuntime> features = new ConcurrentHashMap<>();
  private final ThreadSlots slots = new ThreadSlots();
  /** The index of the next feature declared (its row in each thread's counters); guarded by the caller. */
  private int nextIndex;

  FeatureTable(EngineSettings settings, DeferralHost deferralHost) {
    this.settings = settings;
    this.deferralHost = deferralHost;
  }

  ThreadSlots slots() {
    return slots;
  }

  /** The feature, or {@code null}. */
  FeatureRuntime find(String name) {
    return features.get(Objects.requireNonNull(name, "feature"));
  }

  /** The feature; an operator's or a caller's typo is an error naming the declared features, never a new one. */
  FeatureRuntime require(String name) {
    FeatureRuntime f = find(name);
    if (f == null) {
      throw new IllegalArgumentException("unknown feature '" + name + "'; declared features are " + names());
    }
    return f;
  }

  Collection<String> names() {
    return new TreeMap<>(features).keySet();
  }

  /** The features by name. */
  List<FeatureRuntime> sorted() {
    return List.copyOf(new TreeMap<>(features).values());
  }

  Collection<FeatureRuntime> all() {
    return features.values();
  }

  int size() {
    return features.size();
  }

  /**
   * Declares a feature, or returns the one of that name if it has the same tier. The caller holds the
   * decision lock.
   *
   * @throws IllegalStateException if the name is declared with another tier
   */
  FeatureRuntime declare(FeatureConfig feature, Level level, long nowNanos) {
    FeatureRuntime existing = features.get(feature.name());
    if (existing != null) {
      if (existing.tier() != feature.tier()) {
        throw new IllegalStateException("feature '" + feature.name() + "' is declared as " + existing.tier()
            + " and again as " + feature.tier() + "; a feature has one tier");
      }
      return existing;
    }
    CircuitBreaker breaker = feature.circuitBreaker().map(config -> ownBreaker(feature.name(), config))
        .orElse(null);
    Bulkhead bulkhead = feature.bulkhead().map(config -> ownBulkhead(feature.name(), config)).orElse(null);
    FeatureRuntime runtime = new FeatureRuntime(feature, nextIndex++, breaker, bulkhead, slots,
        settings.clock(), settings.policy().healthyCallLatency().toNanos(), settings.name(), deferralHost, nowNanos);
    runtime.levelChanged(level);
    features.put(feature.name(), runtime);
    return runtime;
  }

  /**
   * A breaker limp makes for the feature, in the shared registry when the name is free there. limp never
   * adopts, reconfigures or forces a breaker it did not create: if the registry already holds one of that
   * name (the application's own), limp leaves it alone and uses a breaker of its own outside the registry.
   */
  private CircuitBreaker ownBreaker(String name, CircuitBreakerConfig config) {
    CircuitBreakerRegistry registry = settings.circuitBreakerRegistry();
    if (registry.find(name).isEmpty()) {
      CircuitBreaker made = registry.circuitBreaker(name, config);
      if (made.getCircuitBreakerConfig() == config) {
        return made;
      }
    }
    notAdopted("circuit breaker", name);
    return CircuitBreaker.of(name, config);
  }

  /** A bulkhead limp makes for the feature; like {@link #ownBreaker}, never one it did not create. */
  private Bulkhead ownBulkhead(String name, BulkheadConfig config) {
    BulkheadRegistry registry = settings.bulkheadRegistry();
    if (registry.find(name).isEmpty()) {
      Bulkhead made = registry.bulkhead(name, config);
      if (made.getBulkheadConfig() == config) {
        return made;
      }
    }
    notAdopted("bulkhead", name);
    return Bulkhead.of(name, config);
  }

  private void notAdopted(String what, String name) {
    LOG.warn("limp[{}]: the shared {} registry already holds a {} named '{}' that limp did not create; limp "
        + "leaves it alone and guards feature '{}' with a {} of its own, outside the registry", settings.name(),
        what, what, name, name, what);
  }

  /** The guard on the calling thread, or {@code null}. */
  FeatureGuard current() {
    return slots.current();
  }
}
