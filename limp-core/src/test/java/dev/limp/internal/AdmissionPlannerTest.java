package dev.limp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.limp.FeatureState;
import dev.limp.GovernorPolicy;
import dev.limp.Level;
import dev.limp.OperatorOverride;
import dev.limp.ShedCause;
import dev.limp.ShedReason;
import dev.limp.Tier;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Which calls each feature admits, as a pure function of the level, the overrides and the time. */
class AdmissionPlannerTest {
  private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
  private static final long START = 5_000 * SECOND;
  private static final Instant WALL = Instant.parse("2026-11-22T10:00:00Z");
  private static final GovernorPolicy POLICY = GovernorPolicy.ofDefaults();
  private static final String WHY = "db.query.p99 = 812 ms ≥ 500 ms (enter SHED_SHEDDABLE_PLUS)";

  /** The context {@code offsetNanos} after {@link #START}, with the wall clock moving along. */
  private static AdmissionPlanner.Context governed(Level level, boolean shadow, long offsetNanos) {
    return new AdmissionPlanner.Context(level, WHY, null, shadow, POLICY, START + offsetNanos,
        WALL.plusNanos(offsetNanos));
  }

  private static AdmissionPlanner.Context governed(Level level) {
    return governed(level, false, 0);
  }

  private static AdmissionPlanner.Context forced(Level forcedLevel, Level governorLevel, boolean shadow,
      long offsetNanos) {
    return new AdmissionPlanner.Context(governorLevel, WHY, override(OperatorOverride.Kind.FORCE_LEVEL,
        forcedLevel.name(), Duration.ofMinutes(10)), shadow, POLICY, START + offsetNanos,
        WALL.plusNanos(offsetNanos));
  }

  private static OperatorOverride override(OperatorOverride.Kind kind, String target, Duration duration) {
    return new OperatorOverride(kind, target, "canary deploy", "alice", WALL, WALL.plus(duration));
  }

  private static final Admission ACTIVE = Admission.active(START - SECOND);

  private static Admission shedAt(long nanos) {
    return new Admission(FeatureState.SHED, 0,
        new ShedReason("search", Level.SHED_SHEDDABLE, ShedCause.LEVEL, "earlier", Duration.ZERO), nanos,
        false, null, false);
  }

  // ---------------------------------------------------------------- the level

  @Test
  void eachLevelShedsExactlyTheTiersItsLevelSheds() {
    for (Level level : Level.values()) {
      for (Tier tier : Tier.values()) {
        Admission a = AdmissionPlanner.plan("f", tier, null, ACTIVE, governed(level));
        FeatureState expected = level.sheds(tier) ? FeatureState.SHED : FeatureState.ACTIVE;
        assertEquals(expected, a.state(), level + " / " + tier);
        assertEquals(level.sheds(tier) ? 0 : Admission.ALL, a.permille(), level + " / " + tier);
      }
    }
  }

  @Test
  void levelsShedFromTheBottomTierUp() {
    assertFalse(Level.NORMAL.sheds(Tier.SHEDDABLE));
    assertTrue(Level.SHED_SHEDDABLE.sheds(Tier.SHEDDABLE));
    assertFalse(Level.SHED_SHEDDABLE.sheds(Tier.SHEDDABLE_PLUS));
    assertTrue(Level.SHED_SHEDDABLE_PLUS.sheds(Tier.SHEDDABLE_PLUS));
    assertFalse(Level.SHED_SHEDDABLE_PLUS.sheds(Tier.CRITICAL));
    assertTrue(Level.SHED_CRITICAL.sheds(Tier.CRITICAL));
  }

  @Test
  void theTopTierIsNeverShedByAnyLevelNotEvenAForcedShedCritical() {
    for (Level level : Level.values()) {
      assertFalse(level.sheds(Tier.CRITICAL_PLUS), level.name());
      assertEquals(FeatureState.ACTIVE,
          AdmissionPlanner.plan("chat.post", Tier.CRITICAL_PLUS, null, ACTIVE, governed(level)).state());
    }
    Admission forcedCritical = AdmissionPlanner.plan("chat.post", Tier.CRITICAL_PLUS, null, ACTIVE,
        forced(Level.SHED_CRITICAL, Level.SHED_CRITICAL, false, 0));
    assertEquals(FeatureState.ACTIVE, forcedCritical.state());
    assertEquals(Admission.ALL, forcedCritical.permille());
  }

