package dev.limp.test;

import dev.limp.LimpClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link LimpClock} that moves only when the test moves it: give it to {@code Limp.builder().clock(...)}
 * and {@code DatabaseMonitor.builder(limp).clock(...)}, then {@link #advance} it between
 * {@code limp.tick()}s. Both the monotonic time and the wall-clock instant move together. Thread-safe.
 *
 * <pre>{@code
 * DrivenClock clock = new DrivenClock();
 * Limp limp = Limp.builder().clock(clock).governorThread(false) ... .build();
 * clock.advance(Duration.ofSeconds(15));   // the dwell has passed
 * limp.tick();
 * }</pre>
 */
public final class DrivenClock implements LimpClock {
  /** The wall-clock instant a clock made with {@link #DrivenClock()} starts at. */
  public static final Instant DEFAULT_START = Instant.parse("2026-01-01T00:00:00Z");

  private final Instant start;
  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

  /** A clock at {@link #DEFAULT_START}. */
  public DrivenClock() {
    this(DEFAULT_START);
  }

  /** A clock whose wall time starts at {@code start}. */
  public DrivenClock(Instant start) {
    this.start = Objects.requireNonNull(start, "start");
  }

  @Override
  public long nanoTime() {
    return nanos.get();
  }

  @Override
  public Instant instant() {
    return start.plusNanos(nanos.get() - 1_000_000_000L);
  }

  /**
   * Moves the clock on.
   *
   * @throws IllegalArgumentException if {@code by} is negative: time does not go back
   */
  public DrivenClock advance(Duration by) {
    Objects.requireNonNull(by, "by");
    if (by.isNegative()) {
      throw new IllegalArgumentException("a driven clock only moves forward, but was asked to move by " + by);
    }
    nanos.addAndGet(by.toNanos());
    return this;
  }

  /** {@link #advance} by {@code millis} milliseconds. */
  public DrivenClock advanceMillis(long millis) {
    return advance(Duration.ofMillis(millis));
  }

  /** {@link #advance} by {@code seconds} seconds. */
  public DrivenClock advanceSeconds(long seconds) {
    return advance(Duration.ofSeconds(seconds));
  }

  @Override
  public String toString() {
    return "DrivenClock[" + instant() + "]";
  }
}
