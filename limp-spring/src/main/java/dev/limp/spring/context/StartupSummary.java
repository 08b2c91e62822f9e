package dev.limp.spring.context;

import dev.limp.FeatureGuard;
import dev.limp.Limp;
import dev.limp.db.DatabaseMonitor;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.util.ClassUtils;

/**
 * The one line limp logs when the context is ready, once every feature is declared (annotations
 * included): the features and their tiers, the watched DataSource and its pool, and what is wired
 * (Actuator endpoints, health, JMX, metrics, the web 503s of MVC or WebFlux). Reads the bean factory by type, and only for the
 * types whose library is on the class path. Stateless.
 */
public final class StartupSummary implements Supplier<String> {
  private final Limp limp;
  private final ListableBeanFactory beans;

  public StartupSummary(Limp limp, ListableBeanFactory beans) {
    this.limp = limp;
    this.beans = beans;
  }

  @Override
  public String get() {
    StringBuilder line = new StringBuilder("limp '").append(limp.name()).append("' ready");
    if (limp.isShadowMode()) {
      line.append(" in shadow mode");
    }
    List<FeatureGuard> features = new ArrayList<>(limp.guards());
    features.sort(Comparator.comparing(FeatureGuard::tier).thenComparing(FeatureGuard::name));
    line.append(": ").append(features.size()).append(features.size() == 1 ? " feature [" : " features [");
    for (int i = 0; i < features.size(); i++) {
      line.append(i == 0 ? "" : ", ").append(features.get(i).name()).append(' ').append(features.get(i).tier());
    }
    line.append("]; ").append(database());
    line.append("; wired: ").append(wired());
    return line.toString();
  }

  private String database() {
    List<String> watched = new ArrayList<>();
    String postProcessor = "dev.limp.spring.jdbc.MonitoringDataSourcePostProcessor";
    if (present("javax.sql.DataSource") && present(postProcessor)) {
      for (var p : beans.getBeansOfType(dev.limp.spring.jdbc.MonitoringDataSourcePostProcessor.class, false, false)
          .values()) {
        for (DatabaseMonitor m : p.monitors()) {
          watched.add("DataSource '" + p.watchedBeanName() + "' "
              + (m.poolProbe() == null ? "(no pool probe)" : "and its pool (" + m.poolProbe().getClass().getSimpleName() + ")"));
        }
      }
    }
    return watched.isEmpty() ? "no DataSource watched" : "watches " + String.join(", ", watched);
  }

  private String wired() {
    List<String> wired = new ArrayList<>();
    add(wired, "Actuator endpoint", "dev.limp.spring.actuate.LimpEndpoint",
        "org.springframework.boot.actuate.endpoint.annotation.Endpoint");
    add(wired, "events endpoint", "dev.limp.spring.actuate.LimpEventsEndpoint",
        "org.springframework.boot.actuate.endpoint.annotation.Endpoint");
    add(wired, "health", "dev.limp.spring.actuate.LimpHealthIndicator",
        "org.springframework.boot.health.contributor.HealthIndicator");
    add(wired, "JMX", "dev.limp.spring.jmx.LimpJmxRegistration", "org.springframework.jmx.export.MBeanExporter");
    add(wired, "metrics", "dev.limp.micrometer.LimpMetrics", "io.micrometer.core.instrument.binder.MeterBinder");
    add(wired, "web 503s", "dev.limp.spring.web.LimpShedExceptionHandler",
        "org.springframework.web.bind.annotation.ExceptionHandler");
    add(wired, "@LimpFeature", "dev.limp.spring.aop.LimpAnnotationPostProcessor",
        "org.springframework.aop.framework.autoproxy.AbstractBeanFactoryAwareAdvisingPostProcessor");
    return wired.isEmpty() ? "nothing else" : String.join(", ", wired);
  }

  private void add(List<String> wired, String what, String type, String library) {
    if (present(library) && present(type)
        && beans.getBeanNamesForType(ClassUtils.resolveClassName(type, classLoader()), true, false).length > 0) {
      wired.add(what);
    }
  }

  private static boolean present(String type) {
    return ClassUtils.isPresent(type, classLoader());
  }

  private static ClassLoader classLoader() {
    return StartupSummary.class.getClassLoader();
  }
}
