package dev.limp.examples.chat;

import dev.limp.FeatureConfig;
import dev.limp.FeatureShedException;
import dev.limp.FeatureStateChangedEvent;
import dev.limp.FeatureStatus;
import dev.limp.GovernorPolicy;
import dev.limp.Level;
import dev.limp.LevelChangedEvent;
import dev.limp.Limp;
import dev.limp.LimpListener;
import dev.limp.LimpStatus;
import dev.limp.Tier;
import dev.limp.db.CanaryConfig;
import dev.limp.db.DatabaseMonitor;
import dev.limp.db.DatabaseSignals;
import dev.limp.examples.chat.RunResult.Decision;
import dev.limp.examples.chat.RunResult.Outcome;
import dev.limp.examples.chat.RunResult.Sample;
import java.io.PrintStream;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * One run of a scenario: the chat service on a fresh database, a load driver playing open-loop traffic,
 * and the incident started and lifted midway, with limp on or off.
 *
 * <p>Limp off is the same application, the same guards and the same monitor, with limp in <em>shadow
 * mode</em> and no connection reserve: the governor measures and decides, the report shows what it would
 * have shed, and nothing is shed.
 */
public final class ScenarioRun {
  /** How long a client waits for an answer before it gives up (and the request counts as failed). */
  static final long CLIENT_TIMEOUT_MILLIS = 2_000;
  /** The pool's connection timeout: short for the demo, so that a starved caller fails within the run. */
  static final long CONNECTION_TIMEOUT_MILLIS = 1_000;
  /** The demo's policy: the database defaults with a short dwell and ramp, so a run fits in seconds. */
  static final Duration MIN_DWELL = Duration.ofSeconds(1);
  static final Duration RAMP_PERIOD = Duration.ofSeconds(2);
  static final Duration WINDOW = Duration.ofSeconds(2);

  /** The traffic mix: many more reads than posts; every client polls notifications; a few searches. */
  /** Wipes the live status line before a narrated one, on a terminal. */
  private static final String CLEAR_LINE = System.console() != null ? "\r\033[K" : "";
  private static final AtomicBoolean FIRST_RUN = new AtomicBoolean(true);
  private static final String[] MIX = {"chat.read", "chat.post", "notifications", "search", "activity"};
  private static final int[] WEIGHTS = {45, 10, 30, 8, 7};

  /** How long each phase lasts and how much traffic the driver plays. */
  public record Settings(Duration before, Duration during, Duration after, double requestsPerSecond,
      String jdbcUrl, String user, String password) {
    public static Settings demo() {
      return new Settings(Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(5), 160, null, null,
          null);
    }

    public Settings withJdbc(String url, String user, String password) {
      return new Settings(before, during, after, requestsPerSecond, url, user, password);
    }

    public Settings withPhases(Duration before, Duration during, Duration after) {
      return new Settings(before, during, after, requestsPerSecond, jdbcUrl, user, password);
    }

    public Duration total() {
      return before.plus(during).plus(after);
    }
  }

  private final Incident incident;
  private final boolean limpOn;
  private final Settings settings;
  private final Consumer<String> status;
  private final PrintStream narrator;

  /**
   * @param status receives the one-line live status twice a second (may be a no-op)
   * @param narrator receives limp's decisions as they happen, or {@code null} for silence
   */
  public ScenarioRun(Incident incident, boolean limpOn, Settings settings, Consumer<String> status,
      PrintStream narrator) {
    this.incident = incident;
    this.limpOn = limpOn;
    this.settings = settings;
    this.status = status;
    this.narrator = narrator;
  }

  public static GovernorPolicy demoPolicy() {
    return GovernorPolicy.from(DatabaseSignals.defaultPolicy()).minDwell(MIN_DWELL).rampPeriod(RAMP_PERIOD)
        .build();
  }

