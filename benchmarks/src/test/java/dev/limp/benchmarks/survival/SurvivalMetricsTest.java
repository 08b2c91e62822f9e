package dev.limp.benchmarks.survival;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.limp.FeatureState;
import dev.limp.Level;
import dev.limp.examples.chat.Incident;
import dev.limp.examples.chat.RunResult;
import dev.limp.examples.chat.RunResult.Decision;
import dev.limp.examples.chat.RunResult.Outcome;
import dev.limp.examples.chat.RunResult.Sample;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the survival table reports, computed from hand-made runs: incident 1–3 s, run ends at 6 s. */
class SurvivalMetricsTest {
  private static final long START = 1_000;
  private static final long END = 3_000;
  private static final long RUN_END = 6_000;

  private final List<Sample> samples = new ArrayList<>();
  private final List<Decision> decisions = new ArrayList<>();

  /** A critical request every 10 ms over [from, to) with this latency, all answered. */
  private void critical(long from, long to, long latency) {
    for (long t = from; t < to; t += 10) {
      samples.add(new Sample(t, "chat.read", true, Outcome.OK, latency, null));
    }
  }

  /** A notifications request every 50 ms over [from, to) with this outcome. */
  private void notifications(long from, long to, Outcome outcome) {
    for (long t = from; t < to; t += 50) {
      samples.add(new Sample(t, "notifications", false, outcome, 3, outcome == Outcome.SHED ? "LEVEL" : null));
    }
  }

  private void decide(long at, String feature, FeatureState state, boolean shadow) {
    decisions.add(new Decision(at, feature, null, state, "test", shadow));
  }

  private SurvivalMetrics measure(String protection) {
    Level[] levels = new Level[(int) (RUN_END / RunResult.BUCKET_MILLIS)];
    Arrays.fill(levels, Level.NORMAL);
    return SurvivalMetrics.of("h2", new RunResult(Incident.TABLE_SCAN, protection, false, START, END, RUN_END,
        samples, decisions, levels));
  }

  @Test
  void aProtectionThatShedsFlapsOnceAndRecovers() {
    critical(0, START, 2);
    critical(START, END, 3);
    samples.add(new Sample(2_000, "chat.post", true, Outcome.ERROR, 2_000, null));
    critical(END, RUN_END, 2);
    notifications(0, 1_200, Outcome.OK);
    notifications(1_200, 3_500, Outcome.SHED);
    notifications(3_500, 3_600, Outcome.SHED); // still shed in the bucket [3.5 s, 4 s)
    notifications(4_000, RUN_END, Outcome.OK);
    decide(1_200, "notifications", FeatureState.SHED, false);
    decide(2_000, "notifications", FeatureState.RAMPING, false);
    decide(2_500, "notifications", FeatureState.SHED, false);
    decide(3_800, "notifications", FeatureState.ACTIVE, false);

    SurvivalMetrics m = measure("resilience4j");

    assertEquals(201, m.criticalRequests());
    assertEquals(200 / 201.0, m.criticalSuccess(), 1e-9);
    assertEquals(2, m.healthyP99());
    assertEquals(3, m.incidentP99(), "one slow request in 201 is above the 99th percentile");
    assertEquals(200, m.firstActionMillis());
    assertEquals(1, m.flaps(), "shed again after it had been let back in");
    assertEquals(4, m.stateChanges());
    assertEquals(1_000, m.recoveryMillis(), "the first bucket with every request answered, after the restore");
    assertEquals(4, m.sheddableServed(), "answered from 1.0 s until the shed at 1.2 s");
    assertEquals(40, m.sheddableRequests());
  }

  @Test
  void aFeatureStillShedWhenTheRunEndsHasNotRecovered() {
    critical(0, RUN_END, 2);
    notifications(0, RUN_END, Outcome.OK);
    decide(1_500, "search", FeatureState.SHED, false);

    SurvivalMetrics m = measure("limp (defaults)");

    assertEquals(-1, m.recoveryMillis());
    assertEquals(500, m.firstActionMillis());
    assertEquals(0, m.flaps());
  }

  @Test
  void withoutProtectionRecoveryIsWhenTheCriticalPathIsHealthyAgainForGood() {
    critical(0, START, 5);
    critical(START, 3_400, 900);
    critical(3_400, 3_500, 31); // above the bar of 3 × 5 ms, floored at 20 ms
    critical(3_500, 4_000, 20);
    critical(4_000, RUN_END, 5);
    notifications(0, RUN_END, Outcome.OK);

    SurvivalMetrics m = measure("none");

    assertEquals(-1, m.firstActionMillis());
    assertEquals(0, m.stateChanges());
    assertEquals(500, m.recoveryMillis());
    assertEquals(20, m.healthyBar());
    assertEquals(1.0, m.sheddableServedShare());
    assertTrue(m.p99Ratio() > 100);
  }

  @Test
  void shadowDecisionsAreNotProtectiveActions() {
    critical(0, RUN_END, 2);
    notifications(0, RUN_END, Outcome.OK);
    decide(1_200, "notifications", FeatureState.SHED, true);
    decide(1_900, "notifications", FeatureState.ACTIVE, true);
    decide(2_200, "notifications", FeatureState.SHED, true);

    SurvivalMetrics m = measure("limp off (shadow)");

    assertEquals(-1, m.firstActionMillis());
    assertEquals(0, m.stateChanges());
    assertEquals(0, m.flaps());
    assertEquals(0, m.recoveryMillis(), "nothing was shed: healthy from the incident's end");
  }
}
