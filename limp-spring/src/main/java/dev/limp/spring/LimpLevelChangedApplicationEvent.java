package dev.limp.spring;

import dev.limp.LevelChangedEvent;
import dev.limp.Limp;
import org.springframework.context.ApplicationEvent;

/**
 * limp's effective level changed: published to the application context for every
 * {@link LevelChangedEvent}, on limp's event thread, shortly after the change, once the context is ready.
 * A change made while the context refreshes is held and published, in order, when the context starts (on
 * the starting thread), so that {@code @EventListener} methods hear it too. The source is the
 * {@link Limp} instance.
 */
public class LimpLevelChangedApplicationEvent extends ApplicationEvent {
  private static final long serialVersionUID = 1L;

  private final transient LevelChangedEvent event;

  public LimpLevelChangedApplicationEvent(Limp limp, LevelChangedEvent event) {
    super(limp);
    this.event = event;
  }

  /** The change: from and to which level, why, and when. */
  public LevelChangedEvent event() {
    return event;
  }
}
