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

  /**
   * Runs up to {@code budget} queued calls in order while {@code feature} is admitted. A call that limp
   * refuses again (the connection reserve: the pool has no slack for the feature) stays at the head of the
   * queue and ends the round; it is tried again at a later round. Called on the replay thread only (one
   * replay per queue at a time, so only it removes from the head).
   *
   * @return {@code true} if the round ended because limp refused a call
   */
  boolean replay(FeatureRuntime feature, int budget) {
    for (int done = 0; done < budget && feature.admission().state() != FeatureState.SHED
        && !Thread.currentThread().isInterrupted(); done++) { // interrupted: the instance is closing
      Runnable work = queue.peek();
      if (work == null) {
        return false;
      }
      if (!replayOne(feature, work)) {
        return true;
      }
      queue.poll();
    }
    return false;
  }

  /**
   * Runs one deferred call as the thread's current feature. Work that fails with its own error is logged and
   * counted as failed; the replay goes on.
   *
   * @return {@code false} if limp refused the call from inside (it is not counted and stays queued)
   */
  private static boolean replayOne(FeatureRuntime feature, Runnable work) {
    ThreadSlots.Slot slot = feature.slots().slot();
    FeatureRuntime outer = slot.feature;
    slot.feature = feature;
    try {
      work.run();
      feature.counters.countReplay(false);
      return true;
    } catch (Throwable e) { // includes checked exceptions thrown sneakily (Kotlin, Lombok): the replay goes on
      if (e instanceof VirtualMachineError) {
        throw (VirtualMachineError) e;
      }
      if (feature.refusedByLimp(e)) {
        LOG.debug("limp[{}]: deferred work of feature '{}' refused again on replay; it stays queued",
            feature.instance(), feature.name());
        return false;
      }
      feature.counters.countReplay(true);
      LOG.warn("limp[{}]: deferred work of feature '{}' failed on replay (counted as replay-failed); going on "
          + "with the rest", feature.instance(), feature.name(), e);
      return true;
    } finally {
      slot.feature = outer;
    }
  }
}
