package dev.limp.spring.autoconfigure;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** Bad {@code limp.*} properties fail start-up with Spring Boot's failure-analysis report. */
@ExtendWith(OutputCaptureExtension.class)
class FailureAnalysisTest {
  @SpringBootConfiguration(proxyBeanMethods = false)
  @ImportAutoConfiguration(LimpAutoConfiguration.class)
  static class App {
  }

  /** A DataSource whose class cannot be subclassed, declared (and so injectable) by that class. */
  static final class FinalDataSource extends org.springframework.jdbc.datasource.AbstractDataSource {
    @Override
    public java.sql.Connection getConnection() throws java.sql.SQLException {
      throw new java.sql.SQLException("not used");
    }

    @Override
    public java.sql.Connection getConnection(String user, String password) throws java.sql.SQLException {
      return getConnection();
    }
  }

  @SpringBootConfiguration(proxyBeanMethods = false)
  @ImportAutoConfiguration(LimpAutoConfiguration.class)
  static class FinalDataSourceApp {
    @org.springframework.context.annotation.Bean
    FinalDataSource finalDataSource() {
      return new FinalDataSource();
    }
  }

  private static String failToStart(CapturedOutput output, String... args) {
    return failToStart(App.class, output, args);
  }

  private static String failToStart(Class<?> source, CapturedOutput output, String... args) {
    SpringApplication app = new SpringApplication(source);
    app.setWebApplicationType(org.springframework.boot.WebApplicationType.NONE);
    assertThrows(RuntimeException.class, () -> app.run(args));
    String report = output.getAll();
    int start = report.indexOf("APPLICATION FAILED TO START");
    assertTrue(start >= 0, "no failure-analysis report in:\n" + report);
    return report.substring(start);
  }

  @Test
  void tickIntervalOutOfRangeNamesThePropertyTheValueAndWhatIsAllowed(CapturedOutput output) {
    String report = failToStart(output, "--limp.tick-interval=5ms", "--limp.governor-thread=false");
    System.out.println("[limp failure-analysis report]\n" + report);
    assertTrue(report.contains("limp is misconfigured."), report);
    assertTrue(report.contains("Where: limp.tick-interval"), report);
    assertTrue(report.contains("Value: PT0.005S"), report);
    assertTrue(report.contains("tickInterval must be between 10 ms and 1 minute, but was PT0.005S"), report);
    assertTrue(report.contains("Action:"), report);
    assertTrue(report.contains("Update 'limp.tick-interval' in your application's configuration: use a duration "
        + "between 10ms and 1m."), report);
  }

  @Test
  void featureWithoutTierNamesThePropertyAndTheAllowedTiers(CapturedOutput output) {
    String report = failToStart(output, "--limp.features.search.bulkhead=2", "--limp.governor-thread=false");
    assertTrue(report.contains("Where: limp.features.search.tier"), report);
    assertTrue(report.contains("feature 'search' has no tier"), report);
    assertTrue(report.contains("Set limp.features.search.tier to one of [CRITICAL_PLUS, CRITICAL, SHEDDABLE_PLUS, "
        + "SHEDDABLE]"), report);
  }

  @Test
  void thresholdsInTheWrongOrderNameTheRuleAndTheRejectedValues(CapturedOutput output) {
    String report = failToStart(output, "--limp.governor-thread=false",
        "--limp.policy.rules[db.query.p99].levels.shed-sheddable.enter=100",
        "--limp.policy.rules[db.query.p99].levels.shed-sheddable.exit=300");
    assertTrue(report.contains("Where: limp.policy.rules[db.query.p99].levels.shed-sheddable"), report);
    assertTrue(report.contains("Value: enter=100.0, exit=300.0"), report);
    assertTrue(report.contains("exit threshold below the enter threshold"), report);
  }

  @Test
  void aMaxDwellBelowTheMinDwellNamesBothAndTheRejectedValue(CapturedOutput output) {
    String report = failToStart(output, "--limp.governor-thread=false", "--limp.policy.min-dwell=20s",
        "--limp.policy.max-dwell=10s");
    assertTrue(report.contains("Where: limp.policy.max-dwell"), report);
    assertTrue(report.contains("Value: PT10S"), report);
    assertTrue(report.contains("maxDwell must be at least minDwell (PT20S), but was PT10S"), report);
    assertTrue(report.contains("Set 'limp.policy.max-dwell' to at least limp.policy.min-dwell (PT20S)"), report);
  }

  @Test
  void aDataSourceOfAFinalClassDeclaredByThatClassFailsStartUpNamingLimpAndTheWaysOut(CapturedOutput output) {
    String report = failToStart(FinalDataSourceApp.class, output, "--limp.governor-thread=false");
    assertTrue(report.contains("limp is misconfigured."), report);
    assertTrue(report.contains("Where: DataSource bean 'finalDataSource'"), report);
    assertTrue(report.contains("cannot keep the bean's type"), report);
    assertTrue(report.contains("FinalDataSource is final"), report);
    assertTrue(report.contains("Declare the bean's type as javax.sql.DataSource"), report);
    assertTrue(report.contains("limp.database.enabled=false"), report);
  }

  @Test
  void aDottedFeatureNameWithoutBracketsFailsStartUpNamingTheBracketForm(CapturedOutput output) {
    String report = failToStart(output, "--limp.governor-thread=false", "--limp.features.chat.post.tier=CRITICAL_PLUS");
    assertTrue(report.contains("Where: limp.features.chat.post.tier"), report);
    assertTrue(report.contains("the feature 'chat.post' would be silently ignored"), report);
    assertTrue(report.contains("limp.features[chat.post].tier"), report);
  }

  @Test
  void aDottedSignalNameWithoutBracketsFailsStartUpNamingTheBracketForm(CapturedOutput output) {
    String report = failToStart(output, "--limp.governor-thread=false",
        "--limp.policy.rules.db.query.p99.levels.shed-sheddable.enter=400");
    assertTrue(report.contains("the signal 'db.query.p99' would be silently ignored"), report);
    assertTrue(report.contains("limp.policy.rules[db.query.p99].levels.shed-sheddable.enter"), report);
  }
}
