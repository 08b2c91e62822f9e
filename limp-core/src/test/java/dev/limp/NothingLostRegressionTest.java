package dev.limp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.limp.testing.FakeClock;
import dev.limp.testing.GovernorDriver;
import dev.limp.testing.TestSignals;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * Regression tests for the promises an independent probe of the public API found broken (issue 13): work
 * limp accepts is run, reported as failed or reported as dropped; nothing of limp's own hangs or leaks.
 */
class NothingLostRegressionTest {
  private static final Duration MINUTE = Duration.ofMinutes(1);
  private final FakeClock clock = new FakeClock();

  private LimpBuilder builder() {
    return Limp.builder().clock(clock).governorThread(false)
        .feature(FeatureConfig.builder("notifications", Tier.SHEDDABLE_PLUS).deferWhenShed(1_000).build());
  }

  private static FeatureStatus status(Limp limp, String feature) {
    return limp.status().feature(feature).orElseThrow();
  }

  private static FeatureShedException refusedByTheReserve(String feature) {
    return new FeatureShedException(new ShedReason(feature, Level.NORMAL, ShedCause.RESERVE,
        "8 of 10 connections are in use; the last 2 are kept for CRITICAL and above", Duration.ofMillis(250)));
  }

  @Test
  void aReplayedCallLimpRefusesAgainStaysQueuedInOrderAndIsNotCountedAsReplayed() {
    List<Integer> done = new CopyOnWriteArrayList<>();
    AtomicInteger refusalsLeft = new AtomicInteger(1);
    try (Limp limp = builder().build()) {
      FeatureGuard notifications = limp.guard("notifications");
      limp.overrides().shed("notifications", MINUTE, "pool full", "ops");
      for (int i = 0; i < 3; i++) {
        int n = i;
        notifications.run(() -> {
          if (n == 1 && refusalsLeft.getAndDecrement() > 0) {
            throw refusedByTheReserve("notifications"); // the pool has no slack for it yet
          }
          done.add(n);
        });
      }

      limp.overrides().releaseFeature("notifications", "ops");
      awaitTrue(() -> done.size() == 1 && refusalsLeft.get() < 1, "the round stops at the refused call");
      assertEquals(2, status(limp, "notifications").deferredQueued(), "the refused call stays queued");
      assertEquals(1, status(limp, "notifications").deferredReplayed());
      assertEquals(0, status(limp, "notifications").deferredReplayFailed(), "a refusal is not a failure");

      limp.tick(); // the next round
      awaitTrue(() -> done.size() == 3, "the refused call and the one behind it replayed");
      assertEquals(List.of(0, 1, 2), done, "in the order deferred");
      FeatureStatus s = status(limp, "notifications");
      assertEquals(3, s.deferredReplayed());
      assertEquals(0, s.deferredQueued());
      assertEquals(s.shedCalls().get(ShedHandling.DEFERRED), s.deferredQueued() + s.deferredReplayed()
          + s.deferredReplayFailed(), "deferred = queued + replayed + failed");
    }
  }

  @Test
  void deferredWorkIsReplayedAtABoundedPaceOneRoundPerTick() {
    AtomicInteger ran = new AtomicInteger();
    try (Limp limp = builder().build()) {
      FeatureGuard notifications = limp.guard("notifications");
      limp.overrides().shed("notifications", MINUTE, "pool full", "ops");
      for (int i = 0; i < 120; i++) {
        notifications.run(ran::incrementAndGet);
      }

      limp.overrides().releaseFeature("notifications", "ops"); // the first round, at once
      awaitTrue(() -> status(limp, "notifications").deferredReplayed() == 50, "the first round of 50");
      assertEquals(70, status(limp, "notifications").deferredQueued(), "not all at once");
      limp.tick();
      awaitTrue(() -> status(limp, "notifications").deferredReplayed() == 100, "the second round");
      limp.tick();
      awaitTrue(() -> status(limp, "notifications").deferredReplayed() == 120, "the rest");
      assertEquals(120, ran.get());
    }
  }

  @Test
  void aReplayThatFailsWithItsOwnErrorIsCountedAsFailedAndTheRestGoOn() {
    List<String> done = new CopyOnWriteArrayList<>();
    try (Limp limp = builder().build()) {
      FeatureGuard notifications = limp.guard("notifications");
      limp.overrides().shed("notifications", MINUTE, "pool full", "ops");
      notifications.run(() -> {
        throw new IllegalStateException("smtp down");
      });
      notifications.run(() -> done.add("second"));

      limp.overrides().releaseFeature("notifications", "ops");
      awaitTrue(() -> done.size() == 1, "the second call replayed");
      awaitTrue(() -> status(limp, "notifications").deferredReplayFailed() == 1, "the failure counted");
      assertEquals(1, status(limp, "notifications").deferredReplayed(), "only the good one is 'replayed'");
    }
  }

