package dev.limp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.limp.internal.EngineSettings;
import dev.limp.internal.Engines;
import dev.limp.testing.FakeClock;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Every invalid setting fails when it is given (or at {@code build()}), with a message that names the
 * setting, the rejected value and what is allowed; null arguments fail with an NPE naming the parameter.
 */
class ConfigValidationTest {
  private static final Signal LATENCY = Signal.of("db.query.p99", Signal.Unit.MILLISECONDS);
  private static final Signal SATURATION = Signal.of("db.pool.saturation", Signal.Unit.RATIO);

  /** Asserts the exception's type and that its message contains every fragment. */
  private static <T extends Throwable> T assertRejected(Class<T> type, Executable executable,
      String... fragments) {
    T e = assertThrows(type, executable);
    String message = e.getMessage();
    assertTrue(message != null, "no message");
    for (String fragment : fragments) {
      assertTrue(message.contains(fragment), "message lacks '" + fragment + "': " + message);
    }
    return e;
  }

  private static void assertNullRejected(String parameter, Executable executable) {
    NullPointerException e = assertThrows(NullPointerException.class, executable);
    assertEquals(parameter, e.getMessage());
  }

  // ================================================================ SignalRule

  @Nested
  class SignalRules {
    @Test
    void rejectsAnExitThresholdAtTheEnterThreshold() {
      assertRejected(IllegalArgumentException.class,
          () -> SignalRule.of(LATENCY).level(Level.SHED_SHEDDABLE, 200, 200),
          "db.query.p99", "SHED_SHEDDABLE", "exit threshold", "below the enter threshold (200 ms)",
          "but was 200 ms");
    }

    @Test
    void rejectsAnExitThresholdAboveTheEnterThreshold() {
      assertRejected(IllegalArgumentException.class,
          () -> SignalRule.of(SATURATION).level(Level.SHED_SHEDDABLE, 0.8, 0.9),
          "db.pool.saturation", "exit threshold", "80 %", "but was 90 %");
    }

    @Test
    void rejectsEnterThresholdsThatDoNotRiseWithTheLevel() {
      SignalRule.Builder b = SignalRule.of(LATENCY)
          .level(Level.SHED_SHEDDABLE, 500, 100)
          .level(Level.SHED_SHEDDABLE_PLUS, 400, 250);

      assertRejected(IllegalStateException.class, b::build,
          "db.query.p99", "enter threshold of SHED_SHEDDABLE_PLUS", "above that of SHED_SHEDDABLE (500 ms)",
          "but was 400 ms");
    }

    @Test
    void rejectsEqualEnterThresholdsOnTwoLevels() {
      SignalRule.Builder b = SignalRule.of(LATENCY)
          .level(Level.SHED_SHEDDABLE, 500, 100)
          .level(Level.SHED_CRITICAL, 500, 250);

      assertRejected(IllegalStateException.class, b::build, "SHED_CRITICAL", "500 ms", "but was 500 ms");
    }

    @Test
    void rejectsExitThresholdsThatFallWithTheLevel() {
      SignalRule.Builder b = SignalRule.of(LATENCY)
          .level(Level.SHED_SHEDDABLE, 200, 150)
          .level(Level.SHED_SHEDDABLE_PLUS, 500, 100);

      assertRejected(IllegalStateException.class, b::build,
          "exit threshold of SHED_SHEDDABLE_PLUS", "not be below that of SHED_SHEDDABLE (150 ms)",
          "but was 100 ms");
    }

    @Test
    void checksRisingThresholdsInLevelOrderWhateverOrderTheyWereGiven() {
      SignalRule rule = SignalRule.of(LATENCY)
          .level(Level.SHED_CRITICAL, 2000, 1000)
          .level(Level.SHED_SHEDDABLE, 200, 100)
          .build();

      assertEquals(List.of(Level.SHED_SHEDDABLE, Level.SHED_CRITICAL),
          rule.thresholds().stream().map(SignalRule.Threshold::level).toList());
    }

