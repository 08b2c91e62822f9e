package dev.limp.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.limp.FeatureGuard;
import dev.limp.Limp;
import dev.limp.Tier;
import dev.limp.db.DatabaseMonitor;
import dev.limp.db.PlanWatchConfig;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the plan watch's statement listener costs a statement run for a feature: the same primary-key
 * {@code SELECT} through a monitored HikariCP pool over H2, inside a guard, with the plan watch off and on.
 * The listener keeps the feature's slowest statement of the window; it should neither show in the time nor
 * allocate. {@code java -jar benchmarks/target/benchmarks.jar PlanWatchBenchmark -t 1 -prof gc}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PlanWatchBenchmark {
  /** {@code off} or {@code on}. */
  @Param({"off", "on"})
  public String planWatch;

  private HikariDataSource pool;
  private Limp limp;
  private DatabaseMonitor monitor;
  private DataSource monitored;
  private FeatureGuard search;

  @Setup
  public void setUp() throws SQLException {
    HikariConfig config = new HikariConfig();
    config.setMaximumPoolSize(10);
    config.setJdbcUrl("jdbc:h2:mem:bench-plan-watch;DB_CLOSE_DELAY=-1");
    pool = new HikariDataSource(config);
    try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS messages (id BIGINT PRIMARY KEY, body VARCHAR(200))");
      s.execute("DELETE FROM messages");
      s.execute("INSERT INTO messages (id, body) VALUES (1, 'hello')");
    }
    limp = Limp.builder().name("bench-plan-watch").governorThread(false).feature("search", Tier.SHEDDABLE)
        .build();
    monitor = DatabaseMonitor.builder(limp)
        .planWatch(planWatch.equals("on") ? PlanWatchConfig.ofDefaults() : PlanWatchConfig.off()).build();
    monitored = monitor.wrap(pool);
    search = limp.guard("search");
  }

  @TearDown
  public void tearDown() {
    monitor.close();
    limp.close();
    pool.close();
  }

  private String select() throws SQLException {
    try (Connection c = monitored.getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT body FROM messages WHERE id = ?")) {
      ps.setLong(1, 1);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    }
  }

  @Benchmark
  public String selectForAFeature() throws Exception {
    return search.call(this::select);
  }
}
