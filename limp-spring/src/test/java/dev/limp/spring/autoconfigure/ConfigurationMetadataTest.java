package dev.limp.spring.autoconfigure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.jayway.jsonpath.JsonPath;
import dev.limp.Level;
import dev.limp.Signal;
import dev.limp.Tier;
import dev.limp.db.DatabaseSignals;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** The generated {@code spring-configuration-metadata.json} that IDEs complete {@code limp.*} from. */
class ConfigurationMetadataTest {
  private static Object metadata() throws IOException {
    try (InputStream in = ConfigurationMetadataTest.class.getResourceAsStream(
        "/META-INF/spring-configuration-metadata.json")) {
      return JsonPath.parse(in).json();
    }
  }

  @Test
  void signalNameHintsAreExactlyLimpsDatabaseSignals() throws IOException {
    List<String> hinted = JsonPath.read(metadata(), "$.hints[?(@.name == 'limp.policy.rules.keys')].values[*].value");
    assertEquals(DatabaseSignals.all().stream().map(Signal::name).toList(), hinted);
    assertEquals(21, hinted.size()); // and the critical path's own query and acquire latencies (issue 12.7)
  }

  @Test
  void theFeatureDescriptionDocumentsEveryTierAndTheNestedKeys() throws IOException {
    String description = description("limp.features");
    Arrays.stream(Tier.values()).forEach(t -> assertTrue(description.contains(t.name()), t + " in " + description));
    for (String key : List.of("tier", "governor-only", "bulkhead", "stale-value-max-age", "defer-queue-capacity",
        "circuit-breaker", "failure-rate-threshold", "record-exceptions")) {
      assertTrue(description.contains(key), key + " in " + description);
    }
    assertTrue(description.contains("brackets"), description);
  }

  @Test
  void theRuleDescriptionDocumentsEveryLevelAboveNormal() throws IOException {
    String description = description("limp.policy.rules");
    Arrays.stream(Level.values()).filter(l -> l != Level.NORMAL)
        .map(l -> l.name().toLowerCase(Locale.ROOT).replace('_', '-'))
        .forEach(l -> assertTrue(description.contains(l), l + " in " + description));
    assertTrue(description.contains(".enter") && description.contains(".exit"), description);
  }

  private static String description(String property) throws IOException {
    List<String> found = JsonPath.read(metadata(), "$.properties[?(@.name == '" + property + "')].description");
    assertEquals(1, found.size(), property);
    return found.get(0);
  }
}
