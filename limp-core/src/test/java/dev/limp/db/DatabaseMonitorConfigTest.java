package dev.limp.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.limp.Limp;
import dev.limp.Tier;
import dev.limp.testing.FakeClock;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
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

  // ---------------------------------------------------------------- DatabaseMonitorBuilder

  @Test
  void theWindowMustLastBetweenOneSecondAndTenMinutes() {
    DatabaseMonitorBuilder b = DatabaseMonitor.builder(limp);
    assertRejected(IllegalArgumentException.class, "window must be between PT1S and PT10M, but was PT0.5S",
        () -> b.window(Duration.ofMillis(500), 10));
    assertRejected(IllegalArgumentException.class, "window must be between PT1S and PT10M, but was PT11M",
        () -> b.window(Duration.ofMinutes(11), 10));
    assertRejected(NullPointerException.class, "window", () -> b.window(null, 10));
  }

  @Test
  void theWindowNeedsOneTo600BucketsOfAtLeast10Milliseconds() {
    DatabaseMonitorBuilder b = DatabaseMonitor.builder(limp);
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
    DatabaseMonitorBuilder b = DatabaseMonitor.builder(limp);
    assertRejected(IllegalArgumentException.class, "reserve must be 0 (off) or a number of connections, but was -1",
        () -> b.reserve(-1));
    b.reserve(0);
    assertRejected(NullPointerException.class, "reserveFor", () -> b.reserveFor(null));
  }

  @Test
  void theCulpritShareIsAFractionAboveZeroAndAtMostOne() {
    DatabaseMonitorBuilder b = DatabaseMonitor.builder(limp);
    assertRejected(IllegalArgumentException.class, "culpritShare must be a fraction in (0, 1], but was 0.0",
        () -> b.culpritShare(0));
    assertRejected(IllegalArgumentException.class, "culpritShare must be a fraction in (0, 1], but was 1.5",
        () -> b.culpritShare(1.5));
    assertRejected(IllegalArgumentException.class, "culpritShare must be a fraction in (0, 1], but was NaN",
        () -> b.culpritShare(Double.NaN));
    b.culpritShare(1);
  }

  @Test
  void rejectsCulpritWaitersThatAreNotAFiniteNumberAboveZeroNamingTheSetting() {
    DatabaseMonitorBuilder b = DatabaseMonitor.builder(limp);
    assertRejected(IllegalArgumentException.class, "culpritWaiters must be a finite number above 0, but was -1.0",
        () -> b.culpritWaiters(-1));
    assertRejected(IllegalArgumentException.class, "culpritWaiters must be a finite number above 0, but was 0.0",
        () -> b.culpritWaiters(0));
    assertRejected(IllegalArgumentException.class, "culpritWaiters must be a finite number above 0, but was NaN",
        () -> b.culpritWaiters(Double.NaN));
    assertRejected(IllegalArgumentException.class, "culpritWaiters must be a finite number above 0, but was "
        + "Infinity", () -> b.culpritWaiters(Double.POSITIVE_INFINITY));
    b.culpritWaiters(0.1);
    b.culpritWaiters(50);
  }

  @Test
  void rejectsACulpritAcquireLatencyThatIsNotPositiveNamingTheSetting() {
    DatabaseMonitorBuilder b = DatabaseMonitor.builder(limp);
    assertRejected(IllegalArgumentException.class, "culpritAcquireLatency must be positive, but was PT0S",
        () -> b.culpritAcquireLatency(Duration.ZERO));
    assertRejected(IllegalArgumentException.class, "culpritAcquireLatency must be positive, but was PT-0.001S",
        () -> b.culpritAcquireLatency(Duration.ofMillis(-1)));
    assertRejected(NullPointerException.class, "culpritAcquireLatency", () -> b.culpritAcquireLatency(null));
    b.culpritAcquireLatency(Duration.ofMillis(1));
  }

  @Test
  void rejectsACulpritQueryLatencyThatIsNotPositiveNamingTheSetting() {
    DatabaseMonitorBuilder b = DatabaseMonitor.builder(limp);
    assertRejected(IllegalArgumentException.class, "culpritQueryLatency must be positive, but was PT0S",
        () -> b.culpritQueryLatency(Duration.ZERO));
    assertRejected(IllegalArgumentException.class, "culpritQueryLatency must be positive, but was PT-1S",
        () -> b.culpritQueryLatency(Duration.ofSeconds(-1)));
    assertRejected(IllegalArgumentException.class, "culpritQueryLatency must be at most PT2562047H47M16.854775807S "
        + "(the range of the nanosecond clock), but was PT2562047H47M16.854775808S",
        () -> b.culpritQueryLatency(Duration.ofNanos(Long.MAX_VALUE).plusNanos(1)));
    assertRejected(NullPointerException.class, "culpritQueryLatency", () -> b.culpritQueryLatency(null));
    b.culpritQueryLatency(Duration.ofSeconds(5));
  }

  @Test
  void aMonitorBuiltWithoutSettingsHasThePublishedDefaults() {
    try (DatabaseMonitor monitor = DatabaseMonitor.builder(limp).build()) {
      DatabaseMonitorConfig config = monitor.config();
      assertEquals(DatabaseMonitor.DEFAULT_WINDOW, config.window());
      assertEquals(DatabaseMonitor.DEFAULT_WINDOW_BUCKETS, config.windowBuckets());
      assertEquals(OptionalInt.empty(), config.reserve(), "a fifth of the pool, once its size is known");
      assertEquals(DatabaseMonitor.DEFAULT_RESERVE_FOR, config.reserveFor());
      assertEquals(DatabaseMonitor.DEFAULT_CULPRIT_SHARE, config.culpritShare());
      assertEquals(DatabaseMonitor.DEFAULT_CULPRIT_WAITERS, config.culpritWaiters());
      assertEquals(DatabaseMonitor.DEFAULT_CULPRIT_ACQUIRE_LATENCY, config.culpritAcquireLatency());
      assertEquals(DatabaseMonitor.DEFAULT_CULPRIT_QUERY_LATENCY, config.culpritQueryLatency());
      assertEquals(Optional.empty(), config.canary());
    }
  }

  @Test
  void aBuilderSetterCalledAfterBuildDoesNotChangeTheBuiltMonitor() throws Exception {
    CanaryConfig canary = CanaryConfig.ofDefaults();
    DatabaseMonitorBuilder b = DatabaseMonitor.builder(limp).window(Duration.ofSeconds(5), 5).reserve(1)
        .reserveFor(Tier.SHEDDABLE_PLUS).culpritShare(0.6).culpritWaiters(2)
        .culpritAcquireLatency(Duration.ofMillis(100)).culpritQueryLatency(Duration.ofSeconds(1)).canary(canary);
    try (H2Pool pool = H2Pool.start("after-build", 4, Duration.ofSeconds(5)); DatabaseMonitor monitor = b.build()) {
      b.window(Duration.ofMinutes(1), 60).reserve(3).reserveFor(Tier.CRITICAL).culpritShare(0.9).culpritWaiters(5)
          .culpritAcquireLatency(Duration.ofSeconds(2)).culpritQueryLatency(Duration.ofSeconds(3))
          .canary(CanaryConfig.builder().interval(Duration.ofMinutes(1)).build());

      DatabaseMonitorConfig config = monitor.config();
      assertEquals(Duration.ofSeconds(5), config.window());
      assertEquals(5, config.windowBuckets());
      assertEquals(OptionalInt.of(1), config.reserve());
      assertEquals(Tier.SHEDDABLE_PLUS, config.reserveFor());
      assertEquals(0.6, config.culpritShare());
      assertEquals(2.0, config.culpritWaiters());
      assertEquals(Duration.ofMillis(100), config.culpritAcquireLatency());
      assertEquals(Duration.ofSeconds(1), config.culpritQueryLatency());
      assertSame(canary, config.canary().orElseThrow());

      // and the monitor acts on what it was built with: a reserve of 1 of 4 lets a sheddable feature hold 3
      // connections (with the reserve of 3 set afterwards, it could hold 1)
      DataSource ds = monitor.wrap(pool.dataSource());
      int held = limp.guard("search").call(() -> {
        List<Connection> open = new ArrayList<>();
        try {
          for (int i = 0; i < 3; i++) {
            open.add(ds.getConnection());
          }
          return open.size();
        } finally {
          for (Connection c : open) {
            c.close();
          }
        }
      });
      assertEquals(3, held);
    }
  }

  @Test
  void nullsAreRejectedByName() {
    assertRejected(NullPointerException.class, "limp", () -> DatabaseMonitor.builder(null));
    DatabaseMonitorBuilder b = DatabaseMonitor.builder(limp);
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
