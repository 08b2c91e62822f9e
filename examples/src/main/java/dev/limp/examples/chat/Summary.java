package dev.limp.examples.chat;

import dev.limp.examples.chat.RunResult.Decision;
import dev.limp.examples.chat.RunResult.PhaseStats;
import java.util.Locale;

/** The side-by-side text summary of an incident's two runs. */
final class Summary {
  private Summary() {
  }

  /** The comparison, then limp on's decisions: what the console prints for an incident. */
  static String table(RunResult off, RunResult on) {
    return comparison(off, on) + decisions(on);
  }

  /** The incident's two runs side by side, one measure a line. */
  static String comparison(RunResult off, RunResult on) {
    StringBuilder b = new StringBuilder();
    Incident incident = on.incident;
    b.append(String.format(Locale.ROOT, "%n=== %s: %s%n", incident.id(), incident.description()));
    row(b, "", off.mode(), on.mode());
    row(b, "critical success  before", pct(off.before()), pct(on.before()));
    row(b, "                  during", pct(off.during()), pct(on.during()));
    row(b, "                  after", pct(off.after()), pct(on.after()));
    row(b, "critical p50/p99  before", lat(off.before()), lat(on.before()));
    row(b, "                  during", lat(off.during()), lat(on.during()));
    row(b, "                  after", lat(off.after()), lat(on.after()));
    row(b, "time to first shed", "none" + (off.timeToFirstShed() >= 0
        ? " (would: " + secs(off.timeToFirstShed()) + ")" : ""), secsOr(on.timeToFirstShed(), "none"));
    row(b, "critical ≥99 % ok, p99<250 ms", after(off.timeToCriticalRecovery()), after(on.timeToCriticalRecovery()));
    row(b, "all features restored", "n/a (nothing shed)", on.decisions.stream().anyMatch(RunResult.Decision::isShed)
        ? after(on.timeToFullRestore()) : "n/a (no feature shed by level)");
    for (String feature : new String[] {"notifications", "search", "activity"}) {
      row(b, "served during: " + feature, share(off.servedDuring(feature)), share(on.servedDuring(feature)));
    }
    row(b, "sheds / throttles (decisions)", holds(off), holds(on));
    row(b, "calls the reserve refused", Long.toString(refusals(off)), Long.toString(refusals(on)));
    row(b, "trial calls", trials(off), trials(on));
    row(b, "shed calls during, by cause", off.shedCallsDuring().isEmpty() ? "none" : off.shedCallsDuring().toString(),
        on.shedCallsDuring().isEmpty() ? "none" : on.shedCallsDuring().toString());
    return b.toString();
  }

  /** How often limp held a feature back by a decision: "2 / 1" sheds and throttles (in shadow mode: would have). */
  static String holds(RunResult r) {
    long sheds = 0;
    long throttles = 0;
    for (Decision d : r.decisions) {
      if (d.feature() != null && d.state() == dev.limp.FeatureState.SHED) {
        sheds++;
      } else if (d.feature() != null && d.state() == dev.limp.FeatureState.THROTTLED) {
        throttles++;
      }
    }
    return (r.limpOn ? "" : "would: ") + sheds + " / " + throttles;
  }

  /** How many calls the connection reserve refused in the whole run. */
  static long refusals(RunResult r) {
    long n = 0;
    for (RunResult.Sample s : r.samples) {
      n += "RESERVE".equals(s.shedCause()) ? 1 : 0;
    }
    return n;
  }

  /** limp's trial calls in the whole run by verdict, "6: 4 healthy, 2 unhealthy", or "none". */
  static String trials(RunResult r) {
    long[] n = r.trialCounts();
    return n[0] + n[1] == 0 ? "none" : (n[0] + n[1]) + ": " + n[0] + " healthy, " + n[1] + " unhealthy";
  }

  /** limp on's decisions, one a line, and a word when there was none. */
  static String decisions(RunResult on) {
    StringBuilder b = new StringBuilder();
    b.append("  limp on, decisions (s after the run started; incident ")
        .append(secs(on.incidentStartMillis)).append(" – ").append(secs(on.incidentEndMillis)).append("):\n");
    if (on.decisions.isEmpty()) {
      b.append("    ").append(noDecision(on)).append('\n');
    }
    for (Decision d : on.decisions) {
      if (d.feature() != null) {
        b.append(String.format(Locale.ROOT, "    %6.1f s  %-13s %-8s %s%n", d.atMillis() / 1000.0, d.feature(),
            d.state(), d.reason()));
      } else {
        b.append(String.format(Locale.ROOT, "    %6.1f s  level → %s: %s%n", d.atMillis() / 1000.0, d.level(),
            d.reason()));
      }
    }
    return b.toString();
  }

  /** What to say when limp on made no decision at all. */
  static String noDecision(RunResult on) {
    long refused = on.shedCallsDuring().getOrDefault("RESERVE", 0L);
    return refused > 0 ? "none: the level stayed NORMAL; the reserve alone kept chat's connections (it refused "
        + count(refused, "call") + " of other features)" : "none: the level stayed NORMAL";
  }

  /** "1 call", "3 calls". */
  static String count(long n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }

  private static void row(StringBuilder b, String label, String off, String on) {
    b.append(String.format(Locale.ROOT, "  %-30s %-26s %s%n", label, off, on));
  }

  static String pct(PhaseStats s) {
    return Double.isNaN(s.successRate()) ? "–"
        : String.format(Locale.ROOT, "%5.1f %% of %d", 100 * s.successRate(), s.requests());
  }

  static String lat(PhaseStats s) {
    return Double.isNaN(s.p50()) ? "–" : ms(s.p50()) + " / " + ms(s.p99()) + " ms";
  }

  /** Whole milliseconds, or tenths below 10 ms (a healthy H2 request takes well under one). */
  static String ms(double millis) {
    return String.format(Locale.ROOT, millis < 10 ? "%.1f" : "%.0f", millis);
  }

  static String share(double fraction) {
    return Double.isNaN(fraction) ? "–" : String.format(Locale.ROOT, "%.0f %%", 100 * fraction);
  }

  static String secs(long millis) {
    return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
  }

  static String secsOr(long millis, String none) {
    return millis < 0 ? none : secs(millis);
  }

  static String after(long millis) {
    return millis < 0 ? "not within the run" : secs(millis) + " after the incident";
  }
}
