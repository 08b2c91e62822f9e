package dev.limp.examples.chat;

import dev.limp.Level;
import dev.limp.examples.chat.RunResult.Decision;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleUnaryOperator;

/**
 * The demo's report: one self-contained HTML file (no network, no script library) with, per incident, a
 * timeline drawn as SVG on the server: critical latency (p99) and error rate with and without limp, the
 * limp level over time, markers for the incident and for each shed and restore, and per feature with limp
 * on its states, the calls the reserve refused and its trial calls ({@link FeatureBands}).
 */
final class HtmlReport {
  static final String OFF_COLOUR = "#d62728";
  static final String ON_COLOUR = "#1f77b4";
  private static final int WIDTH = 1200;
  private static final int LEFT = 80;
  private static final int RIGHT = 1170;
  private static final double MAX_LATENCY = 5_000;

  private HtmlReport() {
  }

  static Path write(List<RunResult[]> results, ScenarioRun.Settings settings, Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.writeString(file, html(results, settings), StandardCharsets.UTF_8);
    return file;
  }

  static String html(List<RunResult[]> results, ScenarioRun.Settings settings) {
    StringBuilder h = new StringBuilder();
    h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>limp demo report</title>\n")
        .append("<script>window.onerror = function (message, source, line) {\n")
        .append("  var e = document.getElementById('js-errors');\n")
        .append("  if (e) { e.textContent += message + ' (line ' + line + ')\\n'; e.hidden = false; }\n")
        .append("};</script>\n<style>\n")
        .append("body { font: 14px/1.4 system-ui, sans-serif; margin: 24px; color: #222; }\n")
        .append("h1 { font-size: 22px; } h2 { font-size: 18px; margin-top: 32px; }\n")
        .append("pre { background: #f6f6f6; padding: 8px; font-size: 12px; white-space: pre-wrap; ")
        .append("overflow-wrap: anywhere; max-width: 1184px; }\n")
        .append("table.decisions { border-collapse: collapse; font-size: 12px; max-width: 1200px; }\n")
        .append("table.decisions caption { text-align: left; font-weight: bold; padding: 4px 0; }\n")
        .append("table.decisions td, table.decisions th { text-align: left; vertical-align: top; ")
        .append("padding: 2px 10px 2px 0; border-bottom: 1px solid #eee; overflow-wrap: anywhere; }\n")
        .append("table.decisions td.at, table.decisions td.what { white-space: nowrap; }\n")
        .append("table.decisions td.at { text-align: right; }\n")
        .append(".state-swatch i { display: inline-block; width: 14px; height: 10px; margin-right: 3px; ")
        .append("border: 1px solid #999; }\n")
        .append("svg.chart { border: 1px solid #ddd; background: #fff; }\n")
        .append("svg text { font: 11px system-ui, sans-serif; fill: #333; }\n")
        .append(".legend span { display: inline-block; margin-right: 18px; }\n")
        .append("#js-errors { color: #b00; white-space: pre; }\n</style></head>\n<body>\n")
        .append("<h1>limp: a chat service through replayed database incidents</h1>\n")
        .append("<p>Generated ").append(esc(ZonedDateTime.now().format(DateTimeFormatter.RFC_1123_DATE_TIME)))
        .append(". Database: ").append(esc(settings.jdbcUrl() == null ? "H2 in memory" : settings.jdbcUrl()))
        .append(", HikariCP pool of ").append(ChatDatabase.POOL_SIZE).append(", ")
        .append((int) settings.requestsPerSecond()).append(" requests/s. Each incident ran twice: <b style=\"color:")
        .append(OFF_COLOUR).append("\">limp off</b> (shadow mode: limp decides and reports, sheds nothing) and <b ")
        .append("style=\"color:").append(ON_COLOUR).append("\">limp on</b>. Policy: DatabaseSignals.defaultPolicy() ")
        .append("with minDwell ").append(LimpProtection.DEMO_MIN_DWELL.toMillis()).append(" ms and rampPeriod ")
        .append(LimpProtection.DEMO_RAMP_PERIOD.toMillis()).append(" ms (shortened for the demo).</p>\n")
        .append("<div id=\"js-errors\" hidden></div>\n");
    for (RunResult[] pair : results) {
      RunResult off = pair[0];
      RunResult on = pair[1];
      h.append("<section class=\"incident\" id=\"").append(on.incident.id()).append("\">\n<h2>")
          .append(esc(on.incident.id())).append("</h2>\n<p>").append(esc(on.incident.description())).append("</p>\n")
          .append("<p class=\"legend\"><span style=\"color:").append(OFF_COLOUR).append("\">━ limp off</span>")
          .append("<span style=\"color:").append(ON_COLOUR).append("\">━ limp on</span>")
          .append("<span>┅ level limp off would have had (shadow)</span>")
          .append("</p>\n").append(FeatureBands.legend())
          .append(chart(off, on))
          .append("<pre>").append(esc(Summary.comparison(off, on).strip())).append("</pre>\n")
          .append(decisions(on)).append("</section>\n");
    }
    // what a browser test reads back: how many charts rendered, and how many text blocks would need a scrollbar
    h.append("<script>document.body.setAttribute('data-charts', ")
        .append("String(document.querySelectorAll('svg.chart').length));\n")
        .append("document.body.setAttribute('data-cut-off', String(Array.prototype.filter.call(")
        .append("document.querySelectorAll('pre, table.decisions td'), ")
        .append("function (e) { return e.scrollWidth > e.clientWidth + 1; }).length));</script>\n")
        .append("</body></html>\n");
    return h.toString();
  }

