package dev.limp.spring.autoconfigure;

import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code limp.features[<name>].circuit-breaker.*} properties: one feature's resilience4j breaker, named
 * as resilience4j's Spring Boot starter names them. Each unset value keeps limp's default
 * ({@code FeatureConfig.DEFAULT_CIRCUIT_BREAKER}: 50 calls, at least 20, opens at 50 % failed or 80 %
 * slower than 2 s, 10 s open, 5 trial calls).
 *
 * <p>Not thread-safe: bound once at start-up.
 */
public class LimpCircuitBreakerProperties {
  /** Failure rate, in percent, at or above which the breaker opens. */
  private Float failureRateThreshold;

  /** Rate of slow calls, in percent, at or above which the breaker opens. */
  private Float slowCallRateThreshold;

  /** How long a call may take before it counts as slow. */
  private Duration slowCallDurationThreshold;

  /** Whether the window counts the last calls (COUNT_BASED) or the last seconds (TIME_BASED). */
  private SlidingWindowType slidingWindowType;

  /** The window's size: calls (COUNT_BASED) or seconds (TIME_BASED). */
  private Integer slidingWindowSize;

  /** How many calls the window needs before a rate counts. */
  private Integer minimumNumberOfCalls;

  /** How long the breaker stays open before trial calls. */
  private Duration waitDurationInOpenState;

  /** How many trial calls a half-open breaker lets through. */
  private Integer permittedNumberOfCallsInHalfOpenState;

  /** Exceptions that count as failures (by default, every exception). */
  private List<Class<? extends Throwable>> recordExceptions = new ArrayList<>();

  /** Exceptions that count as neither failure nor success. */
  private List<Class<? extends Throwable>> ignoreExceptions = new ArrayList<>();

  /** Whether any setting is given. */
  boolean isSet() {
    return failureRateThreshold != null || slowCallRateThreshold != null || slowCallDurationThreshold != null
        || slidingWindowType != null || slidingWindowSize != null || minimumNumberOfCalls != null
        || waitDurationInOpenState != null || permittedNumberOfCallsInHalfOpenState != null
        || !recordExceptions.isEmpty() || !ignoreExceptions.isEmpty();
  }

  public Float getFailureRateThreshold() {
    return failureRateThreshold;
  }

  public void setFailureRateThreshold(Float failureRateThreshold) {
    this.failureRateThreshold = failureRateThreshold;
  }

  public Float getSlowCallRateThreshold() {
    return slowCallRateThreshold;
  }

  public void setSlowCallRateThreshold(Float slowCallRateThreshold) {
    this.slowCallRateThreshold = slowCallRateThreshold;
  }

  public Duration getSlowCallDurationThreshold() {
    return slowCallDurationThreshold;
  }

  public void setSlowCallDurationThreshold(Duration slowCallDurationThreshold) {
    this.slowCallDurationThreshold = slowCallDurationThreshold;
  }

  public SlidingWindowType getSlidingWindowType() {
    return slidingWindowType;
  }

  public void setSlidingWindowType(SlidingWindowType slidingWindowType) {
    this.slidingWindowType = slidingWindowType;
  }

  public Integer getSlidingWindowSize() {
    return slidingWindowSize;
  }

  public void setSlidingWindowSize(Integer slidingWindowSize) {
    this.slidingWindowSize = slidingWindowSize;
  }

  public Integer getMinimumNumberOfCalls() {
    return minimumNumberOfCalls;
  }

  public void setMinimumNumberOfCalls(Integer minimumNumberOfCalls) {
    this.minimumNumberOfCalls = minimumNumberOfCalls;
  }

  public Duration getWaitDurationInOpenState() {
    return waitDurationInOpenState;
  }

  public void setWaitDurationInOpenState(Duration waitDurationInOpenState) {
    this.waitDurationInOpenState = waitDurationInOpenState;
  }

  public Integer getPermittedNumberOfCallsInHalfOpenState() {
    return permittedNumberOfCallsInHalfOpenState;
  }

  public void setPermittedNumberOfCallsInHalfOpenState(Integer permittedNumberOfCallsInHalfOpenState) {
    this.permittedNumberOfCallsInHalfOpenState = permittedNumberOfCallsInHalfOpenState;
  }

  public List<Class<? extends Throwable>> getRecordExceptions() {
    return recordExceptions;
  }

  public void setRecordExceptions(List<Class<? extends Throwable>> recordExceptions) {
    this.recordExceptions = recordExceptions;
  }

  public List<Class<? extends Throwable>> getIgnoreExceptions() {
    return ignoreExceptions;
  }

  public void setIgnoreExceptions(List<Class<? extends Throwable>> ignoreExceptions) {
    this.ignoreExceptions = ignoreExceptions;
  }
}
