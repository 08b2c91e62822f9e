package dev.limp.internal;

import dev.limp.DeferredWorkDroppedEvent;
import dev.limp.FeatureState;
import dev.limp.LimpClock;
import java.util.Collection;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replays the deferred work of restored features on the instance's replay thread
 * ({@code limp-replay-<name>}), one feature's queue at a time, and reports work that did not fit. Closing it
 * waits a little for a replay in progress and reports what is left. Thread-safe.
 */
final class DeferredReplay implements DeferralHost {
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

  /** Schedules a replay of the feature's deferred work, once at a time per feature. */
  @Override
  public void replaySoon(FeatureRuntime f) {
    DeferredQueue queue = f.deferred();
    if (queue == null || queue.size() == 0 || closed || !queue.claimReplay()) {
      return;
    }
    try {
      replayer.execute(() -> {
        try {
          queue.replay(f);
        } finally {
          queue.releaseReplay();
          if (queue.size() > 0 && f.admission().state() != FeatureState.SHED) {
            replaySoon(f);
          }
        }
      });
    } catch (RuntimeException rejected) { // closed meanwhile
      queue.releaseReplay();
    }
  }

  @Override
  public void dropped(FeatureRuntime f, int capacity, long droppedSoFar) {
    if (droppedSoFar == 1 || Long.bitCount(droppedSoFar) == 1) {
      LOG.warn("limp[{}]: deferred work of feature '{}' dropped: the queue of {} is full ({} dropped so far)",
          name, f.name(), capacity, droppedSoFar);
    }
    events.deferredWorkDropped(new DeferredWorkDroppedEvent(name, f.name(), capacity, droppedSoFar,
        clock.instant()));
  }

  /** Stops replaying (waiting up to 5 s for a replay in progress) and reports the work left in the queues. */
  void close(Collection<FeatureRuntime> features) {
    closed = true;
    replayer.shutdown();
    try {
      replayer.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    int waiting = features.stream().mapToInt(FeatureRuntime::deferredQueued).sum();
    if (waiting > 0) {
      LOG.warn("limp[{}]: closed with {} deferred work items not replayed: {}", name, waiting,
          features.stream().filter(f -> f.deferredQueued() > 0)
              .map(f -> f.name() + "=" + f.deferredQueued()).toList());
    }
  }
}
