package dev.limp.examples.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.limp.FeatureState;
import dev.limp.Level;
import dev.limp.examples.chat.RunResult.Decision;
import dev.limp.examples.chat.RunResult.Trial;
import java.util.Arrays;
import java.util.List;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The report's feature bands and summary on a run made up to the millisecond: each trial call of a shed
 * feature is drawn as a tick in its verdict's colour, named in the legend and counted in the summary.
 */
class FeatureBandsTest {
  private static final DoubleUnaryOperator X = t -> 100 + t / 10; // 1 px per 10 ms

  private static RunResult run(boolean limpOn, List<Decision> decisions, List<Trial> trials) {
    Level[] levels = new Level[14];
    Arrays.fill(levels, Level.NORMAL);
    return new RunResult(Incident.TABLE_SCAN, limpOn ? "limp on" : "limp off (shadow)", limpOn, 1_000, 4_000,
        7_000, List.of(), decisions, levels, trials);
  }

  private static RunResult shedAndProbed() {
    return run(true, List.of(
        new Decision(1_200, "search", null, FeatureState.SHED, "LEVEL: level SHED_SHEDDABLE sheds SHEDDABLE",
            false),
        new Decision(4_600, "search", null, FeatureState.RAMPING, "its last 2 trial calls were healthy", false)),
        List.of(new Trial(1_400, "search", 0, 1), new Trial(2_500, "search", 0, 2),
            new Trial(4_350, "search", 1, 0), new Trial(4_500, "search", 1, 0)));
  }

  @Test
  void eachJudgedTrialIsATickInItsVerdictsColourOnItsFeaturesBand() {
    String svg = FeatureBands.svg(shedAndProbed(), X, 80, 0);
    int y = shedAndProbed().features().indexOf("search") * FeatureBands.ROW; // search's band
    assertTrue(svg.contains("<rect class=\"trial-mark\" data-feature=\"search\" data-verdict=\"unhealthy\" "
        + "data-count=\"1\" x=\"240\" y=\"" + (y + 7) + "\""), svg);
    assertTrue(svg.contains("<rect class=\"trial-mark\" data-feature=\"search\" data-verdict=\"unhealthy\" "
        + "data-count=\"2\" x=\"350\""), svg);
    assertTrue(svg.contains("<rect class=\"trial-mark\" data-feature=\"search\" data-verdict=\"healthy\" "
        + "data-count=\"1\" x=\"535\" y=\"" + y + "\""), svg);
    assertTrue(svg.contains("fill=\"" + FeatureBands.HEALTHY_TRIAL_COLOUR + "\""), "healthy colour");
    assertTrue(svg.contains("fill=\"" + FeatureBands.UNHEALTHY_TRIAL_COLOUR + "\""), "unhealthy colour");
    assertTrue(svg.contains("<title>2.5 s: 2 trial calls of search, unhealthy</title>"), svg);
    assertEquals(4, count(svg, "class=\"trial-mark\""), "one tick per look and verdict");
    assertFalse(svg.contains("data-feature=\"notifications\" data-verdict"), "no trial, no tick");
  }

  @Test
  void aRunWithoutTrialsDrawsNoTick() {
    RunResult none = run(true, shedAndProbed().decisions, List.of());
    assertFalse(FeatureBands.svg(none, X, 80, 0).contains("trial-mark"));
  }

  @Test
  void theLegendNamesBothVerdictsInTheirColours() {
    String legend = FeatureBands.legend();
    assertTrue(legend.contains("<span class=\"trial-legend\" data-verdict=\"healthy\" style=\"color:"
        + FeatureBands.HEALTHY_TRIAL_COLOUR + "\">┃ trial call, healthy</span>"), legend);
    assertTrue(legend.contains("<span class=\"trial-legend\" data-verdict=\"unhealthy\" style=\"color:"
        + FeatureBands.UNHEALTHY_TRIAL_COLOUR + "\">"), legend);
  }

  @Test
  void theSummaryCountsTrialsNextToShedsThrottlesAndRefusals() {
    RunResult off = run(false, List.of(new Decision(1_200, "search", null, FeatureState.SHED, "LEVEL", true)),
        List.of());
    RunResult on = shedAndProbed();
    String summary = Summary.comparison(off, on);
    assertLine(summary, "sheds / throttles \\(decisions\\) +would: 1 / 0 +1 / 0");
    assertLine(summary, "calls the reserve refused +0 +0");
    assertLine(summary, "trial calls +none +5: 2 healthy, 3 unhealthy");
    String html = HtmlReport.html(List.<RunResult[]>of(new RunResult[] {off, on}), ScenarioRun.Settings.demo());
    assertTrue(html.contains("5: 2 healthy, 3 unhealthy"), "the report's table has the count");
    assertEquals(4, count(html, "class=\"trial-mark\""), "the report's chart has the ticks of limp on");
  }

  private static void assertLine(String text, String regex) {
    assertTrue(java.util.regex.Pattern.compile("(?m)^  " + regex + "$").matcher(text).find(),
        "a line matching " + regex + " in\n" + text);
  }

  private static int count(String text, String part) {
    int n = 0;
    for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
      n++;
    }
    return n;
  }
}
