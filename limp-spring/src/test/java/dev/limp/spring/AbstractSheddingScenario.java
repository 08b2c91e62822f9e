package dev.limp.spring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.limp.FeatureShedException;
import dev.limp.FeatureState;
import dev.limp.Level;
import dev.limp.Limp;
import dev.limp.jmx.LimpJmx;
import dev.limp.jmx.LimpMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.management.JMX;
import javax.management.MBeanServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;

/**
 * The scenario of issue 4 on a real database: annotated beans are shed and restored as the database slows;
 * the endpoint, health, events, MXBean and MVC answer report and act on it. Subclasses give the database
 * and its slow statement.
 */
abstract class AbstractSheddingScenario {
  @Autowired Limp limp;
  @Autowired ShiftableClock clock;
  @Autowired ScenarioApp.Chat chat;
  @Autowired ScenarioApp.Notifications notifications;
  @Autowired ScenarioApp.Search search;
  @Autowired ScenarioApp.LevelEvents events;
  @Autowired MockMvc mvc;

  /** A statement that takes about {@code millis} on the database. */
  abstract String sleepStatement(int millis);

  /** The limp instance's name (also the MBean's). */
  abstract String instance();

  @AfterEach
  void calmDown() {
    limp.overrides().releaseAll("test");
    clock.advance(Duration.ofMinutes(5));
    for (int i = 0; i < 5 && limp.level() != Level.NORMAL; i++) {
      limp.tick();
      clock.advance(Duration.ofMinutes(1));
    }
    limp.tick();
    clock.advance(Duration.ofMinutes(1));
    limp.tick();
  }

  @Test
  void slowStatementsShedTheLowestTierAndRecoveryRestoresIt() throws Exception {
    limp.tick();
    assertEquals(Level.NORMAL, limp.level());
    assertEquals(List.of("q:2"), search.search("q"));

    chat.post(sleepStatement(300)); // real slow statements on the critical path
    chat.post(sleepStatement(300));
    limp.tick();

    assertEquals(Level.SHED_SHEDDABLE, limp.level(), limp.status().levelReason());
    assertTrue(limp.status().levelReason().contains("db.query.critical.p99"), limp.status().levelReason());
    assertThrows(FeatureShedException.class, () -> search.search("q"));
    assertEquals(List.of("ann:1"), notifications.unread("ann"), "the tier above still runs");
    assertEquals(1, chat.post("SELECT 1"), "critical path keeps running");
    LimpLevelChangedApplicationEvent event = awaitEvent(Level.SHED_SHEDDABLE);
    assertTrue(event.event().reason().contains("db.query.critical.p99"), event.event().reason());
    assertEquals(limp, event.getSource());

    String endpoint = mvc.perform(get("/actuator/limp")).andExpect(status().isOk())
        .andExpect(jsonPath("$.level").value("SHED_SHEDDABLE"))
        .andExpect(jsonPath("$.features.search.state").value("SHED"))
        .andExpect(jsonPath("$.features['chat.post'].state").value("ACTIVE"))
        .andReturn().getResponse().getContentAsString();
    System.out.println("[limp endpoint response] " + endpoint);
    mvc.perform(get("/actuator/health/limp")).andExpect(status().isOk())
        .andExpect(jsonPath("$.status").value("DEGRADED"))
        .andExpect(jsonPath("$.details.shed[0]").value("search"));
    mvc.perform(get("/actuator/health")).andExpect(status().isOk())
        .andExpect(jsonPath("$.status").value("UP"));

    // the database calms down: after the window and the dwell, one level down, then the ramp
    clock.advance(Duration.ofSeconds(30)); // the slow statements leave the window: calm from this tick on
    limp.tick();
    assertEquals(Level.SHED_SHEDDABLE, limp.level(), "held for the dwell time");
    clock.advance(Duration.ofSeconds(10));
    limp.tick();
    assertEquals(Level.NORMAL, limp.level(), limp.status().levelReason());
    assertEquals(FeatureState.RAMPING, limp.guard("search").state());
    clock.advance(Duration.ofSeconds(30));
    limp.tick();
    assertEquals(FeatureState.ACTIVE, limp.guard("search").state());
    assertEquals(List.of("q:2"), search.search("q"));
    mvc.perform(get("/actuator/health/limp")).andExpect(jsonPath("$.status").value("UP"));
  }

  /** The next published change to {@code level} by the governor; earlier tests' events are skipped. */
  private LimpLevelChangedApplicationEvent awaitEvent(Level level) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (System.nanoTime() < deadline) {
      LimpLevelChangedApplicationEvent e = events.events.poll(100, TimeUnit.MILLISECONDS);
      if (e != null && e.event().to() == level && !e.event().overridden()) {
        return e;
      }
    }
    throw new AssertionError("no level change to " + level + " was published to the context within 5 s");
  }

  @Test
  void mxBeanIsReachableThroughThePlatformServerAndItsOperationsTakeEffect() throws Exception {
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    LimpMXBean mbean = JMX.newMXBeanProxy(server, LimpJmx.objectName(instance()), LimpMXBean.class);
    assertEquals("NORMAL", mbean.getLevel());
    mbean.forceLevel("SHED_SHEDDABLE_PLUS", 60, "drill");
    limp.tick();
    assertEquals(Level.SHED_SHEDDABLE_PLUS, limp.level());
    assertEquals(List.of(), notifications.unread("ann"), "the fallback answers");
    assertEquals(1, limp.status().overrides().size());
    mbean.releaseLevel();
    limp.tick();
    assertEquals(Level.NORMAL, limp.level());
  }

  @Test
  void shedCallReachingMvcBecomes503WithRetryAfterAndProblemDetail() throws Exception {
    mvc.perform(get("/search").param("q", "x")).andExpect(status().isOk());
    limp.overrides().shed("search", Duration.ofMinutes(1), "drill", "test");
    String body = mvc.perform(get("/search").param("q", "x"))
        .andExpect(status().isServiceUnavailable())
        .andExpect(header().exists("Retry-After"))
        .andExpect(jsonPath("$.type").value("urn:dev.limp:problem:feature-shed"))
        .andExpect(jsonPath("$.status").value(503))
        .andExpect(jsonPath("$.feature").value("search"))
        .andExpect(jsonPath("$.cause").value("OVERRIDE"))
        .andReturn().getResponse().getContentAsString();
    System.out.println("[limp 503 problem detail] " + body);
  }

  @Test
  void endpointWriteOperationGoesThroughTheOverridesWhenOptedIn() throws Exception {
    mvc.perform(post("/actuator/limp").contentType(MediaType.APPLICATION_JSON)
        .content("{\"action\":\"shed\",\"feature\":\"search\",\"durationSeconds\":60,\"reason\":\"drill\"}"))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.result.kind").value("SHED_FEATURE"))
        .andExpect(jsonPath("$.result.actor").value("actuator"));
    assertEquals(FeatureState.SHED, limp.guard("search").state());
    mvc.perform(post("/actuator/limp").contentType(MediaType.APPLICATION_JSON)
        .content("{\"action\":\"shed\",\"feature\":\"nope\",\"durationSeconds\":60,\"reason\":\"drill\"}"))
        .andExpect(status().isBadRequest());
    mvc.perform(get("/actuator/limp/nope")).andExpect(status().isNotFound());
    assertTrue(limp.findGuard("nope").isEmpty(), "management paths never create a feature");
  }
}
