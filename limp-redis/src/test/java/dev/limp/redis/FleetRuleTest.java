package dev.limp.redis;

import static dev.limp.redis.TestFleet.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.limp.Level;
import dev.limp.redis.TestFleet.Member;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The fleet rule: enough others at a level by their own signals bring the rest there, and let them go. */
class FleetRuleTest {
  @RegisterExtension
  static final RedisFixture REDIS = RedisFixture.local();

  private final TestFleet fleet = new TestFleet(REDIS);

  @AfterEach
  void stop() {
    fleet.close();
  }

  @Test
  void twoInstancesInTroubleBringTheThirdAlongAndReleaseIt() {
    Member a = fleet.start("a", c -> c.rule(FleetRule.atLeast(2)), b -> b);
    Member b = fleet.start("b", c -> c.rule(FleetRule.atLeast(2)), x -> x);
    Member c = fleet.start("c", x -> x.rule(FleetRule.atLeast(2)), x -> x);
    a.readings().put(TestFleet.LOAD, 20.0);
    await("a in trouble", Duration.ofSeconds(2), () -> a.limp().level() == Level.SHED_SHEDDABLE_PLUS);
    Thread.yield();
    assertEquals(Level.NORMAL, c.limp().level(), "one instance is not enough");
    b.readings().put(TestFleet.LOAD, 20.0);
    await("c follows", Duration.ofSeconds(3), () -> c.limp().level() == Level.SHED_SHEDDABLE_PLUS);
    String reason = c.limp().status().levelReason();
    assertTrue(reason.startsWith("fleet.level = 2 ≥ 2"), reason);
    assertTrue(reason.endsWith(": a, b at SHED_SHEDDABLE_PLUS or deeper (2 of 2 other instances)"),
        "the reason names the instances: " + reason);
    await("c's heartbeat says it follows", Duration.ofSeconds(2),
        () -> a.fleet().members().stream().anyMatch(m -> m.instance().equals("c") && m.followsFleet()));
    a.readings().put(TestFleet.LOAD, 0.0);
    b.readings().put(TestFleet.LOAD, 0.0);
    await("c recovers with them", Duration.ofSeconds(5), () -> c.limp().level() == Level.NORMAL
        && a.limp().level() == Level.NORMAL && b.limp().level() == Level.NORMAL);
  }
}