  static String chart(RunResult off, RunResult on) {
    long end = Math.max(off.endMillis, on.endMillis);
    DoubleUnaryOperator x = t -> LEFT + (RIGHT - LEFT) * t / end;
    int latTop = 30;
    int latBottom = 210;
    int errTop = 250;
    int errBottom = 350;
    int lvlTop = 390;
    int lvlBottom = 470;
    int bandsTop = 510;
    int height = bandsTop + FeatureBands.height(on) + 24;
    DoubleUnaryOperator latY = ms -> {
      double v = Math.max(1, Math.min(MAX_LATENCY, ms));
      return latBottom - (latBottom - latTop) * Math.log10(v) / Math.log10(MAX_LATENCY);
    };
    DoubleUnaryOperator errY = r -> errBottom - (errBottom - errTop) * r;
    DoubleUnaryOperator lvlY = l -> lvlBottom - (lvlBottom - lvlTop) * l / 3.0;
    StringBuilder s = new StringBuilder();
    s.append(String.format(Locale.ROOT, "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
        + "height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"timeline of %s\">%n", WIDTH, height,
        WIDTH, height, esc(on.incident.id())));
    // the incident
    double x0 = x.applyAsDouble(on.incidentStartMillis);
    double x1 = x.applyAsDouble(on.incidentEndMillis);
    s.append(String.format(Locale.ROOT, "<rect class=\"incident-band\" x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" "
        + "fill=\"#fbe3e3\"/>%n", x0, latTop - 10, x1 - x0, height - latTop));
    s.append(marker("incident-start", x0, latTop - 10, height - 4, "#c00", "incident starts"));
    s.append(marker("incident-end", x1, latTop - 10, height - 4, "#c00", "incident lifted"));
    // axes and grid
    for (double ms : new double[] {1, 10, 100, 1_000, 5_000}) {
      grid(s, latY.applyAsDouble(ms), (ms >= 1_000 ? (long) (ms / 1_000) + " s" : (long) ms + " ms"));
    }
    s.append(title(latTop - 14, "critical latency, p99 per 0.5 s (log scale)"));
    for (double r : new double[] {0, 0.5, 1}) {
      grid(s, errY.applyAsDouble(r), (int) (r * 100) + " %");
    }
    s.append(title(errTop - 14, "critical error rate (failed or > 2 s)"));
    for (Level l : Level.values()) {
      grid(s, lvlY.applyAsDouble(l.ordinal()), shortName(l));
    }
    s.append(title(lvlTop - 14, "limp level"));
    for (long t = 0; t <= end; t += 1_000) {
      double xt = x.applyAsDouble(t);
      s.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#999\"/>"
          + "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%d s</text>%n", xt, lvlBottom, xt, lvlBottom + 4,
          xt, lvlBottom + 16, t / 1_000));
    }
    // the series
    for (RunResult r : new RunResult[] {off, on}) {
      String colour = r.limpOn ? ON_COLOUR : OFF_COLOUR;
      String run = r.limpOn ? "on" : "off";
      double[][] timeline = r.criticalTimeline();
      List<double[]> latency = new ArrayList<>();
      List<double[]> errors = new ArrayList<>();
      for (int b = 0; b < timeline.length; b++) {
        double t = (b + 0.5) * RunResult.BUCKET_MILLIS;
        latency.add(new double[] {x.applyAsDouble(t), Double.isNaN(timeline[b][0]) ? Double.NaN
            : latY.applyAsDouble(timeline[b][0])});
        errors.add(new double[] {x.applyAsDouble(t), Double.isNaN(timeline[b][1]) ? Double.NaN
            : errY.applyAsDouble(timeline[b][1])});
      }
      s.append(polylines("latency-" + run, latency, colour, ""));
      s.append(polylines("errors-" + run, errors, colour, ""));
      List<double[]> levels = new ArrayList<>();
      for (int b = 0; b < r.levels.length; b++) {
        double y = lvlY.applyAsDouble(r.levels[b].ordinal()) + (r.limpOn ? 0 : 2);
        levels.add(new double[] {x.applyAsDouble(b * RunResult.BUCKET_MILLIS), y});
        levels.add(new double[] {x.applyAsDouble(Math.min(end, (b + 1) * RunResult.BUCKET_MILLIS)), y});
      }
      s.append(polylines("level-" + run, levels, colour, r.limpOn ? "" : " stroke-dasharray=\"5 4\""));
    }
    // what limp on did to each feature: states, sheds, restores, and the calls its reserve refused
    s.append(title(bandsTop - 8, "features with limp on: state, sheds, restores, reserve refusals, trial calls"));
    s.append(FeatureBands.svg(on, x, LEFT, bandsTop));
    s.append("</svg>\n");
    return s.toString();
  }

  /** limp on's decisions as a table whose long reasons wrap instead of hiding behind a scrollbar. */
  static String decisions(RunResult on) {
    StringBuilder h = new StringBuilder();
    String caption = "limp on, decisions (s after the run started; incident " + Summary.secs(on.incidentStartMillis)
        + " – " + Summary.secs(on.incidentEndMillis) + ")";
    if (on.decisions.isEmpty()) {
      return h.append("<p class=\"no-decisions\"><b>").append(esc(caption)).append(":</b> ")
          .append(esc(Summary.noDecision(on))).append("</p>\n").toString();
    }
    h.append("<table class=\"decisions\"><caption>").append(esc(caption)).append("</caption>\n")
        .append("<tr><th>at</th><th>what</th><th>why</th></tr>\n");
    for (Decision d : on.decisions) {
      String what = d.feature() != null ? d.feature() + " → " + d.state() : "level → " + d.level();
      h.append(String.format(Locale.ROOT, "<tr class=\"%s\"><td class=\"at\">%.1f s</td><td class=\"what\">%s</td>"
          + "<td>%s</td></tr>%n",
          d.feature() != null ? "feature" : "level", d.atMillis() / 1000.0, esc(what), esc(d.reason())));
    }
    return h.append("</table>\n").toString();
  }

  private static String shortName(Level l) {
    switch (l) {
      case NORMAL:
        return "normal";
      case SHED_SHEDDABLE:
        return "shed S";
      case SHED_SHEDDABLE_PLUS:
        return "shed S+";
      default:
        return "shed C";
    }
  }

  private static void grid(StringBuilder s, double y, String label) {
    s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#e4e4e4\"/>"
        + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n", LEFT, y, RIGHT, y, LEFT - 6, y + 4, label));
  }

  private static String title(int y, String text) {
    return String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-weight=\"bold\">%s</text>%n", LEFT, y, esc(text));
  }

  private static String marker(String cls, double x, int top, int bottom, String colour, String label) {
    return String.format(Locale.ROOT, "<g class=\"%s\"><line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" "
        + "stroke=\"%s\" stroke-width=\"1.5\"/><text x=\"%.1f\" y=\"%d\" fill=\"%s\">%s</text></g>%n", cls, x, top,
        x, bottom, colour, x + 4, bottom - 2, colour, label);
  }

  /** One polyline per run of points without a gap. */
  private static String polylines(String cls, List<double[]> points, String colour, String extra) {
    StringBuilder s = new StringBuilder();
    StringBuilder current = new StringBuilder();
    int count = 0;
    for (double[] p : points) {
      if (Double.isNaN(p[1])) {
        flush(s, cls, current, count, colour, extra);
        current.setLength(0);
        count = 0;
        continue;
      }
      current.append(String.format(Locale.ROOT, "%.1f,%.1f ", p[0], p[1]));
      count++;
    }
    flush(s, cls, current, count, colour, extra);
    return s.toString();
  }

  private static void flush(StringBuilder s, String cls, StringBuilder points, int count, String colour,
      String extra) {
    if (count == 0) {
      return;
    }
    if (count == 1) {
      String[] xy = points.toString().trim().split(",");
      s.append(String.format(Locale.ROOT, "<circle class=\"%s\" cx=\"%s\" cy=\"%s\" r=\"2\" fill=\"%s\"/>%n", cls,
          xy[0], xy[1], colour));
      return;
    }
    s.append(String.format(Locale.ROOT, "<polyline class=\"series %s\" points=\"%s\" fill=\"none\" stroke=\"%s\" "
        + "stroke-width=\"2\"%s/>%n", cls, points.toString().trim(), colour, extra));
  }

  static String esc(String text) {
    return text == null ? "" : text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
