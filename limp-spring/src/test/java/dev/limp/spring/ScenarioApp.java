package dev.limp.spring;

import dev.limp.FeatureShedException;
import dev.limp.ShedReason;
import dev.limp.Tier;
import dev.limp.annotation.LimpFeature;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * A small chat service for the scenario tests: chat (critical, runs the slow statements), notifications
 * (secondary), search (shed first), a controller, and a listener of level-change events. The governor is
 * driven by the tests: {@code limp.governor-thread=false} and a {@link ShiftableClock}.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
@Import({ScenarioApp.Chat.class, ScenarioApp.Notifications.class, ScenarioApp.Search.class,
    ScenarioApp.SearchController.class})
public class ScenarioApp {

  @Bean
  ShiftableClock limpClock() {
    return new ShiftableClock();
  }

  @Bean
  LevelEvents levelEvents() {
    return new LevelEvents();
  }

  /** Collects the level changes published to the context. */
  public static class LevelEvents implements ApplicationListener<LimpLevelChangedApplicationEvent> {
    final BlockingQueue<LimpLevelChangedApplicationEvent> events = new LinkedBlockingQueue<>();

    @Override
    public void onApplicationEvent(LimpLevelChangedApplicationEvent event) {
      events.add(event);
    }
  }

  /** The critical path; it also runs the statements the tests make slow. */
  public static class Chat {
    private final JdbcTemplate jdbc;

    public Chat(JdbcTemplate jdbc) {
      this.jdbc = jdbc;
    }

    @LimpFeature(name = "chat.post", tier = Tier.CRITICAL_PLUS)
    public int post(String sql) {
      jdbc.execute(sql);
      return 1;
    }
  }

  /** A secondary feature with a fallback. */
  public static class Notifications {
    private final JdbcTemplate jdbc;

    public Notifications(JdbcTemplate jdbc) {
      this.jdbc = jdbc;
    }

    @LimpFeature(name = "notifications", tier = Tier.SHEDDABLE_PLUS, fallbackMethod = "none")
    public List<String> unread(String user) {
      Integer one = jdbc.queryForObject("SELECT 1", Integer.class);
      return List.of(user + ":" + one);
    }

    public List<String> none(String user, ShedReason reason) {
      return List.of();
    }
  }

  /** Shed first; throws {@link FeatureShedException} when shed. */
  public static class Search {
    private final JdbcTemplate jdbc;

    public Search(JdbcTemplate jdbc) {
      this.jdbc = jdbc;
    }

    @LimpFeature(name = "search", tier = Tier.SHEDDABLE)
    public List<String> search(String q) {
      return List.of(q + ":" + jdbc.queryForObject("SELECT 2", Integer.class));
    }
  }

  @RestController
  public static class SearchController {
    private final Search search;

    public SearchController(Search search) {
      this.search = search;
    }

    @GetMapping("/search")
    public List<String> search(@RequestParam String q) {
      return search.search(q);
    }
  }
}