  @Test
  void aLevelShedReasonNamesTheLevelTheTierAndTheGovernorsReasonAndHintsTheDwell() {
    Admission a = AdmissionPlanner.plan("search", Tier.SHEDDABLE, null, ACTIVE,
        governed(Level.SHED_SHEDDABLE_PLUS));

    ShedReason r = a.reason();
    assertEquals(FeatureState.SHED, a.state());
    assertEquals(START, a.sinceNanos());
    assertEquals("search", r.feature());
    assertEquals(Level.SHED_SHEDDABLE_PLUS, r.level());
    assertEquals(ShedCause.LEVEL, r.cause());
    assertTrue(r.detail().contains("SHED_SHEDDABLE_PLUS"), r.detail());
    assertTrue(r.detail().contains("SHEDDABLE"), r.detail());
    assertTrue(r.detail().contains(WHY), r.detail());
    assertEquals(POLICY.minDwell(), r.retryAfter());
  }

  // ---------------------------------------------------------------- the ramp

  @Test
  void aFeatureLetBackInRampsTenFiftyHundredPercentWithTheDefaultPolicy() {
    Admission shed = shedAt(START - 60 * SECOND);

    Admission at0 = AdmissionPlanner.plan("search", Tier.SHEDDABLE, null, shed, governed(Level.NORMAL));
    Admission at9 = AdmissionPlanner.plan("search", Tier.SHEDDABLE, null, at0,
        governed(Level.NORMAL, false, 9 * SECOND));
    Admission at10 = AdmissionPlanner.plan("search", Tier.SHEDDABLE, null, at9,
        governed(Level.NORMAL, false, 10 * SECOND));
    Admission at19 = AdmissionPlanner.plan("search", Tier.SHEDDABLE, null, at10,
        governed(Level.NORMAL, false, 19 * SECOND));
    Admission at20 = AdmissionPlanner.plan("search", Tier.SHEDDABLE, null, at19,
        governed(Level.NORMAL, false, 20 * SECOND));
    Admission at30 = AdmissionPlanner.plan("search", Tier.SHEDDABLE, null, at20,
        governed(Level.NORMAL, false, 30 * SECOND));

    assertEquals(FeatureState.RAMPING, at0.state());
    assertEquals(100, at0.permille());
    assertEquals(START, at0.sinceNanos(), "the ramp starts when the feature is let back in");
    assertEquals(FeatureState.RAMPING, at9.state());
    assertEquals(100, at9.permille());
    assertEquals(FeatureState.RAMPING, at10.state());
    assertEquals(500, at10.permille());
    assertEquals(START, at10.sinceNanos(), "the ramp keeps its start across steps");
    assertEquals(500, at19.permille());
    // the third step admits every call: nothing is left to ramp
    assertEquals(FeatureState.ACTIVE, at20.state());
    assertEquals(Admission.ALL, at20.permille());
    assertNull(at20.reason());
    assertEquals(FeatureState.ACTIVE, at30.state(), "active after the ramp period");
    assertSame(at20, at30);
  }

  @Test
  void aFeatureIsFullyActiveAfterTheRampPeriodEvenWhenTheLastStepIsBelowOne() {
    GovernorPolicy partial = GovernorPolicy.custom().rampSteps(0.25, 0.5, 0.75)
        .rampPeriod(Duration.ofSeconds(30)).build();
    Admission shed = shedAt(START - 60 * SECOND);

    Admission at0 = AdmissionPlanner.plan("search", Tier.SHEDDABLE, null, shed,
        new AdmissionPlanner.Context(Level.NORMAL, WHY, null, false, partial, START, WALL));
    Admission at29 = AdmissionPlanner.plan("search", Tier.SHEDDABLE, null, at0,
        new AdmissionPlanner.Context(Level.NORMAL, WHY, null, false, partial, START + 29 * SECOND, WALL));
    Admission at30 = AdmissionPlanner.plan("search", Tier.SHEDDABLE, null, at29,
        new AdmissionPlanner.Context(Level.NORMAL, WHY, null, false, partial, START + 30 * SECOND, WALL));

    assertEquals(250, at0.permille());
    assertEquals(FeatureState.RAMPING, at29.state());
    assertEquals(750, at29.permille());
    assertEquals(FeatureState.ACTIVE, at30.state());
  }

