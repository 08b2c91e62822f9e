package dev.limp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.limp.testing.FakeClock;
import dev.limp.testing.TestSignals;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The trial calls of a shed feature are counted for operators: how many were let through and how each was
 * judged, in the guard and in its status; calls of an active feature and an operator's shed count none.
 */
class TrialCallCountTest {
  private static final Signal LATENCY = TestSignals.LATENCY;
  private static final GovernorPolicy POLICY = GovernorPolicy.custom()
      .rule(SignalRule.of(LATENCY).level(Level.SHED_SHEDDABLE, 200, 100).build()).build();

  private final FakeClock clock = new FakeClock();
  private final TestSignals signals = new TestSignals();

  private Limp limp() {
    return Limp.builder().clock(clock).governorThread(false).policy(POLICY).signalSource(signals)
        .feature("chat.post", Tier.CRITICAL_PLUS)
        .feature(FeatureConfig.builder("search", Tier.SHEDDABLE).governorOnly().defaultValue("no hits").build())
        .build();
  }

  /** A call that takes {@code millis} on the test's clock. */
  private String call(Limp limp, String feature, long millis) {
    return limp.guard(feature).get(() -> {
      clock.advanceMillis(millis);
      return "ran";
    });
  }

  private static FeatureStatus status(Limp limp, String feature) {
    return limp.status().feature(feature).orElseThrow();
  }

  private static void assertTrials(Limp limp, String feature, long letThrough, long healthy, long unhealthy) {
    FeatureGuard guard = limp.guard(feature);
    String counts = feature + ": " + status(limp, feature);
    assertEquals(letThrough, guard.trialCalls(), "trial calls let through, " + counts);
    assertEquals(healthy, guard.healthyTrialCalls(), "healthy trial calls, " + counts);
    assertEquals(unhealthy, guard.unhealthyTrialCalls(), "unhealthy trial calls, " + counts);
    FeatureStatus s = status(limp, feature);
    assertEquals(letThrough, s.trialCalls(), "status: trial calls let through");
    assertEquals(healthy, s.healthyTrialCalls(), "status: healthy trial calls");
    assertEquals(unhealthy, s.unhealthyTrialCalls(), "status: unhealthy trial calls");
  }

  @Test
  void eachTrialCallIsCountedOnceWithHowItWasJudged() {
    try (Limp limp = limp()) {
      signals.set(LATENCY, 300); // stays at the enter threshold: healthy trials alone do not restore the feature
      limp.tick();
      assertEquals(FeatureState.SHED, status(limp, "search").state());
      assertEquals("no hits", call(limp, "search", 0), "no trial in the tick that shed it");
      assertTrials(limp, "search", 0, 0, 0);

      limp.tick();
      assertEquals("ran", call(limp, "search", 10), "a fast trial");
      assertEquals("no hits", call(limp, "search", 0), "one per tick: the second call is shed, not a trial");
      assertTrials(limp, "search", 1, 1, 0);

      limp.tick();
      assertEquals("ran", call(limp, "search", 1_000), "a trial slower than healthyCallLatency (250 ms)");
      assertTrials(limp, "search", 2, 1, 1);

      limp.tick();
      assertThrows(IllegalStateException.class, () -> limp.guard("search").get(() -> {
        throw new IllegalStateException("relation \"search_index\" does not exist");
      }), "a trial that fails is the caller's failure");
      assertTrials(limp, "search", 3, 1, 2);
      assertEquals(FeatureState.SHED, status(limp, "search").state(), "failed trials change no state");
      assertEquals(2, status(limp, "search").calls().get(CallOutcome.PERMITTED), "trials are calls too");
      assertEquals(1, status(limp, "search").calls().get(CallOutcome.FAILED));
    }
  }

  @Test
  void aTrialStillRunningIsLetThroughButNotYetJudged() {
    try (Limp limp = limp()) {
      signals.set(LATENCY, 300);
      limp.tick();
      limp.tick();
      long[] seenInside = new long[3];
      limp.guard("search").get(() -> {
        FeatureGuard g = limp.guard("search");
        seenInside[0] = g.trialCalls();
        seenInside[1] = g.healthyTrialCalls();
        seenInside[2] = g.unhealthyTrialCalls();
        return "ran";
      });
      assertEquals(1, seenInside[0], "counted as let through before its work runs");
      assertEquals(0, seenInside[1] + seenInside[2], "judged only when it ends");
      assertTrials(limp, "search", 1, 1, 0);
    }
  }

  @Test
  void callsOfAnActiveFeatureAndOfAnOperatorsShedAreNoTrials() {
    try (Limp limp = limp()) {
      for (int i = 0; i < 3; i++) {
        limp.tick();
        assertEquals("ran", call(limp, "search", 10));
        assertEquals("ran", call(limp, "chat.post", 10));
      }
      limp.overrides().shed("search", Duration.ofMinutes(5), "export melts the database", "ops");
      for (int i = 0; i < 3; i++) {
        limp.tick();
        assertEquals("no hits", call(limp, "search", 10));
      }
      assertTrials(limp, "search", 0, 0, 0);
      assertTrials(limp, "chat.post", 0, 0, 0);
    }
  }

  @Test
  void trialCountsOutliveTheEvidenceWhenTheFeatureComesBack() {
    try (Limp limp = limp()) {
      signals.set(LATENCY, 300);
      limp.tick();
      signals.set(LATENCY, 150); // between exit and enter: healthy trials let the feature back in
      for (int i = 0; i < GovernorPolicy.TRIALS_TO_RESTORE; i++) {
        limp.tick();
        assertEquals("ran", call(limp, "search", 10));
      }
      limp.tick();
      assertEquals(FeatureState.RAMPING, status(limp, "search").state(), "let back in by its trials");
      assertTrials(limp, "search", GovernorPolicy.TRIALS_TO_RESTORE, GovernorPolicy.TRIALS_TO_RESTORE, 0);
    }
  }
}
