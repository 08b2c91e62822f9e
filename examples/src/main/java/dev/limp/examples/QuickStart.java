package dev.limp.examples;

import dev.limp.FeatureConfig;
import dev.limp.FeatureGuard;
import dev.limp.FeatureShedException;
import dev.limp.FeatureState;
import dev.limp.FeatureStateChangedEvent;
import dev.limp.FeatureStatus;
import dev.limp.GovernorPolicy;
import dev.limp.Level;
import dev.limp.LevelChangedEvent;
import dev.limp.Limp;
import dev.limp.LimpListener;
import dev.limp.ShedReason;
import dev.limp.Signal;
import dev.limp.SignalRule;
import dev.limp.Tier;
import dev.limp.annotation.LimpFeature;
import java.time.Duration;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * limp in plain Java, in about fifteen seconds: a chat service whose "database" slows down for a while.
 * The governor sees the latency signal cross its thresholds, sheds search and then notifications, keeps
 * chat answering, and lets the features back in through the ramp once the database recovers. Run with
 * {@code mvn -q -pl examples -am compile exec:java -Dexec.mainClass=dev.limp.examples.QuickStart} (without
 * {@code -Dexec.mainClass}, the command runs the incident demo, {@link dev.limp.examples.chat.ChatDemo}).
 *
 * <p>The latency signal here is measured by the example itself; the database signals (monitored
 * DataSource, pool probe, canary) come with limp's database module.
 */
public final class QuickStart {
  /** The signal the example reports: the slowest query of the last tick, in milliseconds. */
  static final Signal QUERY_LATENCY = Signal.of("example.query.max", Signal.Unit.MILLISECONDS);

  /** The chat service, as the application sees it. */
  public interface ChatService {
    @LimpFeature(name = "chat.post", tier = Tier.CRITICAL_PLUS)
    void post(String room, String text);

    @LimpFeature(name = "notifications", tier = Tier.SHEDDABLE_PLUS, onShed = LimpFeature.OnShed.EMPTY)
    List<String> notifications(String user);

    @LimpFeature(name = "search", tier = Tier.SHEDDABLE, fallbackMethod = "searchUnavailable")
    List<String> search(String room, String query);

    default List<String> searchUnavailable(String room, String query, ShedReason reason) {
      return List.of("(search is paused: " + reason.cause() + ")");
    }
  }

  /** A service over a pretend database whose queries take {@code latencyMillis}. */
  static final class SlowDatabaseChat implements ChatService {
    final AtomicLong latencyMillis = new AtomicLong(5);
    final AtomicLong slowestSinceLastTick = new AtomicLong();

