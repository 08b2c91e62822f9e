package dev.limp;

/**
 * Hears what limp decides, to push it to a status page, a chat channel or an alert. Every method has an
 * empty default.
 *
 * <p>Listeners are called one event at a time, in order, on limp's event thread, never on the governor
 * thread nor under a lock: a listener that throws is logged and skipped; one that blocks delays only later
 * events (which queue up to a bound, then are counted and dropped with a warning), never the governor or a
 * caller.
 */
public interface LimpListener {
  default void onLevelChanged(LevelChangedEvent event) {
  }

  default void onFeatureStateChanged(FeatureStateChangedEvent event) {
  }

  default void onDeferredWorkDropped(DeferredWorkDroppedEvent event) {
  }

  default void onOverrideChanged(OverrideChangedEvent event) {
  }
}
