package dev.limp.spring.jmx;

import dev.limp.Limp;
import dev.limp.jmx.LimpJmx;
import javax.management.ObjectName;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.jmx.export.MBeanExporter;

/**
 * Registers a limp instance's MXBean once, under {@code dev.limp:type=Limp,name=<name>}, through Spring's
 * {@link MBeanExporter} (which Spring Boot creates with {@code spring.jmx.enabled=true}), and unregisters it
 * when the context closes. The limp instance itself registers nothing ({@code registerMBean(false)}), so the
 * MBean is never registered twice. Thread-safe.
 */
public final class LimpJmxRegistration implements DisposableBean {
  private final MBeanExporter exporter;
  private final ObjectName name;

  public LimpJmxRegistration(Limp limp, MBeanExporter exporter) {
    this.exporter = exporter;
    this.name = LimpJmx.objectName(limp.name());
    exporter.registerManagedResource(LimpJmx.mbean(limp), name);
  }

  /** The name the MXBean is registered under. */
  public ObjectName objectName() {
    return name;
  }

  @Override
  public void destroy() {
    exporter.unregisterManagedResource(name);
  }
}
