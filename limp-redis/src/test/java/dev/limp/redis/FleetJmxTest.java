package dev.limp.redis;

import static dev.limp.redis.TestFleet.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.limp.Level;
import dev.limp.redis.TestFleet.Member;
import dev.limp.redis.jmx.FleetJmx;
import io.lettuce.core.RedisURI;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.RuntimeMBeanException;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The fleet view over JMX, read through the platform MBeanServer as a client without limp's classes would:
 * open types only (CompositeData rows, TabularData maps), registered at join, unregistered at close.
 */
class FleetJmxTest {
  @RegisterExtension
  static final RedisFixture REDIS = RedisFixture.local();

  private static final MBeanServer SERVER = ManagementFactory.getPlatformMBeanServer();

  private final TestFleet fleet = new TestFleet(REDIS);

  @AfterEach
  void stop() {
    fleet.close();
  }

  @Test
  void theMembersOverridesAndAuditAreAttributesOfOpenTypes() throws Exception {
    Member a = fleet.start("a", c -> c.registerMBean(true), b -> b);
    Member b = fleet.start("b");
    a.readings().put(TestFleet.LOAD, 4.0);
    ObjectName name = new ObjectName("dev.limp:type=LimpFleet,name=" + REDIS.fleet() + ",instance=a");
    assertTrue(SERVER.isRegistered(name), "registered at join as " + name);
    assertFalse(SERVER.isRegistered(FleetJmx.objectName(REDIS.fleet(), "b")), "b did not ask for it");

    b.limp().overrides().shed("search", Duration.ofMinutes(3), "slow search", "bob");
    await("both members heartbeat with search shed and a's reading", Duration.ofSeconds(3), () -> {
      CompositeData[] rows = members(name);
      return rows.length == 2 && Arrays.stream(rows).allMatch(r -> "SHED".equals(feature(r, "search")))
          && ((TabularData) rows[0].get("signals")).get(new Object[] {"test.load"}) != null;
    });

    assertEquals(REDIS.fleet(), SERVER.getAttribute(name, "FleetName"));
    assertEquals("a", SERVER.getAttribute(name, "Instance"));
    assertEquals(Boolean.TRUE, SERVER.getAttribute(name, "Connected"));

    CompositeData[] members = members(name);
    assertEquals("a", members[0].get("instance"));
    assertEquals("b", members[1].get("instance"));
    assertEquals(Level.NORMAL.name(), members[0].get("level"));
    assertEquals(Boolean.FALSE, members[0].get("followsFleet"));
    assertEquals(1, members[0].get("overrides"));
    assertEquals("ACTIVE", feature(members[0], "chat.post"));
    assertEquals(4.0, ((TabularData) members[0].get("signals")).get(new Object[] {"test.load"}).get("value"));
    long age = (Long) members[0].get("ageMillis");
    assertTrue(age >= 0 && age <= 1_000, "the view holds heartbeats at most a member TTL old, was " + age + " ms");
    Instant.parse((String) members[0].get("seenAt"));

    CompositeData[] overrides = (CompositeData[]) SERVER.getAttribute(name, "Overrides");
    assertEquals(1, overrides.length);
    assertEquals("SHED", overrides[0].get("kind"));
    assertEquals("search", overrides[0].get("target"));
    assertEquals("bob", overrides[0].get("actor"));
    assertEquals("b", overrides[0].get("origin"));
    assertEquals("slow search", overrides[0].get("reason"));
    Instant created = Instant.parse((String) overrides[0].get("createdAt"));
    assertEquals(created.plus(Duration.ofMinutes(3)), Instant.parse((String) overrides[0].get("expiresAt")),
        "the fleet's expiry, Redis time");

    b.limp().overrides().releaseFeature("search", "carol");
    CompositeData[] audit = (CompositeData[]) SERVER.getAttribute(name, "Audit");
    assertEquals(2, audit.length);
    assertEquals("RELEASE", audit[0].get("action"));
    assertEquals("carol", audit[0].get("actor"));
    assertEquals("", audit[0].get("expiresAt"));
    assertEquals("SHED", audit[1].get("action"));
    assertEquals("slow search", audit[1].get("reason"));
    assertEquals(overrides[0].get("expiresAt"), audit[1].get("expiresAt"));
    assertEquals(0, ((CompositeData[]) SERVER.getAttribute(name, "Overrides")).length, "released everywhere");

    a.fleet().close();
    assertFalse(SERVER.isRegistered(name), "unregistered at close");
  }

  @Test
  void theViewIsReadOnly() throws Exception {
    Member a = fleet.start("a", c -> c.registerMBean(true), b -> b);
    ObjectName name = FleetJmx.objectName(REDIS.fleet(), a.fleet().instance());
    assertEquals(0, SERVER.getMBeanInfo(name).getOperations().length);
    assertTrue(Arrays.stream(SERVER.getMBeanInfo(name).getAttributes()).noneMatch(x -> x.isWritable()));
    assertTrue(SERVER.getMBeanInfo(name).getAttributes()[0].getDescription().length() > 10);
  }

  @Test
  void aNameAnObjectNameCannotHoldBareIsQuotedAndTwoMembershipsOfOneIdAreRefused() throws Exception {
    Member first = fleet.start("pod1", c -> c.instanceId("pod:1").registerMBean(true), b -> b);
    ObjectName name = FleetJmx.objectName(REDIS.fleet(), "pod:1");
    assertEquals(ObjectName.quote("pod:1"), name.getKeyProperty("instance"));
    assertEquals("pod:1", SERVER.getAttribute(name, "Instance"));

    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> fleet.start("pod2", c -> c.instanceId("pod:1").registerMBean(true), b -> b));
    assertTrue(e.getMessage().contains("already registered") && e.getMessage().contains("instanceId"),
        e.getMessage());
    assertTrue(SERVER.isRegistered(name), "the first membership's MBean stays");
    assertEquals("pod:1", first.fleet().instance());
  }

  @Test
  void whenRedisDoesNotAnswerReadingTheViewFailsWithAJdkException() throws Exception {
    Member lonely = fleet.start("lonely", c -> FleetConfig.builder(REDIS.fleet(), RedisURI.create(
        "redis://127.0.0.1:1")).instanceId("lonely").commandTimeout(Duration.ofMillis(200)).registerMBean(true),
        b -> b);
    ObjectName name = FleetJmx.objectName(REDIS.fleet(), "lonely");
    assertEquals(Boolean.FALSE, SERVER.getAttribute(name, "Connected"));
    for (String attribute : List.of("Members", "Overrides", "Audit")) {
      RuntimeMBeanException e = assertThrows(RuntimeMBeanException.class,
          () -> SERVER.getAttribute(name, attribute));
      IllegalStateException cause = assertInstanceOf(IllegalStateException.class, e.getCause());
      assertEquals(IllegalStateException.class, cause.getClass(), "a JDK type, not limp's");
      assertNull(cause.getCause(), "no Lettuce exception for a client to deserialize");
      assertTrue(cause.getMessage().contains("127.0.0.1:1"), cause.getMessage());
    }
    lonely.close();
    assertFalse(SERVER.isRegistered(name));
  }

  private static CompositeData[] members(ObjectName name) {
    try {
      return (CompositeData[]) SERVER.getAttribute(name, "Members");
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static Object feature(CompositeData member, String feature) {
    CompositeData row = ((TabularData) member.get("features")).get(new Object[] {feature});
    return row == null ? null : row.get("value");
  }
}
