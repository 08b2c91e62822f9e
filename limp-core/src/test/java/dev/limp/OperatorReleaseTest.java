package dev.limp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.limp.testing.FakeClock;
import dev.limp.testing.GovernorDriver;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * An operator's shed, released or expired, restores the feature at once, unless the governor itself sheds
 * it (issue 14, item 11: after a release, 90 % of notification reads returned the empty fallback for 30 s).
 */
class OperatorReleaseTest {
  private final FakeClock clock = new FakeClock();
  private final GovernorDriver governor = new GovernorDriver(clock);

  private Limp limp() {
    return governor.install(Limp.builder().clock(clock).governorThread(false))
        .feature("notifications", Tier.SHEDDABLE_PLUS).build();
  }

  @Test
  void releasingAnOperatorsShedRestoresEveryCallAtOnce() {
    try (Limp limp = limp()) {
      limp.overrides().shed("notifications", Duration.ofMinutes(5), "noisy", "ops");
      limp.overrides().releaseFeature("notifications", "ops");

      FeatureGuard notifications = limp.guard("notifications");
      assertEquals(FeatureState.ACTIVE, notifications.state());
      assertEquals(1.0, notifications.admittedFraction());
      for (int i = 0; i < 100; i++) {
        assertEquals("fresh", notifications.get(() -> "fresh", reason -> "fallback"), "every call admitted");
      }
    }
  }

  @Test
  void anExpiredForcedLevelRestoresAtOnce() {
    try (Limp limp = limp()) {
      limp.overrides().forceLevel(Level.SHED_CRITICAL, Duration.ofSeconds(30), "drill", "ops");
      clock.advanceSeconds(31);
      limp.tick();

      assertEquals(FeatureState.ACTIVE, limp.guard("notifications").state());
    }
  }

  @Test
  void releasingAnOperatorsShedLeavesTheFeatureShedWhileTheGovernorShedsIt() {
    try (Limp limp = limp()) {
      limp.overrides().shed("notifications", Duration.ofMinutes(5), "noisy", "ops");
      governor.shed(limp);
      limp.overrides().releaseFeature("notifications", "ops");

      assertEquals(FeatureState.SHED, limp.guard("notifications").state(), "the governor still sheds it");
      assertEquals(ShedCause.LEVEL, limp.status().feature("notifications").orElseThrow().reason().cause());

      governor.letBackIn(limp);
      assertEquals(FeatureState.RAMPING, limp.guard("notifications").state(), "the governor's shed ramps back");
    }
  }
}
