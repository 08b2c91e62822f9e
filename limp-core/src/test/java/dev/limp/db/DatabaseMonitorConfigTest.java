package dev.limp.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.limp.Limp;
import dev.limp.Tier;
import dev.limp.testing.FakeClock;
import java.time.Duration;
import java.util.Optional;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Validation of the database monitor's and the canary's settings, and of what {@link DatabaseMonitor#wrap}
 * accepts: each rejection names the setting, the rejected value and what is allowed.
 */
class DatabaseMonitorConfigTest {
  private Limp limp;

  @BeforeEach
  void start() {
    limp = Limp.builder().name("db-config").clock(new FakeClock()).governorThread(false)
        .feature("search", Tier.SHEDDABLE).build();
  }

  @AfterEach
  void stop() {
    limp.close();
  }

  private static void assertRejected(Class<? extends RuntimeException> type, String message, Executable setting) {
    RuntimeException e = assertThrows(type, setting);
    assertEquals(message, e.getMessage());
  }

  // ---------------------------------------------------------------- DatabaseMonitor.Builder

  @Test
  void theWindowMustLastBetweenOneSecondAndTenMinutes() {
    DatabaseMonitor.Builder b = DatabaseMonitor.builder(limp);
    assertRejected(IllegalArgumentException.class, "window must be between PT1S and PT10M, but was PT0.5S",
        () -> b.window(Duration.ofMillis(500), 10));
    assertRejected(IllegalArgumentException.class, "window must be between PT1S and PT10M, but was PT11M",
        () -> b.window(Duration.ofMinutes(11), 10));
    assertRejected(NullPointerException.class, "window", () -> b.window(null, 10));
  }

  @Test
  void theWindowNeedsOneTo600BucketsOfAtLeast10Milliseconds() {
    DatabaseMonitor.Builder b = DatabaseMonitor.builder(limp);
    assertRejected(IllegalArgumentException.class, "window buckets must be between 1 and 600 and each at least "
        + "10 ms long, but was 0 buckets over PT1S", () -> b.window(Duration.ofSeconds(1), 0));
    assertRejected(IllegalArgumentException.class, "window buckets must be between 1 and 600 and each at least "
        + "10 ms long, but was 601 buckets over PT10M", () -> b.window(Duration.ofMinutes(10), 601));
    assertRejected(IllegalArgumentException.class, "window buckets must be between 1 and 600 and each at least "
        + "10 ms long, but was 101 buckets over PT1S", () -> b.window(Duration.ofSeconds(1), 101));
    b.window(Duration.ofSeconds(1), 100); // 10 ms each: the shortest allowed
    b.window(Duration.ofMinutes(10), 600);
  }

  @Test
  void theReserveIsZeroOrAPositiveNumberOfConnections() {
    DatabaseMonitor.Builder b = DatabaseMonitor.builder(limp);
    assertRejected(IllegalArgumentException.class, "reserve must be 0 (off) or a number of connections, but was -1",
        () -> b.reserve(-1));
    b.reserve(0);
    assertRejected(NullPointerException.class, "reserveFor", () -> b.reserveFor(null));
  }

  @Test
  void theCulpritShareIsAFractionAboveZeroAndAtMostOne() {
    DatabaseMonitor.Builder b = DatabaseMonitor.builder(limp);
    assertRejected(IllegalArgumentException.class, "culpritShare must be a fraction in (0, 1], but was 0.0",
        () -> b.culpritShare(0));
    assertRejected(IllegalArgumentException.class, "culpritShare must be a fraction in (0, 1], but was 1.5",
        () -> b.culpritShare(1.5));
    assertRejected(IllegalArgumentException.class, "culpritShare must be a fraction in (0, 1], but was NaN",
        () -> b.culpritShare(Double.NaN));
    b.culpritShare(1);
  }

  @Test
  void nullsAreRejectedByName() {
    assertRejected(NullPointerException.class, "limp", () -> DatabaseMonitor.builder(null));
    DatabaseMonitor.Builder b = DatabaseMonitor.builder(limp);
    assertRejected(NullPointerException.class, "clock", () -> b.clock(null));
    assertRejected(NullPointerException.class, "poolProbe", () -> b.poolProbe(null));
    assertRejected(NullPointerException.class, "canary", () -> b.canary(null));
    try (DatabaseMonitor monitor = b.build()) {
      assertRejected(NullPointerException.class, "dataSource", () -> monitor.wrap(null));
    }
  }

  // ---------------------------------------------------------------- CanaryConfig.Builder

  @Test
  void theCanaryIntervalIsBetween100MillisecondsAndAnHour() {
    CanaryConfig.Builder b = CanaryConfig.builder();
    assertRejected(IllegalArgumentException.class, "canary interval must be between PT0.1S and PT1H, but was PT0.05S",
        () -> b.interval(Duration.ofMillis(50)));
    assertRejected(IllegalArgumentException.class, "canary interval must be between PT0.1S and PT1H, but was PT1H0.001S",
        () -> b.interval(Duration.ofHours(1).plusMillis(1)));
    assertRejected(NullPointerException.class, "canary interval", () -> b.interval(null));
  }

  @Test
  void theCanaryTimeoutIsBetween10MillisecondsAndAMinute() {
    CanaryConfig.Builder b = CanaryConfig.builder();
    assertRejected(IllegalArgumentException.class, "canary timeout must be between PT0.01S and PT1M, but was PT0S",
        () -> b.timeout(Duration.ZERO));
    assertRejected(IllegalArgumentException.class, "canary timeout must be between PT0.01S and PT1M, but was PT-1S",
        () -> b.timeout(Duration.ofSeconds(-1)));
    assertRejected(IllegalArgumentException.class, "canary timeout must be between PT0.01S and PT1M, but was PT2M",
        () -> b.timeout(Duration.ofMinutes(2)));
  }

  @Test
  void theCanaryQueryMustBeAStatement() {
    CanaryConfig.Builder b = CanaryConfig.builder();
    assertRejected(IllegalArgumentException.class, "canary query must be a statement, but was blank",
        () -> b.query("  \n"));
    assertRejected(NullPointerException.class, "query", () -> b.query(null));
  }

  @Test
  void theCanaryDefaultsToTheProductsTrivialQueryEverySecondWithinTwoSeconds() {
    CanaryConfig defaults = CanaryConfig.ofDefaults();
    assertEquals(Optional.empty(), defaults.query());
    assertEquals(CanaryConfig.DEFAULT_INTERVAL, defaults.interval());
    assertEquals(CanaryConfig.DEFAULT_TIMEOUT, defaults.timeout());
    assertEquals("SELECT 1", CanaryConfig.defaultQuery("H2"));
    assertEquals("SELECT 1", CanaryConfig.defaultQuery("PostgreSQL"));
    assertEquals("SELECT 1 FROM DUAL", CanaryConfig.defaultQuery("Oracle"));
    assertEquals("VALUES 1", CanaryConfig.defaultQuery("Apache Derby"));
    CanaryConfig custom = CanaryConfig.builder().query("SELECT 2").interval(Duration.ofMillis(100))
        .timeout(Duration.ofMillis(10)).build();
    assertEquals(Optional.of("SELECT 2"), custom.query());
    assertEquals(Duration.ofMillis(100), custom.interval());
  }

  // ---------------------------------------------------------------- wrap

  @Test
  void wrapRefusesASecondDataSourceNamingBoth() {
    try (H2Pool first = H2Pool.start("wrap-first", 2, Duration.ofSeconds(5));
        DatabaseMonitor monitor = DatabaseMonitor.builder(limp).build()) {
      MonitoredDataSource ds = monitor.wrap(first.dataSource());
      DataSource second = first.unpooled();
      assertRejected(IllegalStateException.class, "this DatabaseMonitor already watches " + first.dataSource()
          + ", so it cannot watch " + second + " too; build one monitor per DataSource", () -> monitor.wrap(second));
      assertTrue(first.dataSource().toString().contains(first.name()), first.dataSource().toString());
      assertSame(monitor, ds.monitor());

      IllegalArgumentException twice = assertThrows(IllegalArgumentException.class, () -> monitor.wrap(ds));
      assertEquals("the DataSource is already monitored: " + ds, twice.getMessage());
    }
  }

  @Test
  void wrapRefusesAReserveThatIsNotBelowThePoolsMaximum() {
    try (H2Pool pool = H2Pool.start("wrap-reserve", 4, Duration.ofSeconds(5))) {
      for (int reserve : new int[] {4, 5}) {
        try (DatabaseMonitor monitor = DatabaseMonitor.builder(limp).reserve(reserve).build()) {
          IllegalStateException e = assertThrows(IllegalStateException.class, () -> monitor.wrap(pool.dataSource()));
          assertEquals("reserve must be below the pool's maximum size (4 connections), but was " + reserve
              + "; lower the reserve or grow the pool", e.getMessage());
          // a refused wrap keeps nothing: trying again says the same, not "already watches"
          IllegalStateException again = assertThrows(IllegalStateException.class,
              () -> monitor.wrap(pool.dataSource()));
          assertEquals(e.getMessage(), again.getMessage());
        }
      }
      try (DatabaseMonitor monitor = DatabaseMonitor.builder(limp).reserve(3).build()) {
        monitor.wrap(pool.dataSource()); // 3 of 4 kept: allowed
      }
      assertRejected(IllegalStateException.class, "reserve must be below the pool's maximum size (4 connections), "
          + "but was 4; lower the reserve or grow the pool",
          () -> DatabaseMonitor.builder(limp).reserve(4).poolProbe(PoolProbe.hikari(pool.dataSource())).build());
    }
  }

  @Test
  void aHikariProbeNeedsAHikariDataSource() {
    assertRejected(IllegalArgumentException.class, "a HikariCP probe needs a com.zaxxer.hikari.HikariDataSource, "
        + "but got java.lang.String", () -> PoolProbe.hikari("jdbc:h2:mem:x"));
    assertRejected(IllegalArgumentException.class, "a HikariCP probe needs a com.zaxxer.hikari.HikariDataSource, "
        + "but got null", () -> PoolProbe.hikari(null));
  }
}
