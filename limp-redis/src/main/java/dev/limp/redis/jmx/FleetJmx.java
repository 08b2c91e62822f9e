package dev.limp.redis.jmx;

import dev.limp.jmx.LimpJmx;
import dev.limp.redis.LimpFleet;
import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.Objects;
import javax.management.InstanceAlreadyExistsException;
import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanInfo;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import javax.management.StandardMBean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers a fleet membership's read-only view under
 * {@code dev.limp:type=LimpFleet,name=<fleet>,instance=<instance>}, next to the instance's own
 * {@code dev.limp:type=Limp,name=<name>}: the values bare, quoted with {@link ObjectName#quote(String)} only when
 * they contain a character an ObjectName value cannot hold bare (as {@link LimpJmx} does; an instance id may
 * hold a {@code :}). {@link LimpFleet#join} registers it itself with
 * {@link dev.limp.redis.FleetConfig.Builder#registerMBean(boolean) registerMBean(true)}; frameworks with an
 * exporter of their own (Spring) take {@link #mbean(LimpFleet)} and {@link #objectName(String, String)}.
 */
public final class FleetJmx {
  private static final Logger LOG = LoggerFactory.getLogger(FleetJmx.class);

  private static final Map<String, String> ATTRIBUTES = Map.of(
      "FleetName", "The fleet's name (its Redis keys are limp:<fleet>:...)",
      "Instance", "This instance's id in the fleet",
      "Connected", "Whether the link to Redis works now",
      "Members", "Every live instance from its heartbeat: level and reason, whether it only follows the fleet "
          + "rule, heartbeat age (ms), overrides in force, each feature's state, signal readings (pool numbers "
          + "among them); read from Redis",
      "Overrides", "The fleet's overrides in force, with actor, origin, reason and the fleet's expiry; read from "
          + "Redis",
      "Audit", "The latest " + LimpFleetMXBean.AUDIT_ENTRIES + " operator actions of the whole fleet, newest "
          + "first; read from Redis");

  private FleetJmx() {
  }

  /**
   * {@code dev.limp:type=LimpFleet,name=<fleet>,instance=<instance>}.
   *
   * @throws IllegalArgumentException if the values cannot form an ObjectName
   */
  public static ObjectName objectName(String fleet, String instance) {
    Objects.requireNonNull(fleet, "fleet");
    Objects.requireNonNull(instance, "instance");
    try {
      return new ObjectName(LimpJmx.DOMAIN + ":type=LimpFleet,name=" + value(fleet) + ",instance="
          + value(instance));
    } catch (MalformedObjectNameException e) {
      throw new IllegalArgumentException("fleet '" + fleet + "' and instance '" + instance + "' cannot form an "
          + "ObjectName", e);
    }
  }

  private static String value(String v) {
    for (int i = 0; i < v.length(); i++) {
      if (",=:\"*?\n".indexOf(v.charAt(i)) >= 0) {
        return ObjectName.quote(v);
      }
    }
    return v.isEmpty() ? ObjectName.quote(v) : v;
  }

  /** The MXBean of a joined fleet membership, to register through another exporter. */
  public static LimpFleetMXBean mxBean(LimpFleet fleet) {
    return new LimpFleetMXBeanAdapter(Objects.requireNonNull(fleet, "fleet"));
  }

  /** The MXBean as JMX clients should see it (with a description of each attribute), for another exporter. */
  public static StandardMBean mbean(LimpFleet fleet) {
    return new StandardMBean(mxBean(fleet), LimpFleetMXBean.class, true) {
      @Override
      protected String getDescription(MBeanInfo info) {
        return "limp's fleet on Redis, read-only: live instances, overrides in force, audit. Operator actions "
            + "go through dev.limp:type=Limp, which acts on the whole fleet";
      }

      @Override
      protected String getDescription(MBeanAttributeInfo info) {
        return ATTRIBUTES.getOrDefault(info.getName(), info.getDescription());
      }
    };
  }

  /** Registers a joined fleet membership's view with the platform MBeanServer. */
  public static LimpJmx.Registration registerPlatform(LimpFleet fleet) {
    return register(fleet, ManagementFactory.getPlatformMBeanServer());
  }

  /**
   * Registers a joined fleet membership's view with the given server.
   *
   * @throws IllegalStateException if the membership has not joined, or an MBean of that name is already
   *     registered (two memberships with one fleet and instance id), naming it
   */
  public static LimpJmx.Registration register(LimpFleet fleet, MBeanServer server) {
    ObjectName name = objectName(fleet.fleet(), fleet.instance());
    try {
      server.registerMBean(mbean(fleet), name);
    } catch (InstanceAlreadyExistsException e) {
      throw new IllegalStateException("an MBean named " + name + " is already registered: another membership "
          + "of fleet '" + fleet.fleet() + "' has the instance id '" + fleet.instance() + "'; give each its own "
          + "instanceId", e);
    } catch (JMException e) {
      throw new IllegalStateException("could not register " + name + ": " + e.getMessage(), e);
    }
    LOG.debug("limp-fleet[{}]: fleet MXBean registered as {}", fleet.instance(), name);
    return new LimpJmx.Registration() {
      private boolean closed;

      @Override
      public ObjectName objectName() {
        return name;
      }

      @Override
      public synchronized void close() {
        if (closed) {
          return;
        }
        closed = true;
        try {
          server.unregisterMBean(name);
        } catch (InstanceNotFoundException e) {
          LOG.debug("limp-fleet: {} was already unregistered", name);
        } catch (JMException e) {
          LOG.warn("limp-fleet: could not unregister {}", name, e);
        }
      }
    };
  }
}
