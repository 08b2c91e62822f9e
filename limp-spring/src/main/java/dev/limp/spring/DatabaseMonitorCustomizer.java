package dev.limp.spring;

import dev.limp.db.DatabaseMonitor;

/**
 * Changes the {@link DatabaseMonitor.Builder} of the monitor that watches the application's DataSource,
 * after the {@code limp.database.*} properties were applied (a pool probe for a pool other than HikariCP,
 * say). Every bean of this type is applied, in {@link org.springframework.core.annotation.Order} order.
 */
@FunctionalInterface
public interface DatabaseMonitorCustomizer {
  void customize(DatabaseMonitor.Builder builder);
}
