package dev.limp.testing;

import dev.limp.GovernorPolicy;
import dev.limp.Level;
import dev.limp.Limp;
import dev.limp.LimpBuilder;
import dev.limp.SignalRule;

/**
 * Makes the governor itself shed and let back in the sheddable tiers, for tests of what follows a governor's
 * decision (the ramp): an operator's release restores at once, so it cannot stand in for the governor.
 */
public final class GovernorDriver {
  private final FakeClock clock;
  private final TestSignals signals = new TestSignals();

  public GovernorDriver(FakeClock clock) {
    this.clock = clock;
  }

  /** Adds the driver's signal and a rule on it: 200 ms sheds the two sheddable tiers, below 100 ms it is let back. */
  public LimpBuilder install(LimpBuilder builder) {
    return builder.signalSource(signals).policy(GovernorPolicy.custom()
        .rule(SignalRule.of(TestSignals.LATENCY).level(Level.SHED_SHEDDABLE_PLUS, 200, 100).build()).build());
  }

  /** The governor sheds the two sheddable tiers (one tick). */
  public void shed(Limp limp) {
    signals.set(TestSignals.LATENCY, 500);
    limp.tick();
  }

  /**
   * The governor lets the sheddable tiers back in: calm for a whole dwell at each level on the way down to
   * NORMAL (one step at a time); the tick of each step starts the ramp of the tier it lets back in.
   */
  public void letBackIn(Limp limp) {
    signals.set(TestSignals.LATENCY, 10);
    limp.tick();
    while (limp.level() != Level.NORMAL) {
      clock.advance(GovernorPolicy.DEFAULT_MIN_DWELL.plusSeconds(1));
      limp.tick();
    }
  }
}
