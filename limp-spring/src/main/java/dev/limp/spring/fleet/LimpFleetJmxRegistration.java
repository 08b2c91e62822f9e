package dev.limp.spring.fleet;

import dev.limp.redis.LimpFleet;
import dev.limp.redis.jmx.FleetJmx;
import javax.management.ObjectName;
import org.springframework.context.SmartLifecycle;
import org.springframework.jmx.export.MBeanExporter;

/**
 * Registers the fleet view's MXBean, {@code dev.limp:type=LimpFleet,name=<fleet>,instance=<instance>}, through
 * Spring's {@link MBeanExporter} once the fleet is joined (its instance id is part of the name, and is known
 * at join), and unregisters it when the context stops, before the fleet is left. The membership itself
 * registers nothing ({@code registerMBean} stays false), so the MBean is never registered twice. Thread-safe.
 */
public final class LimpFleetJmxRegistration implements SmartLifecycle {
  private final LimpFleet fleet;
  private final LimpFleetLifecycle membership;
  private final MBeanExporter exporter;
  private ObjectName name;

  /**
   * @param membership the fleet's lifecycle: Spring starts it before this registration (which depends on it)
   *     and stops it after
   */
  public LimpFleetJmxRegistration(LimpFleet fleet, LimpFleetLifecycle membership, MBeanExporter exporter) {
    this.fleet = fleet;
    this.membership = membership;
    this.exporter = exporter;
  }

  @Override
  public synchronized void start() {
    if (name != null || !membership.isRunning()) {
      return;
    }
    ObjectName n = FleetJmx.objectName(fleet.fleet(), fleet.instance());
    exporter.registerManagedResource(FleetJmx.mbean(fleet), n);
    name = n;
  }

  @Override
  public synchronized void stop() {
    if (name == null) {
      return;
    }
    exporter.unregisterManagedResource(name);
    name = null;
  }

  @Override
  public synchronized boolean isRunning() {
    return name != null;
  }

  /** The name the MXBean is registered under, or {@code null} while it is not. */
  public synchronized ObjectName objectName() {
    return name;
  }
}
