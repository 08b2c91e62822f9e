package dev.limp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.limp.GovernorPolicy;
import dev.limp.Level;
import dev.limp.Signal;
import dev.limp.SignalRule;
import dev.limp.SignalSnapshot;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The governor's ladder as a pure function: plain nanoseconds as the clock, no engine. */
class GovernorDeciderTest {
  private static final Signal LATENCY = Signal.of("db.query.p99", Signal.Unit.MILLISECONDS);
  private static final Signal SATURATION = Signal.of("db.pool.saturation", Signal.Unit.RATIO);
  private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
  private static final long TICK = TimeUnit.MILLISECONDS.toNanos(250);
  private static final long DWELL = 15 * SECOND;

  /** enter/exit: 200/100, 500/250, 2000/1000 ms. */
  private static final SignalRule LATENCY_RULE = SignalRule.of(LATENCY)
      .level(Level.SHED_SHEDDABLE, 200, 100)
      .level(Level.SHED_SHEDDABLE_PLUS, 500, 250)
      .level(Level.SHED_CRITICAL, 2000, 1000)
      .build();

  /** enter/exit: 80/60 %, 95/85 %. */
  private static final SignalRule SATURATION_RULE = SignalRule.of(SATURATION)
      .level(Level.SHED_SHEDDABLE, 0.80, 0.60)
      .level(Level.SHED_SHEDDABLE_PLUS, 0.95, 0.85)
      .build();

  private static final GovernorPolicy POLICY = GovernorPolicy.custom()
      .rule(LATENCY_RULE)
      .rule(SATURATION_RULE)
      .minDwell(Duration.ofNanos(DWELL))
      .build();

  private static final long START = 1_000 * SECOND;

  private static SignalSnapshot latency(double ms) {
    return SignalSnapshot.of(Map.of(LATENCY, ms));
  }

  private static SignalSnapshot readings(double latencyMs, double saturation) {
    return SignalSnapshot.of(Map.of(LATENCY, latencyMs, SATURATION, saturation));
  }

  private static GovernorState at(Level level, long sinceNanos) {
    return new GovernorState(level, sinceNanos, GovernorState.NOT_CALM, "test");
  }

  /** Ticks every {@link #TICK} from {@code from} (exclusive) to {@code to} (inclusive) with the same readings. */
  private static GovernorState run(GovernorState state, SignalSnapshot signals, long from, long to) {
    for (long t = from + TICK; t <= to; t += TICK) {
      state = GovernorDecider.decide(POLICY, signals, state, t);
    }
    return state;
  }

  // ---------------------------------------------------------------- escalation

  @Test
  void staysNormalWhileEverySignalIsBelowItsLowestEnterThreshold() {
    GovernorState initial = GovernorState.initial(START);

    GovernorState next = GovernorDecider.decide(POLICY, readings(199.9, 0.79), initial, START + TICK);

    assertSame(initial, next);
    assertEquals(Level.NORMAL, next.level());
  }

  @Test
  void escalatesWhenASignalReachesAnEnterThreshold() {
    GovernorState next = GovernorDecider.decide(POLICY, latency(200), GovernorState.initial(START),
        START + TICK);

    assertEquals(Level.SHED_SHEDDABLE, next.level());
    assertEquals(START + TICK, next.levelSinceNanos());
    assertEquals(GovernorState.NOT_CALM, next.calmSinceNanos());
  }

  @Test
  void escalationJumpsSeveralLevelsAtOnceWhenAHighThresholdIsCrossed() {
    GovernorState next = GovernorDecider.decide(POLICY, latency(2500), GovernorState.initial(START),
        START + TICK);

    assertEquals(Level.SHED_CRITICAL, next.level());
  }

  @Test
  void escalationFromAShedLevelJumpsToTheEnteredLevelAtOnce() {
    GovernorState shedding = at(Level.SHED_SHEDDABLE, START);

    GovernorState next = GovernorDecider.decide(POLICY, latency(2000), shedding, START + TICK);

    assertEquals(Level.SHED_CRITICAL, next.level());
    assertEquals(START + TICK, next.levelSinceNanos());
  }

