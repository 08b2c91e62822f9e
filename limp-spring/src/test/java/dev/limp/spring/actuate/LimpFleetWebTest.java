package dev.limp.spring.actuate;

import static org.hamcrest.Matchers.both;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.limp.Limp;
import dev.limp.redis.LimpFleet;
import dev.limp.spring.ScenarioApp;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;

/**
 * The fleet over HTTP, on the local Redis (a fleet name of its own, its keys deleted after): an override made
 * through {@code /actuator/limp} (which needs the endpoint's own access) is a fleet override, and
 * {@code /actuator/limp/fleet} shows the member, the fleet's override in force and the audit entry. The
 * instance has a feature named {@code fleet}: with a fleet that path is the fleet, and the feature is read in
 * the whole status. When Redis is down the class fails if CI is set, and is skipped otherwise.
 */
@SpringBootTest(classes = ScenarioApp.class, properties = {
    "limp.name=fleet-web",
    "limp.governor-thread=false",
    "spring.datasource.url=jdbc:h2:mem:fleet-web;DB_CLOSE_DELAY=-1",
    "management.endpoints.web.exposure.include=limp",
    "limp.features.fleet.tier=SHEDDABLE",
    "management.endpoint.limp.access=unrestricted",
    "limp.fleet.enabled=true",
    "limp.fleet.instance=web-1",
    "spring.data.redis.host=127.0.0.1",
    "spring.data.redis.port=6379"})
@AutoConfigureMockMvc
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class LimpFleetWebTest {
  private static final String FLEET = "it-web-" + UUID.randomUUID().toString().substring(0, 8);

  @Autowired MockMvc mvc;
  @Autowired Limp limp;
  @Autowired LimpFleet fleet;

  @DynamicPropertySource
  static void fleetName(DynamicPropertyRegistry registry) {
    registry.add("limp.fleet.name", () -> FLEET);
  }

  @BeforeAll
  static void redis() {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", 6379), 500);
    } catch (IOException e) {
      String ci = System.getenv("CI");
      if (ci != null && !ci.isBlank() && !ci.equalsIgnoreCase("false") && !ci.equals("0")) {
        throw new AssertionError("Redis is not reachable at 127.0.0.1:6379 and CI is set: a failure", e);
      }
      Assumptions.abort("Redis is not reachable at 127.0.0.1:6379: skipping the fleet endpoint test");
    }
  }

  /** Leaves the fleet (closing it again at the context's end does nothing), then deletes what is left of its keys. */
  @AfterAll
  static void deleteKeys(@Autowired LimpFleet fleet) {
    fleet.close();
    RedisClient client = RedisClient.create("redis://127.0.0.1:6379");
    try (StatefulRedisConnection<String, String> c = client.connect()) {
      ScanCursor cursor = ScanCursor.INITIAL;
      do {
        KeyScanCursor<String> page = c.sync().scan(cursor, ScanArgs.Builder.matches("limp:" + FLEET + ":*"));
        if (!page.getKeys().isEmpty()) {
          c.sync().del(page.getKeys().toArray(new String[0]));
        }
        cursor = page;
      } while (!cursor.isFinished());
    } finally {
      client.shutdown();
    }
  }

  @Test
  void anActuatorOverrideIsAFleetOverrideAndTheFleetEndpointShowsItsMemberAndAudit() throws Exception {
    mvc.perform(post("/actuator/limp").principal(() -> "alice").contentType(MediaType.APPLICATION_JSON)
            .content("{\"action\":\"shed\",\"feature\":\"search\",\"durationSeconds\":60,\"reason\":\"index rebuild\"}"))
        .andExpect(status().isOk());
    awaitHeartbeatWithSearchShed();
    mvc.perform(get("/actuator/limp/fleet"))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.fleet").value(FLEET))
        .andExpect(jsonPath("$.instance").value("web-1"))
        .andExpect(jsonPath("$.connected").value(true))
        .andExpect(jsonPath("$.members[0].instance").value("web-1"))
        .andExpect(jsonPath("$.members[0].level").value("NORMAL"))
        .andExpect(jsonPath("$.members[0].followsFleet").value(false))
        .andExpect(jsonPath("$.members[0].features.search").value("SHED"))
        .andExpect(jsonPath("$.members[0].overrides").value(1))
        .andExpect(jsonPath("$.members[0].signals").isMap())
        .andExpect(jsonPath("$.members[0].ageMillis").value(both(greaterThanOrEqualTo(0)).and(lessThanOrEqualTo(5_000))))
        .andExpect(jsonPath("$.overrides[0].kind").value("SHED"))
        .andExpect(jsonPath("$.overrides[0].target").value("search"))
        .andExpect(jsonPath("$.overrides[0].actor").value("actuator:alice"))
        .andExpect(jsonPath("$.overrides[0].origin").value("web-1"))
        .andExpect(jsonPath("$.overrides[0].expiresAt").isString())
        .andExpect(jsonPath("$.audit[0].action").value("SHED"))
        .andExpect(jsonPath("$.audit[0].target").value("search"))
        .andExpect(jsonPath("$.audit[0].actor").value("actuator:alice"))
        .andExpect(jsonPath("$.audit[0].reason").value("index rebuild"));
    limp.overrides().releaseAll("test");
    mvc.perform(get("/actuator/limp/fleet").param("audit", "1"))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.overrides.length()").value(0))
        .andExpect(jsonPath("$.audit.length()").value(1))
        .andExpect(jsonPath("$.audit[0].action").value("RELEASE_ALL"));
    mvc.perform(get("/actuator/limp/fleet").param("audit", "0")).andExpect(status().isBadRequest());
  }

  @Test
  void withAFleetTheFleetPathIsTheFleetAndAFeatureNamedFleetIsReadInTheStatus() throws Exception {
    mvc.perform(get("/actuator/limp/fleet"))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.fleet").value(FLEET))
        .andExpect(jsonPath("$.tier").doesNotExist());
    mvc.perform(get("/actuator/limp"))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.features.fleet.tier").value("SHEDDABLE"));
    mvc.perform(get("/actuator/limp/search"))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.tier").value("SHEDDABLE"));
    mvc.perform(get("/actuator/limp/nope")).andExpect(status().isNotFound());
  }

  /** The heartbeat that carries the shed feature comes within one heartbeat interval of the override. */
  private void awaitHeartbeatWithSearchShed() {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (fleet.members().isEmpty() || !"SHED".equals(fleet.members().get(0).features().get("search"))) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no heartbeat with search shed within 5 s: " + fleet.members());
      }
      Thread.onSpinWait();
    }
  }
}
