package dev.limp.benchmarks.survival;

import dev.limp.examples.chat.ChatProtection;
import dev.limp.examples.chat.CommandLine;
import dev.limp.examples.chat.Incident;
import dev.limp.examples.chat.LimpProtection;
import dev.limp.examples.chat.RunResult;
import dev.limp.examples.chat.ScenarioRun;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The incident-survival harness: each incident of the design brief, replayed on the example chat service
 * (its schema, its traffic, its load driver) against H2 in memory and the local PostgreSQL, under these
 * protections: none, resilience4j breakers per feature, Sentinel degrade rules per feature, and limp with its
 * defaults; the peers twice, with breakers on every feature and on the secondary features only. Writes a
 * Markdown table and a CSV.
 *
 * <pre>
 * mvn -q -pl benchmarks -am package -DskipTests
 * java -cp benchmarks/target/benchmarks.jar dev.limp.benchmarks.survival.IncidentSurvival
 * </pre>
 *
 * <p>Options: {@code --db=h2,postgresql} · {@code --incident=all} (or names, among them {@code outage} and
 * {@code startup}) · {@code --protection=all} (or
 * {@code none,resilience4j,resilience4j-secondary,sentinel,sentinel-secondary,limp}) · {@code --before=10 --during=30 --after=120} seconds (after: at
 * most; a run ends once every feature has been back for {@code --settle=10} s) · {@code --pg-url=
 * jdbc:postgresql://127.0.0.1:5432/} · {@code --pg-user=postgres} · {@code --out=benchmarks/target/survival} ·
 * {@code --narrate=true} (print every decision of every run as it happens) · {@code --outage=10} (seconds the
 * outage lasts: it replaces {@code --during} for that incident) · {@code --startup-window=10 --startup-run=20}
 * (seconds: the start-up scenario's "incident", from the first request, and the whole run) ·
 * {@code --connect-delay=500} (ms each new connection takes to open in the start-up scenario; default 500 on
 * H2, 0 on PostgreSQL, whose connections take what they take).
 * On PostgreSQL the harness creates a scratch database and drops it at the end.
 */
public final class IncidentSurvival {
  /** The longest a phase may be given, in seconds. */
  private static final double MAX_SECONDS = 3_600;
  private IncidentSurvival() {
  }

  public static void main(String[] args) throws Exception {
    CommandLine options = new CommandLine(args, null);
    Path out = Paths.get(options.option("out", defaultOut()));
    Files.createDirectories(out);
    System.setProperty("csp.sentinel.log.dir", out.resolve("sentinel-logs").toAbsolutePath().toString());
    List<String> databases = List.of(options.option("db", "h2,postgresql").split(","));
    List<String> incidents = scenarios(options.option("incident", "all"));
    Map<String, ChatProtection> protections = protections(options.option("protection", "all"));
    ScenarioRun.Settings settings = ScenarioRun.Settings.demo()
        .withPhases(options.seconds("before", 10, MAX_SECONDS), options.seconds("during", 30, MAX_SECONDS),
            options.seconds("after", 120, MAX_SECONDS))
        .withEarlyEnd(options.seconds("settle", 10, MAX_SECONDS));
    String pgUrl = options.option("pg-url", "jdbc:postgresql://127.0.0.1:5432/");
    String pgUser = options.option("pg-user", "postgres");
    String pgPassword = options.option("pg-password", "");
    boolean narrate = Boolean.parseBoolean(options.option("narrate", "false"));
    Duration outage = options.seconds("outage", 10, MAX_SECONDS);
    Duration startupWindow = options.seconds("startup-window", 10, MAX_SECONDS);
    Duration startupRun = options.seconds("startup-run", 20, MAX_SECONDS);
    String connectDelay = options.option("connect-delay", null);

    PrintStream console = System.out;
    String started = ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    console.printf(Locale.ROOT, "incident survival: %s × %s × %s, phases %s/%s/≤%s (settle %s)%n", databases,
        incidents, protections.keySet(), settings.before(), settings.during(), settings.after(), settings.settle());
    List<SurvivalMetrics> results = new ArrayList<>();
    for (String db : databases) {
      String database = db.trim().toLowerCase(Locale.ROOT);
      if (database.equals("h2")) {
        Scenarios h2 = new Scenarios(settings, outage, startupWindow, startupRun, connectDelay == null
            ? StartupScenario.DEFAULT_H2_CONNECT_DELAY_MILLIS : Long.parseLong(connectDelay));
        runAll("h2", h2, incidents, protections, results, console, narrate);
      } else if (database.equals("postgresql")) {
        String scratch = "limp_survival_" + ProcessHandle.current().pid();
        createDatabase(pgUrl, pgUser, pgPassword, scratch);
        try {
          Scenarios pg = new Scenarios(settings.withJdbc(pgUrl + scratch, pgUser, pgPassword), outage,
              startupWindow, startupRun, connectDelay == null ? 0 : Long.parseLong(connectDelay));
          runAll("postgresql", pg, incidents, protections, results, console, narrate);
        } finally {
          dropDatabase(pgUrl, pgUser, pgPassword, scratch);
        }
      } else {
        throw new IllegalArgumentException("db must be h2 or postgresql, but was '" + db + "'");
      }
    }
    String header = "Run " + started + " on " + Runtime.getRuntime().availableProcessors() + " cores, JDK "
        + System.getProperty("java.vm.version") + " (" + System.getProperty("java.vm.name") + "), "
        + System.getProperty("os.name") + " " + System.getProperty("os.arch") + ". Phases: "
        + settings.before().toSeconds() + " s healthy, " + settings.during().toSeconds() + " s incident, then until "
        + "every feature has been back for " + settings.settle().toSeconds() + " s (at most "
        + settings.after().toSeconds() + " s); " + (int) settings.requestsPerSecond() + " requests/s, "
        + "client timeout " + ScenarioRun.CLIENT_TIMEOUT_MILLIS + " ms. The outage lasts " + outage.toSeconds()
        + " s; the start-up scenario runs " + startupRun.toSeconds() + " s from the first request, its first "
        + startupWindow.toSeconds() + " s counted as its \"incident\" (new connections take "
        + (connectDelay == null ? StartupScenario.DEFAULT_H2_CONNECT_DELAY_MILLIS + " ms more to open on H2"
            : connectDelay + " ms more to open") + ").";
    String markdown = SurvivalReport.markdown(header, results);
    Files.writeString(out.resolve("survival.md"), markdown, StandardCharsets.UTF_8);
    Files.writeString(out.resolve("survival.csv"), SurvivalReport.csv(results), StandardCharsets.UTF_8);
    console.println();
    console.print(markdown);
    console.println("written: " + out.resolve("survival.md").toAbsolutePath() + " and survival.csv");
  }

  /** How each scenario is run on one database. */
  record Scenarios(ScenarioRun.Settings settings, Duration outage, Duration startupWindow, Duration startupRun,
      long connectDelayMillis) {
    /** One run of a scenario under a protection; the start-up scenario's pool-full time goes to {@code poolFull}. */
    RunResult run(String scenario, ChatProtection protection, PrintStream narrator, long[] poolFull)
        throws SQLException, InterruptedException {
      if (scenario.equals(SurvivalMetrics.STARTUP)) {
        StartupScenario startup = new StartupScenario(protection, settings, startupWindow, startupRun,
            connectDelayMillis, narrator);
        RunResult run = startup.run();
        poolFull[0] = startup.poolFullMillis();
        return run;
      }
      Incident incident = Incident.parse(scenario);
      ScenarioRun.Settings s = incident == Incident.OUTAGE
          ? settings.withPhases(settings.before(), outage, settings.after()) : settings;
      return new ScenarioRun(incident, protection, s, line -> { }, narrator).run();
    }
  }

  private static void runAll(String database, Scenarios scenarios, List<String> incidents,
      Map<String, ChatProtection> protections, List<SurvivalMetrics> results, PrintStream console,
      boolean narrate) throws SQLException, InterruptedException {
    for (String incident : incidents) {
      for (ChatProtection protection : protections.values()) {
        long began = System.nanoTime();
        if (narrate) {
          console.printf(Locale.ROOT, "--- %s · %s · %s%n", database, incident, protection.label());
        }
        long[] poolFull = {-1};
        RunResult run = scenarios.run(incident, protection, narrate ? console : null, poolFull);
        SurvivalMetrics m = SurvivalMetrics.of(database, incident, run);
        results.add(m);
        console.printf(Locale.ROOT, "%-10s %-16s %-16s critical %s p99 %s (healthy %s) first action %s "
                + "recovery %s changes %d flaps %d sheddable served %s  [%.0f s]%n", database, incident,
            protection.label(), SurvivalReport.percent(m.criticalSuccess()), SurvivalReport.millis(m.incidentP99()),
            SurvivalReport.millis(m.healthyP99()), SurvivalReport.seconds(m.firstActionMillis(), "none"),
            SurvivalReport.seconds(m.recoveryMillis(), "not in run"), m.stateChanges(), m.flaps(),
            SurvivalReport.percent(m.sheddableServedShare()), (System.nanoTime() - began) / 1e9);
        console.printf(Locale.ROOT, "%-10s %-16s %-16s   critical after %s, features back %s, re-sheds %s, "
                + "sheds %d, throttles %d%s%s%n", "", "", "", SurvivalReport.percent(m.criticalSuccessAfter()),
            SurvivalReport.seconds(m.featuresBackMillis(), "not in run"), SurvivalReport.resheds(m), m.sheds(),
            m.throttles(), incident.equals(SurvivalMetrics.OUTAGE)
                ? ", first critical success " + SurvivalReport.afterOutage(m) : "",
            poolFull[0] >= 0 ? String.format(Locale.ROOT, ", pool full at %.1f s", poolFull[0] / 1000.0) : "");
      }
    }
  }

  /** The scenarios of a comma-separated list: incidents by name, and {@code startup}; {@code all}: every one. */
  static List<String> scenarios(String names) {
    List<String> chosen = new ArrayList<>();
    if (names.trim().equalsIgnoreCase("all")) {
      for (Incident i : Incident.values()) {
        chosen.add(i.id());
      }
      chosen.add(SurvivalMetrics.STARTUP);
      return chosen;
    }
    for (String name : names.split(",")) {
      String n = name.trim().toLowerCase(Locale.ROOT);
      if (n.equals(SurvivalMetrics.STARTUP) || n.equals("start-up")) {
        chosen.add(SurvivalMetrics.STARTUP);
        continue;
      }
      try {
        chosen.add(Incident.parse(n).id());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(e.getMessage() + "; or " + SurvivalMetrics.STARTUP, e);
      }
    }
    return chosen;
  }

  /** The protections, by option name, in the table's order. */
  static Map<String, ChatProtection> protections(String names) {
    Map<String, ChatProtection> all = new LinkedHashMap<>();
    all.put("none", new NoProtection());
    all.put("resilience4j", new Resilience4jProtection(true));
    all.put("resilience4j-secondary", new Resilience4jProtection(false));
    all.put("sentinel", new SentinelProtection(true));
    all.put("sentinel-secondary", new SentinelProtection(false));
    all.put("limp", LimpProtection.defaults());
    if (names.equalsIgnoreCase("all")) {
      return all;
    }
    Map<String, ChatProtection> chosen = new LinkedHashMap<>();
    for (String name : names.split(",")) {
      ChatProtection p = all.get(name.trim().toLowerCase(Locale.ROOT));
      if (p == null) {
        throw new IllegalArgumentException("protection must be one of " + all.keySet() + " (or all), but was '"
            + name + "'");
      }
      chosen.put(name.trim().toLowerCase(Locale.ROOT), p);
    }
    return chosen;
  }

  private static void createDatabase(String url, String user, String password, String name) throws SQLException {
    try (Connection c = DriverManager.getConnection(url + "postgres", user, password);
        Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS " + name);
      s.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new SQLException("PostgreSQL is needed for --db=postgresql at " + url + " as " + user
          + " (start it, or pass --db=h2): " + e.getMessage(), e);
    }
  }

  private static void dropDatabase(String url, String user, String password, String name) throws SQLException {
    try (Connection c = DriverManager.getConnection(url + "postgres", user, password);
        Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }
  }

  private static String defaultOut() {
    Path module = Paths.get("benchmarks");
    return (Files.isDirectory(module) ? module.resolve("target") : Paths.get("target")).resolve("survival")
        .toString();
  }
}
