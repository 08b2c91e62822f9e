package dev.limp.examples.chat;

import dev.limp.FeatureShedException;
import dev.limp.examples.chat.RunResult.Outcome;
import dev.limp.examples.chat.RunResult.Sample;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The chat service's clients, as the load driver of a {@link ScenarioRun} plays them: the traffic mix, one
 * request and how it ended, and the live tally of critical requests per phase. Stateless but for the tally.
 * The benchmarks' scenarios play the same clients.
 */
public final class ChatClients {
  /** The seeded users and rooms requests are made for. */
  public static final int USERS = ChatDatabase.USERS;
  public static final int ROOMS = ChatDatabase.ROOMS;

  /** The traffic mix: many more reads than posts; every client polls notifications; a few searches. */
  static final String[] MIX = {"chat.read", "chat.post", "notifications", "search", "activity"};
  private static final int[] WEIGHTS = {45, 10, 30, 8, 7};

  private ChatClients() {
  }

  public static String pick(SplittableRandom random) {
    int r = random.nextInt(100);
    for (int i = 0; i < WEIGHTS.length; i++) {
      r -= WEIGHTS[i];
      if (r < 0) {
        return MIX[i];
      }
    }
    return MIX[0];
  }

  public static Sample call(ChatService chat, String feature, long id, long userId, long roomId, long arrival,
      long t0) {
    if (System.nanoTime() - arrival > TimeUnit.MILLISECONDS.toNanos(ScenarioRun.CLIENT_TIMEOUT_MILLIS)) {
      return unanswered(feature, arrival, t0); // the client gave up before a worker took the request
    }
    long at = (arrival - t0) / 1_000_000;
    boolean critical = feature.startsWith("chat.");
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
    double latency = exactMillisSince(arrival);
    if (latency > ScenarioRun.CLIENT_TIMEOUT_MILLIS) {
      outcome = Outcome.ERROR;
    }
    return new Sample(at, feature, critical, outcome, latency, shedCause);
  }

  /** A request whose client stopped waiting before it was answered: a failure, as long as it waited. */
  public static Sample unanswered(String feature, long arrival, long t0) {
    return new Sample((arrival - t0) / 1_000_000, feature, feature.startsWith("chat."), Outcome.ERROR,
        exactMillisSince(arrival), null);
  }

  /** Milliseconds since {@code nanos}, to the microsecond: a healthy H2 request takes well under one. */
  static double exactMillisSince(long nanos) {
    return (System.nanoTime() - nanos) / 1_000 / 1_000.0;
  }

  /**
   * The live "critical ok" figure: the critical requests answered, per phase of the run (before, during,
   * after the incident), counted by arrival as the summary counts them, so that the figure shown in a phase
   * is that phase's alone and ends where the summary's does. Thread-safe.
   */
  static final class CriticalTally {
    private final long incidentStart;
    private final long incidentEnd;
    private final AtomicLong[] ok = {new AtomicLong(), new AtomicLong(), new AtomicLong()};
    private final AtomicLong[] all = {new AtomicLong(), new AtomicLong(), new AtomicLong()};

    CriticalTally(long incidentStartMillis, long incidentEndMillis) {
      this.incidentStart = incidentStartMillis;
      this.incidentEnd = incidentEndMillis;
    }

    /** 0 before the incident, 1 during it, 2 after it. */
    int phase(long atMillis) {
      return atMillis < incidentStart ? 0 : atMillis < incidentEnd ? 1 : 2;
    }

    void add(Sample s) {
      if (s.critical()) {
        int p = phase(s.atMillis());
        all[p].incrementAndGet();
        if (s.outcome() == Outcome.OK) {
          ok[p].incrementAndGet();
        }
      }
    }

    /** The share answered, in percent, of the critical requests that arrived in the phase of {@code nowMillis}. */
    double percentOk(long nowMillis) {
      int p = phase(nowMillis);
      long n = all[p].get();
      return n == 0 ? 100.0 : 100.0 * ok[p].get() / n;
    }
  }
}
