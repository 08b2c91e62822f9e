package dev.limp.benchmarks.survival;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.limp.examples.chat.Incident;
import dev.limp.examples.chat.LimpProtection;
import dev.limp.examples.chat.RunResult;
import dev.limp.examples.chat.ScenarioRun;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The two scenarios of issue 12, short, on H2: the outage really takes the database away (and gives it
 * back), and the start-up scenario really starts a lazily opened pool under traffic. The assertions are about
 * the harness, not about how well a protection does: that is what the survival table measures.
 */
class NewScenariosSmokeTest {
  @Test
  void theOutageRefusesTheDatabaseToEveryoneUntilItIsLifted() throws Exception {
    ScenarioRun.Settings settings = ScenarioRun.Settings.demo()
        .withPhases(Duration.ofSeconds(2), Duration.ofSeconds(3), Duration.ofSeconds(4));
    RunResult run = new ScenarioRun(Incident.OUTAGE, LimpProtection.defaults(), settings, line -> { }, null).run();
    SurvivalMetrics m = SurvivalMetrics.of("h2", run);
    String seen = m + "\n" + run.decisions;

    assertEquals("outage", m.incident());
    assertTrue(run.critical(run.incidentStartMillis, run.incidentEndMillis - 2_000).successRate() == 0,
        "no critical request that arrived in the outage's first second was answered\n" + seen);
    assertTrue(m.firstCriticalSuccessMillis() >= 0 && m.firstCriticalSuccessMillis() < 4_000,
        "chat answered again once the database accepted connections\n" + seen);
    assertTrue(run.critical(run.endMillis - 1_000, run.endMillis).successRate() == 1.0,
        "the pool recovered: every critical request of the last second answered\n" + seen);
  }

  @Test
  void theStartUpScenarioOpensAFreshPoolUnderTrafficFromTheFirstMoment() throws Exception {
    StartupScenario startup = new StartupScenario(new Resilience4jProtection(false), ScenarioRun.Settings.demo(),
        Duration.ofSeconds(2), Duration.ofSeconds(4), 150, null);
    RunResult run = startup.run();
    SurvivalMetrics m = SurvivalMetrics.of("h2", SurvivalMetrics.STARTUP, run);
    String seen = m + "\n" + run.decisions;

    assertEquals("startup", m.incident());
    assertTrue(run.samples.stream().anyMatch(s -> s.atMillis() < 100), "traffic from the first moment\n" + seen);
    // a request that arrives after the first connect began waits for the rest of its 150 ms, not all of it
    // (149.2 ms was seen in CI): the point is that the start shows, far above the healthy p99 of ~3 ms
    assertTrue(m.incidentP99() >= 100 && m.incidentP99() > 10 * m.healthyP99(),
        "the first requests waited for the pool's first connection\n" + seen);
    assertTrue(startup.poolFullMillis() >= 1_000,
        "the pool opened lazily, one slow connection after the other: full at " + startup.poolFullMillis() + " ms\n"
            + seen);
    assertTrue(m.criticalSuccess() > 0.99 && m.criticalSuccessAfter() == 1.0, seen);
    assertTrue(m.healthyP99() < m.incidentP99(), "the healthy p99 is the one after the start\n" + seen);
  }
}
