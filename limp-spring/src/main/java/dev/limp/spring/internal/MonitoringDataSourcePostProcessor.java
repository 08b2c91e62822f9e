package dev.limp.spring.internal;

import dev.limp.Limp;
import dev.limp.LimpClock;
import dev.limp.db.DatabaseMonitor;
import dev.limp.db.MonitoredDataSource;
import dev.limp.spring.DatabaseMonitorCustomizer;
import dev.limp.spring.LimpConfigurationException;
import dev.limp.spring.LimpProperties;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.Ordered;

/**
 * Wraps the application's DataSource bean in limp's {@link MonitoredDataSource} once it is initialised
 * (so Boot has bound its properties to the pool), with a {@link DatabaseMonitor} that probes the pool
 * (HikariCP is found by unwrapping) and runs the canary when configured. Code that unwraps the DataSource
 * to {@code HikariDataSource} keeps working. One DataSource is watched: the one named by
 * {@code limp.database.bean-name}, or else the first one initialised. Closes its monitor with the context.
 * Thread-safe.
 */
public final class MonitoringDataSourcePostProcessor implements BeanPostProcessor, Ordered, DisposableBean {
  private static final Logger log = LoggerFactory.getLogger(MonitoringDataSourcePostProcessor.class);

  private final ObjectProvider<Limp> limp;
  private final ObjectProvider<LimpProperties> properties;
  private final ObjectProvider<LimpClock> clock;
  private final ObjectProvider<DatabaseMonitorCustomizer> customizers;
  private final List<DatabaseMonitor> monitors = new ArrayList<>();
  private String watched;

  public MonitoringDataSourcePostProcessor(ObjectProvider<Limp> limp, ObjectProvider<LimpProperties> properties,
      ObjectProvider<LimpClock> clock, ObjectProvider<DatabaseMonitorCustomizer> customizers) {
    this.limp = limp;
    this.properties = properties;
    this.clock = clock;
    this.customizers = customizers;
  }

  @Override
  public synchronized Object postProcessAfterInitialization(Object bean, String beanName) {
    if (!(bean instanceof DataSource) || bean instanceof MonitoredDataSource) {
      return bean;
    }
    LimpProperties.Database p = properties.getObject().getDatabase();
    if (p.getBeanName() != null ? !p.getBeanName().equals(beanName) : watched != null) {
      if (p.getBeanName() == null) {
        log.warn("limp watches one DataSource, '{}'; DataSource '{}' is not watched (set "
            + "limp.database.bean-name to choose)", watched, beanName);
      }
      return bean;
    }
    DatabaseMonitor.Builder builder = LimpFactory.monitor(limp.getObject(), p, clock.getIfAvailable());
    customizers.orderedStream().forEach(c -> c.customize(builder));
    DatabaseMonitor monitor = builder.build();
    MonitoredDataSource wrapped;
    try {
      wrapped = monitor.wrap((DataSource) bean);
    } catch (IllegalStateException | IllegalArgumentException e) {
      monitor.close();
      throw new LimpConfigurationException("limp.database.reserve", p.getReserve(), e.getMessage(),
          "Update 'limp.database.reserve' in your application's configuration: use 0 (no reserve) or a number "
          + "of connections below the pool's maximum.", e);
    }
    monitors.add(monitor);
    watched = beanName;
    log.info("limp '{}' watches DataSource '{}'{}", limp.getObject().name(), beanName,
        monitor.poolProbe() == null ? " (no pool probe: the pool is not HikariCP; add a DatabaseMonitorCustomizer)"
            : " and its pool");
    return wrapped;
  }

  /** The monitors this processor made (one, or none). */
  public synchronized List<DatabaseMonitor> monitors() {
    return List.copyOf(monitors);
  }

  @Override
  public int getOrder() {
    return Ordered.LOWEST_PRECEDENCE; // after the others: wrap the DataSource as the application will see it
  }

  @Override
  public synchronized void destroy() {
    monitors.forEach(DatabaseMonitor::close);
    monitors.clear();
  }
}
