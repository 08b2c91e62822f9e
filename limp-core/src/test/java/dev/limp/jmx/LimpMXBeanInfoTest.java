package dev.limp.jmx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.limp.Limp;
import dev.limp.Tier;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.management.MBeanInfo;
import javax.management.MBeanOperationInfo;
import javax.management.MBeanParameterInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;

/** What jconsole and VisualVM read from the MBeanInfo, through the platform MBeanServer. */
class LimpMXBeanInfoTest {
  private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();

  private Limp limp(String name) {
    return Limp.builder().name(name).governorThread(false).registerMBean(true)
        .feature("search", Tier.SHEDDABLE).build();
  }

  @Test
  void operationsShowRealParameterNamesDescriptionsAndSecondsAsTheUnitOfDurations() throws Exception {
    String name = JmxClient.uniqueName("info");
    try (Limp limp = limp(name)) {
      MBeanInfo info = server.getMBeanInfo(LimpJmx.objectName(limp.name()));
      Map<String, MBeanOperationInfo> ops = Arrays.stream(info.getOperations())
          .collect(Collectors.toMap(MBeanOperationInfo::getName, o -> o));
      assertEquals(List.of("level", "durationSeconds", "reason"), names(ops.get("forceLevel")));
      for (String op : List.of("shedFeature", "shedTopTierFeature", "pinFeature")) {
        assertEquals(List.of("feature", "durationSeconds", "reason"), names(ops.get(op)), op);
      }
      assertEquals(List.of("feature"), names(ops.get("releaseFeature")));
      for (MBeanOperationInfo op : info.getOperations()) {
        assertNotEquals(op.getName(), op.getDescription(), "a description that says more than the name");
        for (MBeanParameterInfo p : op.getSignature()) {
          assertFalse(p.getName().matches("p\\d+"), op.getName() + ": " + p.getName());
          assertNotEquals(p.getName(), p.getDescription(), op.getName() + "." + p.getName());
          boolean duration = p.getName().equals("durationSeconds");
          assertEquals(duration ? "seconds" : null, p.getDescriptor().getFieldValue("units"),
              op.getName() + "." + p.getName());
          if (duration) {
            assertTrue(p.getDescription().contains("seconds"), p.getDescription());
          }
        }
      }
      assertTrue(Arrays.stream(info.getAttributes()).noneMatch(a -> a.getName().equals(a.getDescription())));
      assertEquals("true", String.valueOf(info.getDescriptor().getFieldValue("mxbean")), "still an MXBean");
    }
  }

  @Test
  void theMBeanIsFoundUnderTheDocumentedNameWithoutQuotes() throws Exception {
    String name = JmxClient.uniqueName("lookup");
    try (Limp limp = limp(name)) {
      ObjectName documented = new ObjectName("dev.limp:type=Limp,name=" + limp.name());
      assertTrue(server.isRegistered(documented), "dev.limp:type=Limp,name=<instance name> as the README says");
      assertEquals("NORMAL", server.getAttribute(documented, "Level"));
      assertEquals(documented, LimpJmx.objectName(name));
    }
  }

  @Test
  void onlyANameThatAnObjectNameCannotHoldBareIsQuoted() throws Exception {
    assertEquals(new ObjectName("dev.limp:type=Limp,name=chat.prod_1-a"), LimpJmx.objectName("chat.prod_1-a"));
    assertEquals(new ObjectName("dev.limp:type=Limp,name=" + ObjectName.quote("a,b=c")),
        LimpJmx.objectName("a,b=c"));
    assertEquals(new ObjectName("dev.limp:type=Limp,name=\"\""), LimpJmx.objectName(""));
  }

  private static List<String> names(MBeanOperationInfo op) {
    return Arrays.stream(op.getSignature()).map(MBeanParameterInfo::getName).toList();
  }
}