  @Test
  void escalationIsNotHeldBackByTheDwellOfTheCurrentLevel() {
    GovernorState shedding = at(Level.SHED_SHEDDABLE, START);

    GovernorState next = GovernorDecider.decide(POLICY, latency(500), shedding, START + 1);

    assertEquals(Level.SHED_SHEDDABLE_PLUS, next.level());
  }

  @Test
  void theHighestLevelEnteredByAnyOfSeveralRulesWins() {
    GovernorState initial = GovernorState.initial(START);

    GovernorState bySaturation = GovernorDecider.decide(POLICY, readings(210, 0.96), initial, START + TICK);
    GovernorState byLatency = GovernorDecider.decide(POLICY, readings(2100, 0.81), initial, START + TICK);

    assertEquals(Level.SHED_SHEDDABLE_PLUS, bySaturation.level());
    assertTrue(bySaturation.reason().contains("db.pool.saturation"), bySaturation.reason());
    assertEquals(Level.SHED_CRITICAL, byLatency.level());
    assertTrue(byLatency.reason().contains("db.query.p99"), byLatency.reason());
  }

  @Test
  void escalationReasonNamesTheSignalItsValueAndTheThreshold() {
    GovernorState next = GovernorDecider.decide(POLICY, latency(812), GovernorState.initial(START),
        START + TICK);

    assertEquals(Level.SHED_SHEDDABLE_PLUS, next.level());
    assertTrue(next.reason().contains("db.query.p99"), next.reason());
    assertTrue(next.reason().contains("812 ms"), next.reason());
    assertTrue(next.reason().contains("500 ms"), next.reason());
    assertTrue(next.reason().contains("SHED_SHEDDABLE_PLUS"), next.reason());
  }

  // ---------------------------------------------------------------- recovery

  @Test
  void doesNotRecoverBeforeMinDwellEvenIfTheSignalDropsToZero() {
    GovernorState escalated = GovernorDecider.decide(POLICY, latency(300), GovernorState.initial(START),
        START);

    GovernorState state = run(escalated, latency(0), START, START + DWELL - 1);

    assertEquals(Level.SHED_SHEDDABLE, state.level());
    assertTrue(state.calmSinceNanos() != GovernorState.NOT_CALM, "the calm clock runs meanwhile");
  }

  @Test
  void recoversExactlyOneLevelAfterMinDwellOfCalm() {
    GovernorState escalated = GovernorDecider.decide(POLICY, latency(5000), GovernorState.initial(START),
        START);
    GovernorState calmFrom = GovernorDecider.decide(POLICY, latency(0), escalated, START + SECOND);

    GovernorState beforeDwell = GovernorDecider.decide(POLICY, latency(0), calmFrom,
        START + SECOND + DWELL - 1);
    GovernorState afterDwell = GovernorDecider.decide(POLICY, latency(0), beforeDwell, START + SECOND + DWELL);

    assertEquals(Level.SHED_CRITICAL, beforeDwell.level());
    assertEquals(Level.SHED_SHEDDABLE_PLUS, afterDwell.level(), "one level down, not straight to NORMAL");
    assertEquals(START + SECOND + DWELL, afterDwell.levelSinceNanos());
  }

  @Test
  void eachRecoveryStepNeedsAnotherFullDwell() {
    GovernorState state = GovernorDecider.decide(POLICY, latency(5000), GovernorState.initial(START), START);
    long t = START;
    long[] stepTimes = new long[3];
    Level[] levels = new Level[3];
    int steps = 0;
    while (steps < 3) {
      t += TICK;
      GovernorState next = GovernorDecider.decide(POLICY, latency(0), state, t);
      if (next.level() != state.level()) {
        stepTimes[steps] = t;
        levels[steps] = next.level();
        steps++;
      }
      state = next;
      assertTrue(t < START + 10 * DWELL, "recovery stalled at " + state);
    }

    assertEquals(Level.SHED_SHEDDABLE_PLUS, levels[0]);
    assertEquals(Level.SHED_SHEDDABLE, levels[1]);
    assertEquals(Level.NORMAL, levels[2]);
    assertEquals(START + TICK + DWELL, stepTimes[0], "calm from the first calm tick, one dwell");
    assertEquals(DWELL, stepTimes[1] - stepTimes[0]);
    assertEquals(DWELL, stepTimes[2] - stepTimes[1]);
  }

