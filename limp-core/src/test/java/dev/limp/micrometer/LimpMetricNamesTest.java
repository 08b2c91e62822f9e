package dev.limp.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Validation and defaults of {@link LimpMetricNames}. */
class LimpMetricNamesTest {

  @Test
  void defaultNamesFollowMicrometerConventions() {
    LimpMetricNames names = LimpMetricNames.ofDefaults();
    assertEquals("limp.level", names.levelMetricName());
    assertEquals("limp.level.overridden", names.levelOverriddenMetricName());
    assertEquals("limp.level.transitions", names.levelTransitionsMetricName());
    assertEquals("limp.feature.state", names.featureStateMetricName());
    assertEquals("limp.feature.admitted", names.featureAdmittedMetricName());
    assertEquals("limp.feature.would.shed", names.featureWouldShedMetricName());
    assertEquals("limp.feature.transitions", names.featureTransitionsMetricName());
    assertEquals("limp.calls", names.callsMetricName());
    assertEquals("limp.calls.shed", names.shedCallsMetricName());
    assertEquals("limp.calls.trial", names.trialCallsMetricName());
    assertEquals("limp.deferred.queued", names.deferredQueuedMetricName());
    assertEquals("limp.signal", names.signalMetricName());
    assertSame(names, LimpMetricNames.ofDefaults());
  }

  @Test
  void customKeepsDefaultsForNamesNotSet() {
    LimpMetricNames names = LimpMetricNames.custom().callsMetricName("chat.calls").build();
    assertEquals("chat.calls", names.callsMetricName());
    assertEquals(LimpMetricNames.DEFAULT_LEVEL, names.levelMetricName());
    assertEquals(LimpMetricNames.DEFAULT_SIGNAL, names.signalMetricName());
  }

  @Test
  void fromCopiesEveryNameAndLeavesTheBaseUnchanged() {
    LimpMetricNames base = LimpMetricNames.custom().levelMetricName("a.level").signalMetricName("a.signal")
        .build();
    LimpMetricNames changed = LimpMetricNames.from(base).callsMetricName("a.calls").build();
    assertEquals("a.level", changed.levelMetricName());
    assertEquals("a.signal", changed.signalMetricName());
    assertEquals("a.calls", changed.callsMetricName());
    assertEquals(LimpMetricNames.DEFAULT_CALLS, base.callsMetricName());
    assertEquals(base, LimpMetricNames.from(base).build());
    assertNotEquals(base, changed);
  }

  @Test
  void builderChangesAfterBuildDoNotReachTheBuiltNames() {
    LimpMetricNames.Builder builder = LimpMetricNames.custom();
    LimpMetricNames built = builder.build();
    builder.levelMetricName("other.level");
    assertEquals(LimpMetricNames.DEFAULT_LEVEL, built.levelMetricName());
  }

  @Test
  void rejectsBlankNameNamingTheSettingAndValue() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> LimpMetricNames.custom().featureStateMetricName("  "));
    assertTrue(e.getMessage().contains("featureStateMetricName"), e.getMessage());
    assertTrue(e.getMessage().contains("'  '"), e.getMessage());
    assertTrue(e.getMessage().contains("non-blank meter name without whitespace"), e.getMessage());
  }

  @Test
  void rejectsNameWithWhitespaceNamingTheSettingAndValue() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> LimpMetricNames.custom().callsMetricName("limp calls"));
    assertTrue(e.getMessage().contains("callsMetricName"), e.getMessage());
    assertTrue(e.getMessage().contains("'limp calls'"), e.getMessage());
  }

  @Test
  void rejectsNullNameWithTheSettingAsMessage() {
    NullPointerException e = assertThrows(NullPointerException.class,
        () -> LimpMetricNames.custom().signalMetricName(null));
    assertEquals("signalMetricName", e.getMessage());
  }

  @Test
  void theTrialCallCounterIsRenamedAndCheckedLikeEveryOther() {
    LimpMetricNames names = LimpMetricNames.custom().trialCallsMetricName("chat.trials").build();
    assertEquals("chat.trials", names.trialCallsMetricName());
    assertEquals("chat.trials", LimpMetricNames.from(names).build().trialCallsMetricName());
    assertTrue(names.toString().contains("trialCallsMetricName=chat.trials"), names.toString());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> LimpMetricNames.custom().trialCallsMetricName("limp trials"));
    assertTrue(e.getMessage().contains("trialCallsMetricName") && e.getMessage().contains("'limp trials'"),
        e.getMessage());
    IllegalStateException twice = assertThrows(IllegalStateException.class,
        () -> LimpMetricNames.custom().trialCallsMetricName("limp.calls.shed").build());
    assertTrue(twice.getMessage().contains("trialCallsMetricName must differ from shedCallsMetricName"),
        twice.getMessage());
  }

  @Test
  void rejectsTwoMetersWithTheSameNameAtBuild() {
    LimpMetricNames.Builder builder = LimpMetricNames.custom().shedCallsMetricName("limp.calls");
    IllegalStateException e = assertThrows(IllegalStateException.class, builder::build);
    assertTrue(e.getMessage().contains("shedCallsMetricName"), e.getMessage());
    assertTrue(e.getMessage().contains("callsMetricName"), e.getMessage());
    assertTrue(e.getMessage().contains("'limp.calls'"), e.getMessage());
  }
}
