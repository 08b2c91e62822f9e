package dev.limp;

import java.time.Instant;

/**
 * Where limp reads time: a monotonic nanosecond counter for every decision, and the wall clock for the
 * timestamps people read (events, override expiry). Tests supply a clock they drive.
 *
 * <p>Implementations must be thread-safe.
 */
public interface LimpClock {
  /** A monotonic time in nanoseconds, only meaningful as a difference (like {@link System#nanoTime()}). */
  long nanoTime();

  /** The current wall-clock instant. */
  Instant instant();

  /** The system clock. */
  static LimpClock system() {
    return SystemClock.INSTANCE;
  }

  /** The system clock; stateless. */
  enum SystemClock implements LimpClock {
    INSTANCE;

    @Override
    public long nanoTime() {
      return System.nanoTime();
    }

    @Override
    public Instant instant() {
      return Instant.now();
    }
  }
}
