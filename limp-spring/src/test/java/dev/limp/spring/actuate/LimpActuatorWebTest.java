package dev.limp.spring.actuate;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;
import static org.hamcrest.Matchers.both;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.limp.Limp;
import dev.limp.spring.ScenarioApp;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;

/** The Actuator over HTTP: a refused override's problem detail, and the {@code limpevents} endpoint. */
@SpringBootTest(classes = ScenarioApp.class, properties = {
    "limp.name=actuator-web",
    "limp.governor-thread=false",
    "spring.datasource.url=jdbc:h2:mem:actuator-web;DB_CLOSE_DELAY=-1",
    "management.endpoints.web.exposure.include=health,limp,limpevents,metrics",
    "management.endpoint.limp.access=unrestricted",
    "limp.features.fleet.tier=SHEDDABLE"})
@AutoConfigureMockMvc
@ExtendWith(OutputCaptureExtension.class)
class LimpActuatorWebTest {
  @Autowired MockMvc mvc;
  @Autowired Limp limp;
  @Autowired LimpEventLog limpEventLog;
  @Autowired javax.sql.DataSource dataSource;

  @AfterEach
  void releaseAll() {
    limp.overrides().releaseAll("test");
  }

  @Test
  void aRefusedOverrideIsAProblemDetailWithLimpsMessageLoggedWithThePrincipal(CapturedOutput output)
      throws Exception {
    mvc.perform(post("/actuator/limp").principal(() -> "alice").contentType(MediaType.APPLICATION_JSON)
            .content("{\"action\":\"shed\",\"feature\":\"nope\",\"durationSeconds\":60,\"reason\":\"drill\"}"))
        .andExpect(status().isBadRequest())
        .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
        .andExpect(jsonPath("$.type").value(LimpEndpointWebExtension.TYPE))
        .andExpect(jsonPath("$.status").value(400))
        .andExpect(jsonPath("$.detail").value(containsString("nope")))
        .andExpect(jsonPath("$.actor").value("actuator:alice"));
    assertTrue(output.getAll().contains("refused an Actuator override by actuator:alice"), output.getAll());
    mvc.perform(post("/actuator/limp").contentType(MediaType.APPLICATION_JSON)
            .content("{\"action\":\"shed\",\"feature\":\"search\",\"reason\":\"drill\"}"))
        .andExpect(status().isBadRequest())
        .andExpect(jsonPath("$.detail").value(containsString("durationSeconds is required")));
    mvc.perform(post("/actuator/limp").contentType(MediaType.APPLICATION_JSON)
            .content("{\"action\":\"shed\",\"feature\":\"search\",\"durationSeconds\":60,\"reason\":\"drill\"}"))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.action").value("shed"));
  }

  @Test
  void theEventsEndpointListsOverridesAndFeatureChangesWithTimeReasonAndPrincipal() throws Exception {
    mvc.perform(post("/actuator/limp").principal(() -> "bob").contentType(MediaType.APPLICATION_JSON)
            .content("{\"action\":\"shed\",\"feature\":\"search\",\"durationSeconds\":60,\"reason\":\"slow index\"}"))
        .andExpect(status().isOk());
    limp.overrides().releaseFeature("search", "carol");
    awaitEvent("OVERRIDE_RELEASED", "carol");
    mvc.perform(get("/actuator/limpevents"))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.instance").value("actuator-web"))
        .andExpect(jsonPath("$.capacity").value(LimpEventLog.DEFAULT_CAPACITY))
        .andExpect(jsonPath("$.events[*].type").value(hasItem("OVERRIDE_APPLIED")))
        .andExpect(jsonPath("$.events[*].type").value(hasItem("OVERRIDE_RELEASED")))
        .andExpect(jsonPath("$.events[*].type").value(hasItem("FEATURE_STATE_CHANGED")))
        .andExpect(jsonPath("$.events[?(@.type == 'OVERRIDE_APPLIED')].actor").value(hasItem("actuator:bob")))
        .andExpect(jsonPath("$.events[?(@.type == 'OVERRIDE_APPLIED')].reason").value(hasItem("slow index")))
        .andExpect(jsonPath("$.events[?(@.type == 'OVERRIDE_RELEASED')].actor").value(hasItem("carol")))
        .andExpect(jsonPath("$.events[0].at").exists());
    mvc.perform(get("/actuator/limpevents/search"))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.events[*].feature").value(hasItem("search")));
    mvc.perform(get("/actuator/limpevents/chat.post"))
        .andExpect(jsonPath("$.events", hasSize(0)));
    mvc.perform(get("/actuator/limp/search")).andExpect(status().isOk()); // a feature named like a sub-path still reads
  }

  @Test
  void withoutAFleetAFeatureNamedFleetIsReadAtItsPathAsAnyOther() throws Exception {
    mvc.perform(get("/actuator/limp/fleet"))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.tier").value("SHEDDABLE"))
        .andExpect(jsonPath("$.state").value("ACTIVE"));
    mvc.perform(get("/actuator/limp/fleet").param("audit", "0")).andExpect(status().isOk()); // no fleet: ignored
    mvc.perform(get("/actuator/limp/nope")).andExpect(status().isNotFound());
  }

  /** Events reach the log on limp's event thread: waits for the one this test expects last. */
  private void awaitEvent(String type, String actor) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (limpEventLog.entries().stream().noneMatch(e -> type.equals(e.get("type")) && actor.equals(e.get("actor")))
        && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
  }

  @Test
  void eachSignalHasAMetricOfItsOwnThatShowsItsReading() throws Exception {
    new org.springframework.jdbc.core.JdbcTemplate(dataSource).queryForObject("SELECT 1", Integer.class);
    limp.tick();
    mvc.perform(get("/actuator/metrics/limp.level")).andExpect(status().isOk()); // a scrape: late gauges
    mvc.perform(get("/actuator/metrics/limp.signal.db.pool.saturation"))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.measurements[0].value").value(both(greaterThanOrEqualTo(0.0)).and(lessThanOrEqualTo(1.0))));
    mvc.perform(get("/actuator/metrics/limp.signal").param("tag", "signal:db.pool.saturation"))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.measurements[0].value").value(both(greaterThanOrEqualTo(0.0)).and(lessThanOrEqualTo(1.0))));
  }
}
