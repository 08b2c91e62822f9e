package dev.limp.db.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.limp.testing.FakeClock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;

/**
 * Regression: the running-statement age and the open-connection time were read from two counters apart. A
 * statement (or connection) that ended between the two reads was counted without its start time, and the
 * reading became the time since the recorder started: in the incident-survival harness, a 22.6 s phantom
 * query raised the level to SHED_CRITICAL while every real query took under 1 s. Here the clock stands
 * still, so every true age is 0, while writers begin and end as fast as they can.
 */
class InProgressRegressionTest {
  private static final int WRITERS = 2;
  private static final int READS = 300_000;

  /** Reads {@code reading} while writers churn; returns the largest value seen. */
  private static double largestReadingUnderChurn(Runnable churn, DoubleSupplier reading)
      throws InterruptedException {
    AtomicBoolean done = new AtomicBoolean();
    List<Thread> writers = new ArrayList<>();
    for (int w = 0; w < WRITERS; w++) {
      Thread t = new Thread(() -> {
        while (!done.get()) {
          churn.run();
        }
      });
      t.start();
      writers.add(t);
    }
    double largest = 0;
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      for (int i = 0; i < READS && System.nanoTime() < deadline; i++) {
        double value = reading.getAsDouble();
        if (!Double.isNaN(value)) {
          largest = Math.max(largest, value);
        }
      }
    } finally {
      done.set(true);
      for (Thread t : writers) {
        t.join();
      }
    }
    return largest;
  }

  @Test
  void runningMeanAgeIsNeverTheTimeSinceTheRecorderStarted() throws InterruptedException {
    FakeClock clock = new FakeClock();
    JdbcRecorder recorder = new JdbcRecorder(clock, () -> null, 10, TimeUnit.SECONDS.toNanos(1));
    FeatureDbStats stats = recorder.statsOf(null);
    clock.advanceSeconds(60);

    double largest = largestReadingUnderChurn(() -> recorder.finished(stats, recorder.started(stats)),
        recorder::runningMeanAgeMillis);

    assertTrue(largest < 1, "no statement has run for any time, but a mean age of " + largest + " ms was read");
  }

  @Test
  void openConnectionTimeIsNeverTheTimeSinceTheRecorderStarted() throws InterruptedException {
    FakeClock clock = new FakeClock();
    JdbcRecorder recorder = new JdbcRecorder(clock, () -> null, 10, TimeUnit.SECONDS.toNanos(1));
    FeatureDbStats stats = recorder.statsOf(null);
    clock.advanceSeconds(60);
    long now = recorder.now();

    double largest = largestReadingUnderChurn(() -> {
      stats.opened(now);
      stats.closed(now, now);
    }, () -> stats.connectionMillis(now));

    assertTrue(largest < 1, "no connection was held for any time, but " + largest + " ms were read");
  }

  @Test
  void runningMeanAgeIsNeverMoreThanTheOldestStatementsAgeWhileQuickOnesComeAndGo()
      throws InterruptedException {
    FakeClock clock = new FakeClock();
    JdbcRecorder recorder = new JdbcRecorder(clock, () -> null, 10, TimeUnit.SECONDS.toNanos(1));
    FeatureDbStats stats = recorder.statsOf(null);
    recorder.started(stats); // two stuck statements, begun now and never finished
    recorder.started(stats);
    clock.advanceSeconds(5);

    // quick statements begin and end at the new now; the true mean age is at most 5 s (2 × 5 s over 2..4)
    double largest = largestReadingUnderChurn(() -> recorder.finished(stats, recorder.started(stats)),
        recorder::runningMeanAgeMillis);

    assertTrue(largest <= 5_000, "no statement has run longer than 5 s, but a mean age of " + largest
        + " ms was read: an end was counted against a begin the count had not seen");
  }
}