  @Test
  void aRampReasonSaysHowMuchIsAdmittedAndHintsTheTimeToTheNextStep() {
    Admission at0 = AdmissionPlanner.plan("search", Tier.SHEDDABLE, null, shedAt(START - SECOND),
        governed(Level.NORMAL));
    Admission at3 = AdmissionPlanner.plan("search", Tier.SHEDDABLE, null, at0,
        governed(Level.NORMAL, false, 3 * SECOND));
    Admission at12 = AdmissionPlanner.plan("search", Tier.SHEDDABLE, null, at3,
        governed(Level.NORMAL, false, 12 * SECOND));

    assertEquals(ShedCause.RAMP, at0.reason().cause());
    assertEquals(Level.NORMAL, at0.reason().level());
    assertTrue(at0.reason().detail().contains("10 %"), at0.reason().detail());
    assertEquals(Duration.ofSeconds(10), at0.reason().retryAfter());
    assertEquals(Duration.ofSeconds(7), at3.reason().retryAfter());
    assertTrue(at12.reason().detail().contains("50 %"), at12.reason().detail());
    assertEquals(Duration.ofSeconds(8), at12.reason().retryAfter());
  }

  @Test
  void aFeatureReShedDuringTheRampIsShedAtOnceAndRampsAnewWhenLetBackIn() {
    Admission ramping = AdmissionPlanner.plan("search", Tier.SHEDDABLE, null, shedAt(START - SECOND),
        governed(Level.NORMAL));
    Admission halfway = AdmissionPlanner.plan("search", Tier.SHEDDABLE, null, ramping,
        governed(Level.NORMAL, false, 15 * SECOND));
    assertEquals(500, halfway.permille());

    Admission reShed = AdmissionPlanner.plan("search", Tier.SHEDDABLE, null, halfway,
        governed(Level.SHED_SHEDDABLE, false, 16 * SECOND));
    Admission again = AdmissionPlanner.plan("search", Tier.SHEDDABLE, null, reShed,
        governed(Level.NORMAL, false, 40 * SECOND));

    assertEquals(FeatureState.SHED, reShed.state());
    assertEquals(0, reShed.permille());
    assertEquals(START + 16 * SECOND, reShed.sinceNanos());
    assertEquals(FeatureState.RAMPING, again.state());
    assertEquals(100, again.permille(), "back to the first step");
    assertEquals(START + 40 * SECOND, again.sinceNanos());
  }

  @Test
  void anActiveFeatureStaysActiveWithoutARamp() {
    Admission a = AdmissionPlanner.plan("search", Tier.SHEDDABLE, null, ACTIVE, governed(Level.NORMAL));

    assertSame(ACTIVE, a);
  }

  // ---------------------------------------------------------------- overrides

  @Test
  void aPinnedFeatureIsActiveWhateverTheForcedLevel() {
    OperatorOverride pin = override(OperatorOverride.Kind.PIN_FEATURE, "search", Duration.ofMinutes(5));

    Admission underForced = AdmissionPlanner.plan("search", Tier.SHEDDABLE, pin, shedAt(START - SECOND),
        forced(Level.SHED_CRITICAL, Level.NORMAL, false, 0));
    Admission underGovernor = AdmissionPlanner.plan("search", Tier.SHEDDABLE, pin, ACTIVE,
        governed(Level.SHED_CRITICAL));

    assertEquals(FeatureState.ACTIVE, underForced.state());
    assertEquals(Admission.ALL, underForced.permille(), "pinned: no ramp either");
    assertTrue(underForced.pinned());
    assertNull(underForced.reason());
    assertEquals(FeatureState.ACTIVE, underGovernor.state());
    assertTrue(underGovernor.pinned());
  }

  @Test
  void aPinnedFeatureIsNotShedByAShedOverrideOfTheSameFeature() {
    // the book holds one override per feature, so a pin replaces a shed: the pin is what plan sees
    OperatorOverride pin = override(OperatorOverride.Kind.PIN_FEATURE, "search", Duration.ofMinutes(5));
    Admission shedByOperator = AdmissionPlanner.plan("search", Tier.SHEDDABLE,
        override(OperatorOverride.Kind.SHED_FEATURE, "search", Duration.ofMinutes(5)), ACTIVE,
        governed(Level.NORMAL));

    Admission pinned = AdmissionPlanner.plan("search", Tier.SHEDDABLE, pin, shedByOperator,
        governed(Level.SHED_SHEDDABLE));

    assertEquals(FeatureState.SHED, shedByOperator.state());
    assertEquals(FeatureState.ACTIVE, pinned.state());
  }

