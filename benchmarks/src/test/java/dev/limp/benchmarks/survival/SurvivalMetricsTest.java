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
import java.util.Map;
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
    return measure(Incident.TABLE_SCAN, protection, false);
  }

  private SurvivalMetrics measure(Incident incident, String protection, boolean limp) {
    Level[] levels = new Level[(int) (RUN_END / RunResult.BUCKET_MILLIS)];
    Arrays.fill(levels, Level.NORMAL);
    return SurvivalMetrics.of("h2", new RunResult(incident, protection, limp, START, END, RUN_END,
        samples, decisions, levels));
  }

  private static SurvivalMetrics peer(String protection, double p99Ratio, long served, boolean limp) {
    return new SurvivalMetrics("h2", "table-scan", protection, 100, 1.0, 2, 2 * p99Ratio, 0, 0, 0, 0, 1_000,
        served, 100, 1.0, 0, Map.of(), -1, 0, 0, limp);
  }

  @Test
  void limpThrottlesBeforeItShedsAndEveryEntryAfterTheFirstRestoreIsAReshed() {
    critical(0, RUN_END, 2);
    notifications(0, RUN_END, Outcome.OK);
    decide(1_100, "notifications", FeatureState.THROTTLED, false); // the first protective action
    decide(1_300, "notifications", FeatureState.SHED, false); // escalation, not a re-shed
    decide(1_600, "notifications", FeatureState.RAMPING, false); // the first restore
    decide(1_900, "notifications", FeatureState.THROTTLED, false); // re-shed 1
    decide(2_100, "notifications", FeatureState.SHED, false); // still the same relapse
    decide(2_400, "notifications", FeatureState.ACTIVE, false);
    decide(2_700, "notifications", FeatureState.SHED, false); // re-shed 2
    decide(3_400, "notifications", FeatureState.RAMPING, false);
    decide(1_500, "search", FeatureState.THROTTLED, false);
    decide(3_800, "notifications", FeatureState.ACTIVE, false);
    decide(3_900, "search", FeatureState.ACTIVE, false);
    decisions.sort(java.util.Comparator.comparingLong(Decision::atMillis));

    SurvivalMetrics m = measure(Incident.TABLE_SCAN, "limp (defaults)", true);

    assertEquals(100, m.firstActionMillis(), "a throttle is a protective action");
    assertEquals(2, m.resheds().get("notifications"));
    assertEquals(0, m.resheds().get("search"), "throttled once, never restored before");
    assertEquals(0, m.resheds().get("chat.read"), "every feature is listed");
    assertEquals(2, m.maxResheds());
    assertEquals(1, m.sheds(), "limp: features shed, not times");
    assertEquals(2, m.throttles());
    assertEquals(900, m.featuresBackMillis(), "limp: from the events, the last one at 3.9 s");
    assertEquals(-1, m.firstCriticalSuccessMillis(), "not an outage");
  }

  @Test
  void limpStillThrottlingAtTheEndHasNotGivenEveryFeatureBack() {
    critical(0, RUN_END, 2);
    decide(1_100, "search", FeatureState.THROTTLED, false);

    SurvivalMetrics m = measure(Incident.TABLE_SCAN, "limp (defaults)", true);

    assertEquals(-1, m.featuresBackMillis());
    assertEquals(-1, m.recoveryMillis());
    assertEquals(0, m.sheds());
    assertEquals(1, m.throttles());
  }

  @Test
  void aBreakerReopensOnlyAfterItsFirstCloseAndItsFeaturesAreBackWhenTheirSuccessIs() {
    critical(0, RUN_END, 2);
    notifications(0, 1_200, Outcome.OK);
    notifications(1_200, 4_000, Outcome.SHED);
    notifications(4_000, 4_400, Outcome.ERROR); // 95 % of the healthy 100 % is not met
    notifications(4_400, RUN_END, Outcome.OK);
    decide(1_200, "notifications", FeatureState.SHED, false); // open: a shed
    decide(1_700, "notifications", FeatureState.RAMPING, false); // half-open: not a close
    decide(1_750, "notifications", FeatureState.SHED, false); // open again before any close: not a re-shed
    decide(2_300, "notifications", FeatureState.RAMPING, false);
    decide(2_350, "notifications", FeatureState.ACTIVE, false); // the first close
    decide(2_600, "notifications", FeatureState.SHED, false); // re-shed 1
    decide(3_100, "notifications", FeatureState.RAMPING, false);
    decide(3_150, "notifications", FeatureState.ACTIVE, false);

    SurvivalMetrics m = measure("resilience4j");

    assertEquals(1, m.resheds().get("notifications"));
    assertEquals(3, m.sheds(), "peers: breaker openings");
    assertEquals(0, m.throttles());
    assertEquals(1_500, m.featuresBackMillis(), "the bucket from 4.5 s on: the one from 4.0 s held errors");
    assertEquals(1.0, m.criticalSuccessAfter());
    assertEquals(300, m.criticalRequestsAfter());
  }

  @Test
  void afterAnOutageTheFirstCriticalSuccessIsTimedFromWhenTheDatabaseAnswersAgain() {
    critical(0, START, 2);
    for (long t = START; t < END; t += 10) {
      samples.add(new Sample(t, "chat.read", true, Outcome.ERROR, 1_000, null));
    }
    samples.add(new Sample(2_900, "chat.read", true, Outcome.OK, 340.5, null)); // waited for a connection
    samples.add(new Sample(3_250, "chat.post", true, Outcome.OK, 2, null));
    critical(3_300, RUN_END, 2);
    samples.add(new Sample(3_300, "chat.post", true, Outcome.ERROR, 1_000, null));

    SurvivalMetrics m = measure(Incident.OUTAGE, "none", false);

    assertEquals(241, m.firstCriticalSuccessMillis(), "answered at 3240.5 ms, the database back at 3000 ms");
    assertEquals(271 / 272.0, m.criticalSuccessAfter(), 1e-9);
    assertEquals(1 / 201.0, m.criticalSuccess(), 1e-9);
  }

  @Test
  void theBestPeerServesMostAmongThoseThatKeepChatsP99WithinThreeTimesItsHealthyOne() {
    SurvivalMetrics none = peer("none", 10, 900, false);
    SurvivalMetrics r4j = peer("resilience4j", 2.5, 400, false);
    SurvivalMetrics sentinel = peer("Sentinel", 3, 500, false);
    SurvivalMetrics limp = peer("limp (defaults)", 1, 800, true);

    assertEquals(sentinel, SurvivalMetrics.bestPeer(List.of(none, r4j, sentinel, limp)).orElseThrow());
    assertEquals(1.6, limp.servedShareOf(sentinel), 1e-9);
    assertTrue(SurvivalMetrics.bestPeer(List.of(none, limp)).isEmpty(), "limp is nobody's peer; none is too slow");
    assertTrue(Double.isNaN(limp.servedShareOf(peer("x", 1, 0, false))));
  }

  @Test
  void theStartUpScenarioTakesItsHealthyP99FromAfterTheStart() {
    critical(0, 1_000, 400); // the pool opening
    critical(1_000, RUN_END, 3);
    notifications(0, RUN_END, Outcome.OK);
    Level[] levels = new Level[(int) (RUN_END / RunResult.BUCKET_MILLIS)];
    Arrays.fill(levels, Level.NORMAL);

    SurvivalMetrics m = SurvivalMetrics.of("h2", SurvivalMetrics.STARTUP, new RunResult(null, "none", false, 0,
        2_000, RUN_END, samples, decisions, levels));

    assertEquals("startup", m.incident());
    assertEquals(3, m.healthyP99());
    assertEquals(400, m.incidentP99());
    assertEquals(0, m.sheds());
    assertEquals(0, m.featuresBackMillis());
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
