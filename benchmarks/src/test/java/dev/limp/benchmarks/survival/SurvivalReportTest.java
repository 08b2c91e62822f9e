package dev.limp.benchmarks.survival;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The verdict on limp's targets names each miss with its figure. */
class SurvivalReportTest {
  private static SurvivalMetrics run(String protection, double success, double p99, int flaps) {
    return new SurvivalMetrics("h2", "lock-wait", protection, 1_000, success, 4, p99, 100, 5_000, 2, flaps, 500,
        100, 800, 1.0, 2_000, Map.of(), -1, 1, 0, protection.equals(SurvivalReport.LIMP));
  }

  private static SurvivalMetrics precise(String incident, String protection, double p99, long served,
      long backMillis, Map<String, Integer> resheds, int sheds, int throttles, double successAfter) {
    return new SurvivalMetrics("postgresql", incident, protection, 1_000, incident.equals("outage") ? 0 : 1.0, 4,
        p99, 100, 5_000, 2, 0, 500, served, 800, successAfter, backMillis, resheds,
        incident.equals("outage") ? 350 : -1, sheds, throttles, protection.equals(SurvivalReport.LIMP));
  }

  @Test
  void thePrecisionVerdictNamesEachMissOfIssue12WithItsFigure() {
    List<SurvivalMetrics> runs = List.of(
        precise("table-scan", "resilience4j", 10, 400, 1_000, Map.of(), 1, 0, 1.0),
        precise("table-scan", "Sentinel", 40, 450, 1_000, Map.of(), 1, 0, 1.0),
        precise("table-scan", SurvivalReport.LIMP, 5, 300, 7_500, Map.of("search", 2), 1, 1, 1.0),
        precise("outage", "none", 1_000, 0, 0, Map.of(), 0, 0, 0.97),
        precise("outage", SurvivalReport.LIMP, 1_000, 0, 0, Map.of(), 0, 0, 1.0),
        precise("startup", "none", 5, 500, 0, Map.of(), 0, 0, 1.0),
        precise("startup", SurvivalReport.LIMP, 5, 500, 0, Map.of(), 0, 2, 1.0));

    String verdict = SurvivalReport.precisionVerdict(runs);

    assertTrue(verdict.contains("- postgresql · table-scan: **missed**: secondary served 300 < resilience4j's 400 "
        + "(75.00 %); features back 7.5 s; re-sheds search 2"), verdict);
    assertTrue(verdict.contains("- postgresql · outage: met (no best peer"), verdict);
    assertTrue(verdict.contains("- postgresql · startup: **missed**: 0 shed, 2 throttled at start-up"), verdict);
    String table = SurvivalReport.precision("postgresql", runs);
    assertTrue(table.contains("| outage | **limp (defaults)** | 0.00 % | 100.00 % | 1000 ms | 0 of 500 | – | 0.0 s "
        + "| 0 | 350 ms | 0 | 0 |"), table);
    assertTrue(table.contains("- table-scan: resilience4j (400 served"), table);
    assertTrue(table.contains("- outage: none: no protection other than limp"), table);
    String csv = SurvivalReport.csv(runs);
    assertTrue(csv.lines().findFirst().orElseThrow().endsWith(",resheds_chat_read,resheds_chat_post,"
        + "resheds_notifications,resheds_search,resheds_activity,first_critical_success_after_outage_ms,sheds,"
        + "throttles"), csv);
    assertTrue(csv.contains("postgresql,table-scan,limp (defaults),"), csv);
    assertTrue(csv.contains(",resilience4j,0.7500,7500,0,0,0,2,0,,1,1\n"), csv);
    assertTrue(csv.contains(",,,0,0,0,0,0,0,350,0,0\n"), csv);
  }

  @Test
  void limpAheadOfTheOthersWithinItsBoundsMeetsTheTargets() {
    String verdict = SurvivalReport.verdict(List.of(run("none", 0.6, 2_000, 0), run("resilience4j", 0.9, 900, 3),
        run(SurvivalReport.LIMP, 0.9995, 9, 0)));

    assertTrue(verdict.contains("- h2 · lock-wait: met"), verdict);
  }

  @Test
  void eachMissIsNamedWithItsFigure() {
    String verdict = SurvivalReport.verdict(List.of(run("Sentinel", 1.0, 6, 0),
        run(SurvivalReport.LIMP, 0.998, 40, 2)));

    assertTrue(verdict.contains("**missed**"), verdict);
    assertTrue(verdict.contains("critical success 99.80 %"), verdict);
    assertTrue(verdict.contains("critical p99 10.0× healthy"), verdict);
    assertTrue(verdict.contains("Sentinel has a higher critical success (100.00 %)"), verdict);
    assertTrue(verdict.contains("Sentinel has a lower critical p99 (6.0 ms)"), verdict);
    assertTrue(verdict.contains("2 flaps"), verdict);
  }
}