  @Test
  void aShedOverrideWinsOverTheLevel() {
    OperatorOverride shed = override(OperatorOverride.Kind.SHED_FEATURE, "chat.read", Duration.ofMinutes(10));

    Admission a = AdmissionPlanner.plan("chat.read", Tier.CRITICAL, shed, ACTIVE, governed(Level.NORMAL));
    Admission forcedNormal = AdmissionPlanner.plan("chat.read", Tier.CRITICAL, shed, ACTIVE,
        forced(Level.NORMAL, Level.NORMAL, false, 0));

    assertEquals(FeatureState.SHED, a.state());
    assertEquals(ShedCause.OVERRIDE, a.reason().cause());
    assertEquals(FeatureState.SHED, forcedNormal.state());
  }

  @Test
  void aShedOverrideReasonNamesTheOperatorAndHintsTheTimeToExpiry() {
    OperatorOverride shed = override(OperatorOverride.Kind.SHED_FEATURE, "search", Duration.ofMinutes(10));

    Admission a = AdmissionPlanner.plan("search", Tier.SHEDDABLE, shed, ACTIVE,
        governed(Level.SHED_SHEDDABLE, false, 4 * 60 * SECOND));

    ShedReason r = a.reason();
    assertEquals(ShedCause.OVERRIDE, r.cause());
    assertEquals(Level.SHED_SHEDDABLE, r.level());
    assertTrue(r.detail().contains("operator shed the feature"), r.detail());
    assertTrue(r.detail().contains("canary deploy"), r.detail());
    assertTrue(r.detail().contains("alice"), r.detail());
    assertEquals(Duration.ofMinutes(6), r.retryAfter());
  }

  @Test
  void anExpiredOverrideHintsNoWait() {
    OperatorOverride shed = override(OperatorOverride.Kind.SHED_FEATURE, "search", Duration.ofMinutes(1));

    Admission a = AdmissionPlanner.plan("search", Tier.SHEDDABLE, shed, ACTIVE,
        governed(Level.NORMAL, false, 2 * 60 * SECOND));

    assertEquals(Duration.ZERO, a.reason().retryAfter());
  }

  @Test
  void aForcedLevelShedsItsTiersWithAnOverrideReasonAndHintsTheTimeToExpiry() {
    Admission a = AdmissionPlanner.plan("notifications", Tier.SHEDDABLE_PLUS, null, ACTIVE,
        forced(Level.SHED_SHEDDABLE_PLUS, Level.NORMAL, false, 60 * SECOND));

    ShedReason r = a.reason();
    assertEquals(FeatureState.SHED, a.state());
    assertEquals(ShedCause.OVERRIDE, r.cause());
    assertEquals(Level.SHED_SHEDDABLE_PLUS, r.level());
    assertTrue(r.detail().contains("operator forced level SHED_SHEDDABLE_PLUS"), r.detail());
    assertTrue(r.detail().contains("SHEDDABLE_PLUS"), r.detail());
    assertTrue(r.detail().contains("canary deploy"), r.detail());
    assertEquals(Duration.ofMinutes(9), r.retryAfter());
  }

  @Test
  void aForcedLevelReplacesTheGovernorsLevel() {
    Admission forcedLower = AdmissionPlanner.plan("search", Tier.SHEDDABLE, null, ACTIVE,
        forced(Level.NORMAL, Level.SHED_CRITICAL, false, 0));
    Admission forcedHigher = AdmissionPlanner.plan("chat.read", Tier.CRITICAL, null, ACTIVE,
        forced(Level.SHED_CRITICAL, Level.NORMAL, false, 0));

    assertEquals(FeatureState.ACTIVE, forcedLower.state(), "a forced NORMAL stops the governor shedding");
    assertEquals(FeatureState.SHED, forcedHigher.state());
  }

  // ---------------------------------------------------------------- shadow mode

  @Test
  void inShadowModeGovernorSheddingIsReportedAsWouldShedWhileTheFeatureStaysActive() {
    Admission a = AdmissionPlanner.plan("search", Tier.SHEDDABLE, null, ACTIVE,
        governed(Level.SHED_SHEDDABLE, true, 0));

    assertEquals(FeatureState.ACTIVE, a.state());
    assertEquals(Admission.ALL, a.permille());
    assertNull(a.reason());
    assertTrue(a.wouldShed());
    assertNotNull(a.wouldShedReason());
    assertEquals(ShedCause.LEVEL, a.wouldShedReason().cause());
    assertEquals(ACTIVE.sinceNanos(), a.sinceNanos(), "still active since before");
  }

