package dev.limp.jmx;

import static dev.limp.jmx.JmxClient.assertMessageContains;
import static dev.limp.jmx.JmxClient.refused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.limp.Limp;
import dev.limp.Tier;
import dev.limp.testing.FakeClock;
import dev.limp.testing.TestSignals;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.management.JMX;
import org.junit.jupiter.api.Test;

/** The operator switch through a typed MXBean proxy, as a Java client with limp's classes uses it. */
class LimpMXBeanProxyTest {
  private final FakeClock clock = new FakeClock();

  @Test
  void typedProxyReadsFeatureRowsAndRunsOperations() throws Exception {
    TestSignals signals = new TestSignals().set(TestSignals.LATENCY, 12);
    try (Limp limp = Limp.builder()
        .name(JmxClient.uniqueName("proxy"))
        .clock(clock)
        .governorThread(false)
        .registerMBean(true)
        .feature("chat.post", Tier.CRITICAL_PLUS)
        .feature("notifications", Tier.SHEDDABLE_PLUS)
        .feature("search", Tier.SHEDDABLE)
        .signalSource(signals)
        .build()) {
      limp.tick();
      LimpMXBean proxy = JMX.newMXBeanProxy(ManagementFactory.getPlatformMBeanServer(),
          LimpJmx.objectName(limp.name()), LimpMXBean.class);

      assertEquals("NORMAL", proxy.getLevel());
      assertTrue(proxy.isAutomatic());
      assertEquals(Map.of("test.latency", 12.0), proxy.getSignals());
      assertEquals(List.of("chat.post", "notifications", "search"),
          proxy.getFeatures().stream().map(LimpMXBean.FeatureView::getName).collect(Collectors.toList()));

      String answer = proxy.forceLevel("SHED_SHEDDABLE_PLUS", 600, "storage cannot keep up");

      assertTrue(answer.contains("level forced to SHED_SHEDDABLE_PLUS"), answer);
      assertEquals("SHED_SHEDDABLE_PLUS", proxy.getLevel());
      assertFalse(proxy.isAutomatic());
      LimpMXBean.FeatureView search = proxy.getFeatures().get(2);
      assertEquals("search", search.getName());
      assertEquals("SHEDDABLE", search.getTier());
      assertEquals("SHED", search.getState());
      assertEquals(0.0, search.getAdmittedFraction());
      assertTrue(search.getReason().contains("storage cannot keep up"), search.getReason());
      assertEquals(1, proxy.getOverrides().size());

      assertMessageContains(refused(() -> proxy.shedFeature("serch", 600, "typo")), "unknown feature 'serch'");
      assertMessageContains(refused(() -> proxy.pinFeature("search", 0, "typo")), "durationSeconds");

      assertTrue(proxy.releaseAll().contains("1 override(s) released"));
      assertEquals("ACTIVE", proxy.getFeatures().get(2).getState(), "an operator's shed released: back at once");
    }
  }
}
