package dev.limp.spring.autoconfigure;

import dev.limp.Limp;
import dev.limp.LimpBuilder;
import dev.limp.LimpClock;
import dev.limp.LimpListener;
import dev.limp.micrometer.LimpMetricNames;
import dev.limp.micrometer.LimpMetrics;
import dev.limp.spring.DatabaseMonitorCustomizer;
import dev.limp.spring.LimpBuilderCustomizer;
import dev.limp.spring.LimpLevelChangedApplicationEvent;
import dev.limp.spring.actuate.LimpEndpoint;
import dev.limp.spring.actuate.LimpEndpointWebExtension;
import dev.limp.spring.actuate.LimpFleetView;
import dev.limp.spring.actuate.LimpEventLog;
import dev.limp.spring.actuate.LimpEventsEndpoint;
import dev.limp.spring.actuate.LimpHealthIndicator;
import dev.limp.spring.aop.LimpAnnotationPostProcessor;
import dev.limp.spring.context.ApplicationEventBridge;
import dev.limp.spring.context.LimpLifecycle;
import dev.limp.spring.context.StartupSummary;
import dev.limp.spring.jdbc.MonitoringDataSourcePostProcessor;
import dev.limp.spring.jmx.LimpJmxRegistration;
import dev.limp.spring.web.LimpShedExceptionHandler;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import javax.sql.DataSource;
import org.springframework.aop.framework.autoproxy.AbstractBeanFactoryAwareAdvisingPostProcessor;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Role;
import org.springframework.core.env.Environment;
import org.springframework.http.ProblemDetail;
import org.springframework.jmx.export.MBeanExporter;
import org.springframework.web.servlet.DispatcherServlet;

/**
 * Auto-configures limp: one {@link Limp} instance built from the {@code limp.*} properties, the
 * application's DataSource watched, {@code @LimpFeature} applied to beans, and, each when its library is
 * present, Micrometer meters, the JMX MXBean, the Actuator endpoint and health indicator, and a 503 for
 * shed calls that reach Spring MVC. Every bean backs off when the application defines its own;
 * {@code limp.enabled=false} turns everything off.
 */
@AutoConfiguration(afterName = {
    "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
    "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
    "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
    "org.springframework.boot.autoconfigure.jmx.JmxAutoConfiguration"})
@ConditionalOnBooleanProperty(name = "limp.enabled", matchIfMissing = true)
@EnableConfigurationProperties(LimpProperties.class)
public final class LimpAutoConfiguration {

  /**
   * The limp instance and its place in the context's lifecycle, unless the application defines its own
   * {@link Limp} (which it then runs itself).
   */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnMissingBean(Limp.class)
  static final class InstanceConfiguration {
    /**
     * The limp instance: the properties, then every {@link LimpBuilderCustomizer}; every
     * {@link LimpListener} bean is added, and level changes are published as
     * {@link LimpLevelChangedApplicationEvent}s once the context is ready. A {@link LimpClock} bean, if
     * any, is its clock. Its governor is ticked by {@link LimpLifecycle}, from the context's start on.
     */
    @Bean(destroyMethod = "close")
    Limp limp(LimpProperties properties, ObjectProvider<LimpClock> clock,
        ObjectProvider<LimpBuilderCustomizer> customizers, ObjectProvider<LimpListener> listeners,
        ApplicationEventBridge limpApplicationEvents, ObjectProvider<LimpEventLog> eventLog,
        ObjectProvider<CircuitBreakerRegistry> circuitBreakers,
        Environment environment) {
      DottedMapKeys.check(environment);
      LimpBuilder builder = LimpFactory.builder(properties, clock.getIfAvailable());
      // With resilience4j's Spring Boot starter, its registry: limp's breakers show in its endpoints and meters.
      circuitBreakers.ifAvailable(builder::circuitBreakerRegistry);
      builder.listener(limpApplicationEvents);
      eventLog.ifAvailable(log -> log.attach(builder::listener)); // hears start-up decisions too
      listeners.orderedStream().filter(l -> l != limpApplicationEvents).forEach(builder::listener);
      customizers.orderedStream().forEach(c -> c.customize(builder));
      return builder.governorThread(false).build(); // ticked by the lifecycle once the context is ready
    }

    @Bean
    ApplicationEventBridge limpApplicationEvents(ApplicationEventPublisher publisher) {
      return new ApplicationEventBridge(publisher);
    }

    @Bean
    LimpLifecycle limpLifecycle(Limp limp, LimpProperties properties, ApplicationEventBridge limpApplicationEvents,
        ListableBeanFactory beans) {
      return new LimpLifecycle(limp, properties.isGovernorThread() ? properties.getTickInterval() : null,
          limpApplicationEvents, new StartupSummary(limp, beans));
    }
  }

