package dev.limp.spring;

import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The scenario on HikariCP + H2 in memory; slow statements are {@code CALL SLEEP(ms)}, {@code Thread.sleep(long)}
 * named with its parameter type (JDK 19+ adds {@code sleep(Duration)}, which H2 would find ambiguous).
 */
@SpringBootTest(classes = ScenarioApp.class, properties = {
    "limp.name=scenario-h2",
    "limp.governor-thread=false",
    "limp.database.window=2s",
    "limp.database.window-buckets=4",
    "limp.policy.min-dwell=5s",
    "limp.policy.ramp-period=6s",
    "spring.datasource.url=jdbc:h2:mem:scenario;DB_CLOSE_DELAY=-1",
    "spring.jmx.enabled=true",
    // The watched HikariDataSource keeps its type (issue 14), so Spring exports it as an MBean as it does
    // without limp; two scenario contexts live in one test JVM, each with a bean 'dataSource'.
    "spring.jmx.unique-names=true",
    "management.endpoints.web.exposure.include=health,limp",
    "management.endpoint.health.show-details=always",
    "management.endpoint.limp.access=unrestricted"})
@AutoConfigureMockMvc
class H2SheddingScenarioTest extends AbstractSheddingScenario {
  @Autowired JdbcTemplate jdbc;

  @BeforeEach
  void sleepFunction() {
    jdbc.execute("CREATE ALIAS IF NOT EXISTS SLEEP FOR 'java.lang.Thread.sleep(long)'");
  }

  @Override
  String sleepStatement(int millis) {
    return "CALL SLEEP(" + millis + ")";
  }

  @Override
  String instance() {
    return "scenario-h2";
  }
}
