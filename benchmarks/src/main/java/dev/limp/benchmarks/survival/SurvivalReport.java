package dev.limp.benchmarks.survival;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The survival table as Markdown and CSV, and the verdict on limp's targets. */
final class SurvivalReport {
  /** limp's targets: critical success at or above this in every incident… */
  static final double TARGET_SUCCESS = 0.999;
  /** …and a critical p99 within this multiple of the healthy p99. */
  static final double TARGET_P99_RATIO = 3;
  static final String LIMP = "limp (defaults)";
  /** Every feature back within this long after the incident (issue 12). */
  static final long TARGET_BACK_MILLIS = 5_000;

  private SurvivalReport() {
  }

  static String markdown(String header, List<SurvivalMetrics> results) {
    StringBuilder b = new StringBuilder();
    b.append(header).append("\n");
    for (String database : databases(results)) {
      b.append("\n**").append(database.equals("h2") ? "H2 in memory" : "PostgreSQL").append("**\n\n")
          .append("| incident | protection | critical success | critical p99 (healthy) | p99 ÷ healthy "
              + "| first protective action | full recovery after | state changes (flaps) | sheddable served |\n")
          .append("|---|---|---:|---:|---:|---:|---:|---:|---:|\n");
      for (SurvivalMetrics m : results) {
        if (!m.database().equals(database)) {
          continue;
        }
        b.append(String.format(Locale.ROOT, "| %s | %s | %s | %s (%s) | %s | %s | %s | %d (%d) | %s of %d |%n",
            m.incident(), m.protection().equals(LIMP) ? "**" + LIMP + "**" : m.protection(),
            percent(m.criticalSuccess()), millis(m.incidentP99()), millis(m.healthyP99()),
            String.format(Locale.ROOT, "%.1f×", m.p99Ratio()), seconds(m.firstActionMillis(), "none"),
            seconds(m.recoveryMillis(), "not in run"), m.stateChanges(), m.flaps(),
            percent(m.sheddableServedShare()), m.sheddableRequests()));
      }
    }
    for (String database : databases(results)) {
      b.append("\n").append(precision(database, results));
    }
    b.append("\n").append(verdict(results));
    b.append("\n").append(precisionVerdict(results));
    return b.toString();
  }

  /** The runs of each scenario (database · incident), in the order they ran. */
  static Map<String, List<SurvivalMetrics>> byScenario(List<SurvivalMetrics> results) {
    Map<String, List<SurvivalMetrics>> byScenario = new LinkedHashMap<>();
    for (SurvivalMetrics m : results) {
      byScenario.computeIfAbsent(m.database() + " · " + m.incident(), k -> new ArrayList<>()).add(m);
    }
    return byScenario;
  }

