package dev.limp;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.limp.testing.TestSignals;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Values no one can mean are refused, with the setting, the bound and the value in the message (issue 13, item 14). */
class ValueBoundsTest {
  private static void assertRefused(Executable setting, String... parts) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, setting);
    for (String part : parts) {
      assertTrue(e.getMessage().contains(part), "message should contain '" + part + "' but was: " + e.getMessage());
    }
  }

  @Test
  void aNegativeOrZeroLatencyThresholdIsRefusedItWouldFireOnEveryReading() {
    assertRefused(() -> SignalRule.of(TestSignals.LATENCY).level(Level.SHED_SHEDDABLE, -5, -10),
        "test.latency at SHED_SHEDDABLE", "above 0", "enter=-5 ms");
    assertRefused(() -> SignalRule.of(TestSignals.LATENCY).level(Level.SHED_SHEDDABLE, 200, 0),
        "above 0", "exit=0 ms");
  }

  @Test
  void aRatioRuleAbove1IsRefusedItCouldNeverFire() {
    assertRefused(() -> SignalRule.of(TestSignals.SATURATION).level(Level.SHED_SHEDDABLE, 80, 50),
        "test.saturation", "RATIO", "at most 1", "enter=80.0");
    SignalRule.of(TestSignals.SATURATION).level(Level.SHED_SHEDDABLE, 0.8, 0.5).build();
  }

  @Test
  void aHundredYearDwellIsRefusedNamingTheBound() {
    Duration century = Duration.ofDays(365L * 100);
    assertRefused(() -> GovernorPolicy.custom().minDwell(century), "minDwell", "at most PT1H", century.toString());
    assertRefused(() -> GovernorPolicy.custom().maxDwell(century), "maxDwell", "at most PT24H");
    assertRefused(() -> GovernorPolicy.custom().rampPeriod(Duration.ofHours(2)), "rampPeriod", "at most PT1H");
    GovernorPolicy.custom().minDwell(GovernorPolicy.MAX_MIN_DWELL).maxDwell(GovernorPolicy.MAX_MAX_DWELL)
        .rampPeriod(GovernorPolicy.MAX_RAMP_PERIOD).build();
  }

  @Test
  void staleValuesKeptAHundredYearsAreRefused() {
    assertRefused(() -> FeatureConfig.builder("search", Tier.SHEDDABLE).staleValues(Duration.ofDays(36_500), 10),
        "search: staleValues maxAge", "at most PT168H");
    FeatureConfig.builder("search", Tier.SHEDDABLE).staleValues(FeatureConfig.MAX_STALE_VALUE_AGE, 10).build();
  }

  @Test
  void aTwoHundredYearOverrideLimitIsRefused() {
    assertRefused(() -> Limp.builder().maxOverrideDuration(Duration.ofDays(365L * 200)), "maxOverrideDuration",
        "at most PT720H");
    Limp.builder().maxOverrideDuration(LimpBuilder.MAX_MAX_OVERRIDE_DURATION);
  }
}