    @Test
    void rejectsThresholdsThatAreNotFinite() {
      assertRejected(IllegalArgumentException.class,
          () -> SignalRule.of(LATENCY).level(Level.SHED_SHEDDABLE, Double.NaN, 100),
          "db.query.p99", "thresholds must be finite", "enter=NaN");
      assertRejected(IllegalArgumentException.class,
          () -> SignalRule.of(LATENCY).level(Level.SHED_SHEDDABLE, Double.POSITIVE_INFINITY, 100),
          "finite", "enter=Infinity");
      assertRejected(IllegalArgumentException.class,
          () -> SignalRule.of(LATENCY).level(Level.SHED_SHEDDABLE, 200, Double.NEGATIVE_INFINITY),
          "finite", "exit=-Infinity");
    }

    @Test
    void rejectsThresholdsForNormal() {
      assertRejected(IllegalArgumentException.class,
          () -> SignalRule.of(LATENCY).level(Level.NORMAL, 200, 100),
          "db.query.p99 at NORMAL", "takes no thresholds", "SHED_SHEDDABLE, SHED_SHEDDABLE_PLUS or SHED_CRITICAL");
    }

    @Test
    void rejectsASecondSetOfThresholdsForTheSameLevel() {
      SignalRule.Builder b = SignalRule.of(LATENCY).level(Level.SHED_SHEDDABLE, 200, 100);

      assertRejected(IllegalArgumentException.class, () -> b.level(Level.SHED_SHEDDABLE, 300, 150),
          "db.query.p99 at SHED_SHEDDABLE", "already set", "enter 200.0, exit 100.0", "300 ms", "150 ms");
    }

    @Test
    void rejectsARuleWithoutThresholds() {
      assertRejected(IllegalStateException.class, () -> SignalRule.of(LATENCY).build(),
          "db.query.p99", "at least one level");
    }

    @Test
    void rejectsNullArguments() {
      assertNullRejected("signal", () -> SignalRule.of(null));
      assertNullRejected("level", () -> SignalRule.of(LATENCY).level(null, 200, 100));
    }
  }

  // ================================================================ GovernorPolicy

  @Nested
  class GovernorPolicies {
    private final SignalRule latencyRule = SignalRule.of(LATENCY).level(Level.SHED_SHEDDABLE, 200, 100).build();

    @Test
    void rejectsASecondRuleForTheSameSignal() {
      SignalRule other = SignalRule.of(LATENCY).level(Level.SHED_CRITICAL, 900, 400).build();
      GovernorPolicy.Builder b = GovernorPolicy.custom().rule(latencyRule);

      assertRejected(IllegalArgumentException.class, () -> b.rule(other),
          "rules", "db.query.p99", "already has a rule", "replaceRule");
    }

    @Test
    void replaceRuleAndRemoveRuleChangeTheRuleOfASignal() {
      SignalRule other = SignalRule.of(LATENCY).level(Level.SHED_CRITICAL, 900, 400).build();

      GovernorPolicy replaced = GovernorPolicy.custom().rule(latencyRule).replaceRule(other).build();
      GovernorPolicy removed = GovernorPolicy.custom().rule(latencyRule).removeRule(LATENCY).build();

      assertEquals(List.of(other), replaced.rules());
      assertEquals(List.of(), removed.rules());
    }

    @Test
    void rejectsANonPositiveMinDwell() {
      assertRejected(IllegalArgumentException.class, () -> GovernorPolicy.custom().minDwell(Duration.ZERO),
          "minDwell", "must be positive", "but was PT0S");
      assertRejected(IllegalArgumentException.class,
          () -> GovernorPolicy.custom().minDwell(Duration.ofSeconds(-1)), "minDwell", "but was PT-1S");
    }

