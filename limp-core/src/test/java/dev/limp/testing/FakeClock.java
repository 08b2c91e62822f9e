package dev.limp.testing;

import dev.limp.LimpClock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/** A clock the test drives: both the monotonic and the wall time move only on {@link #advance}. */
public final class FakeClock implements LimpClock {
  private static final Instant EPOCH = Instant.parse("2026-11-22T10:00:00Z");

  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

  @Override
  public long nanoTime() {
    return nanos.get();
  }

  @Override
  public Instant instant() {
    return EPOCH.plusNanos(nanos.get());
  }

  public FakeClock advance(Duration by) {
    nanos.addAndGet(by.toNanos());
    return this;
  }

  public FakeClock advanceMillis(long millis) {
    return advance(Duration.ofMillis(millis));
  }

  public FakeClock advanceSeconds(long seconds) {
    return advance(Duration.ofSeconds(seconds));
  }
}
