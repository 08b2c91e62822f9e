package dev.limp.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.limp.FeatureConfig;
import dev.limp.FeatureGuard;
import dev.limp.Limp;
import dev.limp.Tier;
import dev.limp.testing.FakeClock;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A connection closed through the driver's back-references returns to the pool; limp must stop counting it
 * as in use, or the reserve refuses sheddable work on an idle pool (issue 13, item 3: after eight such
 * closes on a pool of ten, search got no connection at all).
 */
class ConnectionLeakRegressionTest {
  private final FakeClock clock = new FakeClock();
  private H2Pool pool;
  private Limp limp;
  private DatabaseMonitor monitor;
  private DataSource ds;

  private void start(String name) {
    pool = H2Pool.start(name, 10, Duration.ofMillis(250));
    limp = Limp.builder().name(name).clock(clock).governorThread(false)
        .feature(FeatureConfig.builder("search", Tier.SHEDDABLE).defaultValue("refused").build()).build();
    monitor = DatabaseMonitor.builder(limp).build(); // default reserve: 2 of 10
    ds = monitor.wrap(pool.dataSource());
  }

  @AfterEach
  void stop() {
    monitor.close();
    limp.close();
    pool.close();
  }

  /** Ten times: a search that takes a connection and closes it by {@code closer}, then one more search. */
  private String leakTenTimesThenSearch(Consumer<Connection> closer) {
    FeatureGuard search = limp.guard("search");
    for (int i = 0; i < 10; i++) {
      search.get(() -> {
        try {
          closer.accept(ds.getConnection());
          return "ran";
        } catch (SQLException e) {
          throw new IllegalStateException(e);
        }
      });
      limp.tick(); // limp's own tick reconciles what the pool has back
    }
    return search.get(() -> {
      try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
        s.execute("SELECT 1");
        return "ran";
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    });
  }

  private static void unchecked(SqlAction action) {
    try {
      action.run();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private interface SqlAction {
    void run() throws SQLException;
  }

  @Test
  void closingThroughTheResultSetsStatementReleasesTheConnection() {
    start("leak-result-set");
    String answer = leakTenTimesThenSearch(c -> unchecked(() -> {
      Statement s = c.createStatement();
      ResultSet rs = s.executeQuery("SELECT 1");
      rs.getStatement().getConnection().close();
    }));
    assertEquals("ran", answer, "the idle pool still serves sheddable work");
    assertEquals(0, monitor.activity().connectionsInUse());
  }

  @Test
  void closingTheMetadatasConnectionReleasesTheConnection() {
    start("leak-metadata");
    String answer = leakTenTimesThenSearch(c -> unchecked(() -> c.getMetaData().getConnection().close()));
    assertEquals("ran", answer);
    assertEquals(0, monitor.activity().connectionsInUse());
  }

  @Test
  void unwrappingToConnectionHandsBackTheMonitoredConnection() throws SQLException {
    start("leak-unwrap");
    try (Connection c = ds.getConnection()) {
      assertSame(c, c.unwrap(Connection.class), "closing what unwrap returns is closing the monitored one");
    }
    String answer = leakTenTimesThenSearch(c -> unchecked(() -> c.unwrap(Connection.class).close()));
    assertEquals("ran", answer);
    assertEquals(0, monitor.activity().connectionsInUse());
  }

  @Test
  void anAbortedConnectionIsReleasedOnceEvenWhenItIsClosedToo() {
    start("leak-abort");
    // HikariCP takes an aborted connection back only at close(); the release is counted once either way
    String answer = leakTenTimesThenSearch(c -> unchecked(() -> {
      c.abort(Runnable::run);
      c.close();
    }));
    assertEquals("ran", answer);
    assertEquals(0, monitor.activity().connectionsInUse(), "not below zero: counted once");
  }
}
