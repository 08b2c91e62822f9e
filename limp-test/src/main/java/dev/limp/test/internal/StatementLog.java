package dev.limp.test.internal;

import dev.limp.db.StatementListener;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The distinct statements one test ran, in the order first seen, each with the feature that first ran it; at
 * most {@code capacity} of them (further distinct ones are counted, not kept). Thread-safe: the application's
 * threads add, the extension reads once the test is over.
 */
public final class StatementLog implements StatementListener {
  /** A statement and the feature that first ran it ({@code null} outside any guard). */
  public record Entry(String sql, String feature) {}

  private final int capacity;
  private final Map<String, String> seen = new LinkedHashMap<>();
  private long dropped;

  public StatementLog(int capacity) {
    this.capacity = capacity;
  }

  @Override
  public synchronized void executed(String sql, String feature, long elapsedNanos) {
    if (seen.containsKey(sql)) {
      return;
    }
    if (seen.size() >= capacity) {
      dropped++;
      return;
    }
    seen.put(sql, feature);
  }

  public synchronized List<Entry> entries() {
    List<Entry> all = new ArrayList<>(seen.size());
    seen.forEach((sql, feature) -> all.add(new Entry(sql, feature)));
    return all;
  }

  /** Distinct statements seen once the log was full, and not checked. */
  public synchronized long dropped() {
    return dropped;
  }
}
