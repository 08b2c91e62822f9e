package dev.limp.benchmarks.survival;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The survival table as Markdown and CSV, and the verdict on limp's targets. */
final class SurvivalReport {
  /** limp's targets: critical success at or above this in every incident… */
  static final double TARGET_SUCCESS = 0.999;
  /** …and a critical p99 within this multiple of the healthy p99. */
  static final double TARGET_P99_RATIO = 3;
  static final String LIMP = "limp (defaults)";

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
    b.append("\n").append(verdict(results));
    return b.toString();
  }

  /** Per database and incident: whether limp met its targets, and where it did not, by how much. */
  static String verdict(List<SurvivalMetrics> results) {
    StringBuilder b = new StringBuilder("Targets (critical success ≥ 99.9 %, critical p99 ≤ 3× healthy, ahead of "
        + "every other protection on the critical path, no flapping):\n\n");
    Map<String, List<SurvivalMetrics>> byScenario = new LinkedHashMap<>();
    for (SurvivalMetrics m : results) {
      byScenario.computeIfAbsent(m.database() + " · " + m.incident(), k -> new ArrayList<>()).add(m);
    }
    byScenario.forEach((scenario, runs) -> {
      SurvivalMetrics limp = runs.stream().filter(m -> m.protection().equals(LIMP)).findFirst().orElse(null);
      if (limp == null) {
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
        + "sheddable_requests,sheddable_served\n");
    for (SurvivalMetrics m : results) {
      b.append(String.format(Locale.ROOT, "%s,%s,%s,%d,%.5f,%.1f,%.1f,%.2f,%d,%d,%d,%d,%d,%d%n", m.database(),
          m.incident(), m.protection(), m.criticalRequests(), m.criticalSuccess(), m.healthyP99(), m.incidentP99(),
          m.p99Ratio(), m.firstActionMillis(), m.recoveryMillis(), m.stateChanges(), m.flaps(),
          m.sheddableRequests(), m.sheddableServed()));
    }
    return b.toString();
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
