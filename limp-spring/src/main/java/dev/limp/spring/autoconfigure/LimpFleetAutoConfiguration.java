package dev.limp.spring.autoconfigure;

import dev.limp.GovernorPolicy;
import dev.limp.Limp;
import dev.limp.spring.LimpBuilderCustomizer;
import dev.limp.spring.fleet.LimpFleetEndpoint;
import dev.limp.spring.fleet.LimpFleetLifecycle;
import dev.limp.redis.FleetConfig;
import dev.limp.redis.FleetRule;
import dev.limp.redis.LimpFleet;
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

/**
 * Joins the limp instance to its fleet on Redis when {@code limp.fleet.enabled} is true and limp-redis and
 * Lettuce are on the class path: the instance is built with the fleet's front end
 * ({@code overridesDecorator}), so the {@code limp} endpoint, JMX and {@code limp.overrides()} act on every
 * instance of the fleet; the fleet is joined once the context starts and left when it stops; the
 * {@code limpfleet} endpoint shows the members and the audit. With {@code limp.fleet.rule.*}, the policy of
 * the {@code limp.policy.*} properties gets the fleet rule's signal rule (an application that sets its own
 * policy in a {@link LimpBuilderCustomizer} adds {@link FleetRule#signalRule()} itself).
 */
@AutoConfiguration(after = LimpAutoConfiguration.class)
@ConditionalOnClass(name = {"dev.limp.redis.LimpFleet", "io.lettuce.core.RedisClient"})
@ConditionalOnBooleanProperty(name = "limp.enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty(name = "limp.fleet.enabled")
@EnableConfigurationProperties(LimpFleetProperties.class)
public final class LimpFleetAutoConfiguration {

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

  /** The {@code limpfleet} Actuator endpoint. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass({Endpoint.class, ConditionalOnAvailableEndpoint.class})
  static final class EndpointConfiguration {
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnAvailableEndpoint
    LimpFleetEndpoint limpFleetEndpoint(LimpFleet limpFleet, LimpFleetProperties fleet, LimpProperties limp) {
      return new LimpFleetEndpoint(limpFleet, fleet.getName() != null ? fleet.getName() : limp.getName());
    }
  }
}
