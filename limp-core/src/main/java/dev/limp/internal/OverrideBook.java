package dev.limp.internal;

import dev.limp.Level;
import dev.limp.OperatorOverride;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The overrides in force and when each expires (on the monotonic clock). The forced level is kept as a
 * {@link Level}, not as text. Not thread-safe: the {@link Governor} guards it with its decision lock.
 */
final class OverrideBook {
  /** An override and its expiry on the monotonic clock. */
  record Entry(OperatorOverride override, long expiresAtNanos) {
  }

  private Entry forcedLevel;
  private final Map<String, Entry> features = new TreeMap<>();

  OperatorOverride forcedLevel() {
    return forcedLevel == null ? null : forcedLevel.override();
  }

  /** The level an operator forces, or {@code null}. */
  Level forced() {
    return forcedLevel == null ? null : forcedLevel.override().level().orElseThrow();
  }

  OperatorOverride feature(String name) {
    Entry e = features.get(name);
    return e == null ? null : e.override();
  }

  /** Adds an override; returns the one it replaces, or {@code null}. */
  OperatorOverride put(Entry entry) {
    if (entry.override().kind() == OperatorOverride.Kind.FORCE_LEVEL) {
      OperatorOverride previous = forcedLevel();
      forcedLevel = entry;
      return previous;
    }
    Entry previous = features.put(entry.override().target(), entry);
    return previous == null ? null : previous.override();
  }

  OperatorOverride removeForcedLevel() {
    OperatorOverride previous = forcedLevel();
    forcedLevel = null;
    return previous;
  }

  OperatorOverride removeFeature(String name) {
    Entry previous = features.remove(name);
    return previous == null ? null : previous.override();
  }

  /** Removes every override; returns them, the forced level first. */
  List<OperatorOverride> removeAll() {
    List<OperatorOverride> all = active();
    forcedLevel = null;
    features.clear();
    return all;
  }

  /** Removes and returns every override that has expired at {@code nowNanos}. */
  List<OperatorOverride> expire(long nowNanos) {
    List<OperatorOverride> expired = new ArrayList<>();
    if (forcedLevel != null && nowNanos - forcedLevel.expiresAtNanos() >= 0) {
      expired.add(forcedLevel.override());
      forcedLevel = null;
    }
    features.values().removeIf(e -> {
      if (nowNanos - e.expiresAtNanos() >= 0) {
        expired.add(e.override());
        return true;
      }
      return false;
    });
    return expired;
  }

  /** The forced level first, then features by name. */
  List<OperatorOverride> active() {
    List<OperatorOverride> all = new ArrayList<>();
    if (forcedLevel != null) {
      all.add(forcedLevel.override());
    }
    features.values().forEach(e -> all.add(e.override()));
    return List.copyOf(all);
  }
}
