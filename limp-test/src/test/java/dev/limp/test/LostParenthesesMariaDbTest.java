package dev.limp.test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import dev.limp.Limp;
import dev.limp.Tier;
import dev.limp.db.DatabaseMonitor;
import dev.limp.db.MonitoredDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/**
 * The Ryver incident, caught in a test on MariaDB (as {@link LostParenthesesPostgresTest} on PostgreSQL; the
 * extension picks the plan reader by the database's product name): the notifications poll
 * {@code user_id = ? AND (NOT seen OR priority > 5)} lost its parentheses, became
 * {@code (user_id = ? AND NOT seen) OR priority > 5}, and read the whole 200,000-row table at every poll. A user's test that runs the poll under the {@link PlanCheckExtension} fails
 * on the lost parentheses, naming the scan and the statement, and passes once they are back (the index on
 * {@code user_id} serves the corrected query). The user's tests are the nested class, run through the JUnit
 * engine so that their outcome can be asserted.
 */
class LostParenthesesMariaDbTest {
  static final int ROWS = 200_000;
  static final String CORRECT = "SELECT id, message_id FROM notifications WHERE user_id = ? AND (NOT seen OR priority > 5)";
  static final String LOST = "SELECT id, message_id FROM notifications WHERE user_id = ? AND NOT seen OR priority > 5";

  @RegisterExtension
  static final MariaDbDatabase DB = new MariaDbDatabase();

  static Limp limp;
  static MonitoredDataSource dataSource;

  @BeforeAll
  static void schemaAndMonitor() throws SQLException {
    try (Connection c = DB.connect(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE notifications (id bigint AUTO_INCREMENT PRIMARY KEY, user_id int NOT NULL, "
          + "message_id bigint NOT NULL, seen boolean NOT NULL, priority int NOT NULL) ENGINE=InnoDB");
      s.execute("INSERT INTO notifications (user_id, message_id, seen, priority) SELECT seq % 5000, seq, "
          + "seq % 3 = 0, seq % 10 FROM seq_1_to_" + ROWS);
      s.execute("CREATE INDEX notifications_user ON notifications (user_id)");
      s.execute("CREATE TABLE countries (code varchar(8) PRIMARY KEY, name varchar(40) NOT NULL) ENGINE=InnoDB");
      s.execute("INSERT INTO countries SELECT CONCAT('c', seq), CONCAT('country ', seq) FROM seq_1_to_300");
      s.execute("ANALYZE TABLE notifications, countries");
    }
    limp = Limp.builder().name("plan-check").governorThread(false)
        .feature("chat.post", Tier.CRITICAL).feature("notifications", Tier.SHEDDABLE).build();
    dataSource = DatabaseMonitor.builder(limp).build().wrap(DB.dataSource());
  }

  @AfterAll
  static void closeLimp() {
    if (limp != null) {
      limp.close();
    }
  }

  @Test
  void failsTheTestWhoseQueryLostItsParentheses() {
    Events events = run("pollWithLostParentheses");
    assertEquals(1, events.failed().count(), "the test with the lost parentheses fails");
    String message = events.failed().stream().findFirst().orElseThrow().getRequiredPayload(
        org.junit.platform.engine.TestExecutionResult.class).getThrowable().orElseThrow().getMessage();
    // InnoDB's row count is an estimate (sampled pages): about 200,000
    assertTrue(message.matches("(?s).*Full table scan \\(ALL\\) on notifications, ~(19\\d|20\\d),\\d{3} rows, "
        + "filter .*"), message);
    assertTrue(message.contains("in: " + LOST), message);
    assertTrue(message.contains("feature: notifications"), message);
  }

  @Test
  void passesOnceTheParenthesesAreBack() {
    assertEquals(1, run("pollWithParentheses").succeeded().count());
  }

  @Test
  void aSmallTableOrAnAllowedOneMayBeScanned() {
    assertEquals(1, run("readsSmallTable").succeeded().count());
    assertEquals(1, run("lostParenthesesButAllowed").succeeded().count());
  }

  private static Events run(String method) {
    return EngineTestKit.engine("junit-jupiter").selectors(selectMethod(UsersTests.class, method))
        .configurationParameter(ThroughTestKitOnly.KEY, "true").execute().testEvents();
  }

  /** Runs the users' tests only when the engine is started by {@link #run}, not when a build finds them. */
  static final class ThroughTestKitOnly implements ExecutionCondition {
    static final String KEY = "dev.limp.test.usersTests";

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
      return context.getConfigurationParameter(KEY).isPresent() ? ConditionEvaluationResult.enabled("run by the test")
          : ConditionEvaluationResult.disabled("a user's tests, run by LostParenthesesMariaDbTest");
    }
  }

  /** A user's tests, as they would write them. Run only through {@link #run}. */
  @ExtendWith(ThroughTestKitOnly.class)
  static class UsersTests {
    @RegisterExtension
    static final PlanCheckExtension PLANS = PlanCheckExtension.ofDefaults();

    @Test
    void pollWithLostParentheses() throws Exception {
      poll(LOST);
    }

    @Test
    void pollWithParentheses() throws Exception {
      poll(CORRECT);
    }

    @Test
    @PlanCheck(allow = "notifications")
    void lostParenthesesButAllowed() throws Exception {
      poll(LOST);
    }

    @Test
    void readsSmallTable() throws SQLException {
      try (Connection c = PLANS.watch(dataSource).getConnection(); Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT count(*) FROM countries")) {
        rs.next();
      }
    }

    /** The notifications poll, inside its guard, as the application runs it. */
    private static void poll(String sql) throws Exception {
      MonitoredDataSource db = PLANS.watch(dataSource);
      List<Long> ids = limp.guard("notifications").call(() -> {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
          ps.setInt(1, 42);
          try (ResultSet rs = ps.executeQuery()) {
            List<Long> found = new java.util.ArrayList<>();
            while (rs.next()) {
              found.add(rs.getLong(1));
            }
            return found;
          }
        }
      });
      assertTrue(!ids.isEmpty());
    }
  }
}
