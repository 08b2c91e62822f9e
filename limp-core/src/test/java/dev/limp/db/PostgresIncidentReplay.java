package dev.limp.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.limp.FeatureConfig;
import dev.limp.FeatureState;
import dev.limp.FeatureStateChangedEvent;
import dev.limp.GovernorPolicy;
import dev.limp.Level;
import dev.limp.LevelChangedEvent;
import dev.limp.Limp;
import dev.limp.LimpBuilder;
import dev.limp.LimpListener;
import dev.limp.ShedCause;
import dev.limp.SignalSnapshot;
import dev.limp.Tier;
import dev.limp.db.PostgresLoadDriver.Phase;
import dev.limp.db.PostgresLoadDriver.Workload;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/**
 * One incident replayed in miniature against the PostgreSQL of a {@link PostgresFixture}: a HikariCP pool
 * of 10, a {@link DatabaseMonitor} on it (real clock, 2 s window, canary), a {@link Limp} with its real
 * governor thread (tick 100 ms, the database default policy with a 2 s dwell and a 3 s ramp), the chat
 * service's five features, a {@link PostgresLoadDriver}, and a log of limp's events.
 *
 * <p>{@link #run} goes through the phases: healthy for {@link #HEALTHY}, the incident (the caller's
 * {@link Incident}), then recovered until every feature that was shed is fully restored (bounded by
 * {@link #RESTORE_DEADLINE}).
 */
final class PostgresIncidentReplay {
  static final Duration HEALTHY = Duration.ofSeconds(3);
  /**
   * Bounds of the waits for limp to calm down: seconds on a quiet machine, but a VM whose CPU is stolen by
   * its neighbours stalls for seconds at a time, and each stall looks to limp like a slow database.
   */
  static final Duration RESTORE_DEADLINE = Duration.ofSeconds(45);
  static final Duration CALM_DEADLINE = Duration.ofSeconds(30);
  static final Duration TICK = Duration.ofMillis(100);
  static final Duration MIN_DWELL = Duration.ofSeconds(2);
  static final Duration RAMP_PERIOD = Duration.ofSeconds(3);
  static final Duration WINDOW = Duration.ofSeconds(2);
  static final int POOL_SIZE = 10;
  /** A realistic connection timeout for a pool of 10 that serves millisecond queries. */
  static final Duration CONNECTION_TIMEOUT = Duration.ofMillis(1500);
  /** Per session: lock waits and runaway statements end instead of holding a connection forever. */
  static final String SESSION_OPTIONS = "-c lock_timeout=1500 -c statement_timeout=6000";

  static final String CHAT_POST = "chat.post";
  static final String CHAT_READ = "chat.read";
  static final String NOTIFICATIONS = "notifications";
  static final String SEARCH = "search";
  static final String ANALYTICS = "analytics";
  static final String[] CRITICAL = {CHAT_POST, CHAT_READ};

  /** The database default rules, faster for a test: 2 s dwell, 3 s ramp; thresholds unchanged. */
  static final GovernorPolicy POLICY = GovernorPolicy.from(DatabaseSignals.defaultPolicy())
      .minDwell(MIN_DWELL)
      .rampPeriod(RAMP_PERIOD)
      .build();

  /** What makes the database sick, and how long it stays so. */
  interface Incident {
    /** Starts the incident (returns once the database is sick), lets it last, and ends it. */
    void play(Stage stage) throws Exception;
  }

  /** What an incident can do while it plays. */
  interface Stage {
    /** Marks the moment the incident started (when the database became sick). */
    void started();

    /** Lets the load run for a while of real time. */
    void hold(Duration duration) throws InterruptedException;
  }

  private final PostgresFixture db;
  private final String name;
  private final List<Workload> workloads;
  final EventLog events = new EventLog();
  private final List<String> trace = new CopyOnWriteArrayList<>();
  private PostgresLoadDriver driver;
  private volatile Instant incidentStart;
  private volatile long incidentStartNanos;
  private volatile Instant incidentEnd;
  private volatile Instant restoredAt;
  private volatile Instant calmAt;
  private volatile Instant healthyEnd;
  /** When the pool was first seen exhausted (all connections in use, or a thread waiting) in the incident. */
  private volatile Instant poolExhaustedAt;
  private volatile Level deepestLevel = Level.NORMAL;

  PostgresIncidentReplay(PostgresFixture db, String name, List<Workload> workloads) {
    this.db = db;
    this.name = name;
    this.workloads = workloads;
  }

  // ---------------------------------------------------------------- the features and their queries

