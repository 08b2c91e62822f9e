package dev.limp.redis.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.limp.Level;
import dev.limp.LimpClock;
import dev.limp.Signal;
import dev.limp.SignalSource;
import dev.limp.redis.FleetMember;
import dev.limp.redis.FleetRule;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The fleet rule's reading from the members' heartbeats: its level, and the instances it names. */
class FleetRuleSourceTest {
  private static FleetMember member(String id, Level level, boolean followsFleet) {
    return new FleetMember(id, level, "", followsFleet, Map.of(), Map.of(), 0, Instant.EPOCH, Duration.ZERO);
  }

  /** What the source puts on the governor's sink: {value, detail}. */
  private static Object[] sample(FleetRuleSource source) {
    Object[] got = {null, null};
    source.sample(new SignalSource.Sink() {
      @Override
      public void put(Signal signal, double value) {
        got[0] = value;
      }

      @Override
      public void put(Signal signal, double value, String detail) {
        got[0] = value;
        got[1] = detail;
      }

      @Override
      public void suspect(String feature, String reason) {
      }
    });
    return got;
  }

  private static final List<FleetMember> FLEET = List.of(member("me", Level.NORMAL, false),
      member("pod-1", Level.SHED_SHEDDABLE_PLUS, false), member("pod-2", Level.SHED_SHEDDABLE, false),
      member("pod-3", Level.SHED_CRITICAL, true));

  @Test
  void readsTheDeepestLevelEnoughOthersReachByTheirOwnSignalsAndNamesThem() {
    FleetRuleSource source = new FleetRuleSource("me", FleetRule.atLeast(2), LimpClock.system(),
        Duration.ofSeconds(5));
    source.update(FLEET);
    Object[] got = sample(source);
    assertEquals((double) Level.SHED_SHEDDABLE.ordinal(), got[0]);
    assertEquals("pod-1, pod-2 at SHED_SHEDDABLE or deeper (2 of 3 other instances)", got[1],
        "pod-3 only follows the fleet: it does not count");
  }

  @Test
  void levelsBelowTheRulesFromLevelAreNotFollowed() {
    FleetRuleSource source = new FleetRuleSource("me", FleetRule.atLeast(1).fromLevel(Level.SHED_CRITICAL),
        LimpClock.system(), Duration.ofSeconds(5));
    source.update(FLEET);
    assertEquals(0.0, sample(source)[0]);
    FleetRuleSource plus = new FleetRuleSource("me", FleetRule.atLeast(1).fromLevel(Level.SHED_SHEDDABLE_PLUS),
        LimpClock.system(), Duration.ofSeconds(5));
    plus.update(FLEET);
    assertEquals((double) Level.SHED_SHEDDABLE_PLUS.ordinal(), sample(plus)[0]);
    assertThrows(IllegalArgumentException.class, () -> FleetRule.atLeast(1).fromLevel(Level.NORMAL));
  }
}
