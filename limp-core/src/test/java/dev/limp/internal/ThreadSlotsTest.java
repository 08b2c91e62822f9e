package dev.limp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.limp.CallOutcome;
import dev.limp.ShedHandling;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The per-thread call counters: each thread counts in its own row, readers sum, and the counts of threads
 * that end are folded in, never lost, never counted twice.
 */
class ThreadSlotsTest {
  private static final int PERMITTED = ThreadSlots.counter(CallOutcome.PERMITTED);
  private static final int SHED = ThreadSlots.counter(CallOutcome.SHED);
  private static final int FALLBACK = ThreadSlots.counter(ShedHandling.FALLBACK);

  private static Thread counting(ThreadSlots slots, int feature, int counter, int times) {
    return new Thread(() -> {
      ThreadSlots.Slot slot = slots.slot();
      for (int i = 0; i < times; i++) {
        slot.count(feature, counter);
      }
    });
  }

  @Test
  void sumsTheRowsOfEveryThreadByFeatureAndCounter() throws InterruptedException {
    ThreadSlots slots = new ThreadSlots();
    CountDownLatch counted = new CountDownLatch(2);
    CountDownLatch release = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 2; t++) {
      Thread thread = new Thread(() -> {
        ThreadSlots.Slot slot = slots.slot();
        slot.count(0, PERMITTED);
        slot.count(0, PERMITTED);
        slot.count(3, SHED); // a feature declared later: the row array grows
        slot.count(3, FALLBACK);
        counted.countDown();
        await(release); // still alive while the sums are read: the live rows are summed
      });
      thread.start();
      threads.add(thread);
    }
    counted.await();

    assertEquals(4, slots.sums(0)[PERMITTED]);
    assertEquals(0, slots.sums(0)[SHED]);
    assertEquals(2, slots.sums(3)[SHED]);
    assertEquals(2, slots.sums(3)[FALLBACK]);
    assertEquals(0, slots.sums(1)[PERMITTED], "a feature no thread has counted");
    assertEquals(0, slots.sums(99)[PERMITTED], "an index beyond every row");
    release.countDown();
    for (Thread t : threads) {
      t.join();
    }
  }

  @Test
  void keepsTheCountsOfThreadsThatEndedAndDropsTheirSlots() throws InterruptedException {
    ThreadSlots slots = new ThreadSlots();
    for (int i = 0; i < 50; i++) {
      Thread t = counting(slots, 1, PERMITTED, 10);
      t.start();
      t.join();
    }
    assertEquals(50, slots.slotCount(), "no read yet: every slot is still there");

    assertEquals(500, slots.sums(1)[PERMITTED]);
    assertEquals(0, slots.slotCount(), "the read folded the slots of the ended threads");
    assertEquals(500, slots.sums(1)[PERMITTED], "folded counts are kept");
  }

  @Test
  void boundsTheSlotsOfEndedThreadsEvenWhenNobodyReads() throws InterruptedException {
    ThreadSlots slots = new ThreadSlots();
    int threads = 3 * ThreadSlots.SWEEP_EVERY + 7;
    for (int i = 0; i < threads; i++) {
      Thread t = counting(slots, 0, PERMITTED, 1);
      t.start();
      t.join();
    }

    assertTrue(slots.slotCount() <= ThreadSlots.SWEEP_EVERY,
        "a thread-per-task pool must not grow the slots without bound, but " + slots.slotCount() + " are kept");
    assertEquals(threads, slots.sums(0)[PERMITTED]);
  }

  @Test
  void sumsNeverGoDownAndNothingIsLostWhileThreadsComeAndGo() throws Exception {
    ThreadSlots slots = new ThreadSlots();
    int spawners = 3;
    int threadsPerSpawner = 400;
    int callsPerThread = 250;
    AtomicBoolean done = new AtomicBoolean();
    AtomicLong readings = new AtomicLong();
    AtomicReference<String> wentDown = new AtomicReference<>();
    Thread reader = new Thread(() -> {
      long last = 0;
      while (!done.get()) {
        long now = slots.sums(2)[PERMITTED];
        if (now < last) {
          wentDown.compareAndSet(null, "the sum went down from " + last + " to " + now);
        }
        last = now;
        readings.incrementAndGet();
      }
    });
    reader.start();
    List<Thread> spawning = new ArrayList<>();
    for (int s = 0; s < spawners; s++) {
      Thread spawner = new Thread(() -> {
        for (int i = 0; i < threadsPerSpawner; i++) {
          Thread t = counting(slots, 2, PERMITTED, callsPerThread);
          t.start();
          try {
            t.join();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          }
        }
      });
      spawner.start();
      spawning.add(spawner);
    }
    for (Thread t : spawning) {
      t.join();
    }
    done.set(true);
    reader.join();

    assertEquals(null, wentDown.get());
    assertTrue(readings.get() > 0);
    assertEquals((long) spawners * threadsPerSpawner * callsPerThread, slots.sums(2)[PERMITTED]);
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void askingForTheCurrentFeatureMakesNoSlot() throws InterruptedException {
    ThreadSlots slots = new ThreadSlots();
    Thread jdbcOutsideAnyGuard = new Thread(() -> assertEquals(null, slots.current()));
    jdbcOutsideAnyGuard.start();
    jdbcOutsideAnyGuard.join();

    assertEquals(0, slots.slotCount());
  }

  @Test
  void aSweepFoldsTheSlotsOfEndedThreadsWithoutAnyRead() throws InterruptedException {
    ThreadSlots slots = new ThreadSlots();
    for (int i = 0; i < 20; i++) {
      Thread t = counting(slots, 0, PERMITTED, 3);
      t.start();
      t.join();
    }
    assertEquals(20, slots.slotCount());

    slots.sweepIfIdle(); // what each governor tick does

    assertEquals(0, slots.slotCount());
    assertEquals(60, slots.sums(0)[PERMITTED]);
  }
}