  /**
   * The precision table of one database (issue 12): critical success during and after, what the secondary
   * features served against the best peer's, when every feature was back, re-sheds, and, for the outage, the
   * first critical success once the database answered again; sheds and throttles on their own.
   */
  static String precision(String database, List<SurvivalMetrics> results) {
    StringBuilder b = new StringBuilder();
    b.append("**").append(database.equals("h2") ? "H2 in memory" : "PostgreSQL").append(": precision**\n\n")
        .append("| incident | protection | critical success during | after | critical p99 | secondary served "
            + "| ÷ best peer's | features back after | re-sheds per feature | first critical success after "
            + "outage | sheds | throttles |\n")
        .append("|---|---|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|\n");
    List<String> peers = new ArrayList<>();
    byScenario(results).forEach((scenario, runs) -> {
      if (!runs.get(0).database().equals(database)) {
        return;
      }
      Optional<SurvivalMetrics> best = SurvivalMetrics.bestPeer(runs);
      peers.add("- " + runs.get(0).incident() + ": " + best.map(p -> p.protection() + " (" + p.sheddableServed()
          + " served, chat's p99 " + String.format(Locale.ROOT, "%.1f×", p.p99Ratio()) + " healthy)")
          .orElse("none: no protection other than limp kept chat's p99 within "
              + (int) SurvivalMetrics.PEER_P99_RATIO + "× its healthy p99"));
      for (SurvivalMetrics m : runs) {
        b.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %d of %d | %s | %s | %s | %s | %d | %d |%n",
            m.incident(), m.protection().equals(LIMP) ? "**" + LIMP + "**" : m.protection(),
            percent(m.criticalSuccess()), percent(m.criticalSuccessAfter()), millis(m.incidentP99()),
            m.sheddableServed(), m.sheddableRequests(), best.map(p -> percent(m.servedShareOf(p))).orElse("–"),
            seconds(m.featuresBackMillis(), "not in run"), resheds(m),
            m.incident().equals(SurvivalMetrics.OUTAGE) ? afterOutage(m) : "–", m.sheds(), m.throttles()));
      }
    });
    b.append("\nBest peer per incident (the protection other than limp with the most secondary requests served "
        + "among those that kept chat's p99 within ").append((int) SurvivalMetrics.PEER_P99_RATIO)
        .append("× its healthy p99):\n\n");
    peers.forEach(line -> b.append(line).append("\n"));
    return b.toString();
  }

  /** The targets of issue 12 for limp, each miss with its figure; a scenario without limp is skipped. */
  static String precisionVerdict(List<SurvivalMetrics> results) {
    StringBuilder b = new StringBuilder("Targets of issue 12 (with the defaults): critical success ≥ 99.9 % "
        + "wherever the database is up (after the outage: every critical request after it answered); "
        + "secondary served ≥ the best peer's; every feature back ≤ 5 s after the incident; ≤ 1 re-shed per "
        + "feature; 0 sheds in the start-up scenario:\n\n");
    byScenario(results).forEach((scenario, runs) -> {
      SurvivalMetrics limp = runs.stream().filter(SurvivalMetrics::limp).findFirst().orElse(null);
      if (limp == null) {
        return;
      }
      List<String> misses = new ArrayList<>();
      boolean outage = limp.incident().equals(SurvivalMetrics.OUTAGE);
      boolean startup = limp.incident().equals(SurvivalMetrics.STARTUP);
      if (!outage && !(limp.criticalSuccess() >= TARGET_SUCCESS)) {
        misses.add("critical success during " + percent(limp.criticalSuccess()));
      }
      if (!(limp.criticalSuccessAfter() >= (outage ? 1 : TARGET_SUCCESS))) {
        misses.add("critical success after " + percent(limp.criticalSuccessAfter()));
      }
      Optional<SurvivalMetrics> best = SurvivalMetrics.bestPeer(runs);
      if (best.isPresent() && limp.sheddableServed() < best.get().sheddableServed()) {
        misses.add("secondary served " + limp.sheddableServed() + " < " + best.get().protection() + "'s "
            + best.get().sheddableServed() + " (" + percent(limp.servedShareOf(best.get())) + ")");
      }
      if (limp.featuresBackMillis() < 0 || limp.featuresBackMillis() > TARGET_BACK_MILLIS) {
        misses.add("features back " + seconds(limp.featuresBackMillis(), "not within the run"));
      }
      if (limp.maxResheds() > 1) {
        misses.add("re-sheds " + resheds(limp));
      }
      if (startup && limp.sheds() + limp.throttles() > 0) {
        misses.add(limp.sheds() + " shed, " + limp.throttles() + " throttled at start-up");
      }
      b.append("- ").append(scenario).append(": ")
          .append(misses.isEmpty() ? "met" : "**missed**: " + String.join("; ", misses))
          .append(best.isEmpty() ? " (no best peer: none kept chat's p99 within 3×)" : "").append("\n");
    });
    return b.toString();
  }

  /** Re-sheds of the features that had any, "0" if none did. */
  static String resheds(SurvivalMetrics m) {
    List<String> any = new ArrayList<>();
    m.resheds().forEach((feature, n) -> {
      if (n > 0) {
        any.add(feature + " " + n);
      }
    });
    return any.isEmpty() ? "0" : String.join(", ", any);
  }

  /** The first critical success after the outage, in ms after the database accepted connections again. */
  static String afterOutage(SurvivalMetrics m) {
    return m.firstCriticalSuccessMillis() < 0 ? "none in run" : m.firstCriticalSuccessMillis() + " ms";
  }

  /** Per database and incident: whether limp met its targets, and where it did not, by how much. */
  static String verdict(List<SurvivalMetrics> results) {
    StringBuilder b = new StringBuilder("Targets (critical success ≥ 99.9 %, critical p99 ≤ 3× healthy, ahead of "
        + "every other protection on the critical path, no flapping):\n\n");
    byScenario(results).forEach((scenario, runs) -> {
      SurvivalMetrics limp = runs.stream().filter(m -> m.protection().equals(LIMP)).findFirst().orElse(null);
      if (limp == null) {
        return;
      }
      if (limp.incident().equals(SurvivalMetrics.OUTAGE) || limp.incident().equals(SurvivalMetrics.STARTUP)) {
        b.append("- ").append(scenario).append(": see the targets of issue 12 (").append(
            limp.incident().equals(SurvivalMetrics.OUTAGE) ? "the database is down during the incident"
                : "no incident; the healthy p99 after a cold start is noise").append(")\n");
        return;
      }
      List<String> misses = new ArrayList<>();
      if (!(limp.criticalSuccess() >= TARGET_SUCCESS)) {
        misses.add("critical success " + percent(limp.criticalSuccess()));
      }
      if (!(limp.p99Ratio() <= TARGET_P99_RATIO)) {
        misses.add(String.format(Locale.ROOT, "critical p99 %.1f× healthy", limp.p99Ratio()));
      }
      for (SurvivalMetrics other : runs) {
        if (other == limp) {
          continue;
        }
        if (other.criticalSuccess() > limp.criticalSuccess()) {
          misses.add(other.protection() + " has a higher critical success (" + percent(other.criticalSuccess())
              + ")");
        }
        if (other.incidentP99() < limp.incidentP99()) {
          misses.add(other.protection() + " has a lower critical p99 (" + millis(other.incidentP99()) + ")");
        }
      }
      if (limp.flaps() > 0) {
        misses.add(limp.flaps() + " flap" + (limp.flaps() == 1 ? "" : "s"));
      }
      b.append("- ").append(scenario).append(": ")
          .append(misses.isEmpty() ? "met" : "**missed**: " + String.join("; ", misses)).append("\n");
    });
    return b.toString();
  }

  static String csv(List<SurvivalMetrics> results) {
    StringBuilder b = new StringBuilder("database,incident,protection,critical_requests,critical_success,"
        + "healthy_p99_ms,incident_p99_ms,p99_ratio,first_action_ms,recovery_ms,state_changes,flaps,"
        + "sheddable_requests,sheddable_served,critical_requests_after,critical_success_after,best_peer,"
        + "served_share_of_best_peer,features_back_ms");
    for (String feature : GuardedChatService.FEATURES) {
      b.append(",resheds_").append(feature.replace('.', '_'));
    }
    b.append(",first_critical_success_after_outage_ms,sheds,throttles\n");
    Map<String, Optional<SurvivalMetrics>> best = new LinkedHashMap<>();
    byScenario(results).forEach((scenario, runs) -> best.put(scenario, SurvivalMetrics.bestPeer(runs)));
    for (SurvivalMetrics m : results) {
      Optional<SurvivalMetrics> peer = best.get(m.database() + " · " + m.incident());
      b.append(String.format(Locale.ROOT, "%s,%s,%s,%d,%.5f,%.1f,%.1f,%.2f,%d,%d,%d,%d,%d,%d,%d,%.5f,%s,%s,%d",
          m.database(), m.incident(), csvField(m.protection()), m.criticalRequests(), m.criticalSuccess(),
          m.healthyP99(), m.incidentP99(), m.p99Ratio(), m.firstActionMillis(), m.recoveryMillis(),
          m.stateChanges(), m.flaps(), m.sheddableRequests(), m.sheddableServed(), m.criticalRequestsAfter(),
          m.criticalSuccessAfter(), peer.map(p -> csvField(p.protection())).orElse(""),
          peer.map(p -> String.format(Locale.ROOT, "%.4f", m.servedShareOf(p))).orElse(""),
          m.featuresBackMillis()));
      for (String feature : GuardedChatService.FEATURES) {
        b.append(',').append(m.resheds().getOrDefault(feature, 0));
      }
      b.append(',').append(m.incident().equals(SurvivalMetrics.OUTAGE) ? Long.toString(m.firstCriticalSuccessMillis())
          : "").append(',').append(m.sheds()).append(',').append(m.throttles()).append('\n');
    }
    return b.toString();
  }

  /** A CSV field, quoted when it holds a comma or a quote. */
  private static String csvField(String value) {
    return value.contains(",") || value.contains("\"") ? '"' + value.replace("\"", "\"\"") + '"' : value;
  }

  private static List<String> databases(List<SurvivalMetrics> results) {
    List<String> list = new ArrayList<>();
    for (SurvivalMetrics m : results) {
      if (!list.contains(m.database())) {
        list.add(m.database());
      }
    }
    return list;
  }

  static String percent(double fraction) {
    return Double.isNaN(fraction) ? "–" : String.format(Locale.ROOT, "%.2f %%", 100 * fraction);
  }

  static String millis(double ms) {
    return Double.isNaN(ms) ? "–" : String.format(Locale.ROOT, ms < 10 ? "%.1f ms" : "%.0f ms", ms);
  }

  static String seconds(long ms, String never) {
    return ms < 0 ? never : String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
  }
}