    @Test
    void rejectsANonPositiveRampPeriod() {
      assertRejected(IllegalArgumentException.class, () -> GovernorPolicy.custom().rampPeriod(Duration.ZERO),
          "rampPeriod", "must be positive", "but was PT0S");
      assertRejected(IllegalArgumentException.class,
          () -> GovernorPolicy.custom().rampPeriod(Duration.ofMillis(-5)), "rampPeriod", "PT-0.005S");
    }

    @Test
    void rejectsDurationsTheNanosecondClockCannotHold() {
      Duration tooLong = Duration.ofDays(365L * 300);

      assertRejected(IllegalArgumentException.class, () -> GovernorPolicy.custom().minDwell(tooLong),
          "minDwell", tooLong.toString(), "at most");
      assertRejected(IllegalArgumentException.class, () -> GovernorPolicy.custom().rampPeriod(tooLong),
          "rampPeriod", tooLong.toString(), "at most");
    }

    @Test
    void rejectsARampPeriodTooShortToHoldEachStep() {
      GovernorPolicy.Builder b = GovernorPolicy.custom().rampSteps(0.1, 0.5, 1.0).rampPeriod(Duration.ofNanos(2));

      assertRejected(IllegalStateException.class, b::build, "rampPeriod", "PT0.000000002S", "3 rampSteps");
    }

    @Test
    void rejectsAMaxDwellShorterThanTheMinDwell() {
      GovernorPolicy.Builder b = GovernorPolicy.custom().minDwell(Duration.ofSeconds(15))
          .maxDwell(Duration.ofSeconds(10));

      assertRejected(IllegalStateException.class, b::build, "maxDwell", "at least minDwell (PT15S)",
          "but was PT10S");
      assertRejected(IllegalArgumentException.class, () -> GovernorPolicy.custom().maxDwell(Duration.ZERO),
          "maxDwell", "must be positive", "but was PT0S");
    }

    @Test
    void maxDwellFollowsMinDwellUnlessSet() {
      GovernorPolicy derived = GovernorPolicy.custom().minDwell(Duration.ofSeconds(2)).build();
      GovernorPolicy set = GovernorPolicy.custom().maxDwell(Duration.ofMinutes(5)).build();

      assertEquals(Duration.ofMinutes(2), GovernorPolicy.ofDefaults().maxDwell());
      assertEquals(Duration.ofSeconds(16), derived.maxDwell());
      assertEquals(Duration.ofSeconds(8), GovernorPolicy.from(derived).minDwell(Duration.ofSeconds(1)).build()
          .maxDwell(), "derived from the new minDwell, not copied");
      assertEquals(Duration.ofMinutes(5), GovernorPolicy.from(set).minDwell(Duration.ofSeconds(1)).build()
          .maxDwell(), "a set maxDwell is copied");
      assertEquals(Duration.ofSeconds(15), GovernorPolicy.custom().maxDwell(Duration.ofSeconds(15)).build()
          .maxDwell(), "maxDwell = minDwell: no back-off");
    }

    @Test
    void aVeryShortRampStillWorks() {
      GovernorPolicy policy = GovernorPolicy.custom().rampSteps(0.5).rampPeriod(Duration.ofNanos(1)).build();

      assertEquals(0.5, policy.rampFraction(0));
      assertEquals(1.0, policy.rampFraction(1));
      assertEquals(1, policy.nanosToNextRampStep(0));
    }

    @Test
    void rejectsNoRampSteps() {
      assertRejected(IllegalArgumentException.class, () -> GovernorPolicy.custom().rampSteps(),
          "rampSteps", "at least one step", "none");
    }

