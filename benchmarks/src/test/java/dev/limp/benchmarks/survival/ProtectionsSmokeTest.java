package dev.limp.benchmarks.survival;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.limp.FeatureState;
import dev.limp.examples.chat.ChatProtection;
import dev.limp.examples.chat.Incident;
import dev.limp.examples.chat.RunResult;
import dev.limp.examples.chat.ScenarioRun;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The peers' protections are wired as a user would wire them: during a short table-scan incident on H2, the
 * notifications breaker opens, the refused calls are answered with a paused page, and the harness sees both.
 * Without this, a broken observer would print "none" in the survival table.
 */
class ProtectionsSmokeTest {
  private static final ScenarioRun.Settings SHORT = ScenarioRun.Settings.demo()
      .withPhases(Duration.ofSeconds(2), Duration.ofSeconds(8), Duration.ofSeconds(30))
      .withEarlyEnd(Duration.ofSeconds(2));

  private static RunResult opensTheNotificationsBreaker(ChatProtection protection) throws Exception {
    RunResult run = new ScenarioRun(Incident.TABLE_SCAN, protection, SHORT, line -> { }, null).run();
    SurvivalMetrics m = SurvivalMetrics.of("h2", run);
    String seen = run.decisions + "\n" + m;

    assertTrue(run.decisions.stream().anyMatch(d -> "notifications".equals(d.feature())
        && d.state() == FeatureState.SHED && !d.shadow()), "the notifications breaker opened\n" + seen);
    assertTrue(run.samples.stream().anyMatch(s -> s.feature().equals("notifications")
        && s.outcome() == RunResult.Outcome.SHED), "refused calls were answered with a paused page\n" + seen);
    assertTrue(m.firstActionMillis() >= 0, seen);
    return run;
  }

  @Test
  void resilience4jBreakersOpenOnSlowNotifications() throws Exception {
    opensTheNotificationsBreaker(new Resilience4jProtection(true));
  }

  @Test
  void sentinelDegradeRulesOnTheSecondaryFeaturesOnlyNeverTouchChat() throws Exception {
    RunResult run = opensTheNotificationsBreaker(new SentinelProtection(false));

    assertTrue(run.decisions.stream().noneMatch(d -> d.feature() != null && d.feature().startsWith("chat.")),
        "no rule guards chat: " + run.decisions);
  }
}