  public RunResult run() throws SQLException, InterruptedException {
    String runName = incident.id() + (limpOn ? "-on" : "-off");
    List<Sample> samples = Collections.synchronizedList(new ArrayList<>());
    List<Decision> decisions = Collections.synchronizedList(new ArrayList<>());
    AtomicLong t0 = new AtomicLong(System.nanoTime());
    AtomicBoolean warmingUp = new AtomicBoolean(true);
    LimpListener recorder = new LimpListener() {
      @Override
      public void onLevelChanged(LevelChangedEvent e) {
        long at = millisSince(t0.get());
        decisions.add(new Decision(at, null, e.to(), null, e.reason(), e.shadow()));
        say(at, "level " + e.from() + " → " + e.to() + (e.shadow() ? " (shadow: nothing shed)" : "") + ": "
            + e.reason());
      }

      @Override
      public void onFeatureStateChanged(FeatureStateChangedEvent e) {
        long at = millisSince(t0.get());
        String reason = e.reason() == null ? "" : e.reason().cause() + ": " + e.reason().detail();
        decisions.add(new Decision(at, e.feature(), null, e.to(), reason, e.shadow()));
        say(at, (e.shadow() ? "would set " : "") + e.feature() + " " + e.from() + " → " + e.to()
            + (reason.isEmpty() ? "" : " (" + reason + ")"));
      }

      private void say(long at, String line) {
        if (narrator != null && !warmingUp.get()) {
          narrator.printf(Locale.ROOT, CLEAR_LINE + "    %6.1f s  %s%n", at / 1000.0, line);
        }
      }
    };

    try (ChatDatabase database = new ChatDatabase(settings.jdbcUrl(), settings.user(), settings.password(),
            runName, CONNECTION_TIMEOUT_MILLIS);
        Limp limp = Limp.builder()
            .name("chat-" + runName)
            .policy(demoPolicy())
            .tickInterval(Duration.ofMillis(100))
            .shadowMode(!limpOn)
            .feature(FeatureConfig.builder("chat.read", Tier.CRITICAL_PLUS).governorOnly().build())
            .feature(FeatureConfig.builder("chat.post", Tier.CRITICAL_PLUS).governorOnly().build())
            .feature(FeatureConfig.builder("notifications", Tier.SHEDDABLE_PLUS).governorOnly().build())
            .feature(FeatureConfig.builder("search", Tier.SHEDDABLE).governorOnly().build())
            .feature(FeatureConfig.builder("activity", Tier.SHEDDABLE).governorOnly().build())
            .listener(recorder)
            .build();
        DatabaseMonitor monitor = DatabaseMonitor.builder(limp)
            .window(WINDOW, 10)
            .reserve(limpOn ? 2 : 0)
            .canary(CanaryConfig.builder().interval(Duration.ofMillis(250)).timeout(Duration.ofSeconds(1)).build())
            .build()) {
      JdbcChatService service = new JdbcChatService(monitor.wrap(database.pool), database.dialect);
      ChatService chat = limp.proxy(ChatService.class, service);
      Incident.Context context = new Incident.Context(database, service);

      long before = settings.before().toMillis();
      long incidentEnd = before + settings.during().toMillis();
      long end = incidentEnd + settings.after().toMillis();
      Level[] levels = new Level[(int) ((end + RunResult.BUCKET_MILLIS - 1) / RunResult.BUCKET_MILLIS)];
      ThreadPoolExecutor workers = new ThreadPoolExecutor(64, 64, 1, TimeUnit.MINUTES, new LinkedBlockingQueue<>(),
          r -> {
            Thread t = new Thread(r, "chat-client");
            t.setDaemon(true);
            return t;
          });
      AtomicBoolean stopped = new AtomicBoolean();
      AtomicLong criticalOk = new AtomicLong();
      AtomicLong criticalAll = new AtomicLong();
      AtomicInteger seq = new AtomicInteger();
      SplittableRandom random = new SplittableRandom(7);
      boolean started = false;
      boolean lifted = false;
      warmUp(database, chat);
      warmingUp.set(false);
      decisions.clear(); // what limp decided while the pool filled and the code warmed up is not part of the run
      t0.set(System.nanoTime());
      long nextStatus = 0;
      double owed = 0;
      long last = 0;
      try {
        while (true) {
          long now = millisSince(t0.get());
          if (now >= end) {
            break;
          }
          if (!started && now >= before) {
            started = true;
            incident.start(context);
            narrate(now, "INCIDENT " + incident.id() + ": " + incident.description());
          }
          if (!lifted && now >= incidentEnd) {
            lifted = true;
            incident.lift(context);
            narrate(now, "incident lifted; the system recovers");
          }
          owed += (now - last) * settings.requestsPerSecond() / 1000.0;
          last = now;
          while (owed >= 1) {
            owed -= 1;
            String feature = pick(random);
            long id = seq.incrementAndGet();
            long userId = 1 + random.nextInt(ChatDatabase.USERS);
            long roomId = 1 + random.nextInt(ChatDatabase.ROOMS);
            long arrival = System.nanoTime();
            workers.execute(() -> {
              Sample s = call(chat, feature, id, userId, roomId, arrival, t0.get());
              if (stopped.get()) {
                return; // still in flight when the run ended: not counted either way
              }
              samples.add(s);
              if (s.critical()) {
                criticalAll.incrementAndGet();
                if (s.outcome() == Outcome.OK) {
                  criticalOk.incrementAndGet();
                }
              }
            });
          }
          int bucket = (int) (now / RunResult.BUCKET_MILLIS);
          levels[Math.min(levels.length - 1, bucket)] = governorLevel(limp);
          if (now >= nextStatus) {
            nextStatus = now + 500;
            status.accept(statusLine(now, end, limp, criticalOk.get(), criticalAll.get()));
          }
          Thread.sleep(5);
        }
      } finally {
        if (started && !lifted) {
          incident.lift(context);
        }
        stopped.set(true);
        workers.shutdownNow(); // requests still waiting arrived too late to count; their clients are gone
        workers.awaitTermination(CLIENT_TIMEOUT_MILLIS + 3_000, TimeUnit.MILLISECONDS);
      }
      for (int i = 1; i < levels.length; i++) {
        if (levels[i] == null) {
          levels[i] = levels[i - 1];
        }
      }
      if (levels[0] == null) {
        levels[0] = Level.NORMAL;
      }
      List<Sample> inRun = new ArrayList<>();
      synchronized (samples) {
        for (Sample s : samples) {
          if (s.atMillis() < end) {
            inRun.add(s);
          }
        }
      }
      List<Decision> decided;
      synchronized (decisions) {
        decided = new ArrayList<>(decisions);
      }
      return new RunResult(incident, limpOn, before, incidentEnd, end, inRun, decided, levels);
    }
  }