    private void query(double weight) {
      long millis = Math.round(latencyMillis.get() * weight);
      slowestSinceLastTick.accumulateAndGet(millis, Math::max);
      try {
        Thread.sleep(millis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    @Override
    public void post(String room, String text) {
      query(0.2);
    }

    @Override
    public List<String> notifications(String user) {
      query(1);
      return List.of("@" + user + " you were mentioned");
    }

    @Override
    public List<String> search(String room, String query) {
      query(2);
      return List.of("a message about " + query);
    }
  }

  private QuickStart() {
  }

  public static void main(String[] args) throws InterruptedException {
    SlowDatabaseChat database = new SlowDatabaseChat();
    GovernorPolicy policy = GovernorPolicy.custom()
        .rule(SignalRule.of(QUERY_LATENCY)
            .level(Level.SHED_SHEDDABLE, 60, 30)        // enter at 60 ms, leave below 30 ms
            .level(Level.SHED_SHEDDABLE_PLUS, 150, 60)
            .level(Level.SHED_CRITICAL, 2_000, 1_000)
            .build())
        .minDwell(Duration.ofSeconds(2))                // short for the demo; 15 s by default
        .rampPeriod(Duration.ofSeconds(3))
        .build();

    try (Limp limp = Limp.builder()
        .name("quickstart")
        .policy(policy)
        .tickInterval(Duration.ofMillis(100))
        .feature(FeatureConfig.builder("chat.post", Tier.CRITICAL_PLUS).governorOnly().build())
        .signalSource(sink -> sink.put(QUERY_LATENCY, database.slowestSinceLastTick.getAndSet(0)))
        .listener(new Narrator())
        .registerMBean(true)
        .build()) {
      ChatService chat = limp.proxy(ChatService.class, database);
      FeatureGuard analytics = limp.declare(FeatureConfig.builder("analytics", Tier.SHEDDABLE)
          .governorOnly().defaultValue(0L).build());

      say("healthy database: every feature runs");
      traffic(chat, analytics, 3_000, database);
      say("the notifications query loses its index: queries now take 180 ms");
      database.latencyMillis.set(180);
      traffic(chat, analytics, 4_000, database);
      say("the index is back: queries take 5 ms again; limp restores one level per dwell, through the ramp");
      database.latencyMillis.set(5);
      traffic(chat, analytics, 9_000, database);
      // the level is back at NORMAL before the last feature is fully back: wait for the ramp to finish
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (!notFullyBack(limp).isEmpty() && System.nanoTime() < deadline) {
        traffic(chat, analytics, 1_000, database);
      }
      List<String> ramping = notFullyBack(limp);
      say("done. Final level: " + limp.level() + (ramping.isEmpty() ? "; every feature is fully restored"
          : "; still coming back: " + String.join(", ", ramping)) + ". An operator can force the level any "
          + "time over JMX: dev.limp:type=Limp,name=quickstart");
    }
  }

  /** The features not yet fully admitted, as "search (ramping, 40 % admitted)". */
  static List<String> notFullyBack(Limp limp) {
    List<String> back = new ArrayList<>();
    for (FeatureStatus f : limp.status().features()) {
      if (f.state() != FeatureState.ACTIVE) {
        back.add(String.format(Locale.ROOT, "%s (%s, %.0f %% admitted)", f.name(),
            f.state().name().toLowerCase(Locale.ROOT), 100 * f.admittedFraction()));
      }
    }
    return back;
  }

  private static void traffic(ChatService chat, FeatureGuard analytics, long millis, SlowDatabaseChat database) {
    long end = System.nanoTime() + Duration.ofMillis(millis).toNanos();
    AtomicInteger posted = new AtomicInteger();
    AtomicInteger postFailures = new AtomicInteger();
    int searches = 0;
    int searchesAnswered = 0;
    int notifications = 0;
    int notificationsAnswered = 0;
    while (System.nanoTime() < end) {
      try {
        chat.post("general", "hello");
        posted.incrementAndGet();
      } catch (RuntimeException e) {
        postFailures.incrementAndGet();
      }
      notifications++;
      if (!chat.notifications("ada").isEmpty()) {
        notificationsAnswered++;
      }
      searches++;
      if (!chat.search("general", "limp").get(0).startsWith("(search is paused")) {
        searchesAnswered++;
      }
      try {
        analytics.run(() -> { });
      } catch (FeatureShedException shed) {
        // analytics has a default value, so this does not happen: shown for completeness
      }
    }
    say(String.format("  chat.post %d ok / %d failed · notifications %d/%d answered · search %d/%d answered"
        + " · db latency %d ms", posted.get(), postFailures.get(), notificationsAnswered, notifications,
        searchesAnswered, searches, database.latencyMillis.get()));
  }

  static void say(String line) {
    System.out.println(LocalTime.now().truncatedTo(ChronoUnit.MILLIS) + "  " + line);
  }

  /** Prints every decision, as a status page or chat-ops hook would receive it. */
  static final class Narrator implements LimpListener {
    @Override
    public void onLevelChanged(LevelChangedEvent e) {
      say("  >> level " + e.from() + " → " + e.to() + ": " + e.reason());
    }

    @Override
    public void onFeatureStateChanged(FeatureStateChangedEvent e) {
      say("  >> " + e.feature() + " (" + e.tier() + ") " + e.from() + " → " + e.to()
          + (e.reason() == null ? "" : ": " + e.reason().detail()));
    }
  }
}
