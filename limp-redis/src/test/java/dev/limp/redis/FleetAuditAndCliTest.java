package dev.limp.redis;

import static dev.limp.redis.TestFleet.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.limp.FeatureState;
import dev.limp.redis.TestFleet.Member;
import dev.limp.redis.cli.FleetCli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The audit stream, and the command-line tool acting on the fleet without any instance's JMX. */
class FleetAuditAndCliTest {
  @RegisterExtension
  static final RedisFixture REDIS = RedisFixture.local();

  private final TestFleet fleet = new TestFleet(REDIS);
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @AfterEach
  void stop() {
    fleet.close();
  }

  private int cli(String... args) {
    out.reset();
    err.reset();
    String[] all = new String[args.length + 6];
    System.arraycopy(new String[] {"--redis", "redis://127.0.0.1:6379", "--fleet", REDIS.fleet(), "--actor",
        "carol"}, 0, all, 0, 6);
    System.arraycopy(args, 0, all, 6, args.length);
    return FleetCli.run(all, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), null);
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void everyOperatorActionIsAudited() {
    Member a = fleet.start("a");
    a.limp().overrides().shed("search", Duration.ofMinutes(2), "slow search", "alice");
    a.limp().overrides().releaseFeature("search", "bob");
    List<FleetAuditEntry> audit = a.fleet().audit(10);
    assertEquals(2, audit.size());
    assertEquals("RELEASE", audit.get(0).action());
    assertEquals("bob", audit.get(0).actor());
    assertEquals("SHED", audit.get(1).action());
    assertEquals("search", audit.get(1).target());
    assertEquals("slow search", audit.get(1).reason());
    assertEquals("a", audit.get(1).origin());
    assertTrue(audit.get(1).expiry().isPresent());
  }

  @Test
  void theToolShedsOnEveryInstanceAndShowsTheFleet() {
    Member a = fleet.start("a");
    Member b = fleet.start("b");
    assertEquals(0, cli("shed", "notifications", "10m", "db", "is", "on", "fire"), err.toString(StandardCharsets.UTF_8));
    assertTrue(out().startsWith("stored SHED notifications until"), out());
    for (Member m : List.of(a, b)) {
      await("shed on " + m.limp().name(), Duration.ofSeconds(1), () -> m.state("notifications") == FeatureState.SHED);
      assertTrue(m.limp().overrides().active().get(0).actor().startsWith("fleet:cli@"),
          m.limp().overrides().active().get(0).actor());
      assertEquals("db is on fire", m.limp().overrides().active().get(0).reason());
    }
    assertEquals(0, cli("overrides"));
    assertTrue(out().contains("SHED notifications by carol"), out());
    await("heartbeats", Duration.ofSeconds(2), () -> cli("members") == 0 && out().contains("2 live instance(s)"));
    assertEquals(0, cli("audit", "5"));
    assertTrue(out().contains("SHED notifications by carol"), out());
    assertEquals(0, cli("release", "notifications"));
    await("released on b", Duration.ofSeconds(1), () -> b.state("notifications") != FeatureState.SHED);
    assertEquals(2, cli("shed", "notifications", "soon", "why"));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("DURATION must be like"));
    assertEquals(1, FleetCli.run(new String[] {"--redis", "redis://127.0.0.1:1", "--fleet", "x", "overrides"},
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), null));
  }
}
