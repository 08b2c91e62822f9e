package dev.limp.spring;

import dev.limp.LimpBuilder;

/**
 * Changes the {@link LimpBuilder} of the auto-configured limp instance after the {@code limp.*} properties
 * were applied: for what properties cannot express (signal sources, listeners, circuit breaker settings).
 * Every bean of this type is applied, in {@link org.springframework.core.annotation.Order} order.
 */
@FunctionalInterface
public interface LimpBuilderCustomizer {
  void customize(LimpBuilder builder);
}