  @Test
  void workDeferredAfterCloseIsRefusedCountedAndNeverStranded() {
    Limp limp = builder().build();
    FeatureGuard notifications = limp.guard("notifications");
    limp.overrides().shed("notifications", MINUTE, "pool full", "ops");
    limp.close();

    assertThrows(FeatureShedException.class, () -> notifications.run(() -> { }));
    FeatureStatus s = status(limp, "notifications");
    assertEquals(1, s.shedCalls().get(ShedHandling.DROPPED), "counted as dropped, not as deferred");
    assertEquals(0, s.shedCalls().get(ShedHandling.DEFERRED));
    assertEquals(0, s.deferredQueued(), "nothing accepted that will never run");
  }

  @Test
  void runOfNullWorkIsRefusedNamingTheParameterBeforeAnythingIsCounted() {
    try (Limp limp = builder().build()) {
      FeatureGuard notifications = limp.guard("notifications");
      limp.overrides().shed("notifications", MINUTE, "pool full", "ops");

      NullPointerException e = assertThrows(NullPointerException.class, () -> notifications.run(null));

      assertEquals("work", e.getMessage());
      FeatureStatus s = status(limp, "notifications");
      assertEquals(0, s.calls().values().stream().mapToLong(Long::longValue).sum(), "no call counted");
      assertEquals(0, s.shedCalls().values().stream().mapToLong(Long::longValue).sum(), "no handling counted");
    }
  }