  @Test
  void inShadowModeAFeatureTheLevelSparesIsNotReportedAsWouldShed() {
    Admission a = AdmissionPlanner.plan("chat.read", Tier.CRITICAL, null, ACTIVE,
        governed(Level.SHED_SHEDDABLE_PLUS, true, 0));

    assertSame(ACTIVE, a);
    assertFalse(a.wouldShed());
  }

  @Test
  void inShadowModeAForcedLevelStillSheds() {
    Admission a = AdmissionPlanner.plan("search", Tier.SHEDDABLE, null, ACTIVE,
        forced(Level.SHED_SHEDDABLE, Level.NORMAL, true, 0));

    assertEquals(FeatureState.SHED, a.state());
    assertFalse(a.wouldShed());
    assertEquals(ShedCause.OVERRIDE, a.reason().cause());
  }

  @Test
  void inShadowModeAShedOverrideStillSheds() {
    OperatorOverride shed = override(OperatorOverride.Kind.SHED_FEATURE, "search", Duration.ofMinutes(10));

    Admission a = AdmissionPlanner.plan("search", Tier.SHEDDABLE, shed, ACTIVE,
        governed(Level.NORMAL, true, 0));

    assertEquals(FeatureState.SHED, a.state());
  }

  @Test
  void inShadowModeTheWouldShedMarkIsClearedWhenTheLevelFalls() {
    Admission wouldShed = AdmissionPlanner.plan("search", Tier.SHEDDABLE, null, ACTIVE,
        governed(Level.SHED_SHEDDABLE, true, 0));

    Admission cleared = AdmissionPlanner.plan("search", Tier.SHEDDABLE, null, wouldShed,
        governed(Level.NORMAL, true, 20 * SECOND));

    assertEquals(FeatureState.ACTIVE, cleared.state());
    assertFalse(cleared.wouldShed());
    assertNull(cleared.wouldShedReason());
  }

  // ---------------------------------------------------------------- no churn

  @Test
  void theSameDecisionReturnsThePreviousInstance() {
    Admission shed = AdmissionPlanner.plan("search", Tier.SHEDDABLE, null, ACTIVE,
        governed(Level.SHED_SHEDDABLE));
    OperatorOverride pin = override(OperatorOverride.Kind.PIN_FEATURE, "search", Duration.ofMinutes(5));
    Admission pinned = AdmissionPlanner.plan("search", Tier.SHEDDABLE, pin, ACTIVE, governed(Level.NORMAL));
    Admission shadow = AdmissionPlanner.plan("search", Tier.SHEDDABLE, null, ACTIVE,
        governed(Level.SHED_SHEDDABLE, true, 0));
    OperatorOverride shedByOperator = override(OperatorOverride.Kind.SHED_FEATURE, "search",
        Duration.ofMinutes(5));
    Admission overridden = AdmissionPlanner.plan("search", Tier.SHEDDABLE, shedByOperator, ACTIVE,
        governed(Level.NORMAL));

    assertSame(shed, AdmissionPlanner.plan("search", Tier.SHEDDABLE, null, shed,
        governed(Level.SHED_SHEDDABLE, false, 30 * SECOND)));
    assertSame(pinned, AdmissionPlanner.plan("search", Tier.SHEDDABLE, pin, pinned,
        governed(Level.SHED_CRITICAL, false, 30 * SECOND)));
    assertSame(shadow, AdmissionPlanner.plan("search", Tier.SHEDDABLE, null, shadow,
        governed(Level.SHED_SHEDDABLE, true, 30 * SECOND)));
    assertSame(overridden, AdmissionPlanner.plan("search", Tier.SHEDDABLE, shedByOperator, overridden,
        governed(Level.NORMAL)));
    assertSame(ACTIVE, AdmissionPlanner.plan("search", Tier.SHEDDABLE, null, ACTIVE,
        governed(Level.NORMAL, false, 30 * SECOND)));
  }

  @Test
  void aNewReasonForTheSameStateKeepsWhenTheStateWasEntered() {
    Admission shed = AdmissionPlanner.plan("search", Tier.SHEDDABLE, null, ACTIVE,
        governed(Level.SHED_SHEDDABLE));

    Admission deeper = AdmissionPlanner.plan("search", Tier.SHEDDABLE, null, shed,
        governed(Level.SHED_CRITICAL, false, 5 * SECOND));

    assertNotSame(shed, deeper);
    assertEquals(Level.SHED_CRITICAL, deeper.reason().level());
    assertEquals(START, deeper.sinceNanos(), "shed since the first decision");
  }
}
