package dev.limp.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The plan watch's settings: defaults, and every bad value refused with a message that names it. */
class PlanWatchConfigTest {
  @Test
  void defaultsExplainWithAOneSecondTimeoutAtMostEveryFiveMinutes() {
    PlanWatchConfig config = PlanWatchConfig.ofDefaults();
    assertTrue(config.enabled());
    assertEquals(Duration.ofSeconds(1), config.timeout());
    assertEquals(Duration.ofMinutes(5), config.minInterval());
    assertFalse(PlanWatchConfig.off().enabled());
    assertSame(PlanWatchConfig.off(), PlanWatchConfig.builder().enabled(false).build());
  }

  @Test
  void rejectsBadValuesNamingTheSettingAndTheValue() {
    assertEquals("timeout must be between PT0.01S and PT30S, but was PT0.001S",
        assertThrows(IllegalArgumentException.class, () -> PlanWatchConfig.builder()
            .timeout(Duration.ofMillis(1))).getMessage());
    assertEquals("minInterval must be between PT1S and PT24H, but was PT48H",
        assertThrows(IllegalArgumentException.class, () -> PlanWatchConfig.builder()
            .minInterval(Duration.ofDays(2))).getMessage());
    assertThrows(NullPointerException.class, () -> PlanWatchConfig.builder().timeout(null));
    assertEquals("timeout must be below the minInterval (PT2S), but was PT5S",
        assertThrows(IllegalStateException.class, () -> PlanWatchConfig.builder().timeout(Duration.ofSeconds(5))
            .minInterval(Duration.ofSeconds(2)).build()).getMessage());
    assertThrows(NullPointerException.class, () -> DatabaseMonitor.builder(dev.limp.Limp.builder().name("pw")
        .governorThread(false).build()).planWatch(null));
  }
}