  @Test
  void doesNotRecoverFromALevelYoungerThanMinDwellEvenIfCalmForLonger() {
    // the calm clock was already running at the level below when the level rose
    GovernorState young = new GovernorState(Level.SHED_SHEDDABLE, START + 10 * SECOND, START, "test");

    GovernorState next = GovernorDecider.decide(POLICY, latency(0), young, START + 20 * SECOND);

    assertEquals(Level.SHED_SHEDDABLE, next.level());
  }

  @Test
  void recoveryReasonNamesTheLevelLeftTheCalmTimeAndTheReadings() {
    GovernorState escalated = GovernorDecider.decide(POLICY, latency(300), GovernorState.initial(START),
        START);

    GovernorState state = run(escalated, latency(42), START, START + TICK + DWELL);

    assertEquals(Level.NORMAL, state.level());
    assertTrue(state.reason().contains("SHED_SHEDDABLE"), state.reason());
    assertTrue(state.reason().contains("15.0 s"), state.reason());
    assertTrue(state.reason().contains("db.query.p99 = 42 ms < 100 ms"), state.reason());
  }

  // ---------------------------------------------------------------- hysteresis

  @Test
  void aReadingBetweenExitAndEnterHoldsTheLevelAndResetsTheCalmClock() {
    GovernorState escalated = GovernorDecider.decide(POLICY, latency(300), GovernorState.initial(START),
        START);
    GovernorState calm = run(escalated, latency(0), START, START + 10 * SECOND);
    assertTrue(calm.calmSinceNanos() != GovernorState.NOT_CALM);

    GovernorState held = GovernorDecider.decide(POLICY, latency(150), calm, START + 10 * SECOND + TICK);
    assertEquals(Level.SHED_SHEDDABLE, held.level());
    assertEquals(GovernorState.NOT_CALM, held.calmSinceNanos(), "the calm clock is reset");

    // calm again: the dwell counts from here, not from the first calm reading
    long calmAgain = START + 10 * SECOND + 2 * TICK;
    GovernorState state = GovernorDecider.decide(POLICY, latency(0), held, calmAgain);
    state = run(state, latency(0), calmAgain, calmAgain + DWELL - TICK);
    assertEquals(Level.SHED_SHEDDABLE, state.level());
    state = GovernorDecider.decide(POLICY, latency(0), state, calmAgain + DWELL);
    assertEquals(Level.NORMAL, state.level());
  }

  @Test
  void aReadingAtTheExitThresholdStillHolds() {
    GovernorState shedding = at(Level.SHED_SHEDDABLE, START);

    GovernorState state = run(shedding, latency(100), START, START + 3 * DWELL);

    assertEquals(Level.SHED_SHEDDABLE, state.level());
  }

  @Test
  void aReadingBetweenExitAndEnterDoesNotEscalateFromBelow() {
    GovernorState initial = GovernorState.initial(START);

    GovernorState state = run(initial, latency(199), START, START + 3 * DWELL);
    GovernorState shedding = run(at(Level.SHED_SHEDDABLE, START), latency(499), START, START + 3 * DWELL);

    assertSame(initial, state);
    assertEquals(Level.SHED_SHEDDABLE, shedding.level(), "499 ms holds SHED_SHEDDABLE_PLUS's exit, not its enter");
  }

