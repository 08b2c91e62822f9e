package dev.limp.redis.internal;

import dev.limp.LimpClock;

/**
 * The fleet's time as this instance estimates it: the local wall clock plus the offset to Redis's
 * {@code TIME}, measured at every exchange that reads it. Every instance turns a fleet expiry into a local
 * duration with it, so they all end an override at the same moment within their offset errors.
 *
 * <p>An offset read in the middle of a round trip is wrong by up to half of it, and one slow exchange (the
 * first in a fresh JVM, a GC pause) takes hundreds of milliseconds: so the estimate kept is the one of the
 * fastest exchange, replaced by any exchange at least as fast, and by whatever comes once it is older than
 * {@link #KEEP_MILLIS} (clocks drift and are stepped). Thread-safe.
 */
public final class FleetTime {
  /** A round trip short enough for the offset read in its middle to be good (the store re-reads otherwise). */
  static final long GOOD_ROUND_TRIP_MILLIS = 5;
  /** How long the fastest exchange's offset is kept against slower ones. */
  static final long KEEP_MILLIS = 30_000;

  /** One measured offset: immutable. */
  private record Estimate(long offsetMillis, long roundTripMillis, long atMillis) {
  }

  private final LimpClock clock;
  private volatile Estimate estimate = new Estimate(0, Long.MAX_VALUE, Long.MIN_VALUE);

  public FleetTime(LimpClock clock) {
    this.clock = clock;
  }

  /** The local wall clock, in epoch milliseconds. */
  public long localMillis() {
    return clock.instant().toEpochMilli();
  }

  /** The fleet's time now, in epoch milliseconds. */
  public long nowMillis() {
    return localMillis() + estimate.offsetMillis();
  }

  /** Records Redis's time, read between {@code localBefore} and {@code localAfter}. */
  public synchronized void observe(long redisMillis, long localBefore, long localAfter) {
    long roundTrip = Math.max(0, localAfter - localBefore);
    Estimate kept = estimate;
    if (roundTrip <= kept.roundTripMillis() || localAfter - kept.atMillis() > KEEP_MILLIS
        || localAfter < kept.atMillis()) {
      estimate = new Estimate(redisMillis - (localBefore + roundTrip / 2), roundTrip, localAfter);
    }
  }

  /** The round trip of the exchange the offset in use was read in, in milliseconds. */
  long roundTripMillis() {
    return estimate.roundTripMillis();
  }

  /** The offset now used: fleet time minus local time, in milliseconds. */
  long offsetMillis() {
    return estimate.offsetMillis();
  }
}
