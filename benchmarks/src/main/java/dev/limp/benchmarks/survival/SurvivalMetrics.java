package dev.limp.benchmarks.survival;

import dev.limp.FeatureState;
import dev.limp.examples.chat.RunResult;
import dev.limp.examples.chat.RunResult.Decision;
import dev.limp.examples.chat.RunResult.Outcome;
import dev.limp.examples.chat.RunResult.PhaseStats;
import dev.limp.examples.chat.RunResult.Sample;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

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
 * @param criticalRequestsAfter critical requests that arrived after the incident, until the run's end
 * @param criticalSuccessAfter the share of those answered ({@link RunResult#after()})
 * @param featuresBackMillis from the incident's end until every feature is back for good: for limp, from its
 *     events (the last change of a feature's state after the incident's end, every feature active at the run's
 *     end; 0 if every feature was active when the incident ended); for the others, from the secondary
 *     features' success: the start of the first 500 ms bucket from which on every bucket answers at least
 *     {@link #BACK_SHARE} of the secondary success rate before the incident. -1: not within the run
 * @param resheds per feature (in {@link GuardedChatService#FEATURES}' order, every feature listed): for
 *     limp, entries into SHED or THROTTLED after the feature's first restore (to RAMPING or ACTIVE); for the
 *     others, breaker openings after the breaker's first close; counted from the incident's start
 * @param firstCriticalSuccessMillis for the outage only: from the incident's end (when the database accepts
 *     connections again) to the first critical request answered after it; -1: none in the run, or not an
 *     outage
 * @param sheds from the incident's start: for limp, the features it shed (SHED); for the others, breaker
 *     openings
 * @param throttles from the incident's start: the features limp throttled (THROTTLED; 0 for the others)
 * @param limp whether limp protected the run (limp's own definitions above apply)
 */
record SurvivalMetrics(String database, String incident, String protection, long criticalRequests,
    double criticalSuccess, double healthyP99, double incidentP99, long firstActionMillis, long recoveryMillis,
    int stateChanges, int flaps, long sheddableRequests, long sheddableServed, long criticalRequestsAfter,
    double criticalSuccessAfter, long featuresBackMillis, Map<String, Integer> resheds,
    long firstCriticalSuccessMillis, int sheds, int throttles, boolean limp) {
  /** A bucket's critical requests are healthy when at least this share is answered. */
  static final double HEALTHY_SUCCESS = 0.99;
  /** The floor of the healthy p99 bar: a 500 ms bucket's p99 on a few-ms baseline jitters by a time slice. */
  static final double HEALTHY_P99_FLOOR_MILLIS = 20;
  /** A peer's secondary features are back when each bucket answers this share of the healthy success rate. */
  static final double BACK_SHARE = 0.95;
  /** The best peer must keep chat's p99 within this multiple of its healthy p99. */
  static final double PEER_P99_RATIO = 3;
  /** The incident whose first critical success after it is measured. */
  static final String OUTAGE = "outage";
  /** The start-up scenario (no incident: its "incident" is the pool's start, {@link StartupScenario}). */
  static final String STARTUP = "startup";

  SurvivalMetrics {
    resheds = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(resheds));
  }

  static SurvivalMetrics of(String database, RunResult run) {
    return of(database, run.incident.id(), run);
  }

  /**
   * @param scenario the incident's name ({@link #STARTUP} for the start-up scenario, whose run has no
   *     healthy phase before its "incident": its healthy p99 is the one after it)
   */
  static SurvivalMetrics of(String database, String scenario, RunResult run) {
    PhaseStats before = run.before().requests() > 0 ? run.before() : run.after();
    PhaseStats during = run.during();
    PhaseStats after = run.after();
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
    return new SurvivalMetrics(database, scenario, run.protection, during.requests(),
        during.successRate(), before.p99(), during.p99(), firstAction(run), recovery(run, before.p99()), changes,
        flaps(run), sheddable, served, after.requests(), after.successRate(), featuresBack(run), resheds(run),
        scenario.equals(OUTAGE) ? firstCriticalSuccess(run) : -1, sheds(run), throttles(run), run.limpOn);
  }

  /**
   * The peer whose secondary features served the most requests during the incident, among the protections
   * other than limp that kept chat's p99 within {@link #PEER_P99_RATIO}× its healthy p99; empty if none did.
   */
  static Optional<SurvivalMetrics> bestPeer(Collection<SurvivalMetrics> runsOfOneScenario) {
    SurvivalMetrics best = null;
    for (SurvivalMetrics m : runsOfOneScenario) {
      if (!m.limp() && m.p99Ratio() <= PEER_P99_RATIO && (best == null || m.sheddableServed() > best.sheddableServed())) {
        best = m;
      }
    }
    return Optional.ofNullable(best);
  }

  /** Secondary requests served during the incident, as a share of {@code best}'s; NaN if it served none. */
  double servedShareOf(SurvivalMetrics best) {
    return best.sheddableServed() == 0 ? Double.NaN : sheddableServed / (double) best.sheddableServed();
  }

  /** The most re-sheds of any one feature. */
  int maxResheds() {
    return resheds.values().stream().mapToInt(Integer::intValue).max().orElse(0);
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
      if ((d.state() == FeatureState.SHED || d.state() == FeatureState.THROTTLED)
          && d.atMillis() >= run.incidentStartMillis) {
        first = Math.min(first, d.atMillis()); // a throttle is a protective action too
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

  private static boolean limiting(FeatureState s) {
    return s == FeatureState.SHED || s == FeatureState.THROTTLED;
  }

  private static long featuresBack(RunResult run) {
    return run.limpOn ? featuresBackFromEvents(run) : featuresBackFromSuccess(run);
  }

  private static long featuresBackFromEvents(RunResult run) {
    Map<String, FeatureState> states = new HashMap<>();
    long last = 0;
    for (Decision d : protective(run)) {
      states.put(d.feature(), d.state());
      if (d.atMillis() >= run.incidentEndMillis) {
        last = Math.max(last, d.atMillis() - run.incidentEndMillis);
      }
    }
    return states.values().stream().allMatch(s -> s == FeatureState.ACTIVE) ? last : -1;
  }

  private static long featuresBackFromSuccess(RunResult run) {
    double healthy = secondarySuccess(run, 0, run.incidentStartMillis);
    double bar = BACK_SHARE * (Double.isNaN(healthy) ? 1 : healthy);
    long bucket = RunResult.BUCKET_MILLIS;
    long buckets = (run.endMillis - run.incidentEndMillis + bucket - 1) / bucket;
    long back = -1;
    for (long b = buckets - 1; b >= 0; b--) {
      long from = run.incidentEndMillis + b * bucket;
      double success = secondarySuccess(run, from, Math.min(from + bucket, run.endMillis));
      if (success < bar) {
        break; // NaN (no secondary request in the bucket) is not below the bar
      }
      back = b * bucket;
    }
    return back;
  }

  /** The share of the secondary requests that arrived in [from, to) that their feature answered; NaN if none. */
  private static double secondarySuccess(RunResult run, long from, long to) {
    long n = 0;
    long ok = 0;
    for (Sample s : run.samples) {
      if (!s.critical() && s.atMillis() >= from && s.atMillis() < to) {
        n++;
        ok += s.outcome() == Outcome.OK ? 1 : 0;
      }
    }
    return n == 0 ? Double.NaN : ok / (double) n;
  }

  private static Map<String, Integer> resheds(RunResult run) {
    Map<String, Integer> resheds = new LinkedHashMap<>();
    for (String feature : GuardedChatService.FEATURES) {
      resheds.put(feature, 0);
    }
    Map<String, FeatureState> last = new HashMap<>();
    Set<String> limited = new HashSet<>();
    Set<String> restored = new HashSet<>();
    for (Decision d : protective(run)) {
      if (d.atMillis() < run.incidentStartMillis) {
        continue;
      }
      FeatureState previous = last.put(d.feature(), d.state());
      if (limiting(d.state())) {
        if (restored.contains(d.feature()) && (previous == null || !limiting(previous))) {
          resheds.merge(d.feature(), 1, Integer::sum);
        }
        limited.add(d.feature());
      } else if (limited.contains(d.feature()) && (d.state() == FeatureState.ACTIVE || run.limpOn)) {
        restored.add(d.feature()); // limp: let back into the ramp or active; a breaker: closed, not half-open
      }
    }
    return resheds;
  }

  private static long firstCriticalSuccess(RunResult run) {
    double first = Double.MAX_VALUE;
    for (Sample s : run.samples) {
      double answered = s.atMillis() + s.latencyMillis();
      if (s.critical() && s.outcome() == Outcome.OK && s.atMillis() >= run.incidentStartMillis
          && answered >= run.incidentEndMillis) {
        first = Math.min(first, answered);
      }
    }
    return first == Double.MAX_VALUE ? -1 : Math.round(first - run.incidentEndMillis);
  }

  private static int sheds(RunResult run) {
    Set<String> features = new HashSet<>();
    Map<String, FeatureState> last = new HashMap<>();
    int openings = 0;
    for (Decision d : protective(run)) {
      FeatureState previous = last.put(d.feature(), d.state());
      if (d.state() == FeatureState.SHED && d.atMillis() >= run.incidentStartMillis) {
        features.add(d.feature());
        openings += previous == FeatureState.SHED ? 0 : 1;
      }
    }
    return run.limpOn ? features.size() : openings;
  }

  private static int throttles(RunResult run) {
    Set<String> features = new HashSet<>();
    for (Decision d : protective(run)) {
      if (d.state() == FeatureState.THROTTLED && d.atMillis() >= run.incidentStartMillis) {
        features.add(d.feature());
      }
    }
    return features.size();
  }
}
