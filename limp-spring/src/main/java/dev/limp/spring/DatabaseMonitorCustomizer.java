package dev.limp.spring;

import dev.limp.db.DatabaseMonitorBuilder;

/**
 * Changes the {@link DatabaseMonitorBuilder} of the monitor that watches the application's DataSource,
 * after the {@code limp.database.*} properties were applied (a pool probe for a pool other than HikariCP,
 * say). Every bean of this type is applied, in {@link org.springframework.core.annotation.Order} order.
 */
@FunctionalInterface
public interface DatabaseMonitorCustomizer {
  void customize(DatabaseMonitorBuilder builder);
}