  @Test
  void aSignalAboveTheExitOfAHigherLevelHoldsALowerLevel() {
    GovernorState shedding = at(Level.SHED_SHEDDABLE, START);

    // 300 ms: above SHED_SHEDDABLE's enter (200) and SHED_SHEDDABLE_PLUS's exit (250), below its enter (500)
    GovernorState state = run(shedding, latency(300), START, START + 3 * DWELL);

    assertEquals(Level.SHED_SHEDDABLE, state.level());
    assertEquals(GovernorState.NOT_CALM, state.calmSinceNanos());
  }

  @Test
  void anyOneSignalAboveItsExitThresholdHoldsTheLevel() {
    GovernorState shedding = at(Level.SHED_SHEDDABLE, START);

    // latency is calm, saturation is between its exit (60 %) and enter (80 %)
    GovernorState state = run(shedding, readings(0, 0.7), START, START + 3 * DWELL);

    assertEquals(Level.SHED_SHEDDABLE, state.level());
  }

  @Test
  void aSignalOscillatingAroundTheEnterThresholdChangesTheLevelExactlyOnce() {
    GovernorState state = GovernorState.initial(START);
    int changes = 0;
    long end = START + TimeUnit.MINUTES.toNanos(5);
    int i = 0;
    for (long t = START + TICK; t <= end; t += TICK, i++) {
      GovernorState next = GovernorDecider.decide(POLICY, latency(i % 2 == 0 ? 210 : 190), state, t);
      if (next.level() != state.level()) {
        changes++;
      }
      state = next;
    }

    assertEquals(1, changes);
    assertEquals(Level.SHED_SHEDDABLE, state.level());
  }

  @Test
  void aSignalOscillatingAroundTheExitThresholdDoesNotFlap() {
    GovernorState state = GovernorDecider.decide(POLICY, latency(300), GovernorState.initial(START), START);
    int changes = 0;
    long end = START + TimeUnit.MINUTES.toNanos(5);
    int i = 0;
    for (long t = START + TICK; t <= end; t += TICK, i++) {
      GovernorState next = GovernorDecider.decide(POLICY, latency(i % 2 == 0 ? 90 : 110), state, t);
      if (next.level() != state.level()) {
        changes++;
      }
      state = next;
    }

    assertEquals(0, changes, "a reading at or above the exit every other tick never lets the calm clock run out");
    assertEquals(Level.SHED_SHEDDABLE, state.level());
  }

  @Test
  void aSignalOscillatingAroundTheExitThresholdBelowNormalDoesNotEscalate() {
    GovernorState state = GovernorState.initial(START);
    int changes = 0;
    long end = START + TimeUnit.MINUTES.toNanos(5);
    int i = 0;
    for (long t = START + TICK; t <= end; t += TICK, i++) {
      GovernorState next = GovernorDecider.decide(POLICY, latency(i % 2 == 0 ? 90 : 110), state, t);
      if (next.level() != state.level()) {
        changes++;
      }
      state = next;
    }

    assertEquals(0, changes);
  }

  @Test
  void afterAStepDownAReadingAboveTheOldExitDoesNotEscalateAgain() {
    // SHED_SHEDDABLE_PLUS left after a dwell at 240 ms (below its exit 250, above SHED_SHEDDABLE's enter 200)
    GovernorState state = GovernorDecider.decide(POLICY, latency(600), GovernorState.initial(START), START);
    state = run(state, latency(240), START, START + TICK + DWELL);
    assertEquals(Level.SHED_SHEDDABLE, state.level());
    int changes = 0;
    long from = START + TICK + DWELL;
    int i = 0;
    for (long t = from + TICK; t <= from + TimeUnit.MINUTES.toNanos(2); t += TICK, i++) {
      GovernorState next = GovernorDecider.decide(POLICY, latency(i % 2 == 0 ? 240 : 260), state, t);
      if (next.level() != state.level()) {
        changes++;
      }
      state = next;
    }

    assertEquals(0, changes);
    assertEquals(Level.SHED_SHEDDABLE, state.level());
  }

  // ---------------------------------------------------------------- relapse back-off

