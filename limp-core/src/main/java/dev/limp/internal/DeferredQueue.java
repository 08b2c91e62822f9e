package dev.limp.internal;

import dev.limp.FeatureState;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A feature's deferred work: bounded, in order, replayed by one thread at a time while the feature is
 * admitted. Thread-safe.
 */
final class DeferredQueue {
  private static final Logger LOG = LoggerFactory.getLogger(FeatureRuntime.class);
  private final ArrayBlockingQueue<Runnable> queue;
  private final int capacity;
  /** Whether a replay is scheduled or running (one at a time). */
  private final AtomicBoolean replaying = new AtomicBoolean();

  DeferredQueue(int capacity) {
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.capacity = capacity;
  }

  boolean offer(Runnable work) {
    return queue.offer(work);
  }

  int size() {
    return queue.size();
  }

  int capacity() {
    return capacity;
  }

  /** Claims the one replay of this queue; {@code false} if one is already scheduled or running. */
  boolean claimReplay() {
    return replaying.compareAndSet(false, true);
  }

  void releaseReplay() {
    replaying.set(false);
  }

  /** Runs the queued work in order while {@code feature} is not shed. Called on the replay thread only. */
  void replay(FeatureRuntime feature) {
    while (feature.admission().state() != FeatureState.SHED) {
      Runnable work = queue.poll();
      if (work == null) {
        return;
      }
      replayOne(feature, work);
    }
  }

  /** Runs one deferred call as the thread's current feature; work that throws is logged, counted, skipped. */
  private static void replayOne(FeatureRuntime feature, Runnable work) {
    ThreadSlots.Slot slot = feature.slots().slot();
    FeatureRuntime outer = slot.feature;
    slot.feature = feature;
    try {
      work.run();
      feature.counters.countReplay(false);
    } catch (Throwable e) { // includes checked exceptions thrown sneakily (Kotlin, Lombok): the replay goes on
      if (e instanceof VirtualMachineError) {
        throw (VirtualMachineError) e;
      }
      feature.counters.countReplay(true);
      LOG.warn("limp[{}]: deferred work of feature '{}' threw on replay; going on with the rest",
          feature.instance(), feature.name(), e);
    } finally {
      slot.feature = outer;
    }
  }
}
