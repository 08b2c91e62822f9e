package dev.limp.redis.internal;

import dev.limp.FeatureStatus;
import dev.limp.Level;
import dev.limp.LimpStatus;
import dev.limp.redis.FleetMember;
import dev.limp.redis.FleetRule;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A heartbeat as the fields of a Redis hash, and back. Reading is lenient with what it does not know (a
 * newer writer's fields are skipped) and strict with what it needs (a member without a readable level is
 * left out). Stateless.
 */
final class MemberCodec {
  static final String LEVEL = "level";
  static final String REASON = "reason";
  static final String FOLLOWS = "followsFleet";
  static final String OVERRIDES = "overrides";
  static final String SEEN_AT = "seenAt";
  static final String FEATURE = "feature:";
  static final String SIGNAL = "signal:";

  private MemberCodec() {
  }

  /** The heartbeat of an instance with this status. */
  static Map<String, String> fields(LimpStatus status) {
    Map<String, String> f = new LinkedHashMap<>();
    f.put(LEVEL, status.level().name());
    f.put(REASON, status.levelReason() == null ? "" : status.levelReason());
    f.put(FOLLOWS, Boolean.toString(followsFleet(status)));
    f.put(OVERRIDES, Integer.toString(status.overrides().size()));
    for (FeatureStatus fs : status.features()) {
      f.put(FEATURE + fs.name(), fs.state().name());
    }
    status.signals().readings().forEach((signal, value) -> f.put(SIGNAL + signal.name(), Double.toString(value)));
    return f;
  }

  /**
   * Whether the instance is at its level only because it follows the fleet: its level is the governor's, and
   * the governor's reason is the fleet rule's signal. Such an instance does not count for the fleet rule.
   */
  static boolean followsFleet(LimpStatus status) {
    String reason = status.levelReason();
    return status.isAutomatic() && status.level() != Level.NORMAL && reason != null
        && reason.contains(FleetRule.SIGNAL.name());
  }

  /**
   * The member a heartbeat describes, or {@code null} when it cannot be read.
   *
   * @param nowMillis Redis's time when the heartbeat was read, for the member's age
   */
  static FleetMember member(String instance, List<?> flat, long nowMillis) {
    Map<String, String> raw = new LinkedHashMap<>();
    for (int i = 0; i + 1 < flat.size(); i += 2) {
      raw.put(String.valueOf(flat.get(i)), String.valueOf(flat.get(i + 1)));
    }
    Level level;
    long seenAt;
    try {
      level = Level.parse(raw.getOrDefault(LEVEL, ""));
      seenAt = Long.parseLong(raw.getOrDefault(SEEN_AT, ""));
    } catch (RuntimeException e) {
      return null;
    }
    Map<String, String> features = new TreeMap<>();
    Map<String, Double> signals = new TreeMap<>();
    raw.forEach((k, v) -> {
      if (k.startsWith(FEATURE)) {
        features.put(k.substring(FEATURE.length()), v);
      } else if (k.startsWith(SIGNAL)) {
        try {
          signals.put(k.substring(SIGNAL.length()), Double.parseDouble(v));
        } catch (NumberFormatException e) {
          // a reading that is not a number is no reading
        }
      }
    });
    int overrides;
    try {
      overrides = Integer.parseInt(raw.getOrDefault(OVERRIDES, "0"));
    } catch (NumberFormatException e) {
      overrides = 0;
    }
    return new FleetMember(instance, level, raw.getOrDefault(REASON, ""),
        Boolean.parseBoolean(raw.get(FOLLOWS)), features, signals, overrides, Instant.ofEpochMilli(seenAt),
        Duration.ofMillis(Math.max(0, nowMillis - seenAt)));
  }
}