    @Test
    void rejectsRampStepsOutsideZeroToOne() {
      assertRejected(IllegalArgumentException.class, () -> GovernorPolicy.custom().rampSteps(0.1, 1.5),
          "rampSteps", "(0, 1]", "step 1 was 1.5");
      assertRejected(IllegalArgumentException.class, () -> GovernorPolicy.custom().rampSteps(0.0, 0.5),
          "rampSteps", "(0, 1]", "step 0 was 0.0");
      assertRejected(IllegalArgumentException.class, () -> GovernorPolicy.custom().rampSteps(-0.1),
          "(0, 1]", "was -0.1");
      assertRejected(IllegalArgumentException.class, () -> GovernorPolicy.custom().rampSteps(Double.NaN),
          "(0, 1]", "was NaN");
    }

    @Test
    void rejectsRampStepsThatDoNotStrictlyRise() {
      assertRejected(IllegalArgumentException.class, () -> GovernorPolicy.custom().rampSteps(0.5, 0.1, 1.0),
          "rampSteps", "strictly rise", "step 1 (0.1)", "step 0 (0.5)");
      assertRejected(IllegalArgumentException.class, () -> GovernorPolicy.custom().rampSteps(0.5, 0.5),
          "strictly rise", "step 1 (0.5)");
    }

    @Test
    void aRejectedSettingLeavesTheBuilderAsItWas() {
      GovernorPolicy.Builder b = GovernorPolicy.custom().rampSteps(0.2, 1.0).minDwell(Duration.ofSeconds(7));

      assertThrows(IllegalArgumentException.class, () -> b.rampSteps(0.5, 0.1));
      assertThrows(IllegalArgumentException.class, () -> b.minDwell(Duration.ZERO));
      GovernorPolicy policy = b.build();

      assertEquals(List.of(0.2, 1.0), policy.rampSteps());
      assertEquals(Duration.ofSeconds(7), policy.minDwell());
    }

    @Test
    void rampStepsAreCopiedWhenGiven() {
      double[] steps = {0.2, 0.6, 1.0};
      GovernorPolicy.Builder b = GovernorPolicy.custom().rampSteps(steps);
      steps[0] = 0.9;

      assertEquals(List.of(0.2, 0.6, 1.0), b.build().rampSteps());
    }

    @Test
    void fromCopiesEverySettingAndLeavesTheBaseAlone() {
      GovernorPolicy base = GovernorPolicy.custom()
          .rule(latencyRule)
          .minDwell(Duration.ofSeconds(20))
          .rampSteps(0.25, 1.0)
          .rampPeriod(Duration.ofSeconds(8))
          .build();

      GovernorPolicy copy = GovernorPolicy.from(base).build();
      SignalRule saturation = SignalRule.of(SATURATION).level(Level.SHED_SHEDDABLE, 0.8, 0.6).build();
      GovernorPolicy changed = GovernorPolicy.from(base)
          .rule(saturation)
          .minDwell(Duration.ofSeconds(5))
          .rampSteps(0.5, 1.0)
          .rampPeriod(Duration.ofSeconds(60))
          .build();

      assertNotSame(base, copy);
      assertEquals(base.rules(), copy.rules());
      assertEquals(base.minDwell(), copy.minDwell());
      assertEquals(base.rampSteps(), copy.rampSteps());
      assertEquals(base.rampPeriod(), copy.rampPeriod());
      assertEquals(List.of(latencyRule, saturation), changed.rules());
      assertEquals(List.of(latencyRule), base.rules(), "the base is unchanged");
      assertEquals(Duration.ofSeconds(20), base.minDwell());
      assertEquals(List.of(0.25, 1.0), base.rampSteps());
      assertEquals(Duration.ofSeconds(8), base.rampPeriod());
    }

    @Test
    void fromKeepsTheRuleOfASignalSoThatAddingItAgainIsRejected() {
      GovernorPolicy base = GovernorPolicy.custom().rule(latencyRule).build();

      assertThrows(IllegalArgumentException.class, () -> GovernorPolicy.from(base).rule(latencyRule));
    }

