package dev.limp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.limp.testing.FakeClock;
import dev.limp.testing.TestSignals;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Precision (issue 12): nothing automatic refuses the critical path; a culprit is throttled before it is
 * shed; the features' own calls, not timers, bring them back.
 */
class PrecisionTest {
  private static final Signal LATENCY = TestSignals.LATENCY;
  private static final GovernorPolicy POLICY = GovernorPolicy.custom()
      .rule(SignalRule.of(LATENCY).level(Level.SHED_SHEDDABLE, 200, 100).build()).build();

  private final FakeClock clock = new FakeClock();
  private final TestSignals signals = new TestSignals();
  private final ExecutorService threads = Executors.newCachedThreadPool();
  /** The culprit the test's source names, with the connections it holds; {@code null} names none. */
  private volatile String named;
  private volatile int held;
  private volatile String answering;

  private final SignalSource culprits = sink -> {
    if (named != null) {
      sink.suspect(named, named + " held 80 % of connection-time while 3 threads waited", held);
    }
    if (answering != null) {
      sink.answering(answering);
    }
  };

  private LimpBuilder builder() {
    return builder(POLICY);
  }

  private LimpBuilder builder(GovernorPolicy policy) {
    return Limp.builder().clock(clock).governorThread(false).policy(policy).signalSource(signals)
        .signalSource(culprits)
        .feature("chat.post", Tier.CRITICAL_PLUS)
        .feature("chat.read", Tier.CRITICAL)
        .feature(FeatureConfig.builder("notifications", Tier.SHEDDABLE_PLUS).governorOnly()
            .defaultValue("later").build())
        .feature(FeatureConfig.builder("search", Tier.SHEDDABLE).governorOnly().defaultValue("no hits").build());
  }

  @AfterEach
  void stopThreads() {
    threads.shutdownNow();
  }

  private static FeatureStatus status(Limp limp, String feature) {
    return limp.status().feature(feature).orElseThrow();
  }

  /** A call that takes {@code millis} on the test's clock. */
  private String call(Limp limp, String feature, long millis) {
    return limp.guard(feature).get(() -> {
      clock.advanceMillis(millis);
      return "ran";
    });
  }

  // ---------------------------------------------------------------- the critical path

  @Test
  void criticalFeaturesGetNoBreakerByDefaultAndTheirOwnFailuresNeverRefuseThem() {
    try (Limp limp = builder().build()) {
      assertTrue(limp.guard("chat.post").circuitBreaker().isEmpty());
      assertTrue(limp.guard("chat.read").circuitBreaker().isEmpty());
      assertTrue(FeatureConfig.of("search", Tier.SHEDDABLE).circuitBreaker().isPresent(), "sheddable: one");
      for (int i = 0; i < 200; i++) { // far more than any breaker's window of failures
        assertThrows(IllegalStateException.class, () -> limp.guard("chat.post").get(() -> {
          throw new IllegalStateException("the database refused the connection");
        }));
      }
      assertEquals("ran", limp.guard("chat.post").get(() -> "ran"), "the first call after the outage runs");
      assertEquals(0, status(limp, "chat.post").calls().get(CallOutcome.REJECTED));
    }
  }

  @Test
  void aBreakerGivenToACriticalFeatureIsClosedAtTheFirstTickTheDatabaseAnswersAgain() {
    CircuitBreakerConfig tight = CircuitBreakerConfig.custom().slidingWindowSize(4).minimumNumberOfCalls(4)
        .waitDurationInOpenState(Duration.ofMinutes(1)).build();
    try (Limp limp = builder().feature(FeatureConfig.builder("chat.history", Tier.CRITICAL)
        .circuitBreaker(tight).build()).build()) {
      FeatureGuard history = limp.guard("chat.history");
      for (int i = 0; i < 4; i++) {
        assertThrows(IllegalStateException.class, () -> history.get(() -> {
          throw new IllegalStateException("connection refused");
        }));
      }
      assertEquals(CircuitBreaker.State.OPEN, history.circuitBreaker().orElseThrow().getState());
      limp.tick();
      assertEquals(CircuitBreaker.State.OPEN, history.circuitBreaker().orElseThrow().getState(), "no evidence");

      answering = "1 connection(s) acquired since the last tick";
      limp.tick();

      assertEquals(CircuitBreaker.State.CLOSED, history.circuitBreaker().orElseThrow().getState());
      assertEquals("ran", history.get(() -> "ran"));
    }
  }