  static List<FeatureConfig> features() {
    return List.of(
        FeatureConfig.builder(CHAT_POST, Tier.CRITICAL_PLUS).defaultValue(-1).build(),
        FeatureConfig.builder(CHAT_READ, Tier.CRITICAL_PLUS).defaultValue(List.of()).build(),
        FeatureConfig.builder(NOTIFICATIONS, Tier.SHEDDABLE_PLUS).defaultValue(0).build(),
        FeatureConfig.builder(SEARCH, Tier.SHEDDABLE).defaultValue(List.of()).build(),
        FeatureConfig.builder(ANALYTICS, Tier.SHEDDABLE).defaultValue(Map.of()).build());
  }

  /** Posts a message: one indexed insert. */
  static Object postMessage(Connection c, ThreadLocalRandom r) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO messages (room_id, author_id, body) "
        + "SELECT ?, ?, ? WHERE (SELECT limp_delay('chat'))")) {
      ps.setInt(1, r.nextInt(PostgresFixture.ROOMS));
      ps.setInt(2, r.nextInt(PostgresFixture.USERS));
      ps.setString(3, "hello " + r.nextInt(1_000_000));
      return ps.executeUpdate();
    }
  }

  /** Reads a room's latest 20 messages: an index range scan. */
  static Object readRoom(Connection c, ThreadLocalRandom r) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT id, body FROM messages WHERE room_id = ? "
        + "AND (SELECT limp_delay('chat')) ORDER BY id DESC LIMIT 20")) {
      ps.setInt(1, r.nextInt(PostgresFixture.ROOMS));
      return rows(ps);
    }
  }

  /** Counts a user's unseen notifications: an indexed lookup, until the incident makes it slow. */
  static Object unseenNotifications(Connection c, ThreadLocalRandom r) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM notifications WHERE user_id = ? "
        + "AND NOT seen AND (SELECT limp_delay('notifications'))")) {
      ps.setInt(1, r.nextInt(PostgresFixture.USERS));
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /** Searches a room's messages for a topic. */
  static Object search(Connection c, ThreadLocalRandom r) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT id FROM messages WHERE room_id = ? AND body LIKE ? "
        + "AND (SELECT limp_delay('search')) ORDER BY id DESC LIMIT 20")) {
      ps.setInt(1, r.nextInt(PostgresFixture.ROOMS));
      ps.setString(2, "%topic " + r.nextInt(97) + "%");
      return rows(ps);
    }
  }

  /** Counts the messages of five rooms. */
  static Object analytics(Connection c, ThreadLocalRandom r) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT room_id, count(*) FROM messages "
        + "WHERE room_id BETWEEN ? AND ? AND (SELECT limp_delay('analytics')) GROUP BY room_id")) {
      int from = r.nextInt(PostgresFixture.ROOMS - 5);
      ps.setInt(1, from);
      ps.setInt(2, from + 4);
      return rows(ps);
    }
  }

  private static List<Object> rows(PreparedStatement ps) throws SQLException {
    List<Object> rows = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        rows.add(rs.getObject(1));
      }
    }
    return rows;
  }

  static Workload chatPost(int threads) {
    return new Workload(CHAT_POST, threads, Duration.ofMillis(40), PostgresIncidentReplay::postMessage);
  }

  static Workload chatRead(int threads) {
    return new Workload(CHAT_READ, threads, Duration.ofMillis(40), PostgresIncidentReplay::readRoom);
  }

  static Workload notifications(int threads) {
    return new Workload(NOTIFICATIONS, threads, Duration.ofMillis(80),
        PostgresIncidentReplay::unseenNotifications);
  }

  static Workload search(int threads) {
    return new Workload(SEARCH, threads, Duration.ofMillis(150), PostgresIncidentReplay::search);
  }

  static Workload analytics(int threads) {
    return new Workload(ANALYTICS, threads, Duration.ofMillis(150), PostgresIncidentReplay::analytics);
  }

  // ---------------------------------------------------------------- the replay

  /** Runs the phases; the caller asserts on what was recorded. */
  void run(Incident incident) throws Exception {
    db.clearDelays();
    try (HikariDataSource hikari = pool()) {
      warmUp(hikari);
      LimpBuilder builder = Limp.builder()
          .name("pg-" + name)
          .tickInterval(TICK)
          .policy(POLICY)
          .listener(events);
      features().forEach(builder::feature);
      try (Limp limp = builder.build();
          DatabaseMonitor monitor = DatabaseMonitor.builder(limp)
              .window(WINDOW, 10)
              .canary(CanaryConfig.builder()
                  .query("SELECT limp_delay('canary')")
                  .interval(Duration.ofMillis(500))
                  .timeout(Duration.ofSeconds(2))
                  .build())
              .build()) {
        MonitoredDataSource dataSource = monitor.wrap(hikari);
        ScheduledExecutorService tracer = Executors.newSingleThreadScheduledExecutor(r -> {
          Thread t = new Thread(r, "pg-trace-" + name);
          t.setDaemon(true);
          return t;
        });
        long t0 = System.nanoTime();
        tracer.scheduleAtFixedRate(() -> trace(limp, monitor, hikari, t0), 0, 200, TimeUnit.MILLISECONDS);
        driver = new PostgresLoadDriver(limp, dataSource, workloads, Duration.ofSeconds(90));
        try {
          driver.start();
          driver.hold(HEALTHY);
          healthyEnd = Instant.now();
          // a busy machine can make the healthy database look slow for a moment: the incident starts from
          // calm (level NORMAL, every feature ACTIVE), or the replay would measure nothing
          events.await("calm before the incident", () -> limp.level() == Level.NORMAL
              && limp.guards().stream().allMatch(g -> g.state() == FeatureState.ACTIVE), CALM_DEADLINE);
          calmAt = Instant.now();
          incident.play(new Stage() {
            @Override
            public void started() {
              incidentStartNanos = System.nanoTime();
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
          events.await("every shed feature restored", () -> events.restored(incidentStart)
              && limp.level() == Level.NORMAL, RESTORE_DEADLINE);
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
    config.setPoolName("limp-pg-" + name);
    config.setJdbcUrl(db.jdbcUrl());
    config.setUsername(db.user());
    config.setMaximumPoolSize(POOL_SIZE);
    config.setMinimumIdle(POOL_SIZE);
    config.setConnectionTimeout(CONNECTION_TIMEOUT.toMillis());
    config.addDataSourceProperty("options", SESSION_OPTIONS);
    config.addDataSourceProperty("ApplicationName", "limp-it-" + name);
    return new HikariDataSource(config);
  }

  /** Opens every connection of the pool and runs each query a few times, outside limp's sight. */
  private void warmUp(HikariDataSource hikari) throws SQLException {
    List<Connection> held = new ArrayList<>();
    try {
      for (int i = 0; i < POOL_SIZE; i++) {
        held.add(hikari.getConnection());
      }
      ThreadLocalRandom r = ThreadLocalRandom.current();
      for (Connection c : held) {
        for (int i = 0; i < 6; i++) {
          postMessage(c, r);
          readRoom(c, r);
          unseenNotifications(c, r);
          search(c, r);
          analytics(c, r);
        }
      }
    } finally {
      for (Connection c : held) {
        c.close();
      }
    }
  }

  private void trace(Limp limp, DatabaseMonitor monitor, HikariDataSource hikari, long t0) {
    SignalSnapshot s = limp.signals();
    String states = limp.guards().stream()
        .filter(g -> g.state() != FeatureState.ACTIVE)
        .map(g -> g.name() + "=" + g.state())
        .collect(Collectors.joining(","));
    var pool = hikari.getHikariPoolMXBean();
    if (driver != null && driver.phase() == Phase.INCIDENT) {
      if (poolExhaustedAt == null && pool != null
          && (pool.getActiveConnections() >= POOL_SIZE || pool.getThreadsAwaitingConnection() > 0)) {
        poolExhaustedAt = Instant.now();
      }
      if (limp.level().compareTo(deepestLevel) > 0) {
        deepestLevel = limp.level();
      }
    }
    trace.add(String.format(Locale.ROOT, "%6d ms %-9s %-19s p99=%s acq=%s wait=%s canary=%s to=%s lockerr=%s "
            + "pool=%d/%d waiting=%d inUse=%d suspects=%s shed=[%s]",
        (System.nanoTime() - t0) / 1_000_000, driver == null ? "-" : driver.phase(), limp.level(),
        fmt(s.get(DatabaseSignals.QUERY_P99)), fmt(s.get(DatabaseSignals.ACQUIRE_P99)),
        fmt(s.get(DatabaseSignals.POOL_WAITERS)), fmt(s.get(DatabaseSignals.CANARY_LATENCY)),
        fmt(s.get(DatabaseSignals.ACQUIRE_TIMEOUTS)), fmt(s.get(DatabaseSignals.LOCK_ERRORS)),
        pool == null ? 0 : pool.getActiveConnections(), POOL_SIZE,
        pool == null ? 0 : pool.getThreadsAwaitingConnection(), monitor.recorder().connectionsInUse(),
        s.suspects().keySet(), states));
  }

  private static String fmt(double v) {
    return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.0f", v);
  }

  // ---------------------------------------------------------------- what was recorded

  PostgresLoadDriver driver() {
    return driver;
  }

  Instant incidentStart() {
    return incidentStart;
  }

  Instant incidentEnd() {
    return incidentEnd;
  }

  Instant restoredAt() {
    return restoredAt;
  }

  /** When the pool was first seen exhausted during the incident (sampled every 200 ms), or null. */
  Instant poolExhaustedAt() {
    return poolExhaustedAt;
  }

  /** The deepest level seen during the incident (sampled every 200 ms). */
  Level deepestLevel() {
    return deepestLevel;
  }

  /** The first shed of the incident: a feature shed by the governor, or a call refused (the reserve, …). */
  record FirstShed(long afterMillis, String feature, ShedCause cause) {
  }

  /**
   * The governor's first decision to shed in the incident (a level or a culprit), or null: the features it
   * shed at that tick, the most critical first, joined by '+', and the cause of the most critical one.
   */
  FirstShed firstShed() {
    List<FeatureStateChangedEvent> shed = events.featureEvents().stream()
        .filter(e -> e.to() == FeatureState.SHED && !e.at().isBefore(incidentStart)).toList();
    if (shed.isEmpty()) {
      return null;
    }
    Instant tick = shed.get(0).at();
    List<FeatureStateChangedEvent> first = shed.stream().filter(e -> e.at().equals(tick))
        .sorted(java.util.Comparator.comparing(FeatureStateChangedEvent::tier)).toList();
    return new FirstShed(sinceIncident(tick),
        first.stream().map(FeatureStateChangedEvent::feature).collect(Collectors.joining("+")),
        first.get(0).reason().cause());
  }

  /** The first call of the incident answered by a fallback, for any cause (the reserve, say), or null. */
  FirstShed firstShedCall() {
    PostgresLoadDriver.ShedCall call = driver.firstShed(Phase.INCIDENT);
    return call == null ? null
        : new FirstShed((call.nanoTime() - incidentStartNanos) / 1_000_000, call.feature(), call.cause());
  }

  /** How long the healthy phase waited for calm after its 3 s, in ms. */
  long calmWaitMillis() {
    return calmAt == null || healthyEnd == null ? -1 : Duration.between(healthyEnd, calmAt).toMillis();
  }

  /**
   * The first time the governor acted on the feature since the incident started — throttled it (a culprit is
   * limited before it is shed) or shed it — or null.
   */
  FeatureStateChangedEvent firstShedEvent(String feature) {
    return events.featureEvents().stream()
        .filter(e -> e.feature().equals(feature) && held(e.to()) && !e.at().isBefore(incidentStart))
        .findFirst().orElse(null);
  }

  /** Whether the governor holds a feature back in this state: shed, or throttled. */
  static boolean held(FeatureState state) {
    return state == FeatureState.SHED || state == FeatureState.THROTTLED;
  }

  /** Whether the feature's last two state changes are SHED → RAMPING → ACTIVE. */
  boolean restoredViaRamp(String feature) {
    // what happened up to the moment every feature was seen restored; a noise spike after the replay
    // ended (the load driver stopped) is not part of this incident's recovery
    List<FeatureStateChangedEvent> list = events.featureEvents().stream()
        .filter(e -> e.feature().equals(feature))
        .filter(e -> restoredAt == null || !e.at().isAfter(restoredAt)).toList();
    if (list.size() < 2) {
      return false;
    }
    FeatureStateChangedEvent ramp = list.get(list.size() - 2);
    FeatureStateChangedEvent active = list.get(list.size() - 1);
    if (active.from() == FeatureState.THROTTLED && active.to() == FeatureState.ACTIVE) {
      return true; // a throttle ends without a ramp: the feature was never switched off
    }
    return ramp.from() == FeatureState.SHED && ramp.to() == FeatureState.RAMPING
        && active.from() == FeatureState.RAMPING && active.to() == FeatureState.ACTIVE
        && !active.at().isBefore(ramp.at());
  }

  /** The features shed by the governor before the incident, while the database was healthy (noise). */
  Set<String> shedWhileHealthy() {
    Set<String> shed = new LinkedHashSet<>();
    events.featureEvents().stream().filter(e -> e.to() == FeatureState.SHED && e.at().isBefore(incidentStart))
        .forEach(e -> shed.add(e.feature()));
    return shed;
  }

  /** The trace of signals, levels and states every 200 ms, and the events, for a failure message. */
  String diagnostics() {
    StringBuilder sb = new StringBuilder("--- events\n");
    events.all().forEach(e -> sb.append("  ").append(describe(e)).append('\n'));
    sb.append("--- tallies\n").append(driver == null ? "" : driver.report());
    sb.append("--- trace\n");
    trace.forEach(line -> sb.append("  ").append(line).append('\n'));
    return sb.toString();
  }

  String describe(Object event) {
    if (event instanceof LevelChangedEvent e) {
      return String.format(Locale.ROOT, "%+7d ms level %s -> %s: %s", sinceIncident(e.at()), e.from(), e.to(),
          e.reason());
    }
    FeatureStateChangedEvent e = (FeatureStateChangedEvent) event;
    return String.format(Locale.ROOT, "%+7d ms %s %s -> %s%s", sinceIncident(e.at()), e.feature(), e.from(),
        e.to(), e.reason() == null ? "" : " (" + e.reason().cause() + ": " + e.reason().detail() + ")");
  }

  /** Milliseconds from the incident's start to {@code at} (negative before it). */
  long sinceIncident(Instant at) {
    return incidentStart == null ? 0 : Duration.between(incidentStart, at).toMillis();
  }

  /**
   * Records limp's events in the order they arrive, and wakes waiters at each one. Thread-safe.
   */
  static final class EventLog implements LimpListener {
    private final List<Object> all = new CopyOnWriteArrayList<>();
    private final BlockingQueue<Object> arrivals = new LinkedBlockingQueue<>();

    @Override
    public void onLevelChanged(LevelChangedEvent event) {
      all.add(event);
      arrivals.add(event);
    }

    @Override
    public void onFeatureStateChanged(FeatureStateChangedEvent event) {
      if (!event.shadow()) {
        all.add(event);
        arrivals.add(event);
      }
    }

    List<Object> all() {
      return List.copyOf(all);
    }

    List<FeatureStateChangedEvent> featureEvents() {
      return all.stream().filter(FeatureStateChangedEvent.class::isInstance)
          .map(FeatureStateChangedEvent.class::cast).toList();
    }

    List<LevelChangedEvent> levelEvents() {
      return all.stream().filter(LevelChangedEvent.class::isInstance).map(LevelChangedEvent.class::cast)
          .toList();
    }

    /** The features shed at or after {@code from}, in the order they were first shed. */
    /** The features held (shed or throttled) from {@code from} to {@code to}, both included. */
    Set<String> shedBetween(Instant from, Instant to) {
      Set<String> shed = new LinkedHashSet<>();
      featureEvents().stream().filter(e -> held(e.to()) && !e.at().isBefore(from) && !e.at().isAfter(to))
          .forEach(e -> shed.add(e.feature()));
      return shed;
    }

    Set<String> shedSince(Instant from) {
      Set<String> shed = new LinkedHashSet<>();
      featureEvents().stream().filter(e -> held(e.to()) && !e.at().isBefore(from))
          .forEach(e -> shed.add(e.feature()));
      return shed;
    }

    /**
     * Whether every feature shed since {@code from} came back: its latest event is RAMPING → ACTIVE, and
     * at least one was shed.
     */
    boolean restored(Instant from) {
      if (from == null) {
        return false;
      }
      Set<String> shed = shedSince(from);
      if (shed.isEmpty()) {
        return false;
      }
      List<FeatureStateChangedEvent> list = featureEvents();
      for (String feature : shed) {
        FeatureStateChangedEvent last = null;
        for (FeatureStateChangedEvent e : list) {
          if (e.feature().equals(feature)) {
            last = e;
          }
        }
        if (last == null || last.to() != FeatureState.ACTIVE) {
          return false;
        }
      }
      return true;
    }

    /**
     * Waits, event by event, until the condition holds; fails after {@code atMost}. The condition is
     * checked again at each event and at least every 100 ms (a guard's state changes just before its event
     * is posted).
     */
    void await(String what, BooleanSupplier condition, Duration atMost) throws InterruptedException {
      long deadline = System.nanoTime() + atMost.toNanos();
      while (!condition.getAsBoolean()) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError("not " + what + " within " + atMost);
        }
        arrivals.poll(Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)), TimeUnit.NANOSECONDS);
      }
    }

    /** The level events' levels, in order, starting with the first event's {@code from}. */
    List<Level> levels() {
      List<Level> levels = new ArrayList<>();
      for (LevelChangedEvent e : levelEvents()) {
        if (levels.isEmpty()) {
          levels.add(e.from());
        }
        levels.add(e.to());
      }
      return levels;
    }
  }
}