  /** Ticks until the level is {@code target} or {@code limit} passes; returns the state, its time in [1]. */
  private static GovernorState until(GovernorState state, SignalSnapshot signals, long from, long limit,
      Level target, long[] at) {
    for (long t = from + TICK; t <= limit; t += TICK) {
      state = GovernorDecider.decide(POLICY, signals, state, t);
      if (state.level() == target) {
        at[0] = t;
        return state;
      }
    }
    at[0] = -1;
    return state;
  }

  @Test
  void aLevelThatRisesAgainSoonAfterAStepDownWaitsTwiceAsLongToStepDownNextTime() {
    long[] at = new long[1];
    GovernorState state = GovernorDecider.decide(POLICY, latency(300), GovernorState.initial(START), START);
    state = until(state, latency(0), START, START + 60 * SECOND, Level.NORMAL, at);
    long steppedDown = at[0];
    assertEquals(START + TICK + DWELL, steppedDown, "the first step down waits minDwell of calm");

    state = GovernorDecider.decide(POLICY, latency(300), state, steppedDown + 2 * SECOND); // the ramp found it sick
    assertEquals(Level.SHED_SHEDDABLE, state.level());
    assertTrue(state.reason().contains("again 2.0 s after a step down, so the next step down waits 30.0 s"),
        state.reason());

    long relapsed = steppedDown + 2 * SECOND;
    until(state, latency(0), relapsed, relapsed + 60 * SECOND, Level.NORMAL, at);
    assertEquals(relapsed + TICK + 2 * DWELL, at[0], "the next step down waits twice minDwell");
  }

  @Test
  void theDwellStopsDoublingAtMaxDwellAndComesBackToMinDwellWhenAStepDownHolds() {
    GovernorPolicy policy = GovernorPolicy.from(POLICY).maxDwell(Duration.ofSeconds(40)).build();
    GovernorState state = GovernorState.initial(START);
    long t = START;
    long[] dwells = new long[4];
    for (int relapse = 0; relapse < 4; relapse++) {
      state = GovernorDecider.decide(policy, latency(300), state, t);
      long risen = t;
      while (state.level() != Level.NORMAL) {
        t += TICK;
        state = GovernorDecider.decide(policy, latency(0), state, t);
      }
      dwells[relapse] = t - risen;
      t += SECOND; // and up again
    }
    // the calm clock starts at the first calm tick
    assertEquals(TICK + 15 * SECOND, dwells[0]);
    assertEquals(TICK + 30 * SECOND, dwells[1]);
    assertEquals(TICK + 40 * SECOND, dwells[2], "capped at maxDwell");
    assertEquals(TICK + 40 * SECOND, dwells[3]);

    // the last step down holds: a whole dwell and ramp period without a relapse
    t += 40 * SECOND + policy.rampPeriod().toNanos();
    state = GovernorDecider.decide(policy, latency(0), state, t);
    assertEquals(0, state.dwellNanos(), "back to minDwell");
    state = GovernorDecider.decide(policy, latency(300), state, t + TICK);
    long risen = t + TICK;
    t = risen;
    while (state.level() != Level.NORMAL) {
      t += TICK;
      state = GovernorDecider.decide(policy, latency(0), state, t);
    }
    assertEquals(TICK + 15 * SECOND, t - risen, "a rise long after the last step down is no relapse");
  }

