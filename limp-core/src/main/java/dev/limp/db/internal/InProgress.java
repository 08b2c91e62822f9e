package dev.limp.db.internal;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Things in progress (statements running, connections held): how many, and their total age at any moment
 * ({@code count × now − sum of their start times}). Two atomic adds to begin, two to end, no lock, no retry.
 *
 * <p>Four counters that only grow (their differences survive overflow): how many began, the sum of their
 * starts, how many ended, the sum of their starts. A begin adds its start before counting itself; an end
 * counts itself before adding its start; a reader reads the begins, their sum, the ends' sum, then the ends.
 * So whatever the interleaving, a thing the reader counts as in progress has its start in the sum, and each
 * thing adds at most its true age to the total: a read may come out low (a thing that began or ended during
 * it), never high. For a mean, the count must not come out low either: {@link #addTo} retries while things
 * begin during its read. Reading the two differences apart once counted a thing without its start, whose age was
 * then the time since the clock's origin: the phantom 22 s query the incident-survival harness found
 * ({@code InProgressRegressionTest}).
 *
 * <p>Thread-safe.
 */
final class InProgress {
  /** Reads of the count and age together, before a reader gives up under a storm of begins. */
  private static final int READ_ATTEMPTS = 16;

  private final AtomicLong begun = new AtomicLong();
  private final AtomicLong begunStartSum = new AtomicLong();
  private final AtomicLong ended = new AtomicLong();
  private final AtomicLong endedStartSum = new AtomicLong();

  void begin(long start) {
    begunStartSum.addAndGet(start);
    begun.incrementAndGet();
  }

  void end(long start) {
    ended.incrementAndGet();
    endedStartSum.addAndGet(start);
  }

  /** How many are in progress now. */
  long count() {
    long e = ended.get();
    return Math.max(0, begun.get() - e);
  }

  /** The ages of the things in progress at {@code now}, summed, in nanoseconds; 0 when none is. */
  long totalAge(long now) {
    long b = begun.get();
    long sum = begunStartSum.get() - endedStartSum.get();
    long n = b - ended.get();
    return n <= 0 ? 0 : Math.max(0, n * now - sum);
  }

  /**
   * Adds how many are in progress to {@code countAndAge[0]}, and their total age at {@code now} to [1]; adds
   * nothing when no consistent reading was had. The reads go in the order the class comment gives, and
   * the begins are read again at the end: if some thing began meanwhile, an end read may be its, and the
   * count would come out low against a total that is not (a mean too high); the read is then retried.
   *
   * @return whether a reading was added
   */
  boolean addTo(long now, long[] countAndAge) {
    for (int attempt = 0; attempt < READ_ATTEMPTS; attempt++) {
      long b = begun.get();
      long sum = begunStartSum.get() - endedStartSum.get();
      long n = b - ended.get();
      if (begun.get() == b) {
        if (n > 0) {
          countAndAge[0] += n;
          countAndAge[1] += Math.max(0, n * now - sum);
        }
        return true;
      }
    }
    return false;
  }
}
