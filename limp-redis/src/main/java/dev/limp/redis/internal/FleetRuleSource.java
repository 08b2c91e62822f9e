package dev.limp.redis.internal;

import dev.limp.Level;
import dev.limp.LimpClock;
import dev.limp.SignalSource;
import dev.limp.redis.FleetMember;
import dev.limp.redis.FleetRule;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fleet rule as a signal: the deepest level that enough other live instances are at by their own
 * signals ({@link FleetRule#SIGNAL}). The fleet thread updates it after each heartbeat; the governor reads the
 * latest value without waiting. A view older than the member TTL (Redis down) is no reading, so an instance
 * that lost the fleet goes back to deciding alone. The reading carries the instances it follows as its detail,
 * so the level's reason names them; each change is logged with them too.
 * Thread-safe.
 */
public final class FleetRuleSource implements SignalSource {
  private static final Logger LOG = LoggerFactory.getLogger(FleetRuleSource.class);

  /** The rule's reading, the instances behind it and how many others there were; immutable. */
  private record Reading(long atNanos, Level level, List<String> instances, int others) {
    /** For people: "a, b at SHED_SHEDDABLE_PLUS or deeper (2 of 2 other instances)"; empty at NORMAL. */
    String detail() {
      return level == Level.NORMAL ? "" : String.join(", ", instances) + " at " + level + " or deeper ("
          + instances.size() + " of " + others + " other instances)";
    }
  }

  private final String instance;
  private final FleetRule rule;
  private final LimpClock clock;
  private final long staleNanos;
  private volatile Reading reading;

  public FleetRuleSource(String instance, FleetRule rule, LimpClock clock, Duration stale) {
    this.instance = instance;
    this.rule = rule;
    this.clock = clock;
    this.staleNanos = stale.toNanos();
  }

  /** Recomputes the reading from the members' latest heartbeats. */
  public void update(List<FleetMember> members) {
    List<FleetMember> others = members.stream().filter(m -> !m.instance().equals(instance)).toList();
    Level reached = Level.NORMAL;
    List<String> behind = List.of();
    for (int i = Level.values().length - 1; i >= rule.fromLevel().ordinal(); i--) {
      Level l = Level.values()[i];
      List<String> at = others.stream().filter(m -> !m.followsFleet() && m.level().compareTo(l) >= 0)
          .map(FleetMember::instance).toList();
      if (rule.reached(at.size(), others.size())) {
        reached = l;
        behind = at;
        break;
      }
    }
    Reading before = reading;
    Reading now = new Reading(clock.nanoTime(), reached, behind, others.size());
    reading = now;
    if (before == null ? reached != Level.NORMAL : before.level() != reached) {
      LOG.warn("limp-fleet[{}]: fleet rule {} now reads {}{}", instance, rule, reached,
          behind.isEmpty() ? "" : ": " + now.detail());
    }
  }

  /** The instances the latest reading follows, for people; empty when it follows none. */
  public String explanation() {
    Reading r = reading;
    return r == null ? "" : r.detail();
  }

  @Override
  public void sample(Sink sink) {
    Reading r = reading;
    if (r != null && clock.nanoTime() - r.atNanos() < staleNanos) {
      if (r.level() == Level.NORMAL) {
        sink.put(FleetRule.SIGNAL, 0);
      } else { // the governor's reason for entering the level names the instances
        sink.put(FleetRule.SIGNAL, r.level().ordinal(), r.detail());
      }
    }
  }
}
