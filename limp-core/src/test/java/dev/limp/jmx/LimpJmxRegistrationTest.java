package dev.limp.jmx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.limp.Level;
import dev.limp.Limp;
import dev.limp.LimpBuilder;
import dev.limp.Tier;
import dev.limp.testing.FakeClock;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;

/** Registering the operator MXBean: one per instance name, gone when the instance closes. */
class LimpJmxRegistrationTest {
  private final FakeClock clock = new FakeClock();
  private final MBeanServer platform = ManagementFactory.getPlatformMBeanServer();

  private LimpBuilder builder(String name) {
    return Limp.builder()
        .name(name)
        .clock(clock)
        .governorThread(false)
        .feature("chat.post", Tier.CRITICAL_PLUS)
        .feature("search", Tier.SHEDDABLE);
  }

  @Test
  void registersUnderTheDocumentedObjectName() throws Exception {
    String name = JmxClient.uniqueName("registration");
    ObjectName objectName = LimpJmx.objectName(name);
    // Issue 13 item 8: the README documents name=<instance name>, bare; it used to be quoted.
    assertEquals(new ObjectName("dev.limp:type=Limp,name=" + name), objectName);

    try (Limp limp = builder(name).registerMBean(true).build()) {
      assertTrue(platform.isRegistered(objectName));
      assertEquals(limp.level().name(), platform.getAttribute(objectName, "Level"));
    }
  }

  @Test
  void withoutRegisterMBeanNothingIsRegistered() {
    String name = JmxClient.uniqueName("registration");
    try (Limp limp = builder(name).build()) {
      assertFalse(platform.isRegistered(LimpJmx.objectName(limp.name())));
    }
  }

  @Test
  void aSecondInstanceWithTheSameNameFailsNamingTheObjectNameAndLeavesTheFirstInPlace() throws Exception {
    String name = JmxClient.uniqueName("registration");
    ObjectName objectName = LimpJmx.objectName(name);
    try (Limp first = builder(name).registerMBean(true).build()) {
      LimpBuilder second = builder(name).registerMBean(true);

      IllegalStateException e = assertThrows(IllegalStateException.class, second::build);

      JmxClient.assertMessageContains(e, objectName.toString(), "'" + name + "'", "own name");
      assertTrue(platform.isRegistered(objectName));
      first.overrides().forceLevel(Level.SHED_SHEDDABLE, Duration.ofMinutes(5), "still the first one", "test");
      assertEquals("SHED_SHEDDABLE", platform.getAttribute(objectName, "Level"),
          "the registered MBean still belongs to the first instance");
    }
  }

  @Test
  void closeUnregistersAndANewInstanceCanTakeTheName() throws Exception {
    String name = JmxClient.uniqueName("registration");
    ObjectName objectName = LimpJmx.objectName(name);
    Limp first = builder(name).registerMBean(true).build();
    try {
      assertTrue(platform.isRegistered(objectName));
      first.close();
      assertFalse(platform.isRegistered(objectName));
    } finally {
      first.close(); // a second close is harmless
    }

    try (Limp second = builder(name).registerMBean(true).build()) {
      assertTrue(platform.isRegistered(objectName));
      second.overrides().forceLevel(Level.SHED_CRITICAL, Duration.ofMinutes(5), "the new one", "test");
      assertEquals("SHED_CRITICAL", platform.getAttribute(objectName, "Level"));
    }
    assertFalse(platform.isRegistered(objectName));
  }

  @Test
  void registersWithAGivenServerAndUnregistersOnceOnClose() throws Exception {
    MBeanServer own = MBeanServerFactory.newMBeanServer();
    String name = JmxClient.uniqueName("registration");
    try (Limp limp = builder(name).build()) {
      LimpJmx.Registration registration = LimpJmx.register(limp, own);
      assertEquals(LimpJmx.objectName(name), registration.objectName());
      assertTrue(own.isRegistered(registration.objectName()));
      assertFalse(platform.isRegistered(registration.objectName()), "only the given server");

      IllegalStateException e = assertThrows(IllegalStateException.class, () -> LimpJmx.register(limp, own));
      JmxClient.assertMessageContains(e, registration.objectName().toString());

      registration.close();
      assertFalse(own.isRegistered(registration.objectName()));
      registration.close();
    }
  }
}
