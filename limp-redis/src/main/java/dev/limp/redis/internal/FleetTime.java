package dev.limp.redis.internal;

import dev.limp.LimpClock;

/**
 * The fleet's time as this instance estimates it: the local wall clock plus the offset to Redis's
 * {@code TIME}, measured at every exchange that reads it. Every instance turns a fleet expiry into a local
 * duration with it, so they all end an override at the same moment within their offset errors (a round
 * trip at most). Thread-safe.
 */
public final class FleetTime {
  private final LimpClock clock;
  private volatile long offsetMillis;

  public FleetTime(LimpClock clock) {
    this.clock = clock;
  }

  /** The local wall clock, in epoch milliseconds. */
  public long localMillis() {
    return clock.instant().toEpochMilli();
  }

  /** The fleet's time now, in epoch milliseconds. */
  public long nowMillis() {
    return localMillis() + offsetMillis;
  }

  /** Records Redis's time, read between {@code localBefore} and {@code localAfter}. */
  public void observe(long redisMillis, long localBefore, long localAfter) {
    offsetMillis = redisMillis - (localBefore + (localAfter - localBefore) / 2);
  }
}
