package dev.limp.examples.chat;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The demo's scenarios in a short mode: each incident replayed on H2 with limp off (shadow mode) and on.
 * The assertions are qualitative: with limp, the critical features keep answering and the expected
 * features are shed; without it, the critical features are measurably worse off.
 */
class IncidentScenarioTest {
  /** With limp on, at least this share of critical requests during the incident is answered within 2 s. */
  static final double CRITICAL_FLOOR = 0.95;

  static ScenarioRun.Settings shortMode() {
    return ScenarioRun.Settings.demo().withPhases(Duration.ofMillis(1_500), Duration.ofSeconds(4),
        Duration.ofSeconds(3));
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(value = Incident.class, names = "OUTAGE", mode = EnumSource.Mode.EXCLUDE) // not in the demo
  void limpKeepsChatAnsweringBySheddingTheExpectedFeaturesWhileWithoutItChatSuffers(Incident incident)
      throws Exception {
    RunResult off = new ScenarioRun(incident, false, shortMode(), line -> { }, null).run();
    RunResult on = new ScenarioRun(incident, true, shortMode(), line -> { }, null).run();
    String both = Summary.table(off, on);

    assertTrue(on.during().successRate() >= CRITICAL_FLOOR,
        "with limp on, critical success during the incident must stay at or above " + CRITICAL_FLOOR + "\n" + both);
    assertTrue(on.shedFeatures().containsAll(incident.expectedShed()),
        "with limp on, " + incident.expectedShed() + " must be shed, but shed were " + on.shedFeatures() + "\n"
            + both);
    assertFalse(on.shedFeatures().contains("chat.read") || on.shedFeatures().contains("chat.post"),
        "the critical features are never shed\n" + both);
    boolean worseSuccess = off.during().successRate() <= on.during().successRate() - 0.05;
    boolean worseLatency = off.during().p99() >= 2 * on.during().p99();
    assertTrue(worseSuccess || worseLatency,
        "without limp, critical success must be at least 5 points lower or its p99 at least twice as high\n"
            + both);
    assertTrue(off.decisions.stream().allMatch(RunResult.Decision::shadow),
        "limp off runs in shadow mode: every decision is only reported\n" + both);
  }
}
