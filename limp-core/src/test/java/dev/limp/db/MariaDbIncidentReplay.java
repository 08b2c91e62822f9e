package dev.limp.db;

import static dev.limp.db.PostgresIncidentReplay.ANALYTICS;
import static dev.limp.db.PostgresIncidentReplay.CHAT_POST;
import static dev.limp.db.PostgresIncidentReplay.CHAT_READ;
import static dev.limp.db.PostgresIncidentReplay.NOTIFICATIONS;
import static dev.limp.db.PostgresIncidentReplay.SEARCH;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.limp.FeatureState;
import dev.limp.FeatureStateChangedEvent;
import dev.limp.Level;
import dev.limp.Limp;
import dev.limp.LimpBuilder;
import dev.limp.SignalSnapshot;
import dev.limp.db.PostgresIncidentReplay.EventLog;
import dev.limp.db.PostgresLoadDriver.Phase;
import dev.limp.db.PostgresLoadDriver.Query;
import dev.limp.db.PostgresLoadDriver.Workload;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * One incident replayed in miniature against the MariaDB of a {@link MariaDbFixture}, as
 * {@link PostgresIncidentReplay} does on PostgreSQL and with its features, policy, pool and phases: a HikariCP
 * pool of 10 whose sessions have their own {@code innodb_lock_wait_timeout} and {@code max_statement_time}, a
 * {@link DatabaseMonitor} with the canary and the database view, a {@link Limp} with its real governor thread,
 * the {@link PostgresLoadDriver} and a log of limp's events. The notifications feature's statement can be
 * swapped while the load runs ({@link #notificationsQuery}), as a deploy would.
 */
final class MariaDbIncidentReplay {
  private final MariaDbFixture db;
  private final String name;
  private final String sessionVariables;
  private final List<Workload> workloads;
  final EventLog events = new EventLog();
  private final List<String> trace = new CopyOnWriteArrayList<>();
  private volatile Query notifications = MariaDbIncidentReplay::unseenNotifications;
  private PostgresLoadDriver driver;
  private volatile Instant incidentStart;
  private volatile Instant incidentEnd;
  private volatile Instant restoredAt;
  private volatile double maxLockErrors;
  private volatile double maxTimeoutErrors;
  private volatile String blockerSeen;

  /**
   * @param sessionVariables the pool's sessions' settings, MariaDB Connector/J's {@code sessionVariables}
   *     ({@code "innodb_lock_wait_timeout=2,max_statement_time=6"})
   */
  MariaDbIncidentReplay(MariaDbFixture db, String name, String sessionVariables, int notificationThreads) {
    this.db = db;
    this.name = name;
    this.sessionVariables = sessionVariables;
    this.workloads = List.of(
        new Workload(CHAT_POST, 2, Duration.ofMillis(40), MariaDbIncidentReplay::postMessage),
        new Workload(CHAT_READ, 2, Duration.ofMillis(40), MariaDbIncidentReplay::readRoom),
        new Workload(NOTIFICATIONS, notificationThreads, Duration.ofMillis(80), (c, r) -> notifications.run(c, r)),
        new Workload(SEARCH, 2, Duration.ofMillis(150), MariaDbIncidentReplay::search),
        new Workload(ANALYTICS, 2, Duration.ofMillis(150), MariaDbIncidentReplay::analytics));
  }

  /** From now on the notifications feature runs {@code query} (a deploy of new code). */
  void notificationsQuery(Query query) {
    this.notifications = query;
  }

  // ---------------------------------------------------------------- the features' statements

  static Object postMessage(Connection c, ThreadLocalRandom r) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO messages (room_id, author_id, body) "
        + "SELECT ?, ?, ? FROM DUAL WHERE limp_delay('chat')")) {
      ps.setInt(1, r.nextInt(MariaDbFixture.ROOMS));
      ps.setInt(2, r.nextInt(MariaDbFixture.USERS));
      ps.setString(3, "hello " + r.nextInt(1_000_000));
      return ps.executeUpdate();
    }
  }

  static Object readRoom(Connection c, ThreadLocalRandom r) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT id, body FROM messages WHERE room_id = ? "
        + "AND limp_delay('chat') ORDER BY id DESC LIMIT 20")) {
      ps.setInt(1, r.nextInt(MariaDbFixture.ROOMS));
      return rows(ps);
    }
  }

  /** A user's unseen notifications, in shared mode: it waits for a session that holds their rows. */
  static Object unseenNotifications(Connection c, ThreadLocalRandom r) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM notifications WHERE user_id = ? "
        + "AND NOT seen AND limp_delay('notifications') LOCK IN SHARE MODE")) {
      ps.setInt(1, r.nextInt(MariaDbFixture.USERS));
      return rows(ps);
    }
  }

  static Object search(Connection c, ThreadLocalRandom r) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT id FROM messages WHERE room_id = ? AND body LIKE ? "
        + "AND limp_delay('search') ORDER BY id DESC LIMIT 20")) {
      ps.setInt(1, r.nextInt(MariaDbFixture.ROOMS));
      ps.setString(2, "%topic " + r.nextInt(97) + "%");
      return rows(ps);
    }
  }

  static Object analytics(Connection c, ThreadLocalRandom r) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT room_id, count(*) FROM messages "
        + "WHERE room_id BETWEEN ? AND ? AND limp_delay('analytics') GROUP BY room_id")) {
      int from = r.nextInt(MariaDbFixture.ROOMS - 5);
      ps.setInt(1, from);
      ps.setInt(2, from + 4);
      return rows(ps);
    }
  }

  static List<Object> rows(PreparedStatement ps) throws SQLException {
    List<Object> rows = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        rows.add(rs.getObject(1));
      }
    }
    return rows;
  }

  // ---------------------------------------------------------------- the replay

  /** Healthy for 3 s (and until calm), the incident, then recovered until every shed feature is back. */
  void run(PostgresIncidentReplay.Incident incident) throws Exception {
    db.clearDelays();
    try (HikariDataSource hikari = pool()) {
      LimpBuilder builder = Limp.builder().name("maria-" + name).tickInterval(PostgresIncidentReplay.TICK)
          .policy(PostgresIncidentReplay.POLICY).listener(events);
      PostgresIncidentReplay.features().forEach(builder::feature);
      try (Limp limp = builder.build();
          DatabaseMonitor monitor = DatabaseMonitor.builder(limp)
              .window(PostgresIncidentReplay.WINDOW, 10)
              .canary(CanaryConfig.builder().query("SELECT limp_delay('canary')").interval(Duration.ofMillis(500))
                  .timeout(Duration.ofSeconds(2)).build())
              .databaseView(DatabaseViewConfig.builder().interval(Duration.ofMillis(500))
                  .timeout(Duration.ofMillis(300)).build())
              .build()) {
        MonitoredDataSource dataSource = monitor.wrap(hikari);
        ScheduledExecutorService tracer = Executors.newSingleThreadScheduledExecutor(r -> {
          Thread t = new Thread(r, "maria-trace-" + name);
          t.setDaemon(true);
          return t;
        });
        long t0 = System.nanoTime();
        tracer.scheduleAtFixedRate(() -> trace(limp, monitor, t0), 0, 200, TimeUnit.MILLISECONDS);
        driver = new PostgresLoadDriver(limp, dataSource, workloads, Duration.ofSeconds(90));
        try {
          driver.start();
          driver.hold(PostgresIncidentReplay.HEALTHY);
          events.await("calm before the incident", () -> limp.level() == Level.NORMAL
              && limp.guards().stream().allMatch(g -> g.state() == FeatureState.ACTIVE),
              PostgresIncidentReplay.CALM_DEADLINE);
          incident.play(new PostgresIncidentReplay.Stage() {
            @Override
            public void started() {
              incidentStart = Instant.now();
              driver.phase(Phase.INCIDENT);
              trace.add("---- incident started");
            }

            @Override
            public void hold(Duration duration) throws InterruptedException {
              driver.hold(duration);
            }
          });
          incidentEnd = Instant.now();
          driver.phase(Phase.RECOVERED);
          trace.add("---- incident ended");
          events.await("every shed feature restored", () -> limp.level() == Level.NORMAL
              && (shed().isEmpty() || events.restored(incidentStart)), PostgresIncidentReplay.RESTORE_DEADLINE);
          restoredAt = Instant.now();
        } finally {
          driver.close();
          tracer.shutdownNow();
          db.clearDelays();
        }
      }
    }
  }

  private HikariDataSource pool() {
    HikariConfig config = new HikariConfig();
    config.setPoolName("limp-maria-" + name);
    config.setJdbcUrl(db.jdbcUrl());
    config.setUsername(db.user());
    config.setMaximumPoolSize(PostgresIncidentReplay.POOL_SIZE);
    config.setMinimumIdle(PostgresIncidentReplay.POOL_SIZE);
    config.setConnectionTimeout(PostgresIncidentReplay.CONNECTION_TIMEOUT.toMillis());
    config.addDataSourceProperty("sessionVariables", sessionVariables);
    return new HikariDataSource(config);
  }

  private void trace(Limp limp, DatabaseMonitor monitor, long t0) {
    SignalSnapshot s = limp.signals();
    if (driver != null && driver.phase() == Phase.INCIDENT) {
      maxLockErrors = Math.max(maxLockErrors, orZero(s.get(DatabaseSignals.LOCK_ERRORS)));
      maxTimeoutErrors = Math.max(maxTimeoutErrors, orZero(s.get(DatabaseSignals.TIMEOUT_ERRORS)));
      if (blockerSeen == null && !monitor.blockers().isEmpty()) {
        blockerSeen = monitor.blockers().get(0).toString();
      }
    }
    trace.add(String.format(Locale.ROOT, "%6d ms %-9s %-19s p99=%.0f acq=%.0f lockerr=%.0f timeouterr=%.0f "
            + "lockwait=%.0f suspects=%s states=[%s]", (System.nanoTime() - t0) / 1_000_000,
        driver == null ? "-" : driver.phase(), limp.level(), s.get(DatabaseSignals.QUERY_P99),
        s.get(DatabaseSignals.ACQUIRE_P99), s.get(DatabaseSignals.LOCK_ERRORS), s.get(DatabaseSignals.TIMEOUT_ERRORS),
        s.get(DatabaseSignals.SERVER_LOCK_WAIT), s.suspects().keySet(), limp.guards().stream()
            .filter(g -> g.state() != FeatureState.ACTIVE).map(g -> g.name() + "=" + g.state())
            .collect(Collectors.joining(","))));
  }

  private static double orZero(double v) {
    return Double.isNaN(v) ? 0 : v;
  }

  // ---------------------------------------------------------------- what was recorded

  PostgresLoadDriver driver() {
    return driver;
  }

  /** The most lock errors ({@code db.errors.lock}) in a window during the incident. */
  double maxLockErrors() {
    return maxLockErrors;
  }

  /** The most statement timeouts ({@code db.errors.timeout}) in a window during the incident. */
  double maxTimeoutErrors() {
    return maxTimeoutErrors;
  }

  /** The first blocker the database view named during the incident, as limp logs it; null if none. */
  String blockerSeen() {
    return blockerSeen;
  }

  /** Milliseconds from the incident's start to {@code at}. */
  long sinceIncident(Instant at) {
    return Duration.between(incidentStart, at).toMillis();
  }

  /** The first time the governor held the feature back (throttled or shed) since the incident started. */
  FeatureStateChangedEvent firstHeld(String feature) {
    return events.featureEvents().stream().filter(e -> e.feature().equals(feature)
        && PostgresIncidentReplay.held(e.to()) && !e.at().isBefore(incidentStart)).findFirst().orElse(null);
  }

  /** The features held back since the incident started. */
  Set<String> shed() {
    return events.shedSince(incidentStart);
  }

  /** How long after the incident ended every feature was back (ms). */
  long restoredAfter() {
    return Duration.between(incidentEnd, restoredAt).toMillis();
  }

  /** The events, tallies and trace, for a failure message. */
  String diagnostics() {
    StringBuilder sb = new StringBuilder("--- events\n");
    events.all().forEach(e -> sb.append("  ").append(e).append('\n'));
    sb.append("--- tallies\n").append(driver == null ? "" : driver.report());
    sb.append("--- trace\n");
    trace.forEach(line -> sb.append("  ").append(line).append('\n'));
    return sb.toString();
  }
}
