package dev.limp.examples.chat;

import dev.limp.FeatureState;
import dev.limp.examples.chat.RunResult.Decision;
import dev.limp.examples.chat.RunResult.StateSpan;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;

/**
 * The part of a report's chart that shows what limp did to each feature: one band per feature coloured by
 * its state over time (active, throttled, ramping, shed: whatever {@link FeatureState} holds), a marker at
 * each shed and each restore, the calls the connection reserve refused, bucket by bucket, and a tick where a
 * trial call of a shed feature was judged, coloured by its verdict. Those act without a change of level, so
 * the level line alone does not show them. Stateless.
 */
final class FeatureBands {
  /** A colour per state, by name; a state this table does not know yet is drawn in {@link #OTHER_STATE}. */
  private static final Map<String, String> STATE_COLOURS = Map.of(
      "ACTIVE", "#dcefd9",
      "THROTTLED", "#f6b26b",
      "RAMPING", "#b4a7d6",
      "SHED", "#707070");
  static final String OTHER_STATE = "#c8c8c8";
  static final String REFUSAL_COLOUR = "#e31a1c";
  static final String SHED_COLOUR = "#2ca02c";
  static final String RESTORE_COLOUR = "#9467bd";
  static final String HEALTHY_TRIAL_COLOUR = "#00c853";
  static final String UNHEALTHY_TRIAL_COLOUR = "#c51b7d";
  static final int ROW = 20;
  private static final int BAND = 15;

  private FeatureBands() {
  }

  static String colour(FeatureState state) {
    return STATE_COLOURS.getOrDefault(state.name(), OTHER_STATE);
  }

  /** The height the bands of {@code run} take. */
  static int height(RunResult run) {
    return run.features().size() * ROW;
  }

  /** The HTML legend: a swatch per state {@link FeatureState} has, then the markers. */
  static String legend() {
    StringBuilder s = new StringBuilder("<p class=\"legend bands-legend\">limp on, per feature: ");
    for (FeatureState state : FeatureState.values()) {
      s.append(String.format(Locale.ROOT, "<span class=\"state-swatch\" data-state=\"%s\"><i style=\"background:%s\">"
          + "</i> %s</span>", state.name(), colour(state), state.name().toLowerCase(Locale.ROOT)));
    }
    return s.append("<span style=\"color:").append(REFUSAL_COLOUR).append("\">▮ calls the reserve refused</span>")
        .append("<span style=\"color:").append(SHED_COLOUR).append("\">▼ shed</span>")
        .append("<span>▼ in a state's colour: limited so (throttled)</span>")
        .append("<span style=\"color:").append(RESTORE_COLOUR).append("\">▲ restored (back through the ramp)</span>")
        .append("<span class=\"trial-legend\" data-verdict=\"healthy\" style=\"color:").append(HEALTHY_TRIAL_COLOUR)
        .append("\">┃ trial call, healthy</span>")
        .append("<span class=\"trial-legend\" data-verdict=\"unhealthy\" style=\"color:")
        .append(UNHEALTHY_TRIAL_COLOUR).append("\">┃ trial call, unhealthy (failed or slow)</span>")
        .append("</p>\n").toString();
  }

