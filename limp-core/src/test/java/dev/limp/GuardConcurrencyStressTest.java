package dev.limp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.limp.testing.FakeClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

/**
 * Many threads through guards while an operator thread forces levels, sheds, pins and releases, and the
 * clock moves the ramps along. Afterwards every call is accounted for exactly once, no thread deadlocked,
 * each work saw its own feature as the current one, and no deferred work was lost.
 */
class GuardConcurrencyStressTest {
  private static final int CALLERS = 8;
  private static final int CALLS_PER_CALLER = 25_000;

  @Test
  void everyCallIsAccountedForExactlyOnceWhileLevelsChange() throws Exception {
    FakeClock clock = new FakeClock();
    List<FeatureConfig> features = List.of(
        FeatureConfig.of("chat.post", Tier.CRITICAL_PLUS),
        FeatureConfig.builder("chat.read", Tier.CRITICAL).bulkhead(4).defaultValue("busy").build(),
        FeatureConfig.builder("notifications", Tier.SHEDDABLE_PLUS).deferWhenShed(1_000_000).build(),
        FeatureConfig.builder("search", Tier.SHEDDABLE).staleValues(Duration.ofHours(1), 100).build(),
        FeatureConfig.builder("analytics", Tier.SHEDDABLE).governorOnly().defaultValue("none").build());
    LimpBuilder builder = Limp.builder().clock(clock).governorThread(false);
    features.forEach(builder::feature);

    Map<String, LongAdder> attempted = new ConcurrentHashMap<>();
    Map<String, LongAdder> executed = new ConcurrentHashMap<>();
    features.forEach(f -> {
      attempted.put(f.name(), new LongAdder());
      executed.put(f.name(), new LongAdder());
    });
    AtomicLong wrongCurrentFeature = new AtomicLong();
    AtomicLong unexpected = new AtomicLong();

    try (Limp limp = builder.build()) {
      List<FeatureGuard> guards = new ArrayList<>(limp.guards());
      AtomicBoolean callersDone = new AtomicBoolean();
      CountDownLatch start = new CountDownLatch(1);
      ExecutorService pool = Executors.newFixedThreadPool(CALLERS + 1);
      List<Future<?>> callers = new ArrayList<>();
      for (int t = 0; t < CALLERS; t++) {
        callers.add(pool.submit(() -> {
          start.await();
          ThreadLocalRandom random = ThreadLocalRandom.current();
          for (int i = 0; i < CALLS_PER_CALLER; i++) {
            FeatureGuard guard = guards.get(random.nextInt(guards.size()));
            attempted.get(guard.name()).increment();
            Runnable work = () -> {
              if (!limp.currentFeature().map(g -> g == guard).orElse(false)) {
                wrongCurrentFeature.incrementAndGet();
              }
              executed.get(guard.name()).increment();
            };
            try {
              switch (guard.name()) {
                case "notifications" -> guard.run(work);
                case "search" -> guard.get("q" + random.nextInt(10), () -> {
                  work.run();
                  return "hits";
                });
                default -> {
                  if (random.nextInt(50) == 0) {
                    guard.get(() -> {
                      work.run();
                      throw new IllegalStateException("the work failed");
                    });
                  } else {
                    guard.get(() -> {
                      work.run();
                      return "ok";
                    });
                  }
                }
              }
            } catch (FeatureShedException | IllegalStateException expected) {
              // shed without an answer, or the work's own failure: both accounted below
            } catch (RuntimeException e) {
              unexpected.incrementAndGet();
            }
          }
          return null;
        }));
      }
      Future<?> operator = pool.submit(() -> {
        start.await();
        ThreadLocalRandom random = ThreadLocalRandom.current();
        Level[] levels = Level.values();
        while (!callersDone.get()) {
          switch (random.nextInt(6)) {
            case 0 -> limp.overrides().forceLevel(levels[random.nextInt(levels.length)], Duration.ofSeconds(30),
                "stress", "stress-test");
            case 1 -> limp.overrides().shed("notifications", Duration.ofSeconds(5), "stress", "stress-test");
            case 2 -> limp.overrides().pin("search", Duration.ofSeconds(5), "stress", "stress-test");
            case 3 -> limp.overrides().releaseAll("stress-test");
            default -> clock.advanceMillis(random.nextInt(4_000));
          }
          limp.tick();
          Thread.yield();
        }
        return null;
      });
      start.countDown();
      for (Future<?> caller : callers) {
        caller.get(120, TimeUnit.SECONDS); // a deadlock shows up here, not as slowness
      }
      callersDone.set(true);
      operator.get(60, TimeUnit.SECONDS);
      pool.shutdown();

      // let everything back in, through the whole ramp, so that deferred work replays
      limp.overrides().releaseAll("stress-test");
      clock.advance(GovernorPolicy.DEFAULT_RAMP_PERIOD.plusSeconds(1));
      limp.tick();
      // deferred work replays at a bounded pace, a round per tick
      awaitTrue(() -> {
        limp.tick();
        return limp.status().feature("notifications").orElseThrow().deferredQueued() == 0;
      }, "deferred work to drain");

      assertEquals(0, unexpected.get(), "only FeatureShedException and the work's own failures reach callers");
      assertEquals(0, wrongCurrentFeature.get(), "each work saw its own feature as the current one");
      long total = 0;
      for (FeatureStatus f : limp.status().features()) {
        long calls = f.calls().values().stream().mapToLong(Long::longValue).sum();
        long handled = f.shedCalls().values().stream().mapToLong(Long::longValue).sum();
        long refused = f.calls().get(CallOutcome.SHED) + f.calls().get(CallOutcome.REJECTED);
        long ran = f.calls().get(CallOutcome.PERMITTED) + f.calls().get(CallOutcome.FAILED);
        assertEquals(attempted.get(f.name()).sum(), calls, f.name() + ": every call ends in one outcome");
        assertEquals(refused, handled, f.name() + ": every refused call is answered one way");
        long deferred = f.shedCalls().get(ShedHandling.DEFERRED);
        awaitTrue(() -> limp.status().feature(f.name()).orElseThrow().deferredReplayed() == deferred,
            f.name() + ": all " + deferred + " deferred items replayed");
        assertEquals(ran + deferred, executed.get(f.name()).sum(),
            f.name() + ": the work ran once per permitted call and once per deferred item");
        total += calls;
      }
      assertEquals((long) CALLERS * CALLS_PER_CALLER, total);
      FeatureStatus chat = limp.status().feature("chat.post").orElseThrow();
      assertEquals(0, chat.calls().get(CallOutcome.SHED), "the top tier was never shed by a level");
      assertTrue(limp.status().features().stream().anyMatch(f -> f.calls().get(CallOutcome.SHED) > 0),
          "the operator thread did shed something; otherwise this test proves little");
    }
  }

  private static void awaitTrue(java.util.function.BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        fail("timed out after 30 s waiting for " + what);
      }
      Thread.yield();
    }
  }
}
