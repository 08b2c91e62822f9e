package dev.limp.spring.autoconfigure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.limp.FeatureConfig;
import dev.limp.Limp;
import dev.limp.spring.LimpConfigurationException;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** Per-feature breaker settings in properties, named as resilience4j's starter names them; a shared registry. */
class CircuitBreakerPropertiesTest {
  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(LimpAutoConfiguration.class))
      .withPropertyValues("limp.governor-thread=false", "limp.features.search.tier=SHEDDABLE");

  @Test
  void everyBreakerPropertyReachesTheFeaturesBreakerAndUnsetOnesKeepLimpsDefaults() {
    String at = "limp.features.search.circuit-breaker.";
    runner.withPropertyValues(at + "failure-rate-threshold=30", at + "slow-call-rate-threshold=60",
        at + "slow-call-duration-threshold=750ms", at + "sliding-window-type=TIME_BASED",
        at + "sliding-window-size=20", at + "minimum-number-of-calls=7", at + "wait-duration-in-open-state=3s",
        at + "permitted-number-of-calls-in-half-open-state=2", at + "record-exceptions=java.io.IOException",
        at + "ignore-exceptions=java.lang.IllegalArgumentException").run(ctx -> {
          CircuitBreakerConfig c = ctx.getBean(Limp.class).guard("search").circuitBreaker().orElseThrow()
              .getCircuitBreakerConfig();
          assertEquals(30f, c.getFailureRateThreshold());
          assertEquals(60f, c.getSlowCallRateThreshold());
          assertEquals(Duration.ofMillis(750), c.getSlowCallDurationThreshold());
          assertEquals(CircuitBreakerConfig.SlidingWindowType.TIME_BASED, c.getSlidingWindowType());
          assertEquals(20, c.getSlidingWindowSize());
          assertEquals(7, c.getMinimumNumberOfCalls());
          assertEquals(2, c.getPermittedNumberOfCallsInHalfOpenState());
          assertTrue(c.getRecordExceptionPredicate().test(new IOException("x")));
          assertTrue(c.getIgnoreExceptionPredicate().test(new IllegalArgumentException("x")));
        });
    runner.withPropertyValues(at + "failure-rate-threshold=30").run(ctx -> {
      CircuitBreakerConfig c = ctx.getBean(Limp.class).guard("search").circuitBreaker().orElseThrow()
          .getCircuitBreakerConfig();
      assertEquals(30f, c.getFailureRateThreshold());
      assertEquals(FeatureConfig.DEFAULT_CIRCUIT_BREAKER.getSlidingWindowSize(), c.getSlidingWindowSize());
    });
  }

  @Test
  void aBadBreakerValueFailsStartUpNamingTheProperty() {
    runner.withPropertyValues("limp.features.search.circuit-breaker.failure-rate-threshold=150").run(ctx -> {
      LimpConfigurationException e = assertInstanceOf(LimpConfigurationException.class,
          rootLimpFailure(ctx.getStartupFailure()));
      assertEquals("limp.features.search.circuit-breaker.failure-rate-threshold", e.source());
      assertEquals("150.0", e.value());
    });
    runner.withPropertyValues("limp.features.search.governor-only=true",
        "limp.features.search.circuit-breaker.sliding-window-size=10").run(ctx -> {
          LimpConfigurationException e = assertInstanceOf(LimpConfigurationException.class,
              rootLimpFailure(ctx.getStartupFailure()));
          assertTrue(e.getMessage().contains("governor-only"), e.getMessage());
        });
  }

  @Test
  void withTheApplicationsCircuitBreakerRegistryLimpsBreakersAreVisibleInIt() {
    CircuitBreakerRegistry shared = CircuitBreakerRegistry.ofDefaults();
    runner.withBean(CircuitBreakerRegistry.class, () -> shared).run(ctx -> {
      Limp limp = ctx.getBean(Limp.class);
      assertSame(shared, limp.circuitBreakerRegistry());
      assertTrue(shared.find("search").isPresent(), "limp's breaker of search is in the shared registry");
      assertSame(limp.guard("search").circuitBreaker().orElseThrow(), shared.find("search").orElseThrow());
    });
  }

  private static Throwable rootLimpFailure(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof LimpConfigurationException) {
        return c;
      }
    }
    return t;
  }
}
