package dev.limp.redis;

import static dev.limp.redis.TestFleet.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.limp.FeatureState;
import dev.limp.Level;
import dev.limp.redis.TestFleet.Member;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Redis shut down and restarted in the middle: instances decide alone, then re-sync; nothing lost or stuck. On a
 * redis-server of the class's own: the shared one on 6379 is never stopped.
 */
class FleetFaultsTest {
  @RegisterExtension
  static final RedisFixture REDIS = RedisFixture.ownServer();

  private final TestFleet fleet = new TestFleet(REDIS);

  @AfterEach
  void stop() {
    try {
      fleet.close();
    } finally {
      REDIS.ensureRunning();
    }
  }

  @Test
  void redisRestartedWithoutItsDataInTheMiddleLosesNothingAndLeavesNothingStuck() throws Exception {
    Member a = fleet.start("a");
    Member b = fleet.start("b");
    a.limp().overrides().shed("notifications", Duration.ofMinutes(5), "incident", "alice");
    a.limp().overrides().shed("search", Duration.ofMillis(2_500), "short one", "alice");
    await("both on b", Duration.ofSeconds(1), () -> b.state("search") == FeatureState.SHED
        && b.state("notifications") == FeatureState.SHED);

    REDIS.stop();
    // alone: the instances keep their overrides, refuse fleet commands, and expire on time
    FleetUnavailableException refused = assertThrows(FleetUnavailableException.class,
        () -> b.limp().overrides().forceLevel(Level.SHED_CRITICAL, Duration.ofMinutes(1), "while down", "bob"));
    System.out.println("refused while Redis is down: " + refused.getMessage());
    assertTrue(b.limp().overrides().active().stream().noneMatch(o -> o.kind() == dev.limp.OperatorOverride.Kind
        .FORCE_LEVEL));
    await("search expired on both while Redis is down", Duration.ofSeconds(4),
        () -> a.state("search") != FeatureState.SHED && b.state("search") != FeatureState.SHED);
    assertEquals(FeatureState.SHED, a.state("notifications"));
    assertEquals(FeatureState.SHED, b.state("notifications"));

    long down = System.nanoTime();
    REDIS.ensureRunning();
    long back = System.nanoTime();
    // re-sync: the lost override is put back into Redis by the instances that hold it
    long resync = await("override back in Redis", Duration.ofSeconds(5),
        () -> REDIS.redis().hexists("limp:" + REDIS.fleet() + ":overrides", "feature:notifications"));
    System.out.printf("Redis back after %d ms down; overrides restored in Redis %d ms after it answered%n",
        (back - down) / 1_000_000, resync / 1_000_000);
    // and the fleet works again: a new override reaches the other instance
    await("a connected again", Duration.ofSeconds(5), () -> a.fleet().isConnected());
    long again = await("a fleet command is taken again", Duration.ofSeconds(5), () -> {
      try {
        a.limp().overrides().pin("profile", Duration.ofMinutes(1), "after the restart", "alice");
        return true;
      } catch (FleetUnavailableException e) {
        return false;
      }
    });
    await("pin on b", Duration.ofSeconds(1), () -> b.limp().status().feature("profile").orElseThrow().pinned());
    System.out.println("fleet commands taken again " + again / 1_000_000 + " ms after re-sync");
    // a late joiner sees what survived
    Member late = fleet.start("late");
    assertEquals(FeatureState.SHED, late.state("notifications"));
    assertTrue(late.limp().status().feature("profile").orElseThrow().pinned());
    for (Member m : List.of(a, b, late)) {
      assertEquals(2, m.limp().overrides().active().size(), m.limp().name() + ": " + m.limp().overrides().active());
    }
  }

  @Test
  void aReleaseMissedWhileSubscribedElsewhereIsCaughtByTheResync() {
    Member a = fleet.start("a");
    Member b = fleet.start("b");
    a.limp().overrides().shed("search", Duration.ofMinutes(5), "incident", "alice");
    await("on b", Duration.ofSeconds(1), () -> b.state("search") == FeatureState.SHED);
    // as if the release's message were lost: the entry goes, no message is sent
    REDIS.redis().hdel("limp:" + REDIS.fleet() + ":overrides", "feature:search");
    await("resync released it on b", Duration.ofSeconds(2), () -> b.state("search") != FeatureState.SHED);
  }
}
