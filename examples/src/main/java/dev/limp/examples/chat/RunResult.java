package dev.limp.examples.chat;

import dev.limp.FeatureState;
import dev.limp.Level;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one run of a scenario measured: every request, every decision of limp, and the phases. Immutable
 * once built. Times are milliseconds since the run's load started.
 */
public final class RunResult {
  /** The width of a bucket of the timeline. */
  public static final long BUCKET_MILLIS = 500;

  /**
   * One request of the load driver: when it arrived, and how long its client waited for the answer, in
   * milliseconds to the microsecond; {@code shedCause} names limp's {@code ShedCause} when it was shed.
   */
  public record Sample(long atMillis, String feature, boolean critical, Outcome outcome, double latencyMillis,
      String shedCause) {
  }

  /** How a request ended. */
  public enum Outcome {
    /** Answered by the feature. */
    OK,
    /** Answered by its fallback: limp shed it. */
    SHED,
    /** Failed: a database error, a pool timeout, or the client's own timeout. */
    ERROR
  }

  /** A decision of limp: a level change (feature {@code null}) or a feature's change of state. */
  public record Decision(long atMillis, String feature, Level level, FeatureState state, String reason,
      boolean shadow) {
    /** Whether limp held the feature back here: shed it, or throttled it (a culprit is limited before it is shed). */
    public boolean isShed() {
      return feature != null && (state == FeatureState.SHED || state == FeatureState.THROTTLED);
    }
  }

  /**
   * A stretch of the run in which a feature stood in one state, as limp's decisions set it (in shadow mode:
   * would have set it): from {@code fromMillis} up to, not including, {@code toMillis}.
   */
  public record StateSpan(String feature, FeatureState state, long fromMillis, long toMillis) {
  }

  /**
   * limp's trial calls of a feature judged between two looks of the run (a few times a second): a shed
   * feature let them through to see whether it is healthy again. {@code atMillis} is when they were seen.
   */
  public record Trial(long atMillis, String feature, long healthy, long unhealthy) {
  }

  /** A summary of the critical requests of one phase. */
  public record PhaseStats(long requests, double successRate, double p50, double p99) {
  }

  public final Incident incident;
  /** What protected the service: "limp on", "limp off (shadow)", "resilience4j", … */
  public final String protection;
  /** Whether limp protected it, shedding for real. */
  public final boolean limpOn;
  public final long incidentStartMillis;
  public final long incidentEndMillis;
  public final long endMillis;
  public final List<Sample> samples;
  public final List<Decision> decisions;
  /** The level at the end of each bucket (in shadow mode: the level the governor would have). */
  public final Level[] levels;
  /** limp's trial calls, in the order they were seen; empty for the other protections. */
  public final List<Trial> trials;

  /**
   * A run's measurements, as {@link ScenarioRun} collects them (public for the benchmarks' harness and its
   * tests). Times are milliseconds since the run's load started.
   */
  public RunResult(Incident incident, String protection, boolean limpOn, long incidentStartMillis,
      long incidentEndMillis, long endMillis, List<Sample> samples, List<Decision> decisions, Level[] levels) {
    this(incident, protection, limpOn, incidentStartMillis, incidentEndMillis, endMillis, samples, decisions,
        levels, List.of());
  }

  /** A run's measurements with limp's trial calls. */
  public RunResult(Incident incident, String protection, boolean limpOn, long incidentStartMillis,
      long incidentEndMillis, long endMillis, List<Sample> samples, List<Decision> decisions, Level[] levels,
      List<Trial> trials) {
    this.incident = incident;
    this.protection = protection;
    this.limpOn = limpOn;
    this.incidentStartMillis = incidentStartMillis;
    this.incidentEndMillis = incidentEndMillis;
    this.endMillis = endMillis;
    this.samples = List.copyOf(samples);
    this.decisions = List.copyOf(decisions);
    this.levels = levels.clone();
    this.trials = List.copyOf(trials);
  }

  public String mode() {
    return protection;
  }

