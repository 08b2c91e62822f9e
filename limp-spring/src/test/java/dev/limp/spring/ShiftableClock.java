package dev.limp.spring;

import dev.limp.LimpClock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The system clock plus an offset the test moves forward: real SQL sleeps are measured as they are, and
 * dwell times and signal windows pass when the test says so, without waiting.
 */
final class ShiftableClock implements LimpClock {
  private final AtomicLong offsetNanos = new AtomicLong();

  void advance(Duration d) {
    offsetNanos.addAndGet(d.toNanos());
  }

  @Override
  public long nanoTime() {
    return System.nanoTime() + offsetNanos.get();
  }

  @Override
  public Instant instant() {
    return Instant.now().plusNanos(offsetNanos.get());
  }
}