  /** Wraps the application's DataSource so that limp watches it. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(DataSource.class)
  @ConditionalOnBean(DataSource.class)
  @ConditionalOnBooleanProperty(name = "limp.database.enabled", matchIfMissing = true)
  static final class DatabaseConfiguration {
    @Bean
    @ConditionalOnMissingBean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    static MonitoringDataSourcePostProcessor limpDataSourcePostProcessor(ObjectProvider<Limp> limp,
        ObjectProvider<LimpProperties> properties, ObjectProvider<LimpClock> clock,
        ObjectProvider<DatabaseMonitorCustomizer> customizers) {
      return new MonitoringDataSourcePostProcessor(limp, () -> properties.getObject().getDatabase().getBeanName(),
          (instance, dataSource) -> LimpFactory.watch(instance, properties.getObject().getDatabase(),
              clock.getIfAvailable(), customizers.orderedStream(), dataSource));
    }
  }

  /** Applies {@code @LimpFeature} on Spring beans. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(AbstractBeanFactoryAwareAdvisingPostProcessor.class)
  @ConditionalOnBooleanProperty(name = "limp.annotations.enabled", matchIfMissing = true)
  static final class AnnotationConfiguration {
    @Bean
    @ConditionalOnMissingBean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    static LimpAnnotationPostProcessor limpAnnotationPostProcessor(ObjectProvider<Limp> limp,
        Environment environment) {
      LimpAnnotationPostProcessor processor = new LimpAnnotationPostProcessor(limp::getObject);
      processor.setProxyTargetClass(environment.getProperty("spring.aop.proxy-target-class", Boolean.class, true));
      return processor;
    }
  }

  /**
   * Binds limp's meters, with a gauge of its own per signal; Spring Boot's metrics auto-configuration binds
   * every {@link MeterBinder} bean.
   */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(MeterBinder.class)
  static final class MetricsConfiguration {
    @Bean
    @ConditionalOnMissingBean
    LimpMetrics limpMetrics(Limp limp) {
      // A gauge per signal too: /actuator/metrics/limp.signal sums the tagged family over units (NaN if any
      // signal has no reading); /actuator/metrics/limp.signal.db.query.p99 shows one reading.
      return LimpMetrics.of(limp, LimpMetricNames.custom().gaugePerSignal(true).build());
    }
  }

  /** Registers the operator MXBean through Spring's exporter. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(MBeanExporter.class)
  @ConditionalOnBooleanProperty(name = "spring.jmx.enabled")
  @ConditionalOnBooleanProperty(name = "limp.jmx.enabled", matchIfMissing = true)
  @ConditionalOnBean(MBeanExporter.class)
  static final class JmxConfiguration {
    @Bean
    @ConditionalOnMissingBean
    LimpJmxRegistration limpJmxRegistration(Limp limp, MBeanExporter exporter) {
      return new LimpJmxRegistration(limp, exporter);
    }
  }

  /** The {@code limp} and {@code limpevents} Actuator endpoints. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass({Endpoint.class, ConditionalOnAvailableEndpoint.class})
  static final class EndpointConfiguration {
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnAvailableEndpoint
    LimpEndpoint limpEndpoint(Limp limp) {
      return new LimpEndpoint(limp);
    }

    /**
     * Over HTTP, a refused override is a 400 with a problem-detail body, and {@code /actuator/limp/fleet} is the
     * fleet when the fleet's auto-configuration provides its view.
     */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBean(LimpEndpoint.class)
    @ConditionalOnAvailableEndpoint(endpoint = LimpEndpoint.class)
    LimpEndpointWebExtension limpEndpointWebExtension(LimpEndpoint endpoint, ObjectProvider<LimpFleetView> fleet) {
      return new LimpEndpointWebExtension(endpoint, fleet.getIfAvailable());
    }

    /** Fed from the instance's build on (see the limp bean), or from its own creation for an own Limp. */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnAvailableEndpoint(endpoint = LimpEventsEndpoint.class)
    LimpEventLog limpEventLog() {
      return new LimpEventLog(LimpEventLog.DEFAULT_CAPACITY);
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBean(LimpEventLog.class)
    @ConditionalOnAvailableEndpoint
    LimpEventsEndpoint limpEventsEndpoint(Limp limp, LimpEventLog limpEventLog) {
      limpEventLog.attach(limp::addListener); // a no-op when the limp bean attached it at build
      return new LimpEventsEndpoint(limp.name(), limpEventLog);
    }
  }

  /** The {@code limp} health indicator. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass({HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class})
  static final class HealthConfiguration {
    @Bean
    @ConditionalOnMissingBean(name = "limpHealthIndicator")
    @ConditionalOnEnabledHealthIndicator("limp")
    LimpHealthIndicator limpHealthIndicator(Limp limp) {
      return new LimpHealthIndicator(limp);
    }
  }

  /**
   * A 503 with Retry-After and a problem detail for shed calls that reach a WebFlux controller (as a thrown
   * exception or a {@code Mono.error}): the same advice, which WebFlux applies too. WebFlux is named by
   * class name only, so nothing of it is loaded unless it is on the class path.
   */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
  @ConditionalOnClass(name = "org.springframework.web.reactive.DispatcherHandler", value = ProblemDetail.class)
  @ConditionalOnBooleanProperty(name = "limp.web.problem-details", matchIfMissing = true)
  static final class ReactiveWebConfiguration {
    @Bean
    @ConditionalOnMissingBean
    LimpShedExceptionHandler limpShedExceptionHandler() {
      return new LimpShedExceptionHandler();
    }
  }

  /** A 503 with Retry-After and a problem detail for shed calls that reach Spring MVC. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
  @ConditionalOnClass({DispatcherServlet.class, ProblemDetail.class})
  @ConditionalOnBooleanProperty(name = "limp.web.problem-details", matchIfMissing = true)
  static final class WebConfiguration {
    @Bean
    @ConditionalOnMissingBean
    LimpShedExceptionHandler limpShedExceptionHandler() {
      return new LimpShedExceptionHandler();
    }
  }
}
