package dev.limp.spring.context;

import dev.limp.LevelChangedEvent;
import dev.limp.Limp;
import dev.limp.LimpListener;
import dev.limp.spring.LimpLevelChangedApplicationEvent;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;

/**
 * Publishes limp's level changes as {@link LimpLevelChangedApplicationEvent}s, but only once the
 * application context is ready: a change that happens while the context refreshes (an override a bean
 * applies at start, say) is held and published, in order, when {@link LimpLifecycle} starts, so that the
 * application's {@code @EventListener} methods (registered only after every singleton exists) hear it, and
 * no bean is ever created on limp's event thread during the refresh. At most {@link #HELD_MAX} changes are
 * held; older ones are dropped with a warning. Thread-safe.
 */
public final class ApplicationEventBridge implements LimpListener {
  /** How many level changes are held until the context is ready. */
  public static final int HELD_MAX = 1_000;

  private static final Logger log = LoggerFactory.getLogger(ApplicationEventBridge.class);

  private final ApplicationEventPublisher publisher;
  private volatile @Nullable Limp source;
  private final Queue<LevelChangedEvent> held = new ArrayDeque<>();
  private boolean open;
  private long dropped;

  public ApplicationEventBridge(ApplicationEventPublisher publisher) {
    this.publisher = publisher;
  }

  @Override
  public void onLevelChanged(LevelChangedEvent event) {
    synchronized (this) {
      if (!open) {
        if (held.size() == HELD_MAX) {
          held.remove();
          dropped++;
        }
        held.add(event);
        return;
      }
    }
    publisher.publishEvent(new LimpLevelChangedApplicationEvent(source, event));
  }

  /**
   * Publishes the held changes on the calling thread, then every later one as it comes. Called by
   * {@link LimpLifecycle#start()}; the event thread waits meanwhile, so the order is kept.
   */
  synchronized void open(Limp limp) {
    if (open) {
      return;
    }
    source = limp;
    if (dropped > 0) {
      log.warn("limp: {} level changes during start-up were not published (only the last {} are held)",
          dropped, HELD_MAX);
    }
    List<LevelChangedEvent> due = new ArrayList<>(held);
    held.clear();
    for (LevelChangedEvent e : due) {
      publisher.publishEvent(new LimpLevelChangedApplicationEvent(limp, e));
    }
    open = true;
  }

  /** Holds changes again (the context stopped); they are published on the next {@link #open(Limp)}. */
  synchronized void close() {
    open = false;
  }
}