  @Test
  void closeIsBoundedWhenAListenerBlocksAndEndsTheEventThread() throws InterruptedException {
    CountDownLatch never = new CountDownLatch(1);
    CountDownLatch listening = new CountDownLatch(1);
    Limp limp = builder().name("blocked-listener").listener(new LimpListener() {
      @Override
      public void onLevelChanged(LevelChangedEvent event) {
        listening.countDown();
        try {
          never.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }).build();
    limp.overrides().forceLevel(Level.SHED_SHEDDABLE, MINUTE, "storage", "ops");
    assertTrue(listening.await(10, TimeUnit.SECONDS), "the listener is blocking");

    assertTimeoutPreemptively(Duration.ofSeconds(30), limp::close, "close must not wait for the listener");

    Thread events = thread("limp-events-blocked-listener");
    if (events != null) {
      events.join(10_000);
      assertFalse(events.isAlive(), "the event thread ended");
    }
  }

  @Test
  void closeInterruptsAHungReplayAndEndsTheReplayThread() throws InterruptedException {
    CountDownLatch never = new CountDownLatch(1);
    CountDownLatch replaying = new CountDownLatch(1);
    Limp limp = builder().name("hung-replay").build();
    FeatureGuard notifications = limp.guard("notifications");
    limp.overrides().shed("notifications", MINUTE, "pool full", "ops");
    notifications.run(() -> {
      replaying.countDown();
      try {
        never.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted");
      }
    });
    notifications.run(() -> { });
    limp.overrides().releaseFeature("notifications", "ops");
    assertTrue(replaying.await(10, TimeUnit.SECONDS), "the replay is hanging");

    assertTimeoutPreemptively(Duration.ofSeconds(30), limp::close, "close must not wait for the hung work");

    Thread replay = thread("limp-replay-hung-replay");
    if (replay != null) {
      replay.join(10_000);
      assertFalse(replay.isAlive(), "the replay thread ended");
    }
    assertEquals(1, status(limp, "notifications").deferredQueued(), "the call behind it is reported, not lost");
  }

  @Test
  void aBreakerOrBulkheadOfTheSameNameInASharedRegistryIsNeverAdoptedOrForced() {
    CircuitBreakerRegistry breakers = CircuitBreakerRegistry.ofDefaults();
    CircuitBreaker applications = breakers.circuitBreaker("search",
        CircuitBreakerConfig.custom().slidingWindowSize(100).build());
    BulkheadRegistry bulkheads = BulkheadRegistry.ofDefaults();
    Bulkhead applicationsBulkhead = bulkheads.bulkhead("search", BulkheadConfig.custom().maxConcurrentCalls(7).build());
    try (Limp limp = Limp.builder().clock(clock).governorThread(false).circuitBreakerRegistry(breakers)
        .bulkheadRegistry(bulkheads)
        .feature(FeatureConfig.builder("search", Tier.SHEDDABLE).bulkhead(2).build()).build()) {
      FeatureGuard search = limp.guard("search");
      assertNotSame(applications, search.circuitBreaker().orElseThrow(), "limp uses a breaker of its own");
      assertNotSame(applicationsBulkhead, search.bulkhead().orElseThrow(), "and a bulkhead of its own");

      limp.overrides().shed("search", MINUTE, "scans", "ops");

      assertEquals(CircuitBreaker.State.FORCED_OPEN, search.circuitBreaker().orElseThrow().getState());
      assertEquals(CircuitBreaker.State.CLOSED, applications.getState(), "the application's breaker untouched");
      assertEquals(100, applications.getCircuitBreakerConfig().getSlidingWindowSize(), "and not reconfigured");
      assertTrue(applications.tryAcquirePermission(), "its other users are not refused");
      assertEquals(7, applicationsBulkhead.getBulkheadConfig().getMaxConcurrentCalls());
      assertEquals(2, search.bulkhead().orElseThrow().getBulkheadConfig().getMaxConcurrentCalls());
    }
  }

  @Test
  void limpsOwnBreakerIsInTheSharedRegistryWhenTheNameIsFree() {
    CircuitBreakerRegistry breakers = CircuitBreakerRegistry.ofDefaults();
    try (Limp limp = Limp.builder().clock(clock).governorThread(false).circuitBreakerRegistry(breakers)
        .feature("search", Tier.SHEDDABLE).build()) {
      assertEquals(limp.guard("search").circuitBreaker().orElseThrow(), breakers.find("search").orElseThrow());
    }
  }

  @Test
  void aHungSignalSourceNeitherFreezesDecisionsNorKeepsOverridesFromExpiring() {
    CountDownLatch release = new CountDownLatch(1);
    TestSignals healthy = new TestSignals();
    SignalSource hung = sink -> {
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    };
    try (Limp limp = new GovernorDriver(clock).install(builder()).signalSource(hung).signalSource(healthy)
        .build()) {
      limp.overrides().forceLevel(Level.SHED_CRITICAL, Duration.ofSeconds(1), "drill", "ops");
      clock.advanceSeconds(2);

      assertTimeoutPreemptively(Duration.ofSeconds(30), limp::tick, "a tick must not wait for a hung source");
      assertEquals(List.of(), limp.overrides().active(), "the 1 s override expired on time");
      assertEquals(Level.NORMAL, limp.level());

      healthy.set(TestSignals.LATENCY, 500);
      assertTimeoutPreemptively(Duration.ofSeconds(30), limp::tick, "the hung source is not asked again");
      assertEquals(Level.SHED_SHEDDABLE_PLUS, limp.level(), "the other sources still decide");
    } finally {
      release.countDown();
    }
  }

  /** A key of a class whose hashCode throws, as a buggy application key might. */
  private static final class BadKey {
    @Override
    public int hashCode() {
      throw new IllegalStateException("hashCode is broken");
    }

    @Override
    public boolean equals(Object other) {
      return this == other;
    }
  }

  @Test
  void aStaleValueKeyWhoseHashCodeThrowsNeverLeaksOutOfTheGuard() {
    try (Limp limp = Limp.builder().clock(clock).governorThread(false)
        .feature(FeatureConfig.builder("search", Tier.SHEDDABLE).staleValues(MINUTE, 10).defaultValue("none")
            .build()).build()) {
      FeatureGuard search = limp.guard("search");

      assertEquals("fresh", search.get(new BadKey(), () -> "fresh"), "the work's result, not the key's failure");

      limp.overrides().shed("search", MINUTE, "scans", "ops");
      assertEquals("none", search.get(new BadKey(), () -> "fresh"), "as if nothing were cached: the default");
      assertEquals(1, status(limp, "search").shedCalls().get(ShedHandling.DEFAULT), "answered and counted");
    }
  }

  @Test
  void aNewlineInAReasonOrAnActorCannotForgeAnAuditLine() {
    try (Limp limp = builder().build()) {
      OperatorOverride o = limp.overrides().shed("notifications", MINUTE,
          "slow\n12:00:00 INFO dev.limp.Limp - limp[default]: jmx:root released the forced level", "eve\r\nroot");

      assertFalse(o.reason().contains("\n"), o.reason());
      assertTrue(o.reason().contains("\\n12:00:00"), "escaped, still readable: " + o.reason());
      assertEquals("eve\\r\\nroot", o.actor());
      assertFalse(o.toString().contains("\n"));
    }
  }

  private static Thread thread(String name) {
    return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals(name)).findFirst()
        .orElse(null);
  }

  private static void awaitTrue(BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after 10 s waiting for: " + what);
      }
      Thread.onSpinWait();
      Thread.yield();
    }
  }
}