    @Test
    void theRulesOfAPolicyCannotBeChanged() {
      GovernorPolicy policy = GovernorPolicy.custom().rule(latencyRule).build();

      assertThrows(UnsupportedOperationException.class, () -> policy.rules().clear());
      assertThrows(UnsupportedOperationException.class, () -> policy.rampSteps().clear());
    }

    @Test
    void theDefaultsAreTheDocumentedConstants() {
      GovernorPolicy defaults = GovernorPolicy.ofDefaults();

      assertEquals(GovernorPolicy.DEFAULT_MIN_DWELL, defaults.minDwell());
      assertEquals(GovernorPolicy.DEFAULT_RAMP_STEPS, defaults.rampSteps());
      assertEquals(GovernorPolicy.DEFAULT_RAMP_PERIOD, defaults.rampPeriod());
      assertEquals(List.of(), defaults.rules());
      assertEquals(Duration.ofSeconds(15), GovernorPolicy.DEFAULT_MIN_DWELL);
      assertEquals(List.of(0.1, 0.5, 1.0), GovernorPolicy.DEFAULT_RAMP_STEPS);
      assertEquals(Duration.ofSeconds(30), GovernorPolicy.DEFAULT_RAMP_PERIOD);
      GovernorPolicy custom = GovernorPolicy.custom().build();
      assertEquals(defaults.minDwell(), custom.minDwell());
      assertEquals(defaults.rampSteps(), custom.rampSteps());
      assertEquals(defaults.rampPeriod(), custom.rampPeriod());
    }

    @Test
    void rejectsNullArguments() {
      assertNullRejected("base", () -> GovernorPolicy.from(null));
      assertNullRejected("rule", () -> GovernorPolicy.custom().rule(null));
      assertNullRejected("rule", () -> GovernorPolicy.custom().replaceRule(null));
      assertNullRejected("signal", () -> GovernorPolicy.custom().removeRule(null));
      assertNullRejected("minDwell", () -> GovernorPolicy.custom().minDwell(null));
      assertNullRejected("rampSteps", () -> GovernorPolicy.custom().rampSteps((double[]) null));
      assertNullRejected("rampPeriod", () -> GovernorPolicy.custom().rampPeriod(null));
    }
  }

  // ================================================================ FeatureConfig

  @Nested
  class FeatureConfigs {
    @Test
    void rejectsBadFeatureNames() {
      for (String bad : new String[] {"", "-search", ".search", "search feed", "search/feed", "sök",
          "x".repeat(101)}) {
        assertRejected(IllegalArgumentException.class, () -> FeatureConfig.of(bad, Tier.SHEDDABLE),
            "feature name", "1 to 100 letters, digits, '.', '_' or '-'", "but was '" + bad + "'");
      }
    }

    @Test
    void acceptsNamesOfTheDocumentedForm() {
      for (String good : new String[] {"search", "chat.post", "Search_2", "0-export", "x".repeat(100)}) {
        assertEquals(good, FeatureConfig.of(good, Tier.SHEDDABLE).name());
      }
    }

    @Test
    void rejectsABulkheadOfLessThanOneCall() {
      assertRejected(IllegalArgumentException.class,
          () -> FeatureConfig.builder("search", Tier.SHEDDABLE).bulkhead(0),
          "search", "bulkhead maxConcurrentCalls", "at least 1", "but was 0");
      assertRejected(IllegalArgumentException.class,
          () -> FeatureConfig.builder("search", Tier.SHEDDABLE).bulkhead(-3), "but was -3");
    }

    @Test
    void aBulkheadOfNCallsNeverWaits() {
      FeatureConfig config = FeatureConfig.builder("search", Tier.SHEDDABLE).bulkhead(4).build();

      BulkheadConfig bulkhead = config.bulkhead().orElseThrow();
      assertEquals(4, bulkhead.getMaxConcurrentCalls());
      assertEquals(Duration.ZERO, bulkhead.getMaxWaitDuration());
    }