  /** The bands of {@code run}'s features from {@code top} down, with their labels left of {@code left}. */
  static String svg(RunResult run, DoubleUnaryOperator x, int left, int top) {
    StringBuilder s = new StringBuilder();
    List<String> features = run.features();
    for (int row = 0; row < features.size(); row++) {
      String feature = features.get(row);
      int y = top + row * ROW;
      s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>%n", left - 6,
          y + BAND - 3, HtmlReport.esc(feature)));
      for (StateSpan span : run.stateSpans(feature)) {
        double x0 = x.applyAsDouble(span.fromMillis());
        s.append(String.format(Locale.ROOT, "<rect class=\"state-band\" data-feature=\"%s\" data-state=\"%s\" "
            + "x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"><title>%s %s, %.1f – %.1f s</title>"
            + "</rect>%n", HtmlReport.esc(feature), span.state().name(), x0, y, x.applyAsDouble(span.toMillis()) - x0,
            BAND, colour(span.state()), HtmlReport.esc(feature), span.state().name().toLowerCase(Locale.ROOT),
            span.fromMillis() / 1000.0, span.toMillis() / 1000.0));
      }
      long[] refused = run.reserveRefusals(feature);
      for (int b = 0; b < refused.length; b++) {
        if (refused[b] == 0) {
          continue;
        }
        long from = b * RunResult.BUCKET_MILLIS;
        double x0 = x.applyAsDouble(from);
        double x1 = x.applyAsDouble(Math.min(run.endMillis, from + RunResult.BUCKET_MILLIS));
        int h = (int) Math.min(BAND, 3 + refused[b]);
        s.append(String.format(Locale.ROOT, "<rect class=\"reserve-refusal\" data-feature=\"%s\" data-count=\"%d\" "
            + "x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"><title>%.1f s: the reserve refused %s of "
            + "%s</title></rect>%n", HtmlReport.esc(feature), refused[b], x0, y + BAND - h, Math.max(1, x1 - x0 - 1),
            h, REFUSAL_COLOUR, from / 1000.0, Summary.count(refused[b], "call"), HtmlReport.esc(feature)));
      }
      s.append(trialMarks(run, feature, x, y));
      s.append(markers(run, feature, x, y));
    }
    return s.toString();
  }

  /**
   * A tick in the band where the feature's trial calls were judged: in the upper half for healthy ones, the
   * lower half for unhealthy ones, so that both show when a look saw both. Whole pixels, crisp edges: the
   * colours are drawn as they are.
   */
  private static String trialMarks(RunResult run, String feature, DoubleUnaryOperator x, int y) {
    StringBuilder s = new StringBuilder();
    for (RunResult.Trial t : run.trials(feature)) {
      long xt = Math.round(x.applyAsDouble(t.atMillis()));
      if (t.healthy() > 0) {
        s.append(trialMark(feature, "healthy", t.healthy(), xt, y, HEALTHY_TRIAL_COLOUR, t.atMillis()));
      }
      if (t.unhealthy() > 0) {
        s.append(trialMark(feature, "unhealthy", t.unhealthy(), xt, y + BAND / 2, UNHEALTHY_TRIAL_COLOUR,
            t.atMillis()));
      }
    }
    return s.toString();
  }

  private static String trialMark(String feature, String verdict, long count, long x, int y, String colour,
      long atMillis) {
    return String.format(Locale.ROOT, "<rect class=\"trial-mark\" data-feature=\"%s\" data-verdict=\"%s\" "
        + "data-count=\"%d\" x=\"%d\" y=\"%d\" width=\"2\" height=\"%d\" fill=\"%s\" shape-rendering=\"crispEdges\">"
        + "<title>%.1f s: %s of %s, %s</title></rect>%n", HtmlReport.esc(feature), verdict, count, x, y, BAND / 2 + 1,
        colour, atMillis / 1000.0, Summary.count(count, "trial call"), HtmlReport.esc(feature), verdict);
  }

  /**
   * Whether a state keeps calls out on purpose: shed, throttled, or any state added later. {@code ACTIVE}
   * admits everything and {@code RAMPING} is the way back.
   */
  static boolean limits(FeatureState state) {
    return state != FeatureState.ACTIVE && state != FeatureState.RAMPING;
  }

  /**
   * ▼ where limp limits the feature (shed, or throttled: in that state's colour), ▲ where it restores it
   * (from a limiting state back to the ramp or to active), each with its reason.
   */
  private static String markers(RunResult run, String feature, DoubleUnaryOperator x, int y) {
    StringBuilder s = new StringBuilder();
    FeatureState previous = FeatureState.ACTIVE;
    for (Decision d : run.decisions) {
      if (!feature.equals(d.feature()) || d.state() == null || d.state() == previous
          || d.atMillis() >= run.endMillis) {
        continue;
      }
      boolean limit = limits(d.state());
      boolean restore = !limit && limits(previous);
      previous = d.state();
      if (!limit && !restore) {
        continue;
      }
      boolean shed = d.state() == FeatureState.SHED;
      double xd = x.applyAsDouble(d.atMillis());
      String colour = shed ? SHED_COLOUR : limit ? colour(d.state()) : RESTORE_COLOUR;
      String path = limit ? String.format(Locale.ROOT, "M %.1f %d l -5 -7 l 10 0 z", xd, y + 3)
          : String.format(Locale.ROOT, "M %.1f %d l -5 7 l 10 0 z", xd, y + BAND - 3);
      String state = d.state().name().toLowerCase(Locale.ROOT);
      s.append(String.format(Locale.ROOT, "<path class=\"%s\" data-feature=\"%s\" data-state=\"%s\" d=\"%s\" "
          + "fill=\"%s\" stroke=\"#333\" stroke-width=\"0.5\"><title>%.1f s: %s %s%s</title></path>%n",
          shed ? "shed-marker" : limit ? "limit-marker" : "restore-marker", HtmlReport.esc(feature),
          d.state().name(), path, colour, d.atMillis() / 1000.0, HtmlReport.esc(feature),
          limit ? state : "restored, " + state, d.reason().isEmpty() ? "" : ": " + HtmlReport.esc(d.reason())));
    }
    return s.toString();
  }
}
