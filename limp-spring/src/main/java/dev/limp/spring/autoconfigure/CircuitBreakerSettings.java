package dev.limp.spring.autoconfigure;

import dev.limp.FeatureConfig;
import dev.limp.spring.LimpConfigurationException;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.util.List;
import java.util.function.Consumer;

/**
 * Applies {@code limp.features[<name>].circuit-breaker.*} to limp's default breaker configuration, each
 * refusal of resilience4j's builder reported against the property. Stateless.
 */
final class CircuitBreakerSettings {
  private CircuitBreakerSettings() {
  }

  /** The feature's breaker: limp's default changed by the given properties. */
  static CircuitBreakerConfig of(String prefix, LimpCircuitBreakerProperties p) {
    CircuitBreakerConfig.Builder b = CircuitBreakerConfig.from(FeatureConfig.DEFAULT_CIRCUIT_BREAKER);
    String at = prefix + ".circuit-breaker.";
    set(at + "failure-rate-threshold", p.getFailureRateThreshold(), b::failureRateThreshold,
        "a percentage above 0, at most 100");
    set(at + "slow-call-rate-threshold", p.getSlowCallRateThreshold(), b::slowCallRateThreshold,
        "a percentage above 0, at most 100");
    set(at + "slow-call-duration-threshold", p.getSlowCallDurationThreshold(), b::slowCallDurationThreshold,
        "a positive duration, such as 2s");
    set(at + "sliding-window-type", p.getSlidingWindowType(), b::slidingWindowType, "COUNT_BASED or TIME_BASED");
    set(at + "sliding-window-size", p.getSlidingWindowSize(), b::slidingWindowSize, "at least 1");
    set(at + "minimum-number-of-calls", p.getMinimumNumberOfCalls(), b::minimumNumberOfCalls, "at least 1");
    set(at + "wait-duration-in-open-state", p.getWaitDurationInOpenState(), b::waitDurationInOpenState,
        "a positive duration, such as 10s");
    set(at + "permitted-number-of-calls-in-half-open-state", p.getPermittedNumberOfCallsInHalfOpenState(),
        b::permittedNumberOfCallsInHalfOpenState, "at least 1");
    if (!p.getRecordExceptions().isEmpty()) {
      b.recordExceptions(classes(p.getRecordExceptions()));
    }
    if (!p.getIgnoreExceptions().isEmpty()) {
      b.ignoreExceptions(classes(p.getIgnoreExceptions()));
    }
    try {
      return b.build();
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new LimpConfigurationException(at.substring(0, at.length() - 1), null, e.getMessage(),
          "Update the " + at + "* properties so that they agree with each other.", e);
    }
  }

  @SuppressWarnings("unchecked") // an array of a generic type: each element is checked by the binder
  private static Class<? extends Throwable>[] classes(List<Class<? extends Throwable>> types) {
    Class<? extends Throwable>[] array = (Class<? extends Throwable>[]) java.lang.reflect.Array.newInstance(
        Class.class, types.size());
    return types.toArray(array);
  }

  private static <T> void set(String property, T value, Consumer<T> call, String allowed) {
    if (value == null) {
      return;
    }
    try {
      call.accept(value);
    } catch (IllegalArgumentException e) {
      throw new LimpConfigurationException(property, value, e.getMessage(), "Update '" + property
          + "' in your application's configuration: use " + allowed + ".", e);
    }
  }
}
