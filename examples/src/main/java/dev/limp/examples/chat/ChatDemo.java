package dev.limp.examples.chat;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * The one-command demo: a chat service survives replayed database incidents. For each incident it runs the
 * same scenario twice, limp off (shadow mode) and limp on, prints a side-by-side summary and writes an HTML
 * report with the timelines. {@code mvn -q -pl examples -am compile exec:java}.
 *
 * <p>Options, as program arguments ({@code -Dexec.args="--incident=lock-wait"}) or system properties
 * ({@code -Dlimp.demo.incident=lock-wait}):
 * <ul>
 *   <li>{@code incident}: {@code all} (default), {@code table-scan}, {@code pool-exhaustion},
 *       {@code lock-wait} or {@code slow-database}
 *   <li>{@code jdbc-url}, {@code user}, {@code password}: run against that database instead of H2 in memory,
 *       for instance {@code jdbc:postgresql://localhost:5432/chat} (the demo's tables are dropped and created)
 *   <li>{@code before}, {@code during}, {@code after}: the phases, in seconds (default 2, 4, 5)
 *   <li>{@code report}: where the HTML report goes (default {@code examples/target/limp-demo-report.html} on
 *       H2, {@code limp-demo-report-postgresql.html} on PostgreSQL: a run on one database keeps the other's)
 * </ul>
 */
public final class ChatDemo {
  private ChatDemo() {
  }

  public static void main(String[] args) throws Exception {
    CommandLine options = new CommandLine(args, "limp.demo.");
    List<Incident> chosen = Incident.parseList(options.option("incident", "all"));
    ScenarioRun.Settings settings = ScenarioRun.Settings.demo()
        .withJdbc(options.option("jdbc-url", null), options.option("user", null), options.option("password", null))
        .withPhases(options.seconds("before", 2, 600), options.seconds("during", 4, 600),
            options.seconds("after", 5, 600));
    Path report = Paths.get(options.option("report", defaultReport(settings.jdbcUrl())));
    PrintStream out = System.out;
    out.println("limp demo: a chat service (reads, posts, notifications, search, activity) on "
        + (settings.jdbcUrl() == null ? "H2 in memory" : settings.jdbcUrl()) + ", HikariCP pool of "
        + ChatDatabase.POOL_SIZE + ", " + (int) settings.requestsPerSecond() + " requests/s");
    out.println("policy: DatabaseSignals.defaultPolicy() with minDwell "
        + LimpProtection.DEMO_MIN_DWELL.toMillis() + " ms and rampPeriod " + LimpProtection.DEMO_RAMP_PERIOD.toMillis()
        + " ms (defaults 15 s / 30 s, shortened so a run fits in seconds), signal window "
        + LimpProtection.DEMO_WINDOW.toSeconds() + " s, canary every 250 ms");
    out.println("each incident runs twice: limp off (shadow mode: limp decides and reports, sheds nothing; no "
        + "reserve) and limp on (2 of 10 connections reserved for chat)");
    warmUp(chosen.get(0), settings, out);
    List<RunResult[]> results = run(chosen, settings, out);
    for (RunResult[] pair : results) {
      out.print(Summary.table(pair[0], pair[1]));
    }
    Path written = HtmlReport.write(results, settings, report);
    out.println();
    out.println("report: " + written.toAbsolutePath().toUri());
  }

  /** Runs each incident off, then on. */
  static List<RunResult[]> run(List<Incident> incidents, ScenarioRun.Settings settings, PrintStream out)
      throws SQLException, InterruptedException {
    boolean console = System.console() != null;
    List<RunResult[]> results = new ArrayList<>();
    for (Incident incident : incidents) {
      RunResult[] pair = new RunResult[2];
      for (int i = 0; i < 2; i++) {
        boolean on = i == 1;
        out.printf(Locale.ROOT, "%n--- %s, %s (%.0f s)%n", incident.id(), on ? "limp on" : "limp off (shadow mode)",
            settings.total().toMillis() / 1000.0);
        Consumer<String> status = statusPrinter(out, console);
        long started = System.nanoTime();
        pair[i] = new ScenarioRun(incident, on, settings, status, out).run();
        long took = (System.nanoTime() - started) / 1_000_000;
        if (console) {
          out.print("\r\033[K");
        }
        out.println("    critical success during the incident: " + Summary.pct(pair[i].during()) + ", p50/p99 "
            + Summary.lat(pair[i].during()) + " (this run took " + Summary.secs(took) + ")");
      }
      results.add(pair);
    }
    return results;
  }

  /**
   * One short, unrecorded run of each kind before the first measured one, so that the JIT, the pool and the
   * database's caches are warm for both runs: otherwise limp off, which runs first, pays for all of it.
   */
  static void warmUp(Incident incident, ScenarioRun.Settings settings, PrintStream out)
      throws SQLException, InterruptedException {
    ScenarioRun.Settings brief = settings.withPhases(Duration.ofSeconds(1), Duration.ofSeconds(1),
        Duration.ofSeconds(1));
    out.printf(Locale.ROOT, "%nwarming up: a %.0f s run of %s with limp off and one with limp on, not "
        + "recorded%n", brief.total().toMillis() / 1000.0, incident.id());
    long started = System.nanoTime();
    for (boolean on : new boolean[] {false, true}) {
      new ScenarioRun(incident, on, brief, line -> { }, null).run();
    }
    out.println("    warm (" + Summary.secs((System.nanoTime() - started) / 1_000_000) + ")");
  }

  private static Consumer<String> statusPrinter(PrintStream out, boolean console) {
    if (console) {
      return line -> {
        out.print("\r\033[K" + line);
        out.flush();
      };
    }
    long[] next = {0};
    return line -> {
      long now = System.nanoTime();
      if (now >= next[0]) { // not a terminal: a line every two seconds instead of a live one
        next[0] = now + Duration.ofSeconds(2).toNanos();
        out.println("  " + line);
      }
    };
  }

  /** {@code limp-demo-report.html} on H2 in memory, {@code limp-demo-report-<database>.html} on a server. */
  static String defaultReport(String jdbcUrl) {
    Path module = Paths.get("examples");
    return (Files.isDirectory(module) ? module.resolve("target") : Paths.get("target"))
        .resolve(reportName(jdbcUrl)).toString();
  }

  static String reportName(String jdbcUrl) {
    if (jdbcUrl == null) {
      return "limp-demo-report.html";
    }
    String[] parts = jdbcUrl.split(":");
    String kind = parts.length > 1 && parts[0].equalsIgnoreCase("jdbc") ? parts[1] : "database";
    return "limp-demo-report-" + kind.replaceAll("[^A-Za-z0-9]+", "-").toLowerCase(Locale.ROOT) + ".html";
  }
}
