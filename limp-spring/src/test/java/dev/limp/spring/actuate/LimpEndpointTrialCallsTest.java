package dev.limp.spring.actuate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.limp.FeatureConfig;
import dev.limp.FeatureState;
import dev.limp.GovernorPolicy;
import dev.limp.Level;
import dev.limp.Limp;
import dev.limp.Signal;
import dev.limp.SignalRule;
import dev.limp.Tier;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each feature in {@code /actuator/limp} shows its trial calls: let through, healthy, unhealthy. */
class LimpEndpointTrialCallsTest {
  private static final Signal LATENCY = Signal.of("test.latency", Signal.Unit.MILLISECONDS);

  @Test
  void aShedFeaturesTrialCallsAreInItsJson() {
    GovernorPolicy policy = GovernorPolicy.custom()
        .rule(SignalRule.of(LATENCY).level(Level.SHED_SHEDDABLE, 200, 100).build()).build();
    try (Limp limp = Limp.builder().name("endpoint-trials").governorThread(false).policy(policy)
        .signalSource(sink -> sink.put(LATENCY, 300))
        .feature("chat.post", Tier.CRITICAL_PLUS)
        .feature(FeatureConfig.builder("search", Tier.SHEDDABLE).governorOnly().defaultValue("none").build())
        .build()) {
      limp.tick(); // shed
      limp.tick(); // a trial call armed
      assertEquals(FeatureState.SHED, limp.guard("search").state());
      try {
        limp.guard("search").get(() -> {
          throw new IllegalStateException("search index missing"); // unhealthy, whatever the time it took
        });
      } catch (IllegalStateException expected) {
        // the trial's own failure reaches its caller
      }
      LimpEndpoint endpoint = new LimpEndpoint(limp);

      Map<String, Object> search = endpoint.feature("search");
      assertEquals(Map.of("letThrough", 1L, "healthy", 0L, "unhealthy", 1L), search.get("trialCalls"));
      @SuppressWarnings("unchecked")
      Map<String, Object> features = (Map<String, Object>) endpoint.status().get("features");
      @SuppressWarnings("unchecked")
      Map<String, Object> post = (Map<String, Object>) features.get("chat.post");
      assertEquals(Map.of("letThrough", 0L, "healthy", 0L, "unhealthy", 0L), post.get("trialCalls"));
    }
  }
}
