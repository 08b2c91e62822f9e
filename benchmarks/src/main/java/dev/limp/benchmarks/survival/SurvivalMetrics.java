package dev.limp.benchmarks.survival;

import dev.limp.FeatureState;
import dev.limp.examples.chat.RunResult;
import dev.limp.examples.chat.RunResult.Decision;
import dev.limp.examples.chat.RunResult.Outcome;
import dev.limp.examples.chat.RunResult.PhaseStats;
import dev.limp.examples.chat.RunResult.Sample;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What one run of an incident under one protection measured, as the survival table reports it. All times
 * are milliseconds; -1 means "never" (no protective action, or not recovered within the run).
 *
 * @param healthyP99 the critical p99 before the incident, in the same run: the yardstick of "within 3×"
 * @param firstActionMillis from the incident's start to the first protective action: a feature shed or a
 *     breaker opened, or a call refused by the protection
 * @param recoveryMillis from the incident's end until everything is back for good: every feature restored
 *     (limp: active; a breaker: closed), every request of the secondary features answered, and the critical
 *     requests healthy ({@link #HEALTHY_SUCCESS}, p99 within {@link #healthyBar()}), in every later bucket
 * @param stateChanges changes of a feature's protective state from the incident's start to the end of the run
 * @param flaps times a feature was shed (or its breaker opened) again after it had been let back in
 */
record SurvivalMetrics(String database, String incident, String protection, long criticalRequests,
    double criticalSuccess, double healthyP99, double incidentP99, long firstActionMillis, long recoveryMillis,
    int stateChanges, int flaps, long sheddableRequests, long sheddableServed) {
  /** A bucket's critical requests are healthy when at least this share is answered. */
  static final double HEALTHY_SUCCESS = 0.99;
  /** The floor of the healthy p99 bar: a 500 ms bucket's p99 on a few-ms baseline jitters by a time slice. */
  static final double HEALTHY_P99_FLOOR_MILLIS = 20;

  static SurvivalMetrics of(String database, RunResult run) {
    PhaseStats before = run.before();
    PhaseStats during = run.during();
    long sheddable = 0;
    long served = 0;
    for (Sample s : run.samples) {
      if (!s.critical() && s.atMillis() >= run.incidentStartMillis && s.atMillis() < run.incidentEndMillis) {
        sheddable++;
        served += s.outcome() == Outcome.OK ? 1 : 0;
      }
    }
    int changes = 0;
    for (Decision d : protective(run)) {
      changes += d.atMillis() >= run.incidentStartMillis ? 1 : 0;
    }
    return new SurvivalMetrics(database, run.incident.id(), run.protection, during.requests(),
        during.successRate(), before.p99(), during.p99(), firstAction(run), recovery(run, before.p99()), changes,
        flaps(run), sheddable, served);
  }

  /** The critical p99 a recovered bucket must stay within: 3× the healthy p99, at least 20 ms. */
  double healthyBar() {
    return bar(healthyP99);
  }

  private static double bar(double healthyP99) {
    return Math.max(3 * healthyP99, HEALTHY_P99_FLOOR_MILLIS);
  }

  double p99Ratio() {
    return incidentP99 / healthyP99;
  }

  double sheddableServedShare() {
    return sheddableRequests == 0 ? Double.NaN : sheddableServed / (double) sheddableRequests;
  }

  /** Feature decisions that took effect (shadow-mode decisions only reported). */
  private static List<Decision> protective(RunResult run) {
    List<Decision> list = new ArrayList<>();
    for (Decision d : run.decisions) {
      if (d.feature() != null && !d.shadow()) {
        list.add(d);
      }
    }
    return list;
  }

  private static long firstAction(RunResult run) {
    long first = Long.MAX_VALUE;
    for (Decision d : protective(run)) {
      if (d.state() == FeatureState.SHED && d.atMillis() >= run.incidentStartMillis) {
        first = Math.min(first, d.atMillis());
      }
    }
    for (Sample s : run.samples) {
      if (s.outcome() == Outcome.SHED && s.atMillis() >= run.incidentStartMillis) {
        first = Math.min(first, s.atMillis());
      }
    }
    return first == Long.MAX_VALUE ? -1 : first - run.incidentStartMillis;
  }

  private static int flaps(RunResult run) {
    Map<String, FeatureState> last = new HashMap<>();
    Map<String, Boolean> shedBefore = new HashMap<>();
    int flaps = 0;
    for (Decision d : protective(run)) {
      FeatureState previous = last.put(d.feature(), d.state());
      if (d.state() == FeatureState.SHED) {
        if (Boolean.TRUE.equals(shedBefore.get(d.feature())) && previous != FeatureState.SHED) {
          flaps++;
        }
        shedBefore.put(d.feature(), true);
      }
    }
    return flaps;
  }

  private static long recovery(RunResult run, double healthyP99) {
    long lastRestore = 0;
    Map<String, FeatureState> states = new HashMap<>();
    for (Decision d : protective(run)) {
      states.put(d.feature(), d.state());
      if (d.atMillis() >= run.incidentEndMillis) {
        lastRestore = Math.max(lastRestore, d.atMillis() - run.incidentEndMillis);
      }
    }
    if (states.values().stream().anyMatch(s -> s != FeatureState.ACTIVE)) {
      return -1; // still shed, ramping or open when the run ended
    }
    long bucket = RunResult.BUCKET_MILLIS;
    long buckets = (run.endMillis - run.incidentEndMillis + bucket - 1) / bucket;
    long recovered = -1;
    for (long b = buckets - 1; b >= 0; b--) {
      long from = run.incidentEndMillis + b * bucket;
      if (!healthy(run, from, Math.min(from + bucket, run.endMillis), healthyP99)) {
        break;
      }
      recovered = b * bucket;
    }
    return recovered < 0 ? -1 : Math.max(recovered, lastRestore);
  }

  private static boolean healthy(RunResult run, long from, long to, double healthyP99) {
    PhaseStats critical = run.critical(from, to);
    if (critical.requests() > 0
        && (critical.successRate() < HEALTHY_SUCCESS || critical.p99() > bar(healthyP99))) {
      return false;
    }
    for (Sample s : run.samples) {
      if (!s.critical() && s.atMillis() >= from && s.atMillis() < to && s.outcome() != Outcome.OK) {
        return false; // a secondary request shed or failed: not fully back
      }
    }
    return true;
  }
}
