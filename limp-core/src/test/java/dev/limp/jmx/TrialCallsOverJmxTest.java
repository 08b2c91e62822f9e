package dev.limp.jmx;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.limp.FeatureConfig;
import dev.limp.GovernorPolicy;
import dev.limp.Level;
import dev.limp.Limp;
import dev.limp.SignalRule;
import dev.limp.Tier;
import dev.limp.testing.FakeClock;
import dev.limp.testing.TestSignals;
import javax.management.openmbean.CompositeData;
import org.junit.jupiter.api.Test;

/** A feature's row in the operator MXBean shows its trial calls and how they were judged. */
class TrialCallsOverJmxTest {
  private final FakeClock clock = new FakeClock();
  private final TestSignals signals = new TestSignals();

  @Test
  void aFeaturesRowCountsItsTrialCallsByHowTheyWereJudged() throws Exception {
    GovernorPolicy policy = GovernorPolicy.custom()
        .rule(SignalRule.of(TestSignals.LATENCY).level(Level.SHED_SHEDDABLE, 200, 100).build()).build();
    try (Limp limp = Limp.builder().name(JmxClient.uniqueName("trials")).clock(clock).governorThread(false)
        .registerMBean(true).policy(policy).signalSource(signals)
        .feature("chat.post", Tier.CRITICAL_PLUS)
        .feature(FeatureConfig.builder("search", Tier.SHEDDABLE).governorOnly().defaultValue("none").build())
        .build()) {
      signals.set(TestSignals.LATENCY, 300);
      limp.tick();
      limp.tick();
      limp.guard("search").get(() -> "fast");
      limp.tick();
      limp.guard("search").get(() -> {
        clock.advanceMillis(1_000);
        return "slow";
      });

      CompositeData search = new JmxClient(LimpJmx.objectName(limp.name())).feature("search");
      assertEquals("SHED", search.get("state"));
      assertEquals(2L, search.get("trialCalls"));
      assertEquals(1L, search.get("healthyTrialCalls"));
      assertEquals(1L, search.get("unhealthyTrialCalls"));
    }
  }
}
