package dev.limp.spring.jmx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.limp.spring.autoconfigure.LimpAutoConfiguration;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import javax.management.MBeanOperationInfo;
import javax.management.MBeanParameterInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.jmx.JmxAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The MXBean that Spring's exporter registers, as a JMX client finds and reads it. */
class SpringJmxTest {
  @Test
  void theExportedMxBeanIsFoundUnderTheDocumentedNameWithNamedParametersInSeconds() {
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(LimpAutoConfiguration.class, JmxAutoConfiguration.class))
        .withPropertyValues("limp.governor-thread=false", "limp.name=p2-jmx", "spring.jmx.enabled=true")
        .run(ctx -> {
          MBeanServer server = ManagementFactory.getPlatformMBeanServer();
          ObjectName documented = new ObjectName("dev.limp:type=Limp,name=p2-jmx");
          assertTrue(server.isRegistered(documented));
          MBeanOperationInfo shed = Arrays.stream(server.getMBeanInfo(documented).getOperations())
              .filter(o -> o.getName().equals("shedFeature")).findFirst().orElseThrow();
          assertEquals("feature,durationSeconds,reason", String.join(",",
              Arrays.stream(shed.getSignature()).map(MBeanParameterInfo::getName).toList()));
          assertEquals("seconds", shed.getSignature()[1].getDescriptor().getFieldValue("units"));
        });
  }
}
