package dev.limp.spring.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import dev.limp.FeatureGuard;
import dev.limp.Limp;
import dev.limp.Tier;
import dev.limp.db.MonitoredDataSource;
import dev.limp.spring.autoconfigure.LimpAutoConfiguration;
import java.sql.Connection;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.core.JdbcTemplate;

/** The watched DataSource keeps its type: a real HikariCP pool on H2, injected by interface and by class. */
class WatchedDataSourceTest {
  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(LimpAutoConfiguration.class, DataSourceAutoConfiguration.class))
      .withPropertyValues("limp.governor-thread=false", "limp.features.search.tier=SHEDDABLE",
          "spring.datasource.url=jdbc:h2:mem:watched;DB_CLOSE_DELAY=-1",
          "spring.datasource.hikari.maximum-pool-size=4");

  /** An application bean that wants the pool by its class, as many applications do. */
  static class PoolUser {
    final HikariDataSource pool;

    PoolUser(HikariDataSource pool) {
      this.pool = pool;
    }
  }

  @Test
  void theWatchedPoolIsInjectedByDataSourceAndByHikariDataSource() {
    runner.withBean(PoolUser.class).run(ctx -> {
      assertTrue(ctx.getStartupFailure() == null, () -> String.valueOf(ctx.getStartupFailure()));
      HikariDataSource byClass = ctx.getBean(PoolUser.class).pool;
      assertSame(ctx.getBean(DataSource.class), byClass, "one bean, both types");
      assertEquals(4, byClass.getMaximumPoolSize(), "the pool's own settings answer through the proxy");
      assertTrue(byClass.isWrapperFor(MonitoredDataSource.class));
      assertNotNull(byClass.unwrap(MonitoredDataSource.class).monitor().poolProbe(), "the pool is probed");
      HikariDataSource pool = byClass.unwrap(HikariDataSource.class);
      assertEquals(4, pool.getMaximumPoolSize());
    });
  }

  @Test
  void connectionsOfTheHikariTypedBeanAreAttributedToTheRunningFeature() {
    runner.run(ctx -> {
      HikariDataSource ds = ctx.getBean(HikariDataSource.class);
      Limp limp = ctx.getBean(Limp.class);
      FeatureGuard search = limp.guard("search");
      MonitoredDataSource monitored = ds.unwrap(MonitoredDataSource.class);
      AtomicReference<Long> heldBySearch = new AtomicReference<>();
      search.run(() -> {
        try (Connection c = ds.getConnection(); var s = c.createStatement()) {
          s.execute("SELECT 1");
          heldBySearch.set(monitored.monitor().activity().connectionsByFeature().getOrDefault("search", 0L));
        } catch (java.sql.SQLException e) {
          throw new IllegalStateException(e);
        }
      });
      assertEquals(1L, heldBySearch.get(), "the connection counted against search while it held it");
      assertEquals(0L, monitored.monitor().activity().connectionsByFeature().getOrDefault("search", 0L));
      assertEquals(1, new JdbcTemplate(ds).queryForObject("SELECT 1", Integer.class));
      assertEquals(Tier.SHEDDABLE, search.tier());
    });
  }

  @Test
  void closingTheContextClosesThePool() {
    AtomicReference<HikariDataSource> pool = new AtomicReference<>();
    runner.run(ctx -> {
      HikariDataSource ds = ctx.getBean(HikariDataSource.class);
      try (Connection c = ds.getConnection()) {
        assertTrue(c.isValid(1));
      }
      pool.set(ds.unwrap(HikariDataSource.class));
      ctx.getSourceApplicationContext().close();
    });
    assertTrue(pool.get().isClosed(), "the pool's own close method ran");
  }

  @Test
  void aDataSourceThatIsNotAPoolIsWatchedToo() {
    runner.withPropertyValues("spring.datasource.type=org.springframework.jdbc.datasource.SimpleDriverDataSource")
        .run(ctx -> {
          var ds = ctx.getBean(org.springframework.jdbc.datasource.SimpleDriverDataSource.class);
          assertInstanceOf(MonitoredDataSource.class, ds.unwrap(MonitoredDataSource.class));
        });
  }

  @Test
  void springExportsTheWatchedPoolToJmxAsItDoesWithoutLimp() {
    ApplicationContextRunner jmx = runner
        .withConfiguration(AutoConfigurations.of(org.springframework.boot.autoconfigure.jmx.JmxAutoConfiguration.class))
        .withPropertyValues("spring.jmx.enabled=true", "spring.jmx.default-domain=watched-jmx");
    java.util.function.Function<Boolean, java.util.Set<String>> exported = limpOn -> {
      java.util.Set<String> names = new java.util.TreeSet<>();
      jmx.withPropertyValues("limp.enabled=" + limpOn).run(ctx -> {
        var exporter = ctx.getBean(org.springframework.jmx.export.MBeanExporter.class);
        assertNotNull(exporter);
        java.lang.management.ManagementFactory.getPlatformMBeanServer()
            .queryNames(new javax.management.ObjectName("watched-jmx:*"), null)
            .forEach(n -> names.add(n.toString()));
      });
      return names;
    };
    java.util.Set<String> withoutLimp = exported.apply(false);
    assertTrue(withoutLimp.stream().anyMatch(n -> n.contains("type=HikariDataSource")), withoutLimp::toString);
    assertEquals(withoutLimp, exported.apply(true), "the same MBeans with and without limp");
  }
}
