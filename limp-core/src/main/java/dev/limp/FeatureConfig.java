package dev.limp;

import dev.limp.internal.Checks;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A feature's declaration: its name, its tier, and how its calls are protected and answered when shed.
 *
 * <pre>{@code
 * FeatureConfig search = FeatureConfig.builder("search", Tier.SHEDDABLE)
 *     .bulkhead(BulkheadConfig.custom().maxConcurrentCalls(4).build())
 *     .staleValues(Duration.ofMinutes(5), 10_000)
 *     .build();
 * }</pre>
 *
 * <p>By default a sheddable feature ({@link Tier#SHEDDABLE_PLUS}, {@link Tier#SHEDDABLE}) owns a resilience4j
 * circuit breaker configured with {@link #DEFAULT_CIRCUIT_BREAKER}; a critical one ({@link Tier#CRITICAL_PLUS},
 * {@link Tier#CRITICAL}) owns none, so that nothing automatic refuses it for its own failures: its failures
 * are the database's, and refusing them would keep the critical path down longer than the database is.
 * No bulkhead, no stale-value cache, no default value and no deferral.
 * Immutable and thread-safe.
 */
public final class FeatureConfig {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._\\-]{0,99}");

  /** The longest a stale value is kept: older than a week, it is no longer a stale answer but old data. */
  public static final Duration MAX_STALE_VALUE_AGE = Duration.ofDays(7);

  /**
   * The circuit breaker a sheddable feature gets unless told otherwise, tuned for database-backed calls: it
   * opens when half of the last 50 calls (at least 20) failed, or 80 % took longer than 2 s; it stays open
   * 10 s, then lets 5 trial calls through. A sheddable feature whose own queries go bad trips by itself,
   * without the governor. The critical tiers get no breaker unless one is given: see {@link Builder#build()}.
   */
  public static final CircuitBreakerConfig DEFAULT_CIRCUIT_BREAKER = CircuitBreakerConfig.custom()
      .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
      .slidingWindowSize(50)
      .minimumNumberOfCalls(20)
      .failureRateThreshold(50)
      .slowCallRateThreshold(80)
      .slowCallDurationThreshold(Duration.ofSeconds(2))
      .waitDurationInOpenState(Duration.ofSeconds(10))
      .permittedNumberOfCallsInHalfOpenState(5)
      .build();

  private final String name;
  private final Tier tier;
  private final CircuitBreakerConfig circuitBreaker;
  private final BulkheadConfig bulkhead;
  private final Duration staleValueMaxAge;
  private final long staleValueMaxEntries;
  private final boolean hasDefaultValue;
  private final Object defaultValue;
  private final int deferQueueCapacity;

  private FeatureConfig(Builder b) {
    this.name = b.name;
    this.tier = b.tier;
    this.circuitBreaker = b.breakerChosen ? b.circuitBreaker
        : b.tier.compareTo(Tier.CRITICAL) <= 0 ? null : DEFAULT_CIRCUIT_BREAKER;
    this.bulkhead = b.bulkhead;
    this.staleValueMaxAge = b.staleValueMaxAge;
    this.staleValueMaxEntries = b.staleValueMaxEntries;
    this.hasDefaultValue = b.hasDefaultValue;
    this.defaultValue = b.defaultValue;
    this.deferQueueCapacity = b.deferQueueCapacity;
  }

  /**
   * Starts a feature declaration.
   *
   * @param name unique within a limp instance: letters, digits, '.', '_' and '-', at most 100 characters
   * @throws IllegalArgumentException if the name is not of that form
   */
  public static Builder builder(String name, Tier tier) {
    return new Builder(name, tier);
  }

  /** A feature of the given name and tier with every other setting at its default. */
  public static FeatureConfig of(String name, Tier tier) {
    return builder(name, tier).build();
  }

  /** A builder that starts from the given declaration (to change one setting). */
  public static Builder from(FeatureConfig base) {
    Objects.requireNonNull(base, "base");
    Builder b = new Builder(base.name, base.tier);
    b.circuitBreaker = base.circuitBreaker;
    b.breakerChosen = true;
    b.bulkhead = base.bulkhead;
    b.staleValueMaxAge = base.staleValueMaxAge;
    b.staleValueMaxEntries = base.staleValueMaxEntries;
    b.hasDefaultValue = base.hasDefaultValue;
    b.defaultValue = base.defaultValue;
    b.deferQueueCapacity = base.deferQueueCapacity;
    return b;
  }

  public String name() {
    return name;
  }

  public Tier tier() {
    return tier;
  }

  /** The feature's own circuit breaker settings; empty when the feature is governor-only. */
  public Optional<CircuitBreakerConfig> circuitBreaker() {
    return Optional.ofNullable(circuitBreaker);
  }

  /** The feature's bulkhead settings; empty when it has no bulkhead. */
  public Optional<BulkheadConfig> bulkhead() {
    return Optional.ofNullable(bulkhead);
  }

  /** How old a last good value may be and still be served when shed; empty when not cached. */
  public Optional<Duration> staleValueMaxAge() {
    return Optional.ofNullable(staleValueMaxAge);
  }

  /** How many keys the last-good-value cache holds at most; 0 when not cached. */
  public long staleValueMaxEntries() {
    return staleValueMaxEntries;
  }

  /** Whether a shed call may return {@link #defaultValue()}. */
  public boolean hasDefaultValue() {
    return hasDefaultValue;
  }

  /** The value a shed call returns when no fallback or stale value answers; may be {@code null}. */
  public Object defaultValue() {
    return defaultValue;
  }

  /** The capacity of the queue of shed {@code Runnable} work replayed on restore; 0 when not deferred. */
  public int deferQueueCapacity() {
    return deferQueueCapacity;
  }

  @Override
  public String toString() {
    return "FeatureConfig[" + name + ", " + tier + (circuitBreaker == null ? ", governor-only" : "")
        + (bulkhead == null ? "" : ", bulkhead " + bulkhead.getMaxConcurrentCalls())
        + (staleValueMaxAge == null ? "" : ", stale values up to " + staleValueMaxAge)
        + (deferQueueCapacity == 0 ? "" : ", defers up to " + deferQueueCapacity) + "]";
  }

  /** Builds a {@link FeatureConfig}; each setter validates at once. Not thread-safe. */
  public static final class Builder {
    private final String name;
    private final Tier tier;
    private CircuitBreakerConfig circuitBreaker;
    /** Whether {@link #circuitBreaker} was chosen ({@code null} then meaning governor-only). */
    private boolean breakerChosen;
    private BulkheadConfig bulkhead;
    private Duration staleValueMaxAge;
    private long staleValueMaxEntries;
    private boolean hasDefaultValue;
    private Object defaultValue;
    private int deferQueueCapacity;

    private Builder(String name, Tier tier) {
      Objects.requireNonNull(name, "name");
      if (!NAME.matcher(name).matches()) {
        throw new IllegalArgumentException("feature name must be 1 to 100 letters, digits, '.', '_' or '-', "
            + "starting with a letter or digit, but was '" + name + "'");
      }
      this.name = name;
      this.tier = Objects.requireNonNull(tier, "tier");
    }

    /**
     * Gives the feature its own circuit breaker with these settings, whatever its tier. On a critical feature,
     * limp closes a breaker that opened as soon as a signal source reports evidence that the database answers
     * again (a successful connection, a canary), so that it refuses the critical path no longer than needed.
     */
    public Builder circuitBreaker(CircuitBreakerConfig config) {
      this.circuitBreaker = Objects.requireNonNull(config, "circuitBreaker");
      this.breakerChosen = true;
      return this;
    }

    /**
     * No circuit breaker: the feature is shed only by the governor and operators, and its permitted path
     * costs one volatile read plus the work.
     */
    public Builder governorOnly() {
      this.circuitBreaker = null;
      this.breakerChosen = true;
      return this;
    }

    /** Limits the feature's concurrent calls with a resilience4j bulkhead; a call that finds it full is rejected. */
    public Builder bulkhead(BulkheadConfig config) {
      this.bulkhead = Objects.requireNonNull(config, "bulkhead");
      return this;
    }

    /** A bulkhead of {@code maxConcurrentCalls} that never waits for a permit. */
    public Builder bulkhead(int maxConcurrentCalls) {
      if (maxConcurrentCalls < 1) {
        throw new IllegalArgumentException(name + ": bulkhead maxConcurrentCalls must be at least 1, but was "
            + maxConcurrentCalls);
      }
      return bulkhead(BulkheadConfig.custom().maxConcurrentCalls(maxConcurrentCalls)
          .maxWaitDuration(Duration.ZERO).build());
    }

    /**
     * Keeps the last good value per key (keyed calls only) in a bounded cache, and serves it, marked stale,
     * while the feature is shed.
     *
     * @throws IllegalArgumentException if maxAge is not positive or above {@link #MAX_STALE_VALUE_AGE}, or
     *     maxEntries is below 1
     */
    public Builder staleValues(Duration maxAge, long maxEntries) {
      this.staleValueMaxAge = Checks.positiveAtMost(name + ": staleValues maxAge", maxAge, "MAX_STALE_VALUE_AGE",
          MAX_STALE_VALUE_AGE);
      if (maxEntries < 1) {
        throw new IllegalArgumentException(name + ": staleValues maxEntries must be at least 1, but was "
            + maxEntries);
      }
      this.staleValueMaxEntries = maxEntries;
      return this;
    }

    /** The value a shed call returns when neither a fallback nor a stale value answers. May be {@code null}. */
    public Builder defaultValue(Object value) {
      this.hasDefaultValue = true;
      this.defaultValue = value;
      return this;
    }

    /**
     * Keeps shed {@code Runnable} work in a queue of this capacity and replays it, in order, when the
     * feature is restored. Work that does not fit is dropped, counted, logged and reported to listeners.
     *
     * @throws IllegalArgumentException if capacity is below 1 or above 1,000,000
     */
    public Builder deferWhenShed(int capacity) {
      if (capacity < 1 || capacity > 1_000_000) {
        throw new IllegalArgumentException(name + ": deferWhenShed capacity must be between 1 and 1000000, "
            + "but was " + capacity);
      }
      this.deferQueueCapacity = capacity;
      return this;
    }

    /**
     * Builds the configuration. Unless {@link #circuitBreaker} or {@link #governorOnly()} chose otherwise, a
     * sheddable feature gets {@link #DEFAULT_CIRCUIT_BREAKER} and a critical one no breaker.
     */
    public FeatureConfig build() {
      return new FeatureConfig(this);
    }
  }
}