    @Test
    void rejectsBadStaleValueSettings() {
      assertRejected(IllegalArgumentException.class,
          () -> FeatureConfig.builder("search", Tier.SHEDDABLE).staleValues(Duration.ZERO, 10),
          "search", "staleValues maxAge", "must be positive", "but was PT0S");
      assertRejected(IllegalArgumentException.class,
          () -> FeatureConfig.builder("search", Tier.SHEDDABLE).staleValues(Duration.ofSeconds(-1), 10),
          "staleValues maxAge", "PT-1S");
      assertRejected(IllegalArgumentException.class,
          () -> FeatureConfig.builder("search", Tier.SHEDDABLE).staleValues(Duration.ofMinutes(5), 0),
          "search", "staleValues maxEntries", "at least 1", "but was 0");
    }

    @Test
    void rejectsBadDeferralCapacities() {
      assertRejected(IllegalArgumentException.class,
          () -> FeatureConfig.builder("audit", Tier.SHEDDABLE).deferWhenShed(0),
          "audit", "deferWhenShed capacity", "between 1 and 1000000", "but was 0");
      assertRejected(IllegalArgumentException.class,
          () -> FeatureConfig.builder("audit", Tier.SHEDDABLE).deferWhenShed(1_000_001),
          "deferWhenShed capacity", "but was 1000001");
      assertEquals(1_000_000,
          FeatureConfig.builder("audit", Tier.SHEDDABLE).deferWhenShed(1_000_000).build().deferQueueCapacity());
    }

    @Test
    void theDefaultsAreTheDocumentedOnes() {
      FeatureConfig config = FeatureConfig.of("search", Tier.SHEDDABLE);

      assertSame(FeatureConfig.DEFAULT_CIRCUIT_BREAKER, config.circuitBreaker().orElseThrow());
      assertFalse(config.bulkhead().isPresent());
      assertFalse(config.staleValueMaxAge().isPresent());
      assertEquals(0, config.staleValueMaxEntries());
      assertFalse(config.hasDefaultValue());
      assertEquals(0, config.deferQueueCapacity());
    }

    @Test
    void theDefaultCircuitBreakerIsTheDocumentedOne() {
      CircuitBreakerConfig cb = FeatureConfig.DEFAULT_CIRCUIT_BREAKER;

      assertEquals(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED, cb.getSlidingWindowType());
      assertEquals(50, cb.getSlidingWindowSize());
      assertEquals(20, cb.getMinimumNumberOfCalls());
      assertEquals(50f, cb.getFailureRateThreshold());
      assertEquals(80f, cb.getSlowCallRateThreshold());
      assertEquals(Duration.ofSeconds(2), cb.getSlowCallDurationThreshold());
      assertEquals(10_000L, cb.getWaitIntervalFunctionInOpenState().apply(1));
      assertEquals(5, cb.getPermittedNumberOfCallsInHalfOpenState());
    }

    @Test
    void fromCopiesEverySetting() {
      FeatureConfig base = FeatureConfig.builder("search", Tier.SHEDDABLE)
          .governorOnly()
          .bulkhead(3)
          .staleValues(Duration.ofMinutes(2), 500)
          .defaultValue(List.of())
          .deferWhenShed(7)
          .build();

      FeatureConfig copy = FeatureConfig.from(base).build();

      assertEquals(base.name(), copy.name());
      assertEquals(base.tier(), copy.tier());
      assertFalse(copy.circuitBreaker().isPresent());
      assertSame(base.bulkhead().orElseThrow(), copy.bulkhead().orElseThrow());
      assertEquals(Duration.ofMinutes(2), copy.staleValueMaxAge().orElseThrow());
      assertEquals(500, copy.staleValueMaxEntries());
      assertTrue(copy.hasDefaultValue());
      assertEquals(List.of(), copy.defaultValue());
      assertEquals(7, copy.deferQueueCapacity());
    }

