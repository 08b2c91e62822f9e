package dev.limp.spring.autoconfigure;

import dev.limp.Tier;
import dev.limp.annotation.LimpFeature;
import java.time.Duration;
import org.springframework.boot.context.properties.NestedConfigurationProperty;

/**
 * The {@code limp.features.<name>.*} properties: one feature's declaration.
 *
 * <p>Not thread-safe: bound once at start-up.
 */
public class LimpFeatureProperties {
  /** The feature's tier (required). The governor sheds tiers from the bottom up and never CRITICAL_PLUS. */
  private Tier tier;

  /** No circuit breaker of its own: shed only by the governor and operators. */
  private boolean governorOnly;

  /** The most concurrent calls the feature may make (a bulkhead that never waits); unset for none. */
  private Integer bulkhead;

  /** How old a last good value may be and still be served while shed; unset for no stale values. */
  private Duration staleValueMaxAge;

  /** How many last good values are kept (with a stale-value maximum age). */
  private long staleValueMaxEntries = LimpFeature.DEFAULT_STALE_VALUE_MAX_ENTRIES;

  /** The capacity of the queue of shed void work replayed on restore; unset for no deferral. */
  private Integer deferQueueCapacity;

  /** The feature's resilience4j circuit breaker (not with governor-only); unset values keep limp's defaults. */
  @NestedConfigurationProperty
  private final LimpCircuitBreakerProperties circuitBreaker = new LimpCircuitBreakerProperties();

  public Tier getTier() {
    return tier;
  }

  public void setTier(Tier tier) {
    this.tier = tier;
  }

  public boolean isGovernorOnly() {
    return governorOnly;
  }

  public void setGovernorOnly(boolean governorOnly) {
    this.governorOnly = governorOnly;
  }

  public Integer getBulkhead() {
    return bulkhead;
  }

  public void setBulkhead(Integer bulkhead) {
    this.bulkhead = bulkhead;
  }

  public Duration getStaleValueMaxAge() {
    return staleValueMaxAge;
  }

  public void setStaleValueMaxAge(Duration staleValueMaxAge) {
    this.staleValueMaxAge = staleValueMaxAge;
  }

  public long getStaleValueMaxEntries() {
    return staleValueMaxEntries;
  }

  public void setStaleValueMaxEntries(long staleValueMaxEntries) {
    this.staleValueMaxEntries = staleValueMaxEntries;
  }

  public LimpCircuitBreakerProperties getCircuitBreaker() {
    return circuitBreaker;
  }

  public Integer getDeferQueueCapacity() {
    return deferQueueCapacity;
  }

  public void setDeferQueueCapacity(Integer deferQueueCapacity) {
    this.deferQueueCapacity = deferQueueCapacity;
  }
}
