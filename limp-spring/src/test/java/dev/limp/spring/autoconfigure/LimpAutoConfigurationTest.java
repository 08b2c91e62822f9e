package dev.limp.spring.autoconfigure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import dev.limp.Level;
import dev.limp.Limp;
import dev.limp.SignalRule;
import dev.limp.Tier;
import dev.limp.db.DatabaseSignals;
import dev.limp.db.MonitoredDataSource;
import dev.limp.jmx.LimpJmx;
import dev.limp.micrometer.LimpMetrics;
import dev.limp.spring.LimpBuilderCustomizer;
import dev.limp.spring.actuate.LimpEndpoint;
import dev.limp.spring.actuate.LimpHealthIndicator;
import dev.limp.spring.aop.LimpAnnotationPostProcessor;
import dev.limp.spring.jdbc.MonitoringDataSourcePostProcessor;
import dev.limp.spring.jmx.LimpJmxRegistration;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.jmx.JmxAutoConfiguration;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Each condition of {@link LimpAutoConfiguration}, with {@link ApplicationContextRunner}. */
class LimpAutoConfigurationTest {
  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(LimpAutoConfiguration.class))
      .withPropertyValues("limp.governor-thread=false");

  private final ApplicationContextRunner withH2 = runner
      .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class))
      .withPropertyValues("spring.datasource.url=jdbc:h2:mem:autoconf;DB_CLOSE_DELAY=-1",
          "spring.datasource.hikari.maximum-pool-size=5");

  @Test
  void createsOneLimpWithDatabaseRulesAndWrapsNothingWithoutDataSource() {
    runner.run(ctx -> {
      Limp limp = ctx.getBean(Limp.class);
      assertEquals("default", limp.name());
      assertEquals(Level.NORMAL, limp.level());
      assertTrue(ctx.getBeansOfType(MonitoringDataSourcePostProcessor.class).isEmpty());
      assertTrue(ctx.getBeansOfType(DataSource.class).isEmpty());
      assertEquals(1, ctx.getBeansOfType(LimpAnnotationPostProcessor.class).size());
    });
  }

  @Test
  void wrapsTheDataSourceAndFindsTheHikariPoolThroughUnwrapping() {
    withH2.run(ctx -> {
      DataSource ds = ctx.getBean(DataSource.class);
      // Issue 14 item 1: the bean keeps its class (HikariDataSource); limp's DataSource is reached by unwrapping.
      MonitoredDataSource monitored = assertInstanceOf(MonitoredDataSource.class, ds.unwrap(MonitoredDataSource.class));
      HikariDataSource hikari = ds.unwrap(HikariDataSource.class);
      assertEquals(5, hikari.getMaximumPoolSize());
      assertNotNull(monitored.monitor().poolProbe(), "pool probe attached");
      try (var c = ds.getConnection(); var s = c.createStatement()) {
        s.execute("SELECT 1");
      }
      assertTrue(monitored.monitor().activity().toString().length() > 0);
    });
  }

  @Test
  void withoutHikariWrapsTheDataSourceWithoutPoolProbe() {
    withH2.withClassLoader(new FilteredClassLoader(HikariDataSource.class))
        .withPropertyValues("spring.datasource.url=", "spring.datasource.generate-unique-name=true")
        .run(ctx -> {
          assertNull(ctx.getStartupFailure());
          MonitoredDataSource monitored = assertInstanceOf(MonitoredDataSource.class,
              ctx.getBean(DataSource.class).unwrap(MonitoredDataSource.class)); // issue 14 item 1: keeps its type
          assertNull(monitored.monitor().poolProbe());
        });
  }

  @Test
  void doesNotWrapTheDataSourceWhenDatabaseWatchingIsOff() {
    withH2.withPropertyValues("limp.database.enabled=false").run(ctx -> {
      assertInstanceOf(HikariDataSource.class, ctx.getBean(DataSource.class));
    });
  }

  @Test
  void bindsMetricsWhenMicrometerIsPresentAndBacksOffWithoutIt() {
    runner.run(ctx -> assertEquals(1, ctx.getBeansOfType(LimpMetrics.class).size()));
    runner.withClassLoader(new FilteredClassLoader(MeterRegistry.class, MeterBinder.class))
        .run(ctx -> {
          assertNull(ctx.getStartupFailure());
          assertEquals(1, ctx.getBeansOfType(Limp.class).size());
          assertFalse(ctx.containsBean("limpMetrics"));
        });
  }

  @Test
  void addsEndpointAndHealthWithActuatorAndNothingWithoutIt() {
    ApplicationContextRunner actuator = runner.withConfiguration(
        AutoConfigurations.of(EndpointAutoConfiguration.class))
        .withPropertyValues("management.endpoints.web.exposure.include=health,limp");
    runner.withConfiguration(AutoConfigurations.of(EndpointAutoConfiguration.class)).run(ctx -> {
      assertTrue(ctx.getBeansOfType(LimpEndpoint.class).isEmpty(), "not exposed unless asked");
      assertEquals(1, ctx.getBeansOfType(LimpHealthIndicator.class).size());
    });
    actuator.run(ctx -> {
      assertEquals(1, ctx.getBeansOfType(LimpEndpoint.class).size());
      assertEquals(1, ctx.getBeansOfType(LimpHealthIndicator.class).size());
    });
    runner.withClassLoader(new FilteredClassLoader(Endpoint.class, HealthIndicator.class)).run(ctx -> {
      assertNull(ctx.getStartupFailure());
      assertEquals(1, ctx.getBeansOfType(Limp.class).size());
      assertTrue(ctx.getBeansOfType(LimpEndpoint.class).isEmpty());
      assertFalse(ctx.containsBean("limpHealthIndicator"));
    });
    actuator.withPropertyValues("management.health.limp.enabled=false").run(ctx ->
        assertFalse(ctx.containsBean("limpHealthIndicator")));
  }

  @Test
  void registersTheMxBeanOnlyWhenSpringJmxIsEnabled() {
    ApplicationContextRunner jmx = runner.withConfiguration(AutoConfigurations.of(JmxAutoConfiguration.class))
        .withPropertyValues("limp.name=autoconf-jmx");
    jmx.run(ctx -> assertTrue(ctx.getBeansOfType(LimpJmxRegistration.class).isEmpty()));
    jmx.withPropertyValues("spring.jmx.enabled=true").run(ctx -> {
      LimpJmxRegistration registration = ctx.getBean(LimpJmxRegistration.class);
      assertEquals(LimpJmx.objectName("autoconf-jmx"), registration.objectName());
    });
    jmx.withPropertyValues("spring.jmx.enabled=true", "limp.jmx.enabled=false").run(ctx ->
        assertTrue(ctx.getBeansOfType(LimpJmxRegistration.class).isEmpty()));
  }

  @Test
  void disabledCreatesNoBeanAndLeavesTheDataSourceAlone() {
    withH2.withConfiguration(AutoConfigurations.of(EndpointAutoConfiguration.class))
        .withPropertyValues("limp.enabled=false").run(ctx -> {
          assertTrue(ctx.getBeansOfType(Limp.class).isEmpty());
          assertTrue(ctx.getBeansOfType(LimpEndpoint.class).isEmpty());
          assertTrue(ctx.getBeansOfType(LimpAnnotationPostProcessor.class).isEmpty());
          assertInstanceOf(HikariDataSource.class, ctx.getBean(DataSource.class));
        });
  }

  @Configuration(proxyBeanMethods = false)
  static class UserBeans {
    @Bean(destroyMethod = "close")
    Limp myLimp() {
      return Limp.builder().name("mine").governorThread(false).feature("chat.post", Tier.CRITICAL_PLUS).build();
    }

    @Bean
    LimpHealthIndicator limpHealthIndicator(Limp limp) {
      return new LimpHealthIndicator(limp);
    }

    @Bean
    LimpEndpoint myEndpoint(Limp limp) {
      return new LimpEndpoint(limp);
    }
  }

  @Test
  void userSuppliedBeansWin() {
    runner.withConfiguration(AutoConfigurations.of(EndpointAutoConfiguration.class))
        .withPropertyValues("management.endpoints.web.exposure.include=limp")
        .withUserConfiguration(UserBeans.class).run(ctx -> {
          assertEquals(1, ctx.getBeansOfType(Limp.class).size());
          assertEquals("mine", ctx.getBean(Limp.class).name());
          assertEquals(1, ctx.getBeansOfType(LimpEndpoint.class).size());
          assertTrue(ctx.containsBean("myEndpoint"));
          assertEquals(1, ctx.getBeansOfType(LimpHealthIndicator.class).size());
        });
  }

  @Test
  void propertiesDeclareFeaturesAndShapeThePolicy() {
    runner.withPropertyValues("limp.name=props", "limp.shadow-mode=true",
        "limp.features[chat.post].tier=critical-plus",
        "limp.features.search.tier=SHEDDABLE", "limp.features.search.stale-value-max-age=1m",
        "limp.features.search.bulkhead=3",
        "limp.features.mail.tier=sheddable-plus", "limp.features.mail.defer-queue-capacity=10",
        "limp.policy.rules[db.query.p99].levels.shed-sheddable.enter=400",
        "limp.policy.rules[db.query.p99].levels.shed-sheddable.exit=150",
        "limp.policy.rules[app.queue.depth].unit=count",
        "limp.policy.rules[app.queue.depth].levels.shed-sheddable-plus.enter=100",
        "limp.policy.rules[app.queue.depth].levels.shed-sheddable-plus.exit=20").run(ctx -> {
          Limp limp = ctx.getBean(Limp.class);
          assertEquals("props", limp.name());
          assertTrue(limp.isShadowMode());
          assertEquals(Tier.CRITICAL_PLUS, limp.guard("chat.post").tier());
          assertEquals(Tier.SHEDDABLE, limp.guard("search").tier());
          assertEquals(3, limp.guard("search").bulkhead().orElseThrow().getBulkheadConfig().getMaxConcurrentCalls());
          assertEquals(Tier.SHEDDABLE_PLUS, limp.guard("mail").tier());
        });
  }

  @Test
  void customizersAndListenerBeansAreApplied() {
    runner.withBean(LimpBuilderCustomizer.class, () -> b -> b.feature("from.customizer", Tier.SHEDDABLE))
        .run(ctx -> assertEquals(Tier.SHEDDABLE, ctx.getBean(Limp.class).guard("from.customizer").tier()));
  }

  @Test
  void customRuleReplacesTheDefaultRuleOfItsSignal() {
    LimpPolicyProperties p = new LimpPolicyProperties();
    LimpRuleProperties r = new LimpRuleProperties();
    LimpThresholdProperties t = new LimpThresholdProperties();
    t.setEnter(400d);
    t.setExit(150d);
    r.getLevels().put(Level.SHED_SHEDDABLE, t);
    p.getRules().put("db.query.critical.p99", r);
    p.setMinDwell(Duration.ofSeconds(3));
    var policy = LimpFactory.policy(p);
    SignalRule rule = policy.rules().stream().filter(x -> x.signal().equals(DatabaseSignals.CRITICAL_QUERY_P99))
        .findFirst().orElseThrow();
    assertEquals(1, rule.thresholds().size());
    assertEquals(400d, rule.thresholds().get(0).enter());
    assertEquals(Duration.ofSeconds(3), policy.minDwell());
    assertEquals(Duration.ofSeconds(24), policy.maxDwell(), "8 × min-dwell unless set");
    assertEquals(DatabaseSignals.defaultRules().size(), policy.rules().size());
    p.setMaxDwell(Duration.ofMinutes(1));
    assertEquals(Duration.ofMinutes(1), LimpFactory.policy(p).maxDwell());
  }

  @Test
  void everyDatabaseSignalOfCoreIsKnownWithoutAUnit() {
    for (var signal : DatabaseSignals.all()) {
      LimpPolicyProperties p = new LimpPolicyProperties();
      LimpRuleProperties r = new LimpRuleProperties();
      LimpThresholdProperties t = new LimpThresholdProperties();
      t.setEnter(0.8d); // thresholds every unit takes, a RATIO's included
      t.setExit(0.5d);
      r.getLevels().put(Level.SHED_SHEDDABLE, t);
      p.getRules().put(signal.name(), r);
      SignalRule rule = LimpFactory.policy(p).rules().stream().filter(x -> x.signal().equals(signal))
          .findFirst().orElseThrow();
      assertEquals(signal.unit(), rule.signal().unit(), signal.name());
    }
  }
}
