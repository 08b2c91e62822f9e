package dev.limp.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.limp.CallOutcome;
import dev.limp.FeatureConfig;
import dev.limp.GovernorPolicy;
import dev.limp.Level;
import dev.limp.Limp;
import dev.limp.SignalRule;
import dev.limp.Tier;
import dev.limp.testing.FakeClock;
import dev.limp.testing.TestSignals;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

/** The trial-call counter of the binder ({@code limp.calls.trial}) against a real engine and a driven clock. */
class TrialCallMetricsTest {
  private static final GovernorPolicy POLICY = GovernorPolicy.custom()
      .rule(SignalRule.of(TestSignals.LATENCY).level(Level.SHED_SHEDDABLE, 200, 100).build()).build();

  private final FakeClock clock = new FakeClock();
  private final TestSignals signals = new TestSignals();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  private Limp limp() {
    return Limp.builder().name("chat").clock(clock).governorThread(false).policy(POLICY).signalSource(signals)
        .feature("chat.post", Tier.CRITICAL_PLUS)
        .feature(FeatureConfig.builder("search", Tier.SHEDDABLE).governorOnly().defaultValue("no hits").build())
        .build();
  }

  private String call(Limp limp, long millis) {
    return limp.guard("search").get(() -> {
      clock.advanceMillis(millis);
      return "ran";
    });
  }

  private double trials(String name, String feature, String outcome) {
    return registry.get(name).tag("instance", "chat").tag("feature", feature).tag("tier", "sheddable")
        .tag("outcome", outcome).functionCounter().count();
  }

  @Test
  void trialCallsAreCountedByHowTheyWereJudgedTaggedLikeTheOtherCallCounters() {
    try (Limp limp = limp()) {
      LimpMetrics.of(limp).bindTo(registry);
      signals.set(TestSignals.LATENCY, 300);
      limp.tick();
      call(limp, 0); // shed: no trial in the tick that shed it
      limp.tick();
      call(limp, 10); // healthy trial
      call(limp, 10); // shed: one trial per tick
      limp.tick();
      call(limp, 1_000); // unhealthy trial: slower than healthyCallLatency
      limp.tick();
      assertThrows(IllegalStateException.class, () -> limp.guard("search").get(() -> {
        throw new IllegalStateException("boom");
      }));

      assertEquals(1, trials("limp.calls.trial", "search", "healthy"));
      assertEquals(2, trials("limp.calls.trial", "search", "unhealthy"));
      assertEquals(2, registry.get("limp.calls").tag("feature", "search").tag("outcome", "shed")
          .functionCounter().count(), "the calls that were no trial were shed");
      assertEquals(2, limp.guard("search").count(CallOutcome.PERMITTED), "trials are in limp.calls too");
      assertEquals(1, limp.guard("search").count(CallOutcome.FAILED));
    }
  }

  @Test
  void theTrialCounterGoesByItsCustomName() {
    try (Limp limp = limp()) {
      LimpMetrics.of(limp, LimpMetricNames.custom().trialCallsMetricName("chat.trials").build()).bindTo(registry);
      signals.set(TestSignals.LATENCY, 300);
      limp.tick();
      limp.tick();
      call(limp, 10);
      assertEquals(1, trials("chat.trials", "search", "healthy"));
      assertEquals(0, trials("chat.trials", "search", "unhealthy"));
      assertEquals(0, registry.find("limp.calls.trial").functionCounters().size(), "no meter under the default");
    }
  }
}
