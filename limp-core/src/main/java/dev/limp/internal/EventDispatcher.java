package dev.limp.internal;

import dev.limp.DeferredWorkDroppedEvent;
import dev.limp.FeatureStateChangedEvent;
import dev.limp.LevelChangedEvent;
import dev.limp.LimpListener;
import dev.limp.OverrideChangedEvent;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers events to listeners, in order, on one daemon thread of its own, so that a listener that throws
 * or blocks never stalls the governor or a caller. The queue is bounded: when a blocked listener lets it
 * fill, further events are counted and dropped with a warning. Thread-safe.
 */
final class EventDispatcher {
  static final int QUEUE_CAPACITY = 10_000;
  private static final Logger LOG = LoggerFactory.getLogger(EventDispatcher.class);

  private final List<LimpListener> listeners = new CopyOnWriteArrayList<>();
  private final ThreadPoolExecutor executor;
  private final AtomicLong dropped = new AtomicLong();

  EventDispatcher(String instance, List<LimpListener> initial) {
    listeners.addAll(initial);
    executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
        new ArrayBlockingQueue<>(QUEUE_CAPACITY), new LimpThreads("limp-events-" + instance),
        (task, pool) -> {
          long n = dropped.incrementAndGet();
          if (n == 1 || Long.bitCount(n) == 1) { // 1, 2, 4, 8, …: loud but bounded
            LOG.warn("limp[{}]: listener events dropped: {} so far; a listener is blocking or too slow",
                instance, n);
          }
        });
  }

  void add(LimpListener listener) {
    listeners.add(listener);
  }

  void remove(LimpListener listener) {
    listeners.remove(listener);
  }

  void levelChanged(LevelChangedEvent e) {
    post(e, (l, ev) -> l.onLevelChanged(ev));
  }

  void featureStateChanged(FeatureStateChangedEvent e) {
    post(e, (l, ev) -> l.onFeatureStateChanged(ev));
  }

  void deferredWorkDropped(DeferredWorkDroppedEvent e) {
    post(e, (l, ev) -> l.onDeferredWorkDropped(ev));
  }

  void overrideChanged(OverrideChangedEvent e) {
    post(e, (l, ev) -> l.onOverrideChanged(ev));
  }

  private interface Delivery<E> {
    void deliver(LimpListener listener, E event);
  }

  private <E> void post(E event, Delivery<E> delivery) {
    if (listeners.isEmpty() || executor.isShutdown()) {
      return;
    }
    executor.execute(() -> {
      for (LimpListener listener : listeners) {
        try {
          delivery.deliver(listener, event);
        } catch (RuntimeException | Error e) { // an Error too: the next listeners must still hear the event
          LOG.warn("limp listener {} threw on {}; the event is skipped for it", listener, event, e);
        }
      }
    });
  }

  /**
   * Stops the event thread: events already queued are delivered for up to {@code timeoutMillis}; a listener
   * still blocking then is interrupted. Says how many events were not delivered.
   *
   * @return the number of events not delivered
   */
  int close(long timeoutMillis, String instance) {
    int undelivered = LimpThreads.stop(executor, timeoutMillis, instance, "event");
    if (undelivered > 0) {
      LOG.warn("limp[{}]: closed with {} listener events not delivered: a listener blocked for more than {} ms",
          instance, undelivered, timeoutMillis);
    }
    return undelivered;
  }
}
