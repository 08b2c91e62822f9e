package dev.limp.db.internal;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A time-based sliding window of latencies (for instance the last 10 s in 1 s buckets) with counts and
 * percentiles. Recording takes no lock: it finds the bucket of the current second, and increments a slot of
 * a log-linear histogram (the count is the sum of the slots) (8 sub-buckets per power of two of microseconds, so a percentile is within 12.5 %
 * of the true value). It allocates nothing, except one new bucket each time the window slides into a new
 * second.
 *
 * <p>A bucket whose second has passed is not cleared in place but replaced, by the first writer of its new
 * second, with a new empty bucket (a CAS on the ring's slot); a writer that loses the race writes into the
 * winner's bucket. So no sample of the window is lost to the sliding, however the writers are scheduled:
 * only a writer that falls a whole window behind the others writes into a bucket that has already left the
 * window. (Clearing in place lost every sample written while the clearing thread was descheduled.)
 *
 * <p>Thread-safe. Reading ({@link #snapshot}) sums the live buckets; it is racy with writers, like any gauge.
 */
public final class LatencyWindow {
  private static final int SUB_BUCKET_BITS = 3;
  private static final int SUB_BUCKETS = 1 << SUB_BUCKET_BITS;
  /** Slots: values below 8 µs get one slot each, then 8 per power of two up to 2^40 µs (about 12 days). */
  static final int SLOTS = SUB_BUCKETS + (40 - SUB_BUCKET_BITS) * SUB_BUCKETS;

  /** One second (or whatever the bucket length is) of samples. */
  static final class Bucket {
    final long epoch;
    final AtomicLongArray slots = new AtomicLongArray(SLOTS + 2);
    // the last two slots: sum of micros, max micros

    Bucket(long epoch) {
      this.epoch = epoch;
    }
  }

  /** Where every slot of the ring starts: older than any epoch, never written (a writer replaces it). */
  private static final Bucket NEVER = new Bucket(Long.MIN_VALUE);

  private static final int SUM = SLOTS;
  private static final int MAX = SLOTS + 1;

  private final AtomicReferenceArray<Bucket> buckets;
  private final long bucketNanos;

  /**
   * @param bucketCount how many buckets the window spans (10 for "the last 10 s in 1 s buckets")
   * @param bucketNanos the length of a bucket
   */
  public LatencyWindow(int bucketCount, long bucketNanos) {
    if (bucketCount < 1 || bucketNanos < 1) {
      throw new IllegalArgumentException("a window needs at least one bucket of positive length, but had "
          + bucketCount + " of " + bucketNanos + " ns");
    }
    this.bucketNanos = bucketNanos;
    this.buckets = new AtomicReferenceArray<>(bucketCount);
    for (int i = 0; i < bucketCount; i++) {
      buckets.set(i, NEVER);
    }
  }

  /** Records one latency observed at {@code nowNanos}. */
  public void record(long nowNanos, long latencyNanos) {
    Bucket b = current(nowNanos);
    long micros = Math.max(0, latencyNanos / 1_000);
    b.slots.incrementAndGet(slot(micros)); // the count is the sum of the slots: one atomic add fewer
    b.slots.addAndGet(SUM, micros);
    long max;
    do {
      max = b.slots.get(MAX);
    } while (micros > max && !b.slots.compareAndSet(MAX, max, micros));
  }

  /** The bucket of {@code nowNanos}'s epoch, replacing the older one in its slot of the ring if need be. */
  private Bucket current(long nowNanos) {
    long epoch = Math.floorDiv(nowNanos, bucketNanos);
    int index = (int) Math.floorMod(epoch, (long) buckets.length());
    Bucket b = buckets.get(index);
    while (b.epoch < epoch) {
      Bucket fresh = new Bucket(epoch);
      if (buckets.compareAndSet(index, b, fresh)) {
        return fresh;
      }
      b = buckets.get(index); // another writer replaced it first: use theirs
    }
    return b; // this epoch's, or a later one's if this writer fell a whole window behind
  }

  static int slot(long micros) {
    if (micros < SUB_BUCKETS) {
      return (int) micros;
    }
    int exponent = 63 - Long.numberOfLeadingZeros(micros); // ≥ 3
    int mantissa = (int) (micros >>> (exponent - SUB_BUCKET_BITS)) & (SUB_BUCKETS - 1);
    int slot = SUB_BUCKETS + (exponent - SUB_BUCKET_BITS) * SUB_BUCKETS + mantissa;
    return Math.min(slot, SLOTS - 1);
  }

  /** The upper bound, in microseconds, of the values a slot holds. */
  static long upperBoundMicros(int slot) {
    if (slot < SUB_BUCKETS) {
      return slot;
    }
    int exponent = (slot - SUB_BUCKETS) / SUB_BUCKETS + SUB_BUCKET_BITS;
    int mantissa = (slot - SUB_BUCKETS) % SUB_BUCKETS;
    long base = 1L << exponent;
    return base + ((long) (mantissa + 1) << (exponent - SUB_BUCKET_BITS)) - 1;
  }

  /** The samples of the buckets within the window at {@code nowNanos}. */
  public Snapshot snapshot(long nowNanos) {
    long epoch = Math.floorDiv(nowNanos, bucketNanos);
    long[] merged = new long[SLOTS];
    long count = 0;
    long sum = 0;
    long max = 0;
    for (int index = 0; index < buckets.length(); index++) {
      Bucket b = buckets.get(index);
      long e = b.epoch;
      if (e > epoch - buckets.length() && e <= epoch) {
        for (int i = 0; i < SLOTS; i++) {
          long n = b.slots.get(i);
          merged[i] += n;
          count += n;
        }
        sum += b.slots.get(SUM);
        max = Math.max(max, b.slots.get(MAX));
      }
    }
    return new Snapshot(merged, count, sum, max);
  }

  /** A window's samples at one moment. Immutable. */
  public static final class Snapshot {
    /** No samples: what merging starts from. */
    public static final Snapshot EMPTY = new Snapshot(new long[SLOTS], 0, 0, 0);

    private final long[] slots;
    private final long count;
    private final long sumMicros;
    private final long maxMicros;

    Snapshot(long[] slots, long count, long sumMicros, long maxMicros) {
      this.slots = slots;
      this.count = count;
      this.sumMicros = sumMicros;
      this.maxMicros = maxMicros;
    }

    public long count() {
      return count;
    }

    /** The samples of this snapshot and {@code other} together (two windows of the same span and moment). */
    public Snapshot plus(Snapshot other) {
      long[] merged = slots.clone();
      for (int i = 0; i < merged.length; i++) {
        merged[i] += other.slots[i];
      }
      return new Snapshot(merged, count + other.count, sumMicros + other.sumMicros,
          Math.max(maxMicros, other.maxMicros));
    }

    /**
     * The latency at or below which {@code quantile} of the samples fall, in milliseconds (the upper bound
     * of the histogram slot, capped by the maximum seen); {@code NaN} without samples.
     */
    public double percentileMillis(double quantile) {
      long total = 0;
      for (long c : slots) {
        total += c;
      }
      if (total == 0) {
        return Double.NaN;
      }
      long rank = (long) Math.ceil(quantile * total);
      long seen = 0;
      for (int i = 0; i < slots.length; i++) {
        seen += slots[i];
        if (seen >= rank && slots[i] > 0) {
          return Math.min(upperBoundMicros(i), maxMicros) / 1_000.0;
        }
      }
      return maxMicros / 1_000.0;
    }

    /** The sum of all samples, in milliseconds. */
    public double sumMillis() {
      return sumMicros / 1_000.0;
    }

    public double meanMillis() {
      return count == 0 ? Double.NaN : sumMicros / (double) count / 1_000.0;
    }

    public double maxMillis() {
      return count == 0 ? Double.NaN : maxMicros / 1_000.0;
    }
  }
}