    @Test
    void aNullDefaultValueIsADefaultValue() {
      FeatureConfig config = FeatureConfig.builder("search", Tier.SHEDDABLE).defaultValue(null).build();

      assertTrue(config.hasDefaultValue());
    }

    @Test
    void rejectsNullArguments() {
      assertNullRejected("name", () -> FeatureConfig.builder(null, Tier.SHEDDABLE));
      assertNullRejected("tier", () -> FeatureConfig.builder("search", null));
      assertNullRejected("name", () -> FeatureConfig.of(null, Tier.SHEDDABLE));
      assertNullRejected("base", () -> FeatureConfig.from(null));
      FeatureConfig.Builder b = FeatureConfig.builder("search", Tier.SHEDDABLE);
      assertNullRejected("circuitBreaker", () -> b.circuitBreaker(null));
      assertNullRejected("bulkhead", () -> b.bulkhead((BulkheadConfig) null));
      NullPointerException e = assertThrows(NullPointerException.class, () -> b.staleValues(null, 10));
      assertTrue(e.getMessage().contains("staleValues maxAge"), e.getMessage());
    }
  }

  // ================================================================ LimpBuilder

  @Nested
  class LimpBuilders {
    @Test
    void rejectsAFeatureDeclaredTwice() {
      LimpBuilder b = Limp.builder().feature("search", Tier.SHEDDABLE);

      assertRejected(IllegalArgumentException.class, () -> b.feature("search", Tier.CRITICAL),
          "features", "'search' is declared twice", "SHEDDABLE", "CRITICAL", "must be unique");
      assertRejected(IllegalArgumentException.class, () -> b.feature(FeatureConfig.of("search", Tier.SHEDDABLE)),
          "'search' is declared twice");
    }

    @Test
    void rejectsBadInstanceNames() {
      for (String bad : new String[] {"", "_chat", "chat service", "chat:1", "x".repeat(65)}) {
        assertRejected(IllegalArgumentException.class, () -> Limp.builder().name(bad),
            "name must be 1 to 64 letters, digits, '.', '_' or '-'", "but was '" + bad + "'");
      }
      Limp.builder().name("x".repeat(64)).name("chat-1.eu_west");
    }

    @Test
    void rejectsATickIntervalOutOfRange() {
      assertRejected(IllegalArgumentException.class, () -> Limp.builder().tickInterval(Duration.ofMillis(9)),
          "tickInterval", "between 10 ms and 1 minute", "but was PT0.009S");
      assertRejected(IllegalArgumentException.class,
          () -> Limp.builder().tickInterval(Duration.ofSeconds(61)), "tickInterval", "but was PT1M1S");
      assertRejected(IllegalArgumentException.class, () -> Limp.builder().tickInterval(Duration.ZERO),
          "tickInterval", "but was PT0S");
      Limp.builder().tickInterval(Duration.ofMillis(10)).tickInterval(Duration.ofMinutes(1));
    }

    @Test
    void rejectsANonPositiveMaxOverrideDuration() {
      assertRejected(IllegalArgumentException.class,
          () -> Limp.builder().maxOverrideDuration(Duration.ZERO), "maxOverrideDuration", "must be positive",
          "but was PT0S");
    }

    @Test
    void theDefaultsAreTheDocumentedConstants() {
      try (Limp limp = Limp.builder().clock(new FakeClock()).build()) {
        EngineSettings settings = Engines.settings(limp);

        assertEquals(LimpBuilder.DEFAULT_NAME, limp.name());
        assertEquals(LimpBuilder.DEFAULT_TICK_INTERVAL, settings.tickInterval());
        assertEquals(LimpBuilder.DEFAULT_MAX_OVERRIDE_DURATION, settings.maxOverrideDuration());
        assertSame(GovernorPolicy.ofDefaults(), settings.policy());
        assertFalse(limp.isShadowMode());
        assertFalse(settings.registerMBean());
        assertTrue(settings.governorThread(), "the governor thread runs by default");
      }
      assertEquals("default", LimpBuilder.DEFAULT_NAME);
      assertEquals(Duration.ofMillis(250), LimpBuilder.DEFAULT_TICK_INTERVAL);
      assertEquals(Duration.ofHours(24), LimpBuilder.DEFAULT_MAX_OVERRIDE_DURATION);
    }

