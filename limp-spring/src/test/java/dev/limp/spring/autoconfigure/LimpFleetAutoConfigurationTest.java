package dev.limp.spring.autoconfigure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.limp.FeatureState;
import dev.limp.GovernorPolicy;
import dev.limp.Level;
import dev.limp.Limp;
import dev.limp.Signal;
import dev.limp.SignalRule;
import dev.limp.Tier;
import dev.limp.redis.FleetConfig;
import dev.limp.redis.FleetRule;
import dev.limp.redis.LimpFleet;
import dev.limp.spring.LimpConfigurationException;
import dev.limp.spring.actuate.LimpFleetView;
import dev.limp.spring.fleet.LimpFleetJmxRegistration;
import dev.limp.spring.fleet.LimpFleetLifecycle;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.jmx.JmxAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * {@link LimpFleetAutoConfiguration} with {@link ApplicationContextRunner}, against the local Redis (127.0.0.1:6379;
 * each test its own fleet name, whose keys are deleted after it). When Redis is down the class fails if the
 * environment variable CI is set, and is skipped otherwise.
 */
class LimpFleetAutoConfigurationTest {
  private static RedisClient client;
  private static StatefulRedisConnection<String, String> connection;

  private final String fleet = "it-spring-" + UUID.randomUUID().toString().substring(0, 8);
  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(LimpAutoConfiguration.class, LimpFleetAutoConfiguration.class))
      .withPropertyValues("limp.governor-thread=false", "limp.name=chat", "limp.features.search.tier=SHEDDABLE",
          "limp.fleet.enabled=true", "limp.fleet.name=" + fleet, "limp.fleet.heartbeat-interval=200ms",
          "limp.fleet.member-ttl=1s", "limp.fleet.command-timeout=500ms");

  @BeforeAll
  static void redis() {
    boolean up;
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", 6379), 500);
      up = true;
    } catch (IOException e) {
      up = false;
    }
    if (!up) {
      String ci = System.getenv("CI");
      if (ci != null && !ci.isBlank() && !ci.equalsIgnoreCase("false") && !ci.equals("0")) {
        throw new AssertionError("Redis is not reachable at 127.0.0.1:6379 and CI is set: a failure");
      }
      Assumptions.abort("Redis is not reachable at 127.0.0.1:6379: skipping the fleet wiring tests");
    }
    client = RedisClient.create(RedisURI.create("redis://127.0.0.1:6379"));
    connection = client.connect();
  }

  @AfterAll
  static void closeRedis() {
    if (connection != null) {
      connection.close();
      client.shutdown();
    }
  }

  @AfterEach
  void deleteKeys() {
    RedisCommands<String, String> r = connection.sync();
    ScanCursor cursor = ScanCursor.INITIAL;
    do {
      KeyScanCursor<String> page = r.scan(cursor, ScanArgs.Builder.matches("limp:" + fleet + ":*"));
      if (!page.getKeys().isEmpty()) {
        r.del(page.getKeys().toArray(new String[0]));
      }
      cursor = page;
    } while (!cursor.isFinished());
  }

  private static void await(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within 5 s: " + what);
      }
      Thread.onSpinWait();
    }
  }

  @Test
  void reusesTheApplicationsRedisSettingsJoinsOnStartAndLeavesOnClose() {
    runner.withPropertyValues("spring.data.redis.host=127.0.0.1", "spring.data.redis.port=6379",
        "limp.fleet.instance=chat-1", "management.endpoints.web.exposure.include=limp").run(ctx -> {
          LimpFleet membership = ctx.getBean(LimpFleet.class);
          Limp limp = ctx.getBean(Limp.class);
          assertTrue(ctx.getBean(LimpFleetLifecycle.class).isRunning());
          assertEquals("chat-1", membership.instance());
          assertTrue(membership.isConnected());
          // limp.overrides() acts on the fleet: the override is in Redis, with its audit entry
          limp.overrides().shed("search", Duration.ofMinutes(5), "incident 7", "alice");
          assertEquals(FeatureState.SHED, limp.guard("search").state());
          assertTrue(connection.sync().hexists("limp:" + fleet + ":overrides", "feature:search"));
          await("the heartbeat in the view", () -> !membership.members().isEmpty());

          Map<String, Object> body = ctx.getBean(LimpFleetView.class).read(LimpFleetView.DEFAULT_AUDIT);
          assertEquals(fleet, body.get("fleet"));
          assertEquals(true, body.get("connected"));
          List<?> members = (List<?>) body.get("members");
          assertEquals("chat-1", ((Map<?, ?>) members.get(0)).get("instance"));
          Map<?, ?> audit = (Map<?, ?>) ((List<?>) body.get("audit")).get(0);
          assertEquals("SHED", audit.get("action"));
          assertEquals("alice", audit.get("actor"));
          assertEquals("incident 7", audit.get("reason"));
        });
    // the context closed: the instance left the view at once
    assertEquals(0L, connection.sync().zcard("limp:" + fleet + ":members"));
  }

  @Test
  void anExplicitRedisUriWinsAndTheFleetRuleJoinsThePolicy() {
    // another instance of the fleet, at SHED_SHEDDABLE_PLUS by its own signal
    Signal load = Signal.of("test.load", Signal.Unit.COUNT);
    LimpFleet otherFleet = LimpFleet.create(FleetConfig.builder(fleet, RedisURI.create("redis://127.0.0.1:6379"))
        .instanceId("other").heartbeatInterval(Duration.ofMillis(200)).memberTtl(Duration.ofSeconds(1)).build());
    try (Limp other = Limp.builder().name("other").tickInterval(Duration.ofMillis(20))
        .feature("search", Tier.SHEDDABLE).signalSource(sink -> sink.put(load, 20))
        .policy(GovernorPolicy.custom().rule(SignalRule.of(load).level(Level.SHED_SHEDDABLE_PLUS, 10, 5).build())
            .build())
        .overridesDecorator(otherFleet::overrides).build()) {
      otherFleet.join(other);
      runner.withPropertyValues("limp.fleet.redis-uri=redis://127.0.0.1:6379", "spring.data.redis.port=1",
          "limp.fleet.rule.at-least=1", "limp.fleet.rule.from-level=SHED_SHEDDABLE_PLUS").run(ctx -> {
            assertTrue(ctx.getBean(LimpFleet.class).isConnected(), "redis-uri wins over spring.data.redis.port=1");
            FleetRule rule = LimpFleetFactory.rule(ctx.getBean(LimpFleetProperties.class).getRule());
            assertEquals(FleetRule.atLeast(1).fromLevel(Level.SHED_SHEDDABLE_PLUS), rule);
            // the fleet rule's signal rule is in the policy of the properties: the instance follows "other"
            Limp limp = ctx.getBean(Limp.class);
            await("follows the other instance", () -> {
              limp.tick();
              return limp.level() == Level.SHED_SHEDDABLE_PLUS;
            });
            assertTrue(limp.status().levelReason().contains(": other at SHED_SHEDDABLE_PLUS"),
                limp.status().levelReason());
          });
    } finally {
      otherFleet.close();
    }
  }

  @Test
  void withSpringJmxTheFleetViewIsAnMBeanOnceJoinedAndIsUnregisteredAtStop() throws Exception {
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    ObjectName name = new ObjectName("dev.limp:type=LimpFleet,name=" + fleet + ",instance=chat-jmx");
    runner.withConfiguration(AutoConfigurations.of(JmxAutoConfiguration.class))
        .withPropertyValues("spring.data.redis.host=127.0.0.1", "spring.data.redis.port=6379",
            "limp.fleet.instance=chat-jmx", "spring.jmx.enabled=true").run(ctx -> {
              assertEquals(name, ctx.getBean(LimpFleetJmxRegistration.class).objectName());
              assertTrue(server.isRegistered(name));
              assertEquals(fleet, server.getAttribute(name, "FleetName"));
              assertEquals(Boolean.TRUE, server.getAttribute(name, "Connected"));
              ctx.getBean(Limp.class).overrides().shed("search", Duration.ofMinutes(5), "incident 8", "alice");
              await("the heartbeat in the MBean's view",
                  () -> members(server, name).length == 1 && "chat-jmx".equals(members(server, name)[0].get("instance")));
              CompositeData[] overrides = (CompositeData[]) server.getAttribute(name, "Overrides");
              assertEquals("search", overrides[0].get("target"));
              CompositeData[] audit = (CompositeData[]) server.getAttribute(name, "Audit");
              assertEquals("incident 8", audit[0].get("reason"));
            });
    assertFalse(server.isRegistered(name), "unregistered when the context stopped");
    runner.withConfiguration(AutoConfigurations.of(JmxAutoConfiguration.class))
        .withPropertyValues("spring.data.redis.host=127.0.0.1", "spring.data.redis.port=6379",
            "limp.fleet.instance=chat-jmx", "spring.jmx.enabled=true", "limp.jmx.enabled=false").run(ctx -> {
              assertTrue(ctx.getBeansOfType(LimpFleetJmxRegistration.class).isEmpty());
              assertFalse(server.isRegistered(name));
            });
    runner.withPropertyValues("spring.data.redis.host=127.0.0.1", "spring.data.redis.port=6379",
        "limp.fleet.instance=chat-jmx").run(ctx ->
            assertTrue(ctx.getBeansOfType(LimpFleetJmxRegistration.class).isEmpty(), "spring.jmx.enabled is off"));
  }

  private static CompositeData[] members(MBeanServer server, ObjectName name) {
    try {
      return (CompositeData[]) server.getAttribute(name, "Members");
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void staysOffUnlessEnabledAndWithoutLimpRedis() {
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(LimpAutoConfiguration.class, LimpFleetAutoConfiguration.class))
        .withPropertyValues("limp.governor-thread=false").run(ctx -> {
          assertTrue(ctx.getBeansOfType(LimpFleet.class).isEmpty());
          assertFalse(ctx.getBean(Limp.class).overrides().getClass().getName().contains("redis"));
        });
    runner.withClassLoader(new FilteredClassLoader(LimpFleet.class)).run(ctx -> {
      assertNotNull(ctx.getBean(Limp.class));
      assertTrue(ctx.getBeansOfType(LimpFleetLifecycle.class).isEmpty());
    });
    runner.withClassLoader(new FilteredClassLoader(RedisClient.class)).run(ctx ->
        assertTrue(ctx.getBeansOfType(LimpFleetView.class).isEmpty()));
  }

  @Test
  void invalidPropertiesFailStartUpNamingTheSettingTheValueAndWhatIsAllowed() {
    assertRefused("limp.fleet.heartbeat-interval", "PT0.01S", "between 100ms and 1m",
        "spring.data.redis.host=127.0.0.1", "limp.fleet.heartbeat-interval=10ms");
    assertRefused("limp.fleet.name", "no spaces", "letters, digits", "spring.data.redis.host=127.0.0.1",
        "limp.fleet.name=no spaces");
    assertRefused("limp.fleet.rule.at-least", "0", "at least 1", "spring.data.redis.host=127.0.0.1",
        "limp.fleet.rule.at-least=0");
    assertRefused("limp.fleet.rule.from-level", "NORMAL", "SHED_SHEDDABLE", "spring.data.redis.host=127.0.0.1",
        "limp.fleet.rule.share=0.5", "limp.fleet.rule.from-level=NORMAL");
    assertRefused("limp.fleet.member-ttl", "PT0.3S with limp.fleet.heartbeat-interval PT0.2S", "twice", "spring.data.redis.host=127.0.0.1",
        "limp.fleet.member-ttl=300ms");
    assertRefused("limp.fleet.redis-uri", null, "spring.data.redis", "limp.fleet.name=" + fleet);
  }

  private void assertRefused(String property, String value, String allowed, String... properties) {
    runner.withPropertyValues(properties).run(ctx -> {
      Throwable failure = ctx.getStartupFailure();
      assertNotNull(failure, property + " should have failed start-up");
      Throwable cause = failure;
      while (cause != null && !(cause instanceof LimpConfigurationException)) {
        cause = cause.getCause();
      }
      LimpConfigurationException e = assertInstanceOf(LimpConfigurationException.class, cause, failure.toString());
      assertEquals(property, e.source(), e.getMessage());
      assertEquals(value, e.value(), e.getMessage());
      assertTrue(e.action().contains(allowed) || e.getMessage().contains(allowed), e.getMessage() + " / "
          + e.action());
    });
  }
}
