package dev.limp.test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PlanCheckConfigTest {
  @Test
  void defaults() {
    PlanCheckConfig config = PlanCheckConfig.ofDefaults();
    assertEquals(PlanCheckConfig.DEFAULT_SEQ_SCAN_ROW_LIMIT, config.seqScanRowLimit());
    assertEquals(Set.of(), config.allowed());
    assertEquals(PlanCheckConfig.DEFAULT_EXPLAIN_TIMEOUT, config.explainTimeout());
    assertEquals(PlanCheckConfig.DEFAULT_MAX_STATEMENTS, config.maxStatements());
  }

  @Test
  void anUnqualifiedNameAllowsTheTableInEverySchemaAQualifiedOneInItsOwn() {
    PlanCheckConfig config = PlanCheckConfig.builder().allow("Countries", "audit.settings").build();
    assertTrue(config.allows("countries"));
    assertTrue(config.allows("public.COUNTRIES"));
    assertTrue(config.allows("audit.settings"));
    assertFalse(config.allows("public.settings"));
    assertFalse(config.allows("settings"));
  }

  @Test
  void rejectsBadValuesNamingTheSettingAndTheValue() {
    PlanCheckConfig.Builder b = PlanCheckConfig.builder();
    assertEquals("seqScanRowLimit must be 0 or more rows, but was -5",
        assertThrows(IllegalArgumentException.class, () -> b.seqScanRowLimit(-5)).getMessage());
    assertEquals("allow takes table names such as 'countries' or 'audit.settings', but was 'a.b.c'",
        assertThrows(IllegalArgumentException.class, () -> b.allow("a.b.c")).getMessage());
    assertThrows(IllegalArgumentException.class, () -> b.allow(" "));
    assertThrows(NullPointerException.class, () -> b.allow((String) null));
    assertEquals("explainTimeout must be between 1 ms and 1 min, but was PT2M",
        assertThrows(IllegalArgumentException.class, () -> b.explainTimeout(Duration.ofMinutes(2))).getMessage());
    assertEquals("maxStatements must be between 1 and 100000, but was 0",
        assertThrows(IllegalArgumentException.class, () -> b.maxStatements(0)).getMessage());
  }

  @Test
  void aBuiltConfigDoesNotChangeWithItsBuilder() {
    PlanCheckConfig.Builder b = PlanCheckConfig.builder().allow("a");
    PlanCheckConfig config = b.build();
    b.allow("b").seqScanRowLimit(1);
    assertEquals(Set.of("a"), config.allowed());
    assertEquals(PlanCheckConfig.DEFAULT_SEQ_SCAN_ROW_LIMIT, config.seqScanRowLimit());
  }
}
