package dev.limp.internal;

import dev.limp.DeferredWorkDroppedEvent;
import dev.limp.FeatureState;
import dev.limp.LimpClock;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replays the deferred work of admitted features on the instance's replay thread
 * ({@code limp-replay-<name>}) at a bounded pace: each tick (and each restore) gives an admitted feature a
 * round of at most {@link #PER_ROUND} calls, scaled by the fraction of calls it admits while ramping. A call
 * that limp refuses again (the pool has no slack for the feature) stays queued in order and ends the round.
 * Reports work that did not fit. After {@link #close}, nothing is accepted and what is left is reported.
 * Thread-safe.
 */
final class DeferredReplay implements DeferralHost {
  /** The most deferred calls of one feature replayed per round (per tick) when it admits every call. */
  static final int PER_ROUND = 50;

  private static final Logger LOG = LoggerFactory.getLogger(dev.limp.Limp.class);

  private final String name;
  private final LimpClock clock;
  private final EventDispatcher events;
  private final ExecutorService replayer;
  private volatile boolean closed;

  DeferredReplay(String name, LimpClock clock, EventDispatcher events) {
    this.name = name;
    this.clock = clock;
    this.events = events;
    this.replayer = Executors.newSingleThreadExecutor(new LimpThreads("limp-replay-" + name));
  }

  /** Gives every admitted feature with queued work a round. Called at each tick. */
  void tick(Collection<FeatureRuntime> features) {
    for (FeatureRuntime f : features) {
      if (f.deferredQueued() > 0) {
        replaySoon(f);
      }
    }
  }

  /** Schedules a round of the feature's deferred work, if it is admitted, once at a time per feature. */
  @Override
  public void replaySoon(FeatureRuntime f) {
    DeferredQueue queue = f.deferred();
    Admission admission = f.admission();
    if (queue == null || queue.size() == 0 || closed || admission.state() == FeatureState.SHED
        || !queue.claimReplay()) {
      return;
    }
    int budget = Math.max(1, (int) ((long) PER_ROUND * admission.permille() / Admission.ALL));
    try {
      replayer.execute(() -> {
        try {
          queue.replay(f, budget);
        } finally {
          queue.releaseReplay();
        }
      });
    } catch (RuntimeException rejected) { // closed meanwhile
      queue.releaseReplay();
    }
  }

  @Override
  public boolean accepting() {
    return !closed;
  }

  @Override
  public void dropped(FeatureRuntime f, int capacity, long droppedSoFar) {
    if (droppedSoFar == 1 || Long.bitCount(droppedSoFar) == 1) {
      LOG.warn("limp[{}]: deferred work of feature '{}' dropped: {} ({} dropped so far)", name, f.name(),
          closed ? "limp is closed" : "the queue of " + capacity + " is full", droppedSoFar);
    }
    events.deferredWorkDropped(new DeferredWorkDroppedEvent(name, f.name(), capacity, droppedSoFar,
        clock.instant()));
  }

  /**
   * Stops accepting and replaying: waits up to {@code timeoutMillis} for a round in progress, then
   * interrupts it. Reports the work left in the queues.
   *
   * @return the number of deferred calls that were not replayed
   */
  int close(Collection<FeatureRuntime> features, long timeoutMillis) {
    closed = true;
    LimpThreads.stop(replayer, timeoutMillis, name, "replay");
    List<FeatureRuntime> waiting = features.stream().filter(f -> f.deferredQueued() > 0).toList();
    int total = waiting.stream().mapToInt(FeatureRuntime::deferredQueued).sum();
    if (total > 0) {
      LOG.warn("limp[{}]: closed with {} deferred work items not replayed: {}", name, total,
          waiting.stream().map(f -> f.name() + "=" + f.deferredQueued()).toList());
    }
    return total;
  }
}
