package dev.limp.redis.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.limp.LimpClock;
import org.junit.jupiter.api.Test;

/** The fleet's time keeps the offset of the fastest exchange with Redis, so one slow exchange does not skew it. */
class FleetTimeTest {
  private final FleetTime time = new FleetTime(LimpClock.system());

  @Test
  void aSlowExchangeDoesNotReplaceTheOffsetOfAFastOne() {
    time.observe(10_001, 10_000, 10_002); // 2 ms round trip: offset 0
    assertEquals(0, time.offsetMillis());
    // regression: the first exchange in a fresh JVM took 420 ms, sent late; read in the middle, the offset
    // was 200 ms off and one instance of three let a feature back 209 ms before the fleet's expiry
    time.observe(10_410, 10_000, 10_420);
    assertEquals(0, time.offsetMillis());
    time.observe(11_006, 11_000, 11_002); // as fast: Redis's clock is 5 ms ahead now
    assertEquals(5, time.offsetMillis());
  }

  @Test
  void theFastestOffsetIsReplacedOnceItIsOld() {
    time.observe(10_001, 10_000, 10_002);
    time.observe(10_000 + FleetTime.KEEP_MILLIS + 150, 10_000 + FleetTime.KEEP_MILLIS + 100,
        10_000 + FleetTime.KEEP_MILLIS + 120);
    assertEquals(40, time.offsetMillis());
  }

  @Test
  void theFirstExchangeIsTakenWhateverItsRoundTrip() {
    time.observe(5_300, 5_000, 5_400);
    assertEquals(100, time.offsetMillis());
  }
}
