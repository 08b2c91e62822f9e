package dev.limp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.limp.testing.FakeClock;
import dev.limp.testing.GovernorDriver;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/** Shed side effects are queued, replayed in order on restore, and overflow is never silent. */
class DeferralTest {
  private final FakeClock clock = new FakeClock();
  private final GovernorDriver governor = new GovernorDriver(clock);

  private Limp limp(int capacity, LimpListener listener) {
    return governor.install(Limp.builder().clock(clock).governorThread(false)).listener(listener)
        .feature(FeatureConfig.builder("notifications", Tier.SHEDDABLE_PLUS).deferWhenShed(capacity).build())
        .build();
  }

  @Test
  void shedRunnableWorkIsReplayedInOrderWhenTheFeatureIsRestored() {
    List<Integer> done = new CopyOnWriteArrayList<>();
    try (Limp limp = limp(100, new LimpListener() { })) {
      FeatureGuard notifications = limp.guard("notifications");
      limp.overrides().shed("notifications", Duration.ofMinutes(1), "db slow", "ops");
      for (int i = 0; i < 50; i++) {
        int n = i;
        notifications.run(() -> done.add(n));
      }
      assertTrue(done.isEmpty(), "nothing ran while shed");
      FeatureStatus status = limp.status().feature("notifications").orElseThrow();
      assertEquals(50, status.deferredQueued());
      assertEquals(50, status.shedCalls().get(ShedHandling.DEFERRED));

      limp.overrides().releaseFeature("notifications", "ops");
      awaitTrue(() -> done.size() == 50, "replay of 50 deferred items");
      for (int i = 0; i < 50; i++) {
        assertEquals(i, done.get(i), "replayed in the order deferred");
      }
      awaitTrue(() -> limp.status().feature("notifications").orElseThrow().deferredReplayed() == 50,
          "replay counted");
      assertEquals(0, limp.status().feature("notifications").orElseThrow().deferredQueued());
    }
  }

  @Test
  void replayedWorkRunsAsTheFeatureAndAFailingItemDoesNotStopTheRest() {
    List<String> seen = new CopyOnWriteArrayList<>();
    try (Limp limp = limp(10, new LimpListener() { })) {
      FeatureGuard notifications = limp.guard("notifications");
      limp.overrides().shed("notifications", Duration.ofMinutes(1), "db slow", "ops");
      notifications.run(() -> seen.add(limp.currentFeature().map(FeatureGuard::name).orElse("none")));
      notifications.run(() -> {
        throw new IllegalStateException("deferred work failed");
      });
      notifications.run(() -> seen.add("after the failure"));
      limp.overrides().releaseFeature("notifications", "ops");
      awaitTrue(() -> seen.size() == 2, "the two good items replayed");
      assertEquals(List.of("notifications", "after the failure"), seen);
    }
  }

  @Test
  void overflowIsCountedReportedToListenersAndThrownNeverSilentlyDropped() throws InterruptedException {
    BlockingQueue<DeferredWorkDroppedEvent> dropped = new LinkedBlockingQueue<>();
    try (Limp limp = limp(2, new LimpListener() {
      @Override
      public void onDeferredWorkDropped(DeferredWorkDroppedEvent event) {
        dropped.add(event);
      }
    })) {
      FeatureGuard notifications = limp.guard("notifications");
      limp.overrides().shed("notifications", Duration.ofMinutes(1), "db slow", "ops");
      notifications.run(() -> { });
      notifications.run(() -> { });
      FeatureShedException e = assertThrows(FeatureShedException.class, () -> notifications.run(() -> { }));
      assertEquals("notifications", e.feature());
      DeferredWorkDroppedEvent event = dropped.poll(10, TimeUnit.SECONDS);
      if (event == null) {
        fail("no DeferredWorkDroppedEvent within 10 s");
      }
      assertEquals("notifications", event.feature());
      assertEquals(2, event.capacity());
      assertEquals(1, event.droppedSoFar());
      FeatureStatus status = limp.status().feature("notifications").orElseThrow();
      assertEquals(2, status.shedCalls().get(ShedHandling.DEFERRED));
      assertEquals(1, status.shedCalls().get(ShedHandling.DROPPED));
      assertEquals(3, status.calls().get(CallOutcome.SHED));
    }
  }

  @Test
  void workDeferredWhileRampingIsReplayedWithoutWaitingForAnotherRestore() {
    List<Integer> done = new CopyOnWriteArrayList<>();
    try (Limp limp = limp(1000, new LimpListener() { })) {
      FeatureGuard notifications = limp.guard("notifications");
      governor.shed(limp);
      governor.letBackIn(limp);
      assertEquals(FeatureState.RAMPING, notifications.state());
      // at the 10 % ramp step most calls are shed and deferred; they must still all run
      for (int i = 0; i < 200; i++) {
        int n = i;
        notifications.run(() -> done.add(n));
      }
      // replayed at a bounded pace: a round at each tick
      awaitTrue(() -> done.size() == 200 || tick(limp), "every call ran, directly or replayed");
    }
  }

  /** Ticks and answers {@code false}: for waiting on replay, which goes a round per tick. */
  static boolean tick(Limp limp) {
    limp.tick();
    return false;
  }

  static void awaitTrue(BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        fail("timed out after 10 s waiting for: " + what);
      }
      Thread.onSpinWait();
      Thread.yield();
    }
  }
}
