package dev.limp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.limp.GovernorPolicy;
import dev.limp.Level;
import dev.limp.Signal;
import dev.limp.SignalRule;
import dev.limp.SignalSnapshot;
import dev.limp.testing.FakeClock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A source's detail behind a reading ({@code Sink.explain}): it ends the reason of the level that reading
 * raises, and of two sources of one signal, the detail of the reading that counts is kept.
 */
class SignalDetailTest {
  private static final Signal LOCK_WAIT = Signal.of("db.server.lock.wait", Signal.Unit.MILLISECONDS);
  private static final Signal OTHER = Signal.of("test.other", Signal.Unit.COUNT);
  private static final GovernorPolicy POLICY = GovernorPolicy.custom()
      .rule(SignalRule.of(LOCK_WAIT).level(Level.SHED_SHEDDABLE, 1_000, 200).build())
      .build();
  private static final String BLOCKER = "session 4711 (application 'migrate') has held an ACCESS EXCLUSIVE "
      + "lock on notifications for 38 s; 9 of our connections wait on it";

  @Test
  void theLevelsReasonEndsWithTheDetailOfTheReadingThatRaisedIt() {
    SignalSnapshot signals = SignalSnapshot.of(Map.of(LOCK_WAIT, 38_000.0, OTHER, 3.0), Map.of(), Map.of(), null,
        Map.of(LOCK_WAIT, BLOCKER, OTHER, "not this one"));

    GovernorState next = GovernorDecider.decide(POLICY, signals, GovernorState.initial(0), 1);

    assertEquals(Level.SHED_SHEDDABLE, next.level());
    assertTrue(next.reason().startsWith("db.server.lock.wait = "), next.reason());
    assertTrue(next.reason().endsWith("(enter SHED_SHEDDABLE): " + BLOCKER), next.reason());
    assertFalse(next.reason().contains("not this one"), next.reason());
  }

  @Test
  void withoutADetailTheReasonIsTheThresholdAlone() {
    GovernorState next = GovernorDecider.decide(POLICY, SignalSnapshot.of(Map.of(LOCK_WAIT, 38_000.0)),
        GovernorState.initial(0), 1);

    assertTrue(next.reason().endsWith("(enter SHED_SHEDDABLE)"), next.reason());
  }

  @Test
  void aDetailOfASignalWithoutAReadingIsLeftOut() {
    SignalSnapshot signals = SignalSnapshot.of(Map.of(OTHER, Double.NaN), Map.of(), Map.of(), null,
        Map.of(OTHER, "nothing behind it"));

    assertTrue(signals.detail(OTHER).isEmpty());
  }

  @Test
  void ofTwoSourcesOfOneSignalTheHigherReadingKeepsItsDetail() {
    SignalSampler sampler = new SignalSampler("detail", new FakeClock(), Duration.ofMillis(250), List.of(
        sink -> {
          sink.put(LOCK_WAIT, 1_500);
          sink.explain(LOCK_WAIT, "the replica's blocker");
        },
        sink -> {
          sink.put(LOCK_WAIT, 38_000);
          sink.explain(LOCK_WAIT, BLOCKER);
        },
        sink -> sink.put(LOCK_WAIT, 200)));
    try {
      SignalSnapshot snapshot = sampler.sample(List.of());

      assertEquals(38_000, snapshot.get(LOCK_WAIT));
      assertEquals(BLOCKER, snapshot.detail(LOCK_WAIT).orElseThrow());
    } finally {
      sampler.close();
    }
  }
}
