package dev.limp.db;

import static dev.limp.db.H2Pool.awaitTrue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.limp.Level;
import dev.limp.Limp;
import dev.limp.SignalSnapshot;
import dev.limp.Tier;
import dev.limp.testing.FakeClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 12.6 on a real PostgreSQL (see {@link PostgresFixture} for when it fails and when it skips): a canary
 * whose query is wrong ({@code SELEKT 1}: SQLState 42601; an unknown table: 42P01) reports a configuration
 * error, never a failure or a level.
 */
@Timeout(60)
class CanaryPostgresTest {
  @RegisterExtension
  static final PostgresFixture DB = PostgresFixture.local();

  private HikariDataSource pool() {
    HikariConfig config = new HikariConfig();
    config.setPoolName("pg-canary");
    config.setJdbcUrl(DB.jdbcUrl());
    config.setUsername(DB.user());
    config.setMaximumPoolSize(3);
    return new HikariDataSource(config);
  }

  private static void assertMisconfiguredNotALevel(String query) {
    FakeClock monitorClock = new FakeClock();
    try (HikariDataSource pool = new CanaryPostgresTest().pool();
        Limp limp = Limp.builder().name("pg-canary").clock(new FakeClock()).governorThread(false)
            .policy(DatabaseSignals.defaultPolicy()).feature("chat.post", Tier.CRITICAL_PLUS).build();
        DatabaseMonitor monitor = DatabaseMonitor.builder(limp).clock(monitorClock)
            .canary(CanaryConfig.builder().query(query).interval(Duration.ofMillis(100)).build()).build()) {
      monitor.wrap(pool);
      awaitTrue("the canary to report its misconfiguration", () -> {
        limp.tick();
        return limp.status().signals().get(DatabaseSignals.CANARY_MISCONFIGURED) == 1.0;
      });
      for (int i = 0; i < 10; i++) {
        monitorClock.advance(Duration.ofSeconds(1));
        limp.tick();
        SignalSnapshot signals = limp.status().signals();
        assertEquals(1.0, signals.get(DatabaseSignals.CANARY_MISCONFIGURED), signals.toString());
        assertEquals(0.0, signals.get(DatabaseSignals.CANARY_FAILURES), signals.toString());
        assertEquals(0.0, signals.get(DatabaseSignals.CANARY_UNREACHABLE), signals.toString());
        assertTrue(Double.isNaN(signals.get(DatabaseSignals.CANARY_LATENCY)), signals.toString());
        assertEquals(Level.NORMAL, limp.level(), limp.status().levelReason());
      }
    }
  }

  @Test
  void aCanaryQueryWithASyntaxErrorIsAConfigurationErrorNotALevelOnPostgres() {
    assertMisconfiguredNotALevel("SELEKT 1");
  }

  @Test
  void aCanaryQueryOnAnUnknownTableIsAConfigurationErrorOnPostgres() {
    assertMisconfiguredNotALevel("SELECT 1 FROM no_such_table");
  }
}
