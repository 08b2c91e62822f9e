package dev.limp.examples.chat;

import dev.limp.Level;
import dev.limp.examples.chat.RunResult.Sample;
import java.io.PrintStream;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * One run of a scenario: the chat service on a fresh database behind a {@link ChatProtection}, a load driver
 * playing open-loop traffic, and the incident started and lifted midway.
 *
 * <p>The demo compares limp on with limp off: the same application, the same guards and the same monitor,
 * with limp in <em>shadow mode</em> and no connection reserve ({@link LimpProtection#demo(boolean)}): the
 * governor measures and decides, the report shows what it would have shed, and nothing is shed. The
 * benchmarks' incident-survival harness runs the same scenarios behind other protections.
 */
public final class ScenarioRun {
  /** How long a client waits for an answer before it gives up (and the request counts as failed). */
  public static final long CLIENT_TIMEOUT_MILLIS = 2_000;
  /** The pool's connection timeout: short for the demo, so that a starved caller fails within the run. */
  public static final long CONNECTION_TIMEOUT_MILLIS = 1_000;

  /** A request made and not yet answered. */
  private record Pending(String feature, long arrival) {
  }

  private static final AtomicBoolean FIRST_RUN = new AtomicBoolean(true);

  /**
   * How long each phase lasts and how much traffic the driver plays.
   *
   * @param after how long the run goes on after the incident is lifted (with {@code settle}: at most)
   * @param settle {@code null} for fixed phases; otherwise the run ends once the protection has restored every
   *     feature and kept them so for this long after the incident (never before {@code settle} after it)
   */
  public record Settings(Duration before, Duration during, Duration after, double requestsPerSecond,
      String jdbcUrl, String user, String password, Duration settle) {
    public static Settings demo() {
      return new Settings(Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(5), 160, null, null,
          null, null);
    }

    public Settings withJdbc(String url, String user, String password) {
      return new Settings(before, during, after, requestsPerSecond, url, user, password, settle);
    }

    public Settings withPhases(Duration before, Duration during, Duration after) {
      return new Settings(before, during, after, requestsPerSecond, jdbcUrl, user, password, settle);
    }

    /** Ends a run early once every feature has been restored for {@code settle} after the incident. */
    public Settings withEarlyEnd(Duration settle) {
      return new Settings(before, during, after, requestsPerSecond, jdbcUrl, user, password, settle);
    }

    public Duration total() {
      return before.plus(during).plus(after);
    }
  }

  private final Incident incident;
  private final ChatProtection protection;
  private final Settings settings;
  private final Consumer<String> status;
  private final PrintStream narrator;

  /**
   * @param status receives the one-line live status twice a second (may be a no-op)
   * @param narrator receives the protection's decisions as they happen, or {@code null} for silence
   */
  public ScenarioRun(Incident incident, ChatProtection protection, Settings settings, Consumer<String> status,
      PrintStream narrator) {
    this.incident = incident;
    this.protection = protection;
    this.settings = settings;
    this.status = status;
    this.narrator = narrator;
  }

  /** The demo's run: limp on, or limp off (shadow mode). */
  public ScenarioRun(Incident incident, boolean limpOn, Settings settings, Consumer<String> status,
      PrintStream narrator) {
    this(incident, LimpProtection.demo(limpOn), settings, status, narrator);
  }

  public RunResult run() throws SQLException, InterruptedException {
    String runName = incident.id() + "-" + protection.label().replaceAll("[^A-Za-z0-9]+", "-")
        .replaceAll("-$", "").toLowerCase(Locale.ROOT);
    List<Sample> samples = Collections.synchronizedList(new ArrayList<>());

    try (ChatDatabase database = new ChatDatabase(settings.jdbcUrl(), settings.user(), settings.password(),
        runName, CONNECTION_TIMEOUT_MILLIS)) {
      ProtectionContext context = new ProtectionContext(database, runName, narrator);
      try (ChatProtection.Protected guarded = protection.protect(context)) {
        ChatService chat = guarded.service();
        Incident.Context incidentContext = new Incident.Context(database, context.service());

        long before = settings.before().toMillis();
        long incidentEnd = before + settings.during().toMillis();
        long latestEnd = incidentEnd + settings.after().toMillis();
        long settle = settings.settle() == null ? -1 : settings.settle().toMillis();
        List<Level> levels = new ArrayList<>();
        ThreadPoolExecutor workers = new ThreadPoolExecutor(64, 64, 1, TimeUnit.MINUTES,
            new LinkedBlockingQueue<>(), r -> {
              Thread t = new Thread(r, "chat-client");
              t.setDaemon(true);
              return t;
            });
        // requests made and not yet answered: at the end, whoever removes one (its worker, or the run giving
        // up on it) records it, exactly once
        Map<Long, Pending> pending = new ConcurrentHashMap<>();
        ChatClients.CriticalTally tally = new ChatClients.CriticalTally(before, incidentEnd);
        AtomicInteger seq = new AtomicInteger();
        SplittableRandom random = new SplittableRandom(7);
        boolean started = false;
        boolean lifted = false;
        warmUp(database, chat);
        long t0 = System.nanoTime();
        context.startRecording(t0);
        long nextStatus = 0;
        TrialWatch trials = new TrialWatch(guarded);
        long restoredSince = -1;
        double owed = 0;
        long last = 0;
        long end = latestEnd;
        try {
          while (true) {
            long now = millisSince(t0);
            if (now >= end) {
              break;
            }
            if (!started && now >= before) {
              started = true;
              incident.start(incidentContext);
              narrate(now, "INCIDENT " + incident.id() + ": " + incident.description());
            }
            if (!lifted && now >= incidentEnd) {
              lifted = true;
              incident.lift(incidentContext);
              narrate(now, "incident lifted; the system recovers");
            }
            if (lifted && settle >= 0) {
              if (!guarded.allRestored()) {
                restoredSince = -1;
              } else if (restoredSince < 0) {
                restoredSince = now;
              } else if (now - Math.max(restoredSince, incidentEnd) >= settle) {
                end = now; // everything is back, and has stayed so: the rest would measure nothing new
                break;
              }
            }
            owed += (now - last) * settings.requestsPerSecond() / 1000.0;
            last = now;
            while (owed >= 1) {
              owed -= 1;
              String feature = ChatClients.pick(random);
              long id = seq.incrementAndGet();
              long userId = 1 + random.nextInt(ChatDatabase.USERS);
              long roomId = 1 + random.nextInt(ChatDatabase.ROOMS);
              long arrival = System.nanoTime();
              pending.put(id, new Pending(feature, arrival));
              workers.execute(() -> {
                Sample s = ChatClients.call(chat, feature, id, userId, roomId, arrival, t0);
                if (pending.remove(id) == null) {
                  return; // the run gave up on it and counted it as failed
                }
                samples.add(s);
                tally.add(s);
              });
            }
            int bucket = (int) (now / RunResult.BUCKET_MILLIS);
            Level level = guarded.level();
            while (levels.size() <= bucket) {
              levels.add(level);
            }
            levels.set(bucket, level);
            trials.look(now);
            if (now >= nextStatus) {
              nextStatus = now + 500;
              status.accept(statusLine(now, latestEnd, guarded, tally.percentOk(now)));
            }
            Thread.sleep(5);
          }
        } finally {
          if (started && !lifted) {
            incident.lift(incidentContext);
          }
          // no new requests; those made before the end are answered and counted (their clients wait for
          // them, as real ones would), and any still unanswered a client timeout later count as failed, so
          // that a run ending in trouble does not drop exactly its slowest requests
          workers.shutdown();
          if (!workers.awaitTermination(CLIENT_TIMEOUT_MILLIS + 3_000, TimeUnit.MILLISECONDS)) {
            workers.shutdownNow();
          }
          for (Long id : List.copyOf(pending.keySet())) {
            Pending p = pending.remove(id);
            if (p != null) {
              samples.add(ChatClients.unanswered(p.feature(), p.arrival(), t0));
            }
          }
        }
        int buckets = (int) ((end + RunResult.BUCKET_MILLIS - 1) / RunResult.BUCKET_MILLIS);
        while (levels.size() < buckets) {
          levels.add(levels.isEmpty() ? Level.NORMAL : levels.get(levels.size() - 1));
        }
        List<Sample> inRun = new ArrayList<>();
        synchronized (samples) {
          for (Sample s : samples) {
            if (s.atMillis() < end) {
              inRun.add(s);
            }
          }
        }
        return new RunResult(incident, protection.label(), protection.isLimpOn(), before, incidentEnd, end, inRun,
            context.decisions(), levels.subList(0, Math.max(1, buckets)).toArray(new Level[0]), trials.seen());
      }
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
      String feature = ChatClients.MIX[i++ % ChatClients.MIX.length];
      ChatClients.call(chat, feature, i, 1 + random.nextInt(ChatDatabase.USERS),
          1 + random.nextInt(ChatDatabase.ROOMS), System.nanoTime(), System.nanoTime());
      Thread.sleep(2);
    }
  }

  private void narrate(long at, String line) {
    if (narrator != null) {
      narrator.printf(Locale.ROOT, ProtectionContext.CLEAR_LINE + "    %6.1f s  %s%n", at / 1000.0, line);
    }
  }

  private String statusLine(long now, long end, ChatProtection.Protected guarded, double criticalOkPercent) {
    String phase = now < settings.before().toMillis() ? "before"
        : now < settings.before().plus(settings.during()).toMillis() ? "INCIDENT" : "after";
    return String.format(Locale.ROOT, "[%s · %s] %4.1f/%.0f s  %-8s level %-19s %-50s critical ok %5.1f %% "
        + "(this phase)", incident.id(), protection.label(), now / 1000.0, end / 1000.0, phase, guarded.level(),
        guarded.shedSummary(), criticalOkPercent);
  }

  /**
   * Looks at the protection's trial counts every {@link #EVERY_MILLIS} and notes, per feature, the trials
   * judged since the last look. The first look is the baseline: trials of the warm-up are not the run's.
   */
  private static final class TrialWatch {
    static final long EVERY_MILLIS = 25;
    private final ChatProtection.Protected guarded;
    private final Map<String, ChatProtection.TrialCount> last;
    private final List<RunResult.Trial> seen = new ArrayList<>();
    private long next;

    TrialWatch(ChatProtection.Protected guarded) {
      this.guarded = guarded;
      this.last = new HashMap<>(guarded.trialCalls());
    }

    void look(long now) {
      if (now < next) {
        return;
      }
      next = now + EVERY_MILLIS;
      guarded.trialCalls().forEach((feature, count) -> {
        ChatProtection.TrialCount before = last.getOrDefault(feature, new ChatProtection.TrialCount(0, 0));
        long healthy = count.healthy() - before.healthy();
        long unhealthy = count.unhealthy() - before.unhealthy();
        if (healthy > 0 || unhealthy > 0) {
          seen.add(new RunResult.Trial(now, feature, healthy, unhealthy));
          last.put(feature, count);
        }
      });
    }

    List<RunResult.Trial> seen() {
      return seen;
    }
  }

  static long millisSince(long nanos) {
    return (System.nanoTime() - nanos) / 1_000_000;
  }
}
