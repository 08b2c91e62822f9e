package dev.limp.redis;

import dev.limp.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * One live instance of the fleet as its latest heartbeat shows it: a point-in-time value, up to one heartbeat
 * interval old.
 *
 * @param instance the instance's id in the fleet
 * @param level its effective level
 * @param levelReason why it is at that level
 * @param followsFleet whether it is at that level only because it follows the fleet rule
 * @param features each feature's state ({@code ACTIVE}, {@code SHED}, …), by name
 * @param signals its latest signal readings (pool numbers among them, when it watches a pool), by name
 * @param overrides how many operator overrides are in force on it
 * @param seenAt when Redis received the heartbeat (Redis time)
 * @param age how old the heartbeat was when the view was read, by Redis's clock (up to one heartbeat interval
 *     for a live instance; more means it is late)
 */
public record FleetMember(String instance, Level level, String levelReason, boolean followsFleet,
    Map<String, String> features, Map<String, Double> signals, int overrides, Instant seenAt, Duration age) {

  public FleetMember {
    features = Map.copyOf(features);
    signals = Map.copyOf(signals);
  }
}