  /** The critical requests that arrived in [from, to). */
  public PhaseStats critical(long from, long to) {
    long n = 0;
    long ok = 0;
    List<Double> latencies = new ArrayList<>();
    for (Sample s : samples) {
      if (s.critical && s.atMillis >= from && s.atMillis < to) {
        n++;
        latencies.add(s.latencyMillis);
        if (s.outcome == Outcome.OK) {
          ok++;
        }
      }
    }
    double[] sorted = latencies.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    return new PhaseStats(n, n == 0 ? Double.NaN : ok / (double) n, percentile(sorted, 0.50),
        percentile(sorted, 0.99));
  }

  public PhaseStats before() {
    return critical(0, incidentStartMillis);
  }

  public PhaseStats during() {
    return critical(incidentStartMillis, incidentEndMillis);
  }

  public PhaseStats after() {
    return critical(incidentEndMillis, endMillis);
  }

  /** The fraction of a feature's requests during the incident that its feature answered (not shed, no error). */
  public double servedDuring(String feature) {
    long n = 0;
    long ok = 0;
    for (Sample s : samples) {
      if (s.feature.equals(feature) && s.atMillis >= incidentStartMillis && s.atMillis < incidentEndMillis) {
        n++;
        ok += s.outcome == Outcome.OK ? 1 : 0;
      }
    }
    return n == 0 ? Double.NaN : ok / (double) n;
  }

  /**
   * The features limp shed at any time of the run: by a decision of the governor (in shadow mode: that it
   * would have shed), or call by call (the reserve refusing a connection).
   */
  public List<String> shedFeatures() {
    List<String> shed = new ArrayList<>();
    for (Decision d : decisions) {
      if (d.isShed() && !shed.contains(d.feature)) {
        shed.add(d.feature);
      }
    }
    for (Sample s : samples) {
      if (s.outcome == Outcome.SHED && !shed.contains(s.feature)) {
        shed.add(s.feature);
      }
    }
    return shed;
  }

  /** The features of the run: the traffic mix's, then any other a decision names, each once. */
  public List<String> features() {
    List<String> features = new ArrayList<>(List.of(ChatClients.MIX));
    for (Decision d : decisions) {
      if (d.feature != null && !features.contains(d.feature)) {
        features.add(d.feature);
      }
    }
    return features;
  }

  /**
   * A feature's states through the run, from its decisions: every feature starts {@code ACTIVE}; each span
   * lasts until the next change of state, the last one until the end of the run.
   */
  public List<StateSpan> stateSpans(String feature) {
    List<StateSpan> spans = new ArrayList<>();
    FeatureState state = FeatureState.ACTIVE;
    long from = 0;
    for (Decision d : decisions) {
      if (!feature.equals(d.feature) || d.state == null || d.state == state || d.atMillis >= endMillis) {
        continue;
      }
      long at = Math.max(from, d.atMillis);
      if (at > from) {
        spans.add(new StateSpan(feature, state, from, at));
      }
      state = d.state;
      from = at;
    }
    if (endMillis > from) {
      spans.add(new StateSpan(feature, state, from, endMillis));
    }
    return spans;
  }

  /**
   * How many of a feature's calls the connection reserve refused, per bucket of the timeline: the calls limp
   * turned away one by one, without a decision or a change of level.
   */
  public long[] reserveRefusals(String feature) {
    long[] counts = new long[bucketCount()];
    for (Sample s : samples) {
      if (s.feature.equals(feature) && "RESERVE".equals(s.shedCause) && s.atMillis < endMillis) {
        counts[(int) (s.atMillis / BUCKET_MILLIS)]++;
      }
    }
    return counts;
  }

  /** A feature's trial calls within the run, in the order they were seen. */
  public List<Trial> trials(String feature) {
    List<Trial> of = new ArrayList<>();
    for (Trial t : trials) {
      if (t.feature.equals(feature) && t.atMillis < endMillis) {
        of.add(t);
      }
    }
    return of;
  }

  /** How many trial calls of every feature were judged within the run: {healthy, unhealthy}. */
  public long[] trialCounts() {
    long[] counts = new long[2];
    for (Trial t : trials) {
      if (t.atMillis < endMillis) {
        counts[0] += t.healthy;
        counts[1] += t.unhealthy;
      }
    }
    return counts;
  }

