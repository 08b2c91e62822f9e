package dev.limp.benchmarks.survival;

import dev.limp.Level;
import dev.limp.examples.chat.ChatClients;
import dev.limp.examples.chat.ChatProtection;
import dev.limp.examples.chat.ChatService;
import dev.limp.examples.chat.ColdStart;
import dev.limp.examples.chat.RunResult;
import dev.limp.examples.chat.RunResult.Sample;
import dev.limp.examples.chat.ScenarioRun;
import java.io.PrintStream;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The start-up scenario: an application starts, with a fresh HikariCP pool that opens lazily (on the first
 * request, {@code minimumIdle} at HikariCP's default, the pool's size), and the same open-loop traffic as the
 * incidents' from the first moment; no incident. On H2 each new connection takes {@code connectDelayMillis}
 * (default {@value #DEFAULT_H2_CONNECT_DELAY_MILLIS} ms) to open, so that the pool's start is visible; on
 * PostgreSQL its connections take what they take. What a protection should do here: nothing. In the
 * {@link RunResult}, the "incident" is the first {@code window} of the run (from 0) and the rest is the
 * phase after it, whose critical p99 is the healthy yardstick.
 *
 * <p>The load driver is {@link ScenarioRun}'s (same mix, rate, client timeout and worker pool), without its
 * warm-up: ScenarioRun waits for the pool to fill and warms the code up before it records, which is right for
 * an incident and exactly what a start-up must not do.
 */
final class StartupScenario {
  static final long DEFAULT_H2_CONNECT_DELAY_MILLIS = 500;
  /** ChatDatabase.POOL_SIZE: HikariCP's default size. */
  private static final int POOL_SIZE = 10;


  private record Pending(String feature, long arrival) {
  }

  private final ChatProtection protection;
  private final ScenarioRun.Settings settings;
  private final Duration window;
  private final Duration total;
  private final long connectDelayMillis;
  private final PrintStream narrator;
  private volatile long poolFullMillis = -1;

  /**
   * @param settings the database and the request rate (its phases are not used)
   * @param window the start: the "incident" of the result, from the first request
   * @param total the whole run (at least {@code window})
   * @param connectDelayMillis how long each new connection takes to open, on top of the database's own time
   * @param narrator receives the protection's decisions as they happen, or {@code null}
   */
  StartupScenario(ChatProtection protection, ScenarioRun.Settings settings, Duration window, Duration total,
      long connectDelayMillis, PrintStream narrator) {
    if (total.compareTo(window) < 0) {
      throw new IllegalArgumentException("the run (" + total + ") must be at least as long as the start ("
          + window + ")");
    }
    this.protection = protection;
    this.settings = settings;
    this.window = window;
    this.total = total;
    this.connectDelayMillis = connectDelayMillis;
    this.narrator = narrator;
  }

  /** When the pool held all its connections, in milliseconds since the first request; -1 if never (or not run). */
  long poolFullMillis() {
    return poolFullMillis;
  }

  RunResult run() throws SQLException, InterruptedException {
    String runName = "startup-" + protection.label().replaceAll("[^A-Za-z0-9]+", "-").replaceAll("-$", "")
        .toLowerCase(Locale.ROOT);
    List<Sample> samples = Collections.synchronizedList(new ArrayList<>());
    try (ColdStart start = ColdStart.open(settings, runName, connectDelayMillis, narrator);
        ChatProtection.Protected guarded = protection.protect(start.context())) {
      ChatService chat = guarded.service();
      long windowEnd = window.toMillis();
      long end = total.toMillis();
      List<Level> levels = new ArrayList<>();
      ThreadPoolExecutor workers = new ThreadPoolExecutor(64, 64, 1, TimeUnit.MINUTES, new LinkedBlockingQueue<>(),
          r -> {
            Thread t = new Thread(r, "chat-client");
            t.setDaemon(true);
            return t;
          });
      Map<Long, Pending> pending = new ConcurrentHashMap<>();
      SplittableRandom random = new SplittableRandom(7);
      long seq = 0;
      double owed = 1; // the first request at once
      long last = 0;
      long t0 = System.nanoTime();
      start.startRecording(t0);
      narrate(0, "START: the application takes traffic; its pool opens on the first request");
      try {
        while (true) {
          long now = (System.nanoTime() - t0) / 1_000_000;
          if (now >= end) {
            break;
          }
          owed += (now - last) * settings.requestsPerSecond() / 1000.0;
          last = now;
          while (owed >= 1) {
            owed -= 1;
            String feature = ChatClients.pick(random);
            long id = ++seq;
            long userId = 1 + random.nextInt(ChatClients.USERS);
            long roomId = 1 + random.nextInt(ChatClients.ROOMS);
            long arrival = System.nanoTime();
            pending.put(id, new Pending(feature, arrival));
            workers.execute(() -> {
              Sample s = ChatClients.call(chat, feature, id, userId, roomId, arrival, t0);
              if (pending.remove(id) != null) {
                samples.add(s);
              }
            });
          }
          if (poolFullMillis < 0 && start.openConnections() >= POOL_SIZE) {
            poolFullMillis = now;
            narrate(now, "the pool holds all its connections");
          }
          int bucket = (int) (now / RunResult.BUCKET_MILLIS);
          Level level = guarded.level();
          while (levels.size() <= bucket) {
            levels.add(level);
          }
          levels.set(bucket, level);
          Thread.sleep(5);
        }
      } finally {
        workers.shutdown();
        if (!workers.awaitTermination(ScenarioRun.CLIENT_TIMEOUT_MILLIS + 3_000, TimeUnit.MILLISECONDS)) {
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
      return new RunResult(null, protection.label(), protection.isLimpOn(), 0, windowEnd, end, inRun,
          start.decisions(), levels.subList(0, Math.max(1, buckets)).toArray(new Level[0]));
    }
  }

  private void narrate(long at, String line) {
    if (narrator != null) {
      narrator.printf(Locale.ROOT, "    %6.1f s  %s%n", at / 1000.0, line);
    }
  }
}
