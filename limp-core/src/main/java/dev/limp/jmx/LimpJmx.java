package dev.limp.jmx;

import dev.limp.Limp;
import java.lang.management.ManagementFactory;
import java.util.Objects;
import javax.management.InstanceAlreadyExistsException;
import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import javax.management.StandardMBean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers a limp instance's operator switch with an MBeanServer under
 * {@code dev.limp:type=Limp,name=<instance name>}. The name is written as it is, unquoted, whenever an
 * ObjectName allows it (always, for the names {@link dev.limp.LimpBuilder#name(String)} accepts: letters,
 * digits, '.', '_', '-'); only a name containing a character an ObjectName value cannot hold bare
 * ({@code , = : " * ?}, a newline, or nothing at all) is quoted with {@link ObjectName#quote(String)}. So
 * {@code new ObjectName("dev.limp:type=Limp,name=chat")} finds the instance named {@code chat}.
 * Frameworks with an exporter of their own (Spring) take {@link #mbean(Limp)} and
 * {@link #objectName(String)} instead.
 */
public final class LimpJmx {
  /** The JMX domain of limp's MBeans. */
  public static final String DOMAIN = "dev.limp";

  private static final Logger LOG = LoggerFactory.getLogger(LimpJmx.class);

  private LimpJmx() {
  }

  /** A registration; closing it unregisters the MBean (once). */
  public interface Registration extends AutoCloseable {
    ObjectName objectName();

    @Override
    void close();
  }

  /**
   * {@code dev.limp:type=Limp,name=<instance>}: the name bare, or quoted only when it contains a character
   * an ObjectName value cannot hold bare.
   */
  public static ObjectName objectName(String instance) {
    Objects.requireNonNull(instance, "instance");
    try {
      return new ObjectName(DOMAIN + ":type=Limp,name=" + (needsQuotes(instance) ? ObjectName.quote(instance)
          : instance));
    } catch (MalformedObjectNameException e) {
      throw new IllegalArgumentException("instance name '" + instance + "' cannot be part of an ObjectName", e);
    }
  }

  private static boolean needsQuotes(String value) {
    if (value.isEmpty()) {
      return true;
    }
    for (int i = 0; i < value.length(); i++) {
      if (",=:\"*?\n".indexOf(value.charAt(i)) >= 0) {
        return true;
      }
    }
    return false;
  }

  /** The MXBean of an instance, to register through another exporter. */
  public static LimpMXBean mxBean(Limp limp) {
    return new LimpMXBeanAdapter(limp);
  }

  /**
   * The MXBean of an instance as JMX clients should see it, to register through another exporter: real
   * parameter names, descriptions, and {@code units=seconds} on durations in its {@code MBeanInfo}.
   */
  public static StandardMBean mbean(Limp limp) {
    return new DescribedMXBean(new LimpMXBeanAdapter(limp));
  }

  /** Registers with the platform MBeanServer. */
  public static Registration registerPlatform(Limp limp) {
    return register(limp, ManagementFactory.getPlatformMBeanServer());
  }

  /**
   * Registers the instance's MXBean with the given server.
   *
   * @throws IllegalStateException if an MBean of that name is already registered (two instances with one
   *     name), naming it
   */
  public static Registration register(Limp limp, MBeanServer server) {
    ObjectName name = objectName(limp.name());
    try {
      server.registerMBean(mbean(limp), name);
    } catch (InstanceAlreadyExistsException e) {
      throw new IllegalStateException("an MBean named " + name + " is already registered: another limp "
          + "instance has the name '" + limp.name() + "'; give each instance its own name", e);
    } catch (JMException e) {
      throw new IllegalStateException("could not register " + name + ": " + e.getMessage(), e);
    }
    LOG.debug("limp[{}]: operator MXBean registered as {}", limp.name(), name);
    return new Registration() {
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
          LOG.debug("limp[{}]: {} was already unregistered", limp.name(), name);
        } catch (JMException e) {
          LOG.warn("limp[{}]: could not unregister {}", limp.name(), name, e);
        }
      }
    };
  }
}