  /** How many calls were shed during the incident, by limp's reason (LEVEL, CULPRIT, RAMP, RESERVE…). */
  public Map<String, Long> shedCallsDuring() {
    Map<String, Long> counts = new TreeMap<>();
    for (Sample s : samples) {
      if (s.outcome == Outcome.SHED && s.atMillis >= incidentStartMillis && s.atMillis < incidentEndMillis) {
        counts.merge(s.shedCause == null ? "?" : s.shedCause, 1L, Long::sum);
      }
    }
    return counts;
  }

  /** Milliseconds from the incident's start to the first shed (a decision, or a call the reserve refused), or -1. */
  public long timeToFirstShed() {
    long first = Long.MAX_VALUE;
    for (Decision d : decisions) {
      if (d.isShed() && d.atMillis >= incidentStartMillis) {
        first = Math.min(first, d.atMillis);
      }
    }
    for (Sample s : samples) {
      if (s.outcome == Outcome.SHED && s.atMillis >= incidentStartMillis) {
        first = Math.min(first, s.atMillis);
      }
    }
    return first == Long.MAX_VALUE ? -1 : first - incidentStartMillis;
  }

  /**
   * Milliseconds from the incident's end until every feature is active again, or -1 if some feature was
   * still shed or ramping at the end of the run. 0 if nothing was shed at all.
   */
  public long timeToFullRestore() {
    Map<String, FeatureState> states = new TreeMap<>();
    long last = 0;
    for (Decision d : decisions) {
      if (d.feature != null) {
        states.put(d.feature, d.state);
        last = Math.max(0, d.atMillis - incidentEndMillis);
      }
    }
    for (FeatureState s : states.values()) {
      if (s != FeatureState.ACTIVE) {
        return -1;
      }
    }
    return states.isEmpty() ? 0 : last;
  }

  /** A bucket of critical requests is healthy when this share is answered and its p99 is below {@link #HEALTHY_P99}. */
  public static final double HEALTHY_SUCCESS = 0.99;
  /** 250 ms: the default threshold at which limp starts to shed on query latency. */
  public static final double HEALTHY_P99 = 250;

  /**
   * Milliseconds from the incident's end until the critical requests are healthy for good: every later
   * bucket answers at least {@link #HEALTHY_SUCCESS} of them with a p99 below {@link #HEALTHY_P99}. -1 if
   * not within the run.
   */
  public long timeToCriticalRecovery() {
    long buckets = (endMillis - incidentEndMillis) / BUCKET_MILLIS;
    long recovered = -1;
    for (long b = buckets - 1; b >= 0; b--) {
      long from = incidentEndMillis + b * BUCKET_MILLIS;
      PhaseStats s = critical(from, from + BUCKET_MILLIS);
      if (s.requests() > 0 && (s.successRate() < HEALTHY_SUCCESS || s.p99() >= HEALTHY_P99)) {
        break;
      }
      recovered = b * BUCKET_MILLIS;
    }
    return recovered;
  }

  /** The bucket timeline of critical requests: [p99 ms, error rate] per bucket. */
  public double[][] criticalTimeline() {
    int n = bucketCount();
    double[][] out = new double[n][];
    for (int b = 0; b < n; b++) {
      PhaseStats s = critical(b * BUCKET_MILLIS, (b + 1) * BUCKET_MILLIS);
      out[b] = new double[] {s.p99(), s.requests() == 0 ? Double.NaN : 1 - s.successRate()};
    }
    return out;
  }

  public int bucketCount() {
    return (int) ((endMillis + BUCKET_MILLIS - 1) / BUCKET_MILLIS);
  }

  static double percentile(double[] sorted, double p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int index = (int) Math.ceil(p * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }

  @Override
  public String toString() {
    return incident + " " + mode() + ": before " + before() + ", during " + during() + ", after " + after()
        + ", shed " + shedFeatures() + ", levels " + Arrays.toString(levels);
  }
}
