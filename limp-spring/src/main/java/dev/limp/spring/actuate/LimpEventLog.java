package dev.limp.spring.actuate;

import dev.limp.DeferredWorkDroppedEvent;
import dev.limp.FeatureStateChangedEvent;
import dev.limp.LevelChangedEvent;
import dev.limp.LimpListener;
import dev.limp.OperatorOverride;
import dev.limp.OverrideChangedEvent;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The last decisions of a limp instance, for the {@code limpevents} endpoint: level changes, feature state
 * changes (shadow "would shed" ones included), overrides applied, replaced, released or expired (with who
 * did it), and deferred work dropped; each with its time and reason. Holds at most {@code capacity}
 * entries, the oldest going first. Fed by its {@link #listener()}, attached to the instance once. Thread-safe.
 */
public final class LimpEventLog {
  /** How many decisions are kept unless told otherwise. */
  public static final int DEFAULT_CAPACITY = 100;

  private final int capacity;
  private final Deque<Map<String, Object>> entries = new ArrayDeque<>();
  private final AtomicBoolean attached = new AtomicBoolean();
  private long recorded;
  private final LimpListener listener = new LimpListener() {
    @Override
    public void onLevelChanged(LevelChangedEvent e) {
      Map<String, Object> m = entry("LEVEL_CHANGED", e.at(), null);
      m.put("from", e.from().name());
      m.put("to", e.to().name());
      m.put("reason", e.reason());
      m.put("overridden", e.overridden());
      m.put("shadow", e.shadow());
      add(m);
    }

    @Override
    public void onFeatureStateChanged(FeatureStateChangedEvent e) {
      Map<String, Object> m = entry(e.shadow() ? "FEATURE_WOULD_CHANGE" : "FEATURE_STATE_CHANGED", e.at(),
          e.feature());
      m.put("tier", e.tier().name());
      m.put("from", e.from().name());
      m.put("to", e.to().name());
      if (e.reason() != null) {
        m.put("reason", e.reason().detail());
        m.put("cause", e.reason().cause().name());
      }
      m.put("shadow", e.shadow());
      add(m);
    }

    @Override
    public void onOverrideChanged(OverrideChangedEvent e) {
      OperatorOverride o = e.override();
      Map<String, Object> m = entry("OVERRIDE_" + e.action().name(), e.at(),
          o.kind() == OperatorOverride.Kind.FORCE_LEVEL ? null : o.target());
      m.put("kind", o.kind().name());
      m.put("target", o.target());
      m.put("reason", o.reason());
      m.put("actor", e.actor());
      m.put("appliedBy", o.actor());
      m.put("expiresAt", o.expiresAt().toString());
      add(m);
    }

    @Override
    public void onDeferredWorkDropped(DeferredWorkDroppedEvent e) {
      Map<String, Object> m = entry("DEFERRED_WORK_DROPPED", e.at(), e.feature());
      m.put("reason", "the deferral queue (capacity " + e.capacity() + ") was full");
      m.put("droppedSoFar", e.droppedSoFar());
      add(m);
    }

    @Override
    public String toString() {
      return "LimpEventLog listener";
    }
  };

  /** @throws IllegalArgumentException unless the capacity is 1 to 10000 */
  public LimpEventLog(int capacity) {
    if (capacity < 1 || capacity > 10_000) {
      throw new IllegalArgumentException("capacity must be between 1 and 10000, but was " + capacity);
    }
    this.capacity = capacity;
  }

  /**
   * Hands the listener that feeds this log to {@code addListener} (a builder's or an instance's), the first
   * time only: later calls do nothing, so the log never hears an event twice.
   *
   * @return whether it was attached now
   */
  public boolean attach(Consumer<LimpListener> addListener) {
    if (!attached.compareAndSet(false, true)) {
      return false;
    }
    addListener.accept(listener);
    return true;
  }

  /** The listener that feeds this log. */
  public LimpListener listener() {
    return listener;
  }

  /** The kept decisions, oldest first. */
  public synchronized List<Map<String, Object>> entries() {
    return entries.stream().map(Map::copyOf).toList();
  }

  /** How many decisions were recorded in all, including those no longer kept. */
  public synchronized long recorded() {
    return recorded;
  }

  /** How many decisions are kept at most. */
  public int capacity() {
    return capacity;
  }

  private static Map<String, Object> entry(String type, Instant at, @Nullable String feature) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("at", at.toString());
    m.put("type", type.toUpperCase(Locale.ROOT));
    if (feature != null) {
      m.put("feature", feature);
    }
    return m;
  }

  private synchronized void add(Map<String, Object> entry) {
    if (entries.size() == capacity) {
      entries.removeFirst();
    }
    entries.addLast(entry);
    recorded++;
  }
}