  @Test
  void aCulpritNamedAgainSoonAfterItWasLetBackInIsHeldTwiceAsLong() {
    SignalSnapshot named = SignalSnapshot.of(Map.of(), Map.of("notifications", "held 80 % of connection-time"));
    SignalSnapshot quiet = SignalSnapshot.empty();
    GovernorState state = GovernorDecider.decide(POLICY, named, GovernorState.initial(START), START);
    assertEquals(0, state.culprits().get("notifications").holdNanos());

    long t = START;
    while (state.culprits().containsKey("notifications")) {
      t += TICK;
      state = GovernorDecider.decide(POLICY, quiet, state, t);
    }
    assertEquals(START + DWELL, t, "let back in minDwell after it was last named");
    assertTrue(state.released().containsKey("notifications"));

    t += 10 * SECOND; // the ramp's second step: named again
    state = GovernorDecider.decide(POLICY, named, state, t);
    assertEquals(2 * DWELL, state.culprits().get("notifications").holdNanos());
    long renamed = t;
    while (state.culprits().containsKey("notifications")) {
      t += TICK;
      state = GovernorDecider.decide(POLICY, quiet, state, t);
    }
    assertEquals(renamed + 2 * DWELL, t, "held twice as long");

    t += 2 * DWELL + POLICY.rampPeriod().toNanos(); // stays out of trouble past its window (its hold + a ramp)
    state = GovernorDecider.decide(POLICY, quiet, state, t);
    assertTrue(state.released().isEmpty(), "forgotten once its window passed");
    state = GovernorDecider.decide(POLICY, named, state, t + TICK);
    assertEquals(0, state.culprits().get("notifications").holdNanos(), "a new incident: minDwell again");
  }

  // ---------------------------------------------------------------- missing signals

  @Test
  void aMissingSignalDoesNotEnterALevel() {
    GovernorState initial = GovernorState.initial(START);
    Map<Signal, Double> nan = new HashMap<>();
    nan.put(LATENCY, Double.NaN);

    GovernorState notInSnapshot = GovernorDecider.decide(POLICY, SignalSnapshot.empty(), initial, START + TICK);
    GovernorState nanReading = GovernorDecider.decide(POLICY, SignalSnapshot.of(nan), initial, START + TICK);

    assertSame(initial, notInSnapshot);
    assertSame(initial, nanReading);
  }

  @Test
  void aMissingSignalDoesNotHoldALevel() {
    GovernorState shedding = at(Level.SHED_SHEDDABLE_PLUS, START);
    Map<Signal, Double> nan = new HashMap<>();
    nan.put(LATENCY, Double.NaN);
    nan.put(SATURATION, Double.NaN);

    GovernorState afterEmpty = run(shedding, SignalSnapshot.empty(), START, START + TICK + DWELL);
    GovernorState afterNan = run(shedding, SignalSnapshot.of(nan), START, START + TICK + DWELL);

    assertEquals(Level.SHED_SHEDDABLE, afterEmpty.level());
    assertEquals(Level.SHED_SHEDDABLE, afterNan.level());
    assertTrue(afterEmpty.reason().contains("no reading"), afterEmpty.reason());
  }

  @Test
  void aMissingSignalDoesNotHoldWhileAnotherIsCalm() {
    GovernorState shedding = at(Level.SHED_SHEDDABLE, START);

    GovernorState state = run(shedding, SignalSnapshot.of(Map.of(SATURATION, 0.1)), START,
        START + TICK + DWELL);

    assertEquals(Level.NORMAL, state.level());
  }

  // ---------------------------------------------------------------- identity

  @Test
  void returnsThePreviousInstanceWhenNothingChanges() {
    GovernorState initial = GovernorState.initial(START);
    GovernorState held = at(Level.SHED_SHEDDABLE, START);
    GovernorState escalated = GovernorDecider.decide(POLICY, latency(300), initial, START);
    GovernorState calm = GovernorDecider.decide(POLICY, latency(0), escalated, START + TICK);

    assertSame(initial, GovernorDecider.decide(POLICY, latency(10), initial, START + TICK));
    assertSame(initial, GovernorDecider.decide(POLICY, SignalSnapshot.empty(), initial, START + DWELL));
    assertSame(held, GovernorDecider.decide(POLICY, latency(250), held, START + TICK));
    assertSame(held, GovernorDecider.decide(POLICY, latency(120), held, START + 2 * DWELL),
        "a reading above the exit keeps the very instance, however long");
    assertNotSame(escalated, calm, "the calm clock started: a new state");
    assertSame(calm, GovernorDecider.decide(POLICY, latency(0), calm, START + 2 * TICK),
        "the calm clock goes on: the same state");
  }
}