    @Test
    void rejectsNullArguments() {
      LimpBuilder b = Limp.builder();
      assertNullRejected("name", () -> b.name(null));
      assertNullRejected("clock", () -> b.clock(null));
      assertNullRejected("policy", () -> b.policy(null));
      assertNullRejected("tickInterval", () -> b.tickInterval(null));
      assertNullRejected("maxOverrideDuration", () -> b.maxOverrideDuration(null));
      assertNullRejected("feature", () -> b.feature((FeatureConfig) null));
      assertNullRejected("name", () -> b.feature(null, Tier.SHEDDABLE));
      assertNullRejected("tier", () -> b.feature("search", null));
      assertNullRejected("signalSource", () -> b.signalSource(null));
      assertNullRejected("listener", () -> b.listener(null));
      assertNullRejected("circuitBreakerRegistry", () -> b.circuitBreakerRegistry(null));
      assertNullRejected("bulkheadRegistry", () -> b.bulkheadRegistry(null));
    }
  }

  // ================================================================ Signal and Level

  @Nested
  class SignalsAndLevels {
    @Test
    void rejectsBadSignalNames() {
      for (String bad : new String[] {"", "DB.query", "db..query", "db.query.", ".db", "1db", "db query",
          "db-query"}) {
        assertRejected(IllegalArgumentException.class, () -> Signal.of(bad, Signal.Unit.COUNT),
            "signal name", "lower case and dot-separated", "'db.query.p99'", "but was '" + bad + "'");
      }
      assertEquals("db.pool.threads_waiting", Signal.of("db.pool.threads_waiting", Signal.Unit.COUNT).name());
    }

    @Test
    void signalsAreEqualByName() {
      assertEquals(Signal.of("db.x", Signal.Unit.COUNT), Signal.of("db.x", Signal.Unit.RATIO));
    }

    @Test
    void rejectsNullSignalArguments() {
      assertNullRejected("name", () -> Signal.of(null, Signal.Unit.COUNT));
      assertNullRejected("unit", () -> Signal.of("db.x", null));
    }

    @Test
    void parsesLevelNamesIgnoringCaseAndSurroundingBlanks() {
      assertEquals(Level.SHED_SHEDDABLE_PLUS, Level.parse("shed_sheddable_plus"));
      assertEquals(Level.NORMAL, Level.parse(" Normal "));
      assertEquals(Level.SHED_CRITICAL, Level.parse("SHED_CRITICAL"));
    }

    @Test
    void rejectsUnknownLevelNamesNamingTheValueAndTheAllowedNames() {
      assertRejected(IllegalArgumentException.class, () -> Level.parse("SHED_ALL"),
          "level", "[NORMAL, SHED_SHEDDABLE, SHED_SHEDDABLE_PLUS, SHED_CRITICAL]", "but was 'SHED_ALL'");
      assertRejected(IllegalArgumentException.class, () -> Level.parse(""), "level", "but was ''");
      assertRejected(IllegalArgumentException.class, () -> Level.parse(null), "level", "but was 'null'");
    }

    @Test
    void levelsStepDownOneAtATime() {
      assertEquals(Level.SHED_SHEDDABLE_PLUS, Level.SHED_CRITICAL.lower());
      assertEquals(Level.NORMAL, Level.SHED_SHEDDABLE.lower());
      assertEquals(Level.NORMAL, Level.NORMAL.lower());
      assertEquals(Level.SHED_CRITICAL, Level.deepest());
    }
  }
}
