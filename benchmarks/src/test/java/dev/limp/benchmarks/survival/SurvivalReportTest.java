package dev.limp.benchmarks.survival;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The verdict on limp's targets names each miss with its figure. */
class SurvivalReportTest {
  private static SurvivalMetrics run(String protection, double success, double p99, int flaps) {
    return new SurvivalMetrics("h2", "lock-wait", protection, 1_000, success, 4, p99, 100, 5_000, 2, flaps, 500,
        100);
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