  /**
   * Waits until the pool holds all its connections, then plays light traffic that is not recorded (longer
   * in the JVM's first run), so that neither run measures the pool filling up or the JIT compiling.
   */
  private static void warmUp(ChatDatabase database, ChatService chat) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (database.pool.getHikariPoolMXBean() == null
        || database.pool.getHikariPoolMXBean().getTotalConnections() < ChatDatabase.POOL_SIZE) {
      if (System.nanoTime() > deadline) {
        break;
      }
      Thread.sleep(20);
    }
    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(FIRST_RUN.getAndSet(false) ? 1_500 : 500);
    SplittableRandom random = new SplittableRandom(1);
    int i = 0;
    while (System.nanoTime() < end) {
      call(chat, MIX[i++ % MIX.length], i, 1 + random.nextInt(ChatDatabase.USERS),
          1 + random.nextInt(ChatDatabase.ROOMS), System.nanoTime(), System.nanoTime());
      Thread.sleep(2);
    }
  }

  private void narrate(long at, String line) {
    if (narrator != null) {
      narrator.printf(Locale.ROOT, CLEAR_LINE + "    %6.1f s  %s%n", at / 1000.0, line);
    }
  }

  /** In shadow mode, the level the governor would have; otherwise the level in force. */
  private static Level governorLevel(Limp limp) {
    return limp.status().governorLevel();
  }

  private String statusLine(long now, long end, Limp limp, long ok, long all) {
    LimpStatus s = limp.status();
    List<String> shed = new ArrayList<>();
    for (FeatureStatus f : s.features()) {
      if (limpOn ? f.state() != dev.limp.FeatureState.ACTIVE : f.wouldShed()) {
        shed.add(f.name() + (f.state() == dev.limp.FeatureState.RAMPING ? " (ramping)" : ""));
      }
    }
    String phase = now < settings.before().toMillis() ? "before"
        : now < settings.before().plus(settings.during()).toMillis() ? "INCIDENT" : "after";
    return String.format(Locale.ROOT, "[%s · %s] %4.1f/%.0f s  %-8s level %-19s %s %-40s critical ok %5.1f %%",
        incident.id(), limpOn ? "limp on" : "limp off", now / 1000.0, end / 1000.0, phase,
        s.governorLevel(), limpOn ? "shed:" : "would shed:", shed.isEmpty() ? "–" : String.join(", ", shed),
        all == 0 ? 100.0 : 100.0 * ok / all);
  }

  private static String pick(SplittableRandom random) {
    int r = random.nextInt(100);
    for (int i = 0; i < WEIGHTS.length; i++) {
      r -= WEIGHTS[i];
      if (r < 0) {
        return MIX[i];
      }
    }
    return MIX[0];
  }

  private static Sample call(ChatService chat, String feature, long id, long userId, long roomId, long arrival,
      long t0) {
    long at = (arrival - t0) / 1_000_000;
    boolean critical = feature.startsWith("chat.");
    if (System.nanoTime() - arrival > TimeUnit.MILLISECONDS.toNanos(CLIENT_TIMEOUT_MILLIS)) {
      return new Sample(at, feature, critical, Outcome.ERROR, millisSince(arrival), null); // the client gave up
    }
    Outcome outcome = Outcome.OK;
    String shedCause = null;
    try {
      ChatService.Page<?> page = null;
      switch (feature) {
        case "chat.read":
          chat.readRoom(roomId);
          break;
        case "chat.post":
          chat.post(roomId, userId, "re: the " + ChatDatabase.WORDS[(int) (id % ChatDatabase.WORDS.length)],
              id % 5 == 0 ? 1 + (id * 31) % ChatDatabase.USERS : 0);
          break;
        case "notifications":
          page = chat.notifications(userId);
          break;
        case "search":
          page = chat.search(roomId, ChatDatabase.WORDS[(int) (id % ChatDatabase.WORDS.length)]);
          break;
        default:
          page = chat.activity(roomId);
          break;
      }
      if (page != null && page.paused()) {
        outcome = Outcome.SHED;
        shedCause = page.pausedBecause().substring(0, page.pausedBecause().indexOf(':'));
      }
    } catch (FeatureShedException e) {
      outcome = critical ? Outcome.ERROR : Outcome.SHED; // the reserve refused a connection
      shedCause = e.shedCause().name();
    } catch (RuntimeException e) {
      outcome = Outcome.ERROR;
    }
    long latency = millisSince(arrival);
    if (latency > CLIENT_TIMEOUT_MILLIS) {
      outcome = Outcome.ERROR;
    }
    return new Sample(at, feature, critical, outcome, latency, shedCause);
  }

  static long millisSince(long nanos) {
    return (System.nanoTime() - nanos) / 1_000_000;
  }
}
