package dev.limp.spring.autoconfigure;

import dev.limp.GovernorPolicy;
import dev.limp.Limp;
import dev.limp.spring.LimpBuilderCustomizer;
import dev.limp.spring.actuate.LimpEndpoint;
import dev.limp.spring.actuate.LimpEndpointWebExtension;
import dev.limp.spring.actuate.LimpFleetView;
import dev.limp.spring.fleet.LimpFleetActuatorView;
import dev.limp.spring.fleet.LimpFleetJmxRegistration;
import dev.limp.spring.fleet.LimpFleetLifecycle;
import dev.limp.redis.FleetConfig;
import dev.limp.redis.FleetRule;
import dev.limp.redis.LimpFleet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.jmx.export.MBeanExporter;

/**
 * Joins the limp instance to its fleet on Redis when {@code limp.fleet.enabled} is true and limp-redis and
 * Lettuce are on the class path: the instance is built with the fleet's front end
 * ({@code overridesDecorator}), so the {@code limp} endpoint, JMX and {@code limp.overrides()} act on every
 * instance of the fleet; the fleet is joined once the context starts and left when it stops;
 * {@code /actuator/limp/fleet} shows the members, the overrides in force and the audit, and (with
 * {@code spring.jmx.enabled} and {@code limp.jmx.enabled}) so does the MXBean
 * {@code dev.limp:type=LimpFleet,name=<fleet>,instance=<instance>}. With {@code limp.fleet.rule.*}, the policy of
 * the {@code limp.policy.*} properties gets the fleet rule's signal rule (an application that sets its own
 * policy in a {@link LimpBuilderCustomizer} adds {@link FleetRule#signalRule()} itself).
 */
@AutoConfiguration(after = LimpAutoConfiguration.class)
@ConditionalOnClass(name = {"dev.limp.redis.LimpFleet", "io.lettuce.core.RedisClient"})
@ConditionalOnBooleanProperty(name = "limp.enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty(name = "limp.fleet.enabled")
@EnableConfigurationProperties(LimpFleetProperties.class)
public final class LimpFleetAutoConfiguration {
  private static final Logger LOG = LoggerFactory.getLogger(LimpFleetAutoConfiguration.class);

  /**
   * The fleet membership of the {@code limp.fleet.*} properties. Nothing connects before the context
   * starts; an application that declares its own {@link Limp} builds it with
   * {@code overridesDecorator(fleet::overrides)} of this bean.
   */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  LimpFleet limpFleet(LimpFleetProperties fleet, LimpProperties limp, Environment environment) {
    return LimpFleet.create(config(fleet, limp, environment));
  }

  private static FleetConfig config(LimpFleetProperties fleet, LimpProperties limp, Environment environment) {
    return LimpFleetFactory.config(fleet, limp.getName(), environment);
  }

  /**
   * Puts the fleet before the instance's operator switch and, with a fleet rule, adds its signal rule to the
   * policy of the properties. First of the customizers, so that an application's own customizer sees it.
   */
  @Bean
  @Order(Ordered.HIGHEST_PRECEDENCE)
  LimpBuilderCustomizer limpFleetCustomizer(LimpFleet limpFleet, LimpFleetProperties fleet, LimpProperties limp) {
    boolean rule = LimpFleetFactory.rule(fleet.getRule()) != null;
    return builder -> {
      builder.overridesDecorator(limpFleet::overrides);
      if (rule) {
        builder.policy(GovernorPolicy.from(LimpFactory.policy(limp.getPolicy())).replaceRule(FleetRule.signalRule())
            .build());
      }
    };
  }

  /** Joins once the context starts (after limp's own lifecycle), leaves when it stops. */
  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnBean(Limp.class)
  LimpFleetLifecycle limpFleetLifecycle(LimpFleet limpFleet, Limp limp) {
    return new LimpFleetLifecycle(limpFleet, limp);
  }

  /**
   * The fleet view's MXBean through Spring's exporter once the fleet is joined, under the same switches as
   * limp's own MXBean ({@code spring.jmx.enabled}, {@code limp.jmx.enabled}). A bean method of this class, not
   * of a nested one, so that it is judged after the lifecycle bean above.
   */
  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnBooleanProperty(name = "spring.jmx.enabled")
  @ConditionalOnBooleanProperty(name = "limp.jmx.enabled", matchIfMissing = true)
  @ConditionalOnBean({MBeanExporter.class, LimpFleetLifecycle.class})
  LimpFleetJmxRegistration limpFleetJmxRegistration(LimpFleet limpFleet, LimpFleetLifecycle limpFleetLifecycle,
      MBeanExporter exporter) {
    return new LimpFleetJmxRegistration(limpFleet, limpFleetLifecycle, exporter);
  }

  /** {@code /actuator/limp/fleet}: the fleet's view, which the {@code limp} endpoint's web extension serves. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass({Endpoint.class, ConditionalOnAvailableEndpoint.class})
  static final class EndpointConfiguration {
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnAvailableEndpoint(endpoint = LimpEndpoint.class)
    LimpFleetView limpFleetView(LimpFleet limpFleet, ObjectProvider<Limp> limp) {
      Limp instance = limp.getIfAvailable();
      if (instance != null && instance.findGuard(LimpEndpointWebExtension.FLEET).isPresent()) {
        LOG.warn("limp: the feature named '{}' is not at /actuator/limp/{} while the instance belongs to a fleet: "
            + "that path is the fleet; read the feature in /actuator/limp (features.{})",
            LimpEndpointWebExtension.FLEET, LimpEndpointWebExtension.FLEET, LimpEndpointWebExtension.FLEET);
      }
      return new LimpFleetActuatorView(limpFleet);
    }
  }

}
