package dev.limp.jmx;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.management.JMException;
import javax.management.MBeanException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.RuntimeMBeanException;
import javax.management.RuntimeOperationsException;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;

/**
 * Talks to limp's MXBean the way jconsole does: through the platform MBeanServer, with attribute names,
 * operation names and signature strings only, never through limp's own classes.
 */
final class JmxClient {
  private static final AtomicInteger SEQUENCE = new AtomicInteger();
  private static final String[] FEATURE_OP = {"java.lang.String", "long", "java.lang.String"};

  final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
  final ObjectName name;

  JmxClient(ObjectName name) {
    this.name = name;
  }

  /** An instance name no other test in this JVM uses. */
  static String uniqueName(String prefix) {
    return prefix + "-" + ProcessHandle.current().pid() + "-" + SEQUENCE.incrementAndGet();
  }

  Object attribute(String attribute) throws JMException {
    return server.getAttribute(name, attribute);
  }

  String level() throws JMException {
    return (String) attribute("Level");
  }

  boolean automatic() throws JMException {
    return (Boolean) attribute("Automatic");
  }

  String[] overrides() throws JMException {
    return (String[]) attribute("Overrides");
  }

  CompositeData[] features() throws JMException {
    return (CompositeData[]) attribute("Features");
  }

  CompositeData feature(String feature) throws JMException {
    for (CompositeData row : features()) {
      if (feature.equals(row.get("name"))) {
        return row;
      }
    }
    throw new AssertionError("no row for feature '" + feature + "' in " + Arrays.toString(features()));
  }

  String state(String feature) throws JMException {
    return (String) feature(feature).get("state");
  }

  double admittedFraction(String feature) throws JMException {
    return (Double) feature(feature).get("admittedFraction");
  }

  /** feature name → state, in the order the MXBean lists them. */
  Map<String, String> states() throws JMException {
    Map<String, String> states = new LinkedHashMap<>();
    for (CompositeData row : features()) {
      states.put((String) row.get("name"), (String) row.get("state"));
    }
    return states;
  }

  Map<String, Double> signals() throws JMException {
    Map<String, Double> signals = new LinkedHashMap<>();
    TabularData table = (TabularData) attribute("Signals");
    for (Object row : table.values()) {
      CompositeData entry = (CompositeData) row;
      signals.put((String) entry.get("key"), (Double) entry.get("value"));
    }
    return signals;
  }

  /**
   * Everything an operator can see, as comparable lines: the levels, whether automatic, each feature's
   * state, fraction, pin and reason, and the overrides in force.
   */
  List<String> fullState() throws JMException {
    List<String> lines = new ArrayList<>();
    lines.add("level=" + level());
    lines.add("governorLevel=" + attribute("GovernorLevel"));
    lines.add("automatic=" + automatic());
    lines.add("levelReason=" + attribute("LevelReason"));
    for (CompositeData row : features()) {
      lines.add("feature " + row.get("name") + " " + row.get("state") + " " + row.get("admittedFraction")
          + " pinned=" + row.get("pinned") + " reason=" + row.get("reason"));
    }
    lines.add("overrides=" + Arrays.toString(overrides()));
    return lines;
  }

  /** forceLevel, shedFeature, shedTopTierFeature or pinFeature. */
  String invoke(String operation, String target, long durationSeconds, String reason) throws JMException {
    return (String) server.invoke(name, operation, new Object[] {target, durationSeconds, reason}, FEATURE_OP);
  }

  String releaseLevel() throws JMException {
    return (String) server.invoke(name, "releaseLevel", new Object[0], new String[0]);
  }

  String releaseFeature(String feature) throws JMException {
    return (String) server.invoke(name, "releaseFeature", new Object[] {feature},
        new String[] {"java.lang.String"});
  }

  String releaseAll() throws JMException {
    return (String) server.invoke(name, "releaseAll", new Object[0], new String[0]);
  }

  /** A JMX call that is expected to fail. */
  interface JmxCall {
    void call() throws Exception;
  }

  /**
   * Runs a call that must be refused, and returns the {@link IllegalArgumentException} the MXBean threw,
   * unwrapped from whatever JMX wrapped it in (a generic client sees RuntimeMBeanException).
   */
  static IllegalArgumentException refused(JmxCall call) {
    Exception thrown = assertThrows(Exception.class, call::call);
    Throwable t = thrown;
    for (int depth = 0; t != null && depth < 10; depth++) {
      if (t instanceof IllegalArgumentException) {
        return (IllegalArgumentException) t;
      }
      if (t instanceof RuntimeMBeanException) {
        t = ((RuntimeMBeanException) t).getTargetException();
      } else if (t instanceof MBeanException) {
        t = ((MBeanException) t).getTargetException();
      } else if (t instanceof RuntimeOperationsException) {
        t = ((RuntimeOperationsException) t).getTargetException();
      } else {
        t = t.getCause();
      }
    }
    throw new AssertionError("expected an IllegalArgumentException inside " + thrown, thrown);
  }

  /** Asserts that the message contains every fragment, showing the whole message if not. */
  static void assertMessageContains(Throwable e, String... fragments) {
    String message = e.getMessage();
    assertNotNull(message, "exception without a message: " + e);
    for (String fragment : fragments) {
      assertTrue(message.contains(fragment), () -> "message should contain '" + fragment + "' but was: "
          + message);
    }
  }
}
