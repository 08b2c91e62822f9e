package dev.limp.spring.jdbc;

import dev.limp.Limp;
import dev.limp.db.DatabaseMonitor;
import dev.limp.db.MonitoredDataSource;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.core.Ordered;

/**
 * Watches the application's DataSource bean through limp's {@link MonitoredDataSource} once it is
 * initialised (so Boot has bound its properties to the pool), with a {@link DatabaseMonitor} that probes
 * the pool (HikariCP is found by unwrapping) and runs the canary when configured. The bean keeps its type:
 * it becomes a class-based proxy of the original whose connections go through limp (see
 * {@code TypeKeepingDataSource}), so {@code @Autowired HikariDataSource} and unwrapping keep working, and
 * closing the context closes the pool. One DataSource is watched: the one named by
 * {@code limp.database.bean-name}, or else the first one initialised. Closes its monitor with the context.
 *
 * <p>Knows nothing of the {@code limp.*} properties: the auto-configuration gives it the bean name to watch
 * and the step that builds the configured monitor and wraps the DataSource. Thread-safe.
 */
public final class MonitoringDataSourcePostProcessor implements BeanPostProcessor, Ordered, DisposableBean,
    BeanFactoryAware {
  private static final Logger log = LoggerFactory.getLogger(MonitoringDataSourcePostProcessor.class);

  private final ObjectProvider<Limp> limp;
  private final Supplier<@Nullable String> beanName;
  private final BiFunction<Limp, DataSource, MonitoredDataSource> watch;
  private final List<DatabaseMonitor> monitors = new ArrayList<>();
  private String watched;
  private @Nullable ConfigurableListableBeanFactory beanFactory;

  /**
   * @param limp the limp instance, resolved when the first DataSource is initialised
   * @param beanName the name of the DataSource bean to watch, or {@code null} for the first one initialised;
   *     asked for each DataSource
   * @param watch builds the monitor of the DataSource for the limp instance and wraps the DataSource; called
   *     at most once, and owns (closes) the monitor if it cannot wrap
   */
  public MonitoringDataSourcePostProcessor(ObjectProvider<Limp> limp, Supplier<@Nullable String> beanName,
      BiFunction<Limp, DataSource, MonitoredDataSource> watch) {
    this.limp = limp;
    this.beanName = beanName;
    this.watch = watch;
  }

  @Override
  public synchronized Object postProcessAfterInitialization(Object bean, String name) {
    if (!(bean instanceof DataSource) || bean instanceof MonitoredDataSource) {
      return bean;
    }
    String wanted = beanName.get();
    if (wanted != null ? !wanted.equals(name) : watched != null) {
      if (wanted == null) {
        log.warn("limp watches one DataSource, '{}'; DataSource '{}' is not watched (set "
            + "limp.database.bean-name to choose)", watched, name);
      }
      return bean;
    }
    Limp instance = limp.getObject();
    MonitoredDataSource wrapped = watch.apply(instance, (DataSource) bean);
    DatabaseMonitor monitor = wrapped.monitor();
    Object given;
    try {
      given = TypeKeepingDataSource.of(name, (DataSource) bean, wrapped, declaredType(name));
    } catch (RuntimeException e) {
      monitor.close();
      throw e;
    }
    monitors.add(monitor);
    watched = name;
    log.debug("limp '{}' watches DataSource '{}'{}", instance.name(), name,
        monitor.poolProbe() == null ? " (no pool probe: the pool is not HikariCP; add a DatabaseMonitorCustomizer)"
            : " and its pool");
    return given;
  }

  /** The type a bean's definition declares, or {@code null} when unknown. */
  private @Nullable Class<?> declaredType(String name) {
    ConfigurableListableBeanFactory factory = beanFactory;
    if (factory == null || !factory.containsBeanDefinition(name)) {
      return null;
    }
    return factory.getMergedBeanDefinition(name).getResolvableType().resolve();
  }

  @Override
  public synchronized void setBeanFactory(BeanFactory beanFactory) {
    this.beanFactory = beanFactory instanceof ConfigurableListableBeanFactory c ? c : null;
  }

  /** The name of the watched DataSource bean, or {@code null} while none is. */
  public synchronized @Nullable String watchedBeanName() {
    return watched;
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
