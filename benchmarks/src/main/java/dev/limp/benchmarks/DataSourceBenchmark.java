package dev.limp.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.limp.Limp;
import dev.limp.db.DatabaseMonitor;
import java.sql.Connection;
import java.sql.DriverManager;
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
 * A primary-key {@code SELECT} through HikariCP, with and without limp's monitored DataSource around the
 * pool: what watching the database costs per query. On H2 in memory (the query itself costs about 2 µs, so
 * this is the worst case) and on the local PostgreSQL over loopback (a real round trip; the benchmark
 * creates a schema of its own there and drops it, and fails if the server is not running).
 * {@code java -jar benchmarks/target/benchmarks.jar DataSourceBenchmark -t 1 -prof gc}, or
 * {@code -p database=h2} for H2 only.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class DataSourceBenchmark {
  private static final String POSTGRES = "jdbc:postgresql://127.0.0.1:5432/test";

  /** {@code h2} (in memory) or {@code postgresql} (127.0.0.1:5432, user postgres, database test). */
  @Param({"h2", "postgresql"})
  public String database;

  private HikariDataSource pool;
  private String schema;
  private Limp limp;
  private DataSource monitored;

  @Setup
  public void setUp() throws SQLException {
    HikariConfig config = new HikariConfig();
    config.setMaximumPoolSize(10);
    if (database.equals("postgresql")) {
      schema = "limp_bench_" + ProcessHandle.current().pid();
      try (Connection c = DriverManager.getConnection(POSTGRES, "postgres", "");
          Statement s = c.createStatement()) {
        s.execute("CREATE SCHEMA " + schema);
      }
      config.setJdbcUrl(POSTGRES + "?currentSchema=" + schema);
      config.setUsername("postgres");
    } else {
      config.setJdbcUrl("jdbc:h2:mem:bench;DB_CLOSE_DELAY=-1");
    }
    pool = new HikariDataSource(config);
    try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS messages (id BIGINT PRIMARY KEY, body VARCHAR(200))");
      s.execute("DELETE FROM messages");
      s.execute("INSERT INTO messages (id, body) VALUES (1, 'hello')");
    }
    limp = Limp.builder().name("bench-ds").governorThread(false).build();
    monitored = DatabaseMonitor.builder(limp).build().wrap(pool);
  }

  @TearDown
  public void tearDown() throws SQLException {
    limp.close();
    pool.close();
    if (schema != null) {
      try (Connection c = DriverManager.getConnection(POSTGRES, "postgres", "");
          Statement s = c.createStatement()) {
        s.execute("DROP SCHEMA " + schema + " CASCADE");
      }
    }
  }

  private static String select(DataSource dataSource) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT body FROM messages WHERE id = ?")) {
      ps.setLong(1, 1);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    }
  }

  @Benchmark
  public String hikari() throws SQLException {
    return select(pool);
  }

  @Benchmark
  public String hikariMonitoredByLimp() throws SQLException {
    return select(monitored);
  }
}
