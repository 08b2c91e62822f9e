package dev.limp.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.limp.Limp;
import dev.limp.Tier;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The database view's settings, and what it does on a database whose view limp cannot read. */
class DatabaseViewConfigTest {
  @Test
  void defaultsReadEverySecondWithAHalfSecondTimeout() {
    DatabaseViewConfig config = DatabaseViewConfig.ofDefaults();
    assertEquals(Duration.ofSeconds(1), config.interval());
    assertEquals(Duration.ofMillis(500), config.timeout());
  }

  @Test
  void rejectsBadValuesAndATimeoutNotBelowTheInterval() {
    assertThrows(IllegalArgumentException.class, () -> DatabaseViewConfig.builder().interval(Duration.ofMillis(10)));
    assertThrows(IllegalArgumentException.class, () -> DatabaseViewConfig.builder().timeout(Duration.ofMinutes(2)));
    assertThrows(NullPointerException.class, () -> DatabaseViewConfig.builder().interval(null));
    assertEquals("timeout must be below the interval (PT0.5S), but was PT0.5S",
        assertThrows(IllegalStateException.class, () -> DatabaseViewConfig.builder()
            .interval(Duration.ofMillis(500)).build()).getMessage());
  }

  @Test
  void aDatabaseLimpCannotReadTurnsTheViewOffAndTheRestWorks() throws Exception {
    try (H2Pool pool = H2Pool.start("view");
        Limp limp = Limp.builder().name("view-h2").governorThread(false).feature("chat.post", Tier.CRITICAL)
            .build();
        DatabaseMonitor monitor = DatabaseMonitor.builder(limp)
            .databaseView(DatabaseViewConfig.builder().interval(Duration.ofMillis(100))
                .timeout(Duration.ofMillis(50)).build()).build()) {
      assertTrue(monitor.config().toString().contains("databaseView DatabaseViewConfig[interval PT0.1S"));
      try (Connection c = monitor.wrap(pool.dataSource()).getConnection(); Statement s = c.createStatement()) {
        s.execute("SELECT 1");
      }
      H2Pool.awaitTrue("the view to find it cannot read H2's sessions and turn itself off",
          monitor::databaseViewStopped);
      limp.tick();
      assertTrue(Double.isNaN(monitor.signals().get(DatabaseSignals.SERVER_CONNECTIONS)));
      assertEquals(1, monitor.signals().get(DatabaseSignals.TIMEOUT_ERRORS) + 1, "the pool's signals are read");
      assertEquals(List.of(), monitor.blockers());
    }
  }
}
