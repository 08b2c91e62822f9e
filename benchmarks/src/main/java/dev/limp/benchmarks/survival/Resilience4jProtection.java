package dev.limp.benchmarks.survival;

import dev.limp.FeatureState;
import dev.limp.examples.chat.ChatProtection;
import dev.limp.examples.chat.ChatService;
import dev.limp.examples.chat.ProtectionContext;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What a user would configure without limp: a resilience4j circuit breaker per feature, tuned for database
 * calls with the same numbers limp's defaults use where they mean the same thing ({@link #CONFIG}); on every
 * feature, or on the secondary features only (a breaker never refuses chat then, as limp never sheds its top
 * tier).
 */
final class Resilience4jProtection implements ChatProtection {
  private final boolean criticalToo;

  /** @param criticalToo whether chat.read and chat.post get a breaker as well */
  Resilience4jProtection(boolean criticalToo) {
    this.criticalToo = criticalToo;
  }

  /**
   * A 10 s time window (limp's signal window), at least 10 calls, open at 50 % failures or at 50 % of calls
   * slower than 250 ms (limp's first query-latency threshold), open for 10 s, then 5 trial calls.
   */
  static final CircuitBreakerConfig CONFIG = CircuitBreakerConfig.custom()
      .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.TIME_BASED)
      .slidingWindowSize(10)
      .minimumNumberOfCalls(10)
      .failureRateThreshold(50)
      .slowCallDurationThreshold(Duration.ofMillis(250))
      .slowCallRateThreshold(50)
      .waitDurationInOpenState(Duration.ofSeconds(10))
      .permittedNumberOfCallsInHalfOpenState(5)
      .build();

  @Override
  public String label() {
    return criticalToo ? "resilience4j" : "resilience4j (secondary only)";
  }

  @Override
  public Protected protect(ProtectionContext context) {
    CircuitBreakerRegistry registry = CircuitBreakerRegistry.of(CONFIG);
    Map<String, CircuitBreaker> breakers = new LinkedHashMap<>();
    for (String feature : criticalToo ? GuardedChatService.FEATURES : GuardedChatService.SECONDARY) {
      CircuitBreaker breaker = registry.circuitBreaker(feature);
      breaker.getEventPublisher().onStateTransition(e -> context.featureChanged(feature,
          stateOf(e.getStateTransition().getToState()), "breaker " + e.getStateTransition(), false));
      breakers.put(feature, breaker);
    }
    ChatService plain = context.serviceOver(context.pool());
    ChatService chat = new GuardedChatService(plain) {
      @Override
      <T> T critical(String feature, Supplier<T> work) {
        CircuitBreaker breaker = breakers.get(feature);
        return breaker == null ? work.get() : breaker.executeSupplier(work);
      }

      @Override
      <T> Page<T> secondary(String feature, Supplier<Page<T>> work) {
        try {
          return breakers.get(feature).executeSupplier(work);
        } catch (CallNotPermittedException refused) {
          return Page.paused("CIRCUIT_BREAKER", "resilience4j breaker '" + feature + "' does not permit calls");
        }
      }
    };
    return new Protected() {
      @Override
      public ChatService service() {
        return chat;
      }

      @Override
      public String shedSummary() {
        List<String> open = new ArrayList<>();
        breakers.forEach((feature, breaker) -> {
          if (breaker.getState() != CircuitBreaker.State.CLOSED) {
            open.add(feature + " (" + breaker.getState() + ")");
          }
        });
        return "open: " + (open.isEmpty() ? "–" : String.join(", ", open));
      }

      @Override
      public boolean allRestored() {
        return breakers.values().stream().allMatch(b -> b.getState() == CircuitBreaker.State.CLOSED);
      }

      @Override
      public void close() {
      }
    };
  }

  static FeatureState stateOf(CircuitBreaker.State state) {
    switch (state) {
      case CLOSED:
      case DISABLED:
      case METRICS_ONLY:
        return FeatureState.ACTIVE;
      case HALF_OPEN:
        return FeatureState.RAMPING;
      default:
        return FeatureState.SHED;
    }
  }
}