  // ---------------------------------------------------------------- throttle before shed

  @Test
  void aCulpritIsThrottledToHalfWhatItHeldAndCallsOverTheLimitGetTheFallbackAtOnce() throws Exception {
    try (Limp limp = builder().build()) {
      named = "notifications";
      held = 8;
      limp.tick();

      FeatureStatus s = status(limp, "notifications");
      assertEquals(FeatureState.THROTTLED, s.state());
      assertEquals(ShedCause.THROTTLE, s.reason().cause());
      assertTrue(s.reason().detail().contains("throttled to 4 calls at a time"), s.reason().detail());
      assertEquals(Level.NORMAL, limp.level(), "the culprit explains the pressure: nothing else is touched");
      assertEquals(FeatureState.ACTIVE, status(limp, "search").state());

      CountDownLatch release = new CountDownLatch(1);
      CountDownLatch inside = new CountDownLatch(4);
      List<Future<String>> running = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        running.add(threads.submit(() -> limp.guard("notifications").get(() -> {
          inside.countDown();
          await(release);
          return "sent";
        })));
      }
      assertTrue(inside.await(10, TimeUnit.SECONDS), "four calls run at once");
      assertEquals("later", limp.guard("notifications").get(() -> "sent"), "the fifth gets the fallback chain");
      release.countDown();
      for (Future<String> f : running) {
        assertEquals("sent", f.get(10, TimeUnit.SECONDS));
      }
      assertEquals("sent", limp.guard("notifications").get(() -> "sent"), "a place is free again");
    }
  }

  @Test
  void theLimitHalvesWhileThePressureStaysAndTheCulpritIsShedOnlyAfterTheGraceAtOneCall() {
    try (Limp limp = builder().build()) {
      named = "notifications";
      held = 8;
      limp.tick(); // 4
      limp.tick(); // 2
      limp.tick(); // 1
      assertTrue(status(limp, "notifications").reason().detail().contains("throttled to 1 call at a time"));
      clock.advance(GovernorPolicy.THROTTLE_GRACE.minusMillis(1));
      limp.tick();
      assertEquals(FeatureState.THROTTLED, status(limp, "notifications").state(), "still within the grace");

      clock.advanceMillis(1);
      limp.tick();

      FeatureStatus s = status(limp, "notifications");
      assertEquals(FeatureState.SHED, s.state());
      assertEquals(ShedCause.CULPRIT, s.reason().cause());
      assertTrue(s.reason().detail().contains("throttled to 1 call at a time for 2.0 s and the pressure stayed"),
          s.reason().detail());
    }
  }

  @Test
  void aThrottledCulpritWhoseCallsAreHealthyAgainIsLetBackBeforeItsHoldEnds() {
    try (Limp limp = builder().build()) {
      named = "notifications";
      held = 8;
      limp.tick();
      named = null; // the pressure is gone
      limp.tick();
      assertTrue(status(limp, "notifications").reason().detail().contains("throttled to 5 calls"),
          "raised by one: " + status(limp, "notifications").reason().detail());

      call(limp, "notifications", 5);
      call(limp, "notifications", 5);
      limp.tick();

      assertEquals(FeatureState.ACTIVE, status(limp, "notifications").state(),
          "two healthy calls in a row: back long before the 15 s hold");
    }
  }

  @Test
  void aCulpritNamedAgainSoonAfterItsReleaseNeedsTwiceTheEvidenceNotItsWholeHold() {
    // regression: in the slow-database replay notifications, throttled again 4 s after its release, stayed
    // THROTTLED for its doubled hold, 33 s after the incident ended, its calls healthy all along
    try (Limp limp = builder().build()) {
      named = "notifications";
      held = 8;
      limp.tick();
      named = null;
      call(limp, "notifications", 5);
      call(limp, "notifications", 5);
      limp.tick();
      assertEquals(FeatureState.ACTIVE, status(limp, "notifications").state(), "released by its evidence");

      named = "notifications"; // a relapse: named again within the relapse window
      limp.tick();
      assertTrue(status(limp, "notifications").reason().detail().contains("named again soon"),
          status(limp, "notifications").reason().detail());
      named = null;
      call(limp, "notifications", 5);
      call(limp, "notifications", 5);
      limp.tick();
      assertEquals(FeatureState.THROTTLED, status(limp, "notifications").state(), "two are not enough now");
      call(limp, "notifications", 5);
      call(limp, "notifications", 5);
      limp.tick();
      assertEquals(FeatureState.ACTIVE, status(limp, "notifications").state(),
          "four healthy calls in a row: back long before the 30 s hold");
    }
  }

  @Test
  void inShadowModeACulpritIsOnlyReportedAsWouldThrottle() {
    try (Limp limp = builder().shadowMode(true).build()) {
      named = "notifications";
      held = 8;
      limp.tick();
      FeatureStatus s = status(limp, "notifications");
      assertEquals(FeatureState.ACTIVE, s.state());
      assertTrue(s.wouldShed());
      for (int i = 0; i < 10; i++) {
        assertEquals("ran", call(limp, "notifications", 0), "nothing limited in shadow mode");
      }
    }
  }

  // ---------------------------------------------------------------- evidence brings features back

  @Test
  void aShedFeatureLetsOneTrialCallThroughPerTickAndASlowTrialChangesNothing() {
    try (Limp limp = builder().build()) {
      signals.set(LATENCY, 300);
      limp.tick();
      assertEquals(FeatureState.SHED, status(limp, "search").state());
      assertEquals("no hits", call(limp, "search", 0), "no trial in the tick that shed it");

      limp.tick();
      assertEquals("ran", call(limp, "search", 1_000), "the tick's trial runs");
      assertEquals("no hits", call(limp, "search", 0), "one per tick");
      limp.tick();

      assertEquals(FeatureState.SHED, status(limp, "search").state(), "a slow trial is not a state change");
      assertEquals(1, limp.status().feature("search").orElseThrow().calls().get(CallOutcome.PERMITTED));
    }
  }

  @Test
  void healthyTrialsBringAFeatureBackAndTheLevelDownLongBeforeTheDwell() {
    try (Limp limp = builder().build()) {
      signals.set(LATENCY, 300);
      limp.tick();
      signals.set(LATENCY, 150); // between exit and enter: the level holds, no signal is at an enter threshold
      limp.tick();
      assertEquals("ran", call(limp, "search", 10));
      limp.tick();
      assertEquals("ran", call(limp, "search", 10));
      limp.tick();

      FeatureStatus s = status(limp, "search");
      assertEquals(FeatureState.RAMPING, s.state(), "let back in by its own healthy trials");
      assertTrue(s.reason().detail().contains("its last 2 trial calls were healthy"), s.reason().detail());
      assertEquals(Level.SHED_SHEDDABLE, limp.level(), "the level holds: its signal is above the exit threshold");

      signals.set(LATENCY, 50); // calm: with the evidence, the level steps down now, not after 15 s
      for (int i = 0; i < 3; i++) {
        call(limp, "search", 10);
      }
      limp.tick();
      assertEquals(Level.NORMAL, limp.level(), limp.status().levelReason());
      assertTrue(limp.status().levelReason().contains("the dwell is a ceiling"), limp.status().levelReason());
    }
  }

  @Test
  void aFeatureLetBackInByItsTrialsIsNotShedAgainWhenTheLevelStepsDownBelowTheLevelItWasExemptAt() {
    // regression: after the outage, search came back by its trials as the level stepped down to
    // SHED_SHEDDABLE_PLUS, and was shed again 0.2 s later, when the level stepped down to SHED_SHEDDABLE (a
    // re-shed per feature, and seconds lost)
    GovernorPolicy threeLevels = GovernorPolicy.custom().rule(SignalRule.of(LATENCY)
        .level(Level.SHED_SHEDDABLE, 200, 100).level(Level.SHED_SHEDDABLE_PLUS, 400, 300)
        .level(Level.SHED_CRITICAL, 600, 500).build()).build();
    try (Limp limp = builder(threeLevels).build()) {
      signals.set(LATENCY, 700);
      limp.tick();
      assertEquals(Level.SHED_CRITICAL, limp.level());
      signals.set(LATENCY, 150); // below every exit threshold but SHED_SHEDDABLE's, at no enter threshold
      for (int i = 0; i < GovernorPolicy.TRIALS_TO_RESTORE + 1; i++) {
        limp.tick();
        call(limp, "search", 1);
        call(limp, "notifications", 1);
      }
      limp.tick();
      assertTrue(status(limp, "search").state() != FeatureState.SHED, limp.status().toString());
      for (int i = 0; i < 5; i++) {
        limp.tick();
        assertTrue(status(limp, "search").state() != FeatureState.SHED,
            "let back in by its trials, shed again at " + limp.level() + ": " + status(limp, "search"));
      }
      assertEquals(Level.SHED_SHEDDABLE, limp.level(), "stepped down one level; the signal holds this one");
    }
  }

  @Test
  void healthyTrialsBeyondThoseThatRestoreAFeatureStartItsRampFurtherOnButNeverAtTheLastStep() {
    // regression: after the outage, features with 11 healthy trials in a row came back at 10 % and took 5 s
    // more to be fully back, however much their trials had shown
    try (Limp limp = builder().build()) {
      signals.set(LATENCY, 300);
      limp.tick();
      int trials = GovernorPolicy.TRIALS_TO_RESTORE + GovernorPolicy.CALLS_PER_RAMP_STEP;
      for (int i = 0; i < trials; i++) { // the signal stays at its enter threshold: the trials only count
        limp.tick();
        assertEquals("ran", call(limp, "search", 1));
      }
      limp.tick();
      assertEquals(FeatureState.SHED, status(limp, "search").state(), "held while the signal says so");

      signals.set(LATENCY, 50);
      limp.tick();
      assertEquals(Level.NORMAL, limp.level(), limp.status().levelReason());
      FeatureStatus s = status(limp, "search");
      assertEquals(FeatureState.RAMPING, s.state());
      assertEquals(0.5, s.admittedFraction(), "one step on for three healthy trials beyond the two: " + s);
    }
    try (Limp limp = builder().build()) {
      signals.set(LATENCY, 300);
      limp.tick();
      for (int i = 0; i < 20; i++) {
        limp.tick();
        assertEquals("ran", call(limp, "search", 1));
      }
      signals.set(LATENCY, 50);
      limp.tick();
      assertEquals(0.5, status(limp, "search").admittedFraction(), "the last step needs the feature's load");
    }
  }

  @Test
  void aRampingFeatureMovesToTheNextStepAsSoonAsItsCallsAreHealthy() {
    try (Limp limp = builder().build()) {
      signals.set(LATENCY, 300);
      limp.tick();
      signals.set(LATENCY, 50);
      limp.tick(); // calm from here; no call, so no evidence: the dwell decides
      clock.advance(GovernorPolicy.DEFAULT_MIN_DWELL.plusSeconds(1));
      limp.tick();
      assertEquals(0.1, status(limp, "search").admittedFraction(), "the ramp's first step");

      int ran = 0;
      for (int i = 0; i < 1_000 && ran < GovernorPolicy.CALLS_PER_RAMP_STEP; i++) {
        if ("ran".equals(call(limp, "search", 1))) {
          ran++;
        }
      }
      limp.tick();

      assertEquals(0.5, status(limp, "search").admittedFraction(), "the next step, 10 s before its time");
    }
  }

  @Test
  void anOperatorsShedHasNoTrialCalls() {
    try (Limp limp = builder().build()) {
      limp.overrides().shed("search", Duration.ofMinutes(5), "export melts the database", "ops");
      for (int i = 0; i < 5; i++) {
        limp.tick();
        assertEquals("no hits", call(limp, "search", 0));
      }
      assertFalse(status(limp, "search").calls().get(CallOutcome.PERMITTED) > 0);
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
