package dev.limp.test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.limp.FeatureState;
import dev.limp.Level;
import dev.limp.Limp;
import dev.limp.Tier;
import dev.limp.db.DatabaseSignals;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The driven clock and the injected signals, as a user's test drives a limp instance with them. */
class FixturesTest {
  @Test
  void theDrivenClockMovesOnlyForwardAndOnlyWhenMoved() {
    DrivenClock clock = new DrivenClock();
    long before = clock.nanoTime();

    assertEquals(before, clock.nanoTime());
    assertEquals(DrivenClock.DEFAULT_START, clock.instant());
    clock.advance(Duration.ofSeconds(90));
    assertEquals(Duration.ofSeconds(90).toNanos(), clock.nanoTime() - before);
    assertEquals(DrivenClock.DEFAULT_START.plusSeconds(90), clock.instant());
    assertThrows(IllegalArgumentException.class, () -> clock.advance(Duration.ofMillis(-1)));
  }

  @Test
  void injectedSignalsMoveTheLevelAndExplainIt() {
    DrivenClock clock = new DrivenClock();
    InjectedSignals signals = new InjectedSignals();
    try (Limp limp = Limp.builder().name("injected").clock(clock).governorThread(false)
        .policy(DatabaseSignals.defaultPolicy()).signalSource(signals)
        .feature("chat", Tier.CRITICAL_PLUS).feature("reports", Tier.SHEDDABLE_PLUS)
        .feature("search", Tier.SHEDDABLE).build()) {
      signals.set(DatabaseSignals.CRITICAL_QUERY_P99, 1_200)
          .explain(DatabaseSignals.CRITICAL_QUERY_P99, "the reporting job scans");
      limp.tick();

      assertEquals(Level.SHED_SHEDDABLE_PLUS, limp.level());
      assertTrue(limp.status().levelReason().endsWith(": the reporting job scans"), limp.status().levelReason());
      assertEquals(FeatureState.SHED, limp.guard("reports").state());
      assertEquals(FeatureState.ACTIVE, limp.guard("chat").state());

      signals.clearAll();
      for (int i = 0; i < 400 && limp.level() != Level.NORMAL; i++) {
        clock.advanceMillis(250);
        limp.tick();
      }
      assertEquals(Level.NORMAL, limp.level(), "back once the readings are gone and the dwells have passed");
    }
  }

  @Test
  void anInjectedCulpritIsLimitedAheadOfItsTier() {
    DrivenClock clock = new DrivenClock();
    InjectedSignals signals = new InjectedSignals();
    try (Limp limp = Limp.builder().name("injected-culprit").clock(clock).governorThread(false)
        .signalSource(signals).feature("chat", Tier.CRITICAL_PLUS).feature("search", Tier.SHEDDABLE).build()) {
      signals.suspect("search", "search held 90 % of connection-time");
      limp.tick();

      assertTrue(limp.guard("search").state() != FeatureState.ACTIVE, limp.status().toString());
      assertEquals(Level.NORMAL, limp.level(), "a culprit is limited, the level stays");
      assertEquals(FeatureState.ACTIVE, limp.guard("chat").state());
    }
  }
}
