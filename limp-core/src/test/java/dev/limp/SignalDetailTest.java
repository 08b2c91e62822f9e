package dev.limp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.limp.testing.FakeClock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** A source may give a detail with a reading; the level it makes the governor enter names it in its reason. */
class SignalDetailTest {
  private static final Signal FLEET = Signal.of("test.fleet", Signal.Unit.COUNT);
  private static final GovernorPolicy POLICY = GovernorPolicy.custom()
      .rule(SignalRule.of(FLEET).level(Level.SHED_SHEDDABLE, 2, 1).build())
      .build();

  private final FakeClock clock = new FakeClock();

  private Limp limp(SignalSource... sources) {
    LimpBuilder b = Limp.builder().name("detail").clock(clock).governorThread(false).policy(POLICY)
        .feature("search", Tier.SHEDDABLE);
    for (SignalSource s : sources) {
      b.signalSource(s);
    }
    return b.build();
  }

  private static void tick(Limp limp, FakeClock clock) {
    clock.advance(Duration.ofMillis(250));
    limp.tick();
  }

  @Test
  void theReasonForEnteringALevelEndsWithTheDetailOfTheReading() {
    try (Limp limp = limp(sink -> sink.put(FLEET, 2, "pod-1, pod-2 at SHED_SHEDDABLE"))) {
      tick(limp, clock);
      assertEquals(Level.SHED_SHEDDABLE, limp.level());
      assertEquals("test.fleet = 2 ≥ 2 (enter SHED_SHEDDABLE): pod-1, pod-2 at SHED_SHEDDABLE",
          limp.status().levelReason());
    }
  }

  @Test
  void theDetailGoesWithTheReadingThatCounts() {
    SignalSource low = sink -> sink.put(FLEET, 2, "the lower one");
    SignalSource high = sink -> sink.put(FLEET, 3, "the higher one");
    try (Limp limp = limp(low, high)) {
      tick(limp, clock);
      assertTrue(limp.status().levelReason().endsWith(": the higher one"), limp.status().levelReason());
    }
    SignalSource plain = sink -> sink.put(FLEET, 3);
    try (Limp limp = limp(low, plain)) {
      tick(limp, clock);
      assertEquals("test.fleet = 3 ≥ 2 (enter SHED_SHEDDABLE)", limp.status().levelReason());
    }
  }

  @Test
  void aSinkThatKnowsNoDetailsTakesTheReadingAlone() {
    AtomicReference<Double> taken = new AtomicReference<>();
    SignalSource.Sink plain = new SignalSource.Sink() {
      @Override
      public void put(Signal signal, double value) {
        taken.set(value);
      }

      @Override
      public void suspect(String feature, String reason) {
      }
    };
    plain.put(FLEET, 4, "dropped");
    assertEquals(4.0, taken.get());
  }
}
