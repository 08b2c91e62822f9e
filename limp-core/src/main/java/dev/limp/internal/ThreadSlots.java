package dev.limp.internal;

import dev.limp.CallOutcome;
import dev.limp.ShedHandling;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.WeakReference;
import java.util.Arrays;
import java.util.Iterator;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What one limp instance keeps per thread: the feature whose work runs on the thread (so that database time
 * can be attributed to it), and the thread's own share of every feature's call counters. A guarded call finds
 * its thread's slot through one {@link ThreadLocal} lookup and then only reads and writes fields of that
 * slot: no atomic instruction, no lock, no write to memory that another thread writes, no allocation once the
 * thread has counted a call of the feature.
 *
 * <p><b>Counting.</b> Each slot has one row of counters per feature it has called ({@link CallOutcome}s, then
 * {@link ShedHandling}s), written only by the slot's own thread with opaque writes (a plain store on x86 and
 * ARM). A reader sums the rows of the live slots and the counts folded in from threads that have ended. Reads
 * take a lock that writers never take, so that folding a dead thread's counts and summing never see them
 * twice or not at all: every counter only ever rises, as a Micrometer function counter must.
 *
 * <p><b>Threads that end.</b> A slot holds its thread weakly. A slot whose thread has ended is folded into
 * the ended counts by the next read, by each governor tick ({@link #sweepIfIdle()}), and after every
 * {@link #SWEEP_EVERY} new slots: the slots kept are those of the threads alive at the last sweep, plus at
 * most that many. A thread's first guarded call allocates its slot (and a row per feature it calls): with a
 * virtual thread per request that is a small allocation per request, as any {@code ThreadLocal} costs
 * there. A thread that only asks for the current feature (JDBC outside any guard) gets no slot.
 *
 * <p>Thread-safe.
 */
final class ThreadSlots {
  /** Counter index of a call outcome in a row. */
  static int counter(CallOutcome outcome) {
    return outcome.ordinal();
  }

  /** Counter index of a shed handling in a row. */
  static int counter(ShedHandling handling) {
    return OUTCOMES + handling.ordinal();
  }

  private static final int OUTCOMES = CallOutcome.values().length;
  static final int COUNTERS = OUTCOMES + ShedHandling.values().length;
  /** After this many new slots, the registering thread folds the slots of ended threads, if no reader is. */
  static final int SWEEP_EVERY = 1024;

  private static final VarHandle COUNT = MethodHandles.arrayElementVarHandle(long[].class);
  private static final VarHandle ROWS;

  static {
    try {
      ROWS = MethodHandles.lookup().findVarHandle(Slot.class, "rows", long[][].class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** The threads' slots; empty for a thread that has not run guarded work. */
  private final ThreadLocal<Slot> slots = new ThreadLocal<>();
  private final ConcurrentLinkedQueue<Slot> live = new ConcurrentLinkedQueue<>();
  private final AtomicInteger registeredSinceSweep = new AtomicInteger();
  /** Taken by readers and sweeps only; the guards never take it. */
  private final ReentrantLock readLock = new ReentrantLock();
  /** Counts of the threads that ended, by feature index; guarded by {@link #readLock}. */
  private long[][] ended = new long[0][];

  /** A thread's slot. Only its own thread writes it. */
  static final class Slot {
    private static final long[][] NO_ROWS = new long[0][];

    /** The feature whose work runs on the thread now, or {@code null}. */
    FeatureRuntime feature;
    /** Rows of counters by feature index; replaced (with release semantics) when a feature is first counted. */
    @SuppressWarnings("unused") // written and read through ROWS too
    private long[][] rows = NO_ROWS;
    private final WeakReference<Thread> owner;

    Slot(Thread owner) {
      this.owner = new WeakReference<>(owner);
    }

    /** Counts one event of a feature; called by the slot's own thread only. */
    void count(int feature, int counter) {
      long[][] r = rows;
      long[] row;
      if (feature >= r.length || (row = r[feature]) == null) {
        row = addRow(feature);
      }
      COUNT.setOpaque(row, counter, row[counter] + 1);
    }

    private long[] addRow(int feature) {
      long[][] r = Arrays.copyOf(rows, Math.max(rows.length, feature + 1));
      long[] row = new long[COUNTERS];
      r[feature] = row;
      ROWS.setRelease(this, r);
      return row;
    }

    boolean ended() {
      Thread t = owner.get();
      return t == null || !t.isAlive();
    }

    /** Adds this slot's counts of a feature to {@code into}; called by readers under the read lock. */
    void addTo(int feature, long[] into) {
      long[][] r = (long[][]) ROWS.getAcquire(this);
      long[] row = feature < r.length ? r[feature] : null;
      if (row != null) {
        for (int c = 0; c < COUNTERS; c++) {
          into[c] += (long) COUNT.getOpaque(row, c);
        }
      }
    }

    long[][] rowsForFolding() {
      return (long[][]) ROWS.getAcquire(this);
    }
  }

  /** The calling thread's slot, made on its first guarded call. */
  Slot slot() {
    Slot slot = slots.get();
    return slot != null ? slot : register();
  }

  /** The feature whose work runs on the calling thread, or {@code null}; makes no slot. */
  FeatureRuntime current() {
    Slot slot = slots.get();
    return slot == null ? null : slot.feature;
  }

  private Slot register() {
    Slot slot = new Slot(Thread.currentThread());
    slots.set(slot);
    live.add(slot);
    if (registeredSinceSweep.incrementAndGet() >= SWEEP_EVERY) {
      sweepIfIdle();
    }
    return slot;
  }

  /** Folds the slots of ended threads, unless a reader is at it: never waits. */
  void sweepIfIdle() {
    if (readLock.tryLock()) {
      try {
        sweep();
      } finally {
        readLock.unlock();
      }
    }
  }

  /**
   * A feature's counters, summed over every thread: index {@link #counter(CallOutcome)} and
   * {@link #counter(ShedHandling)}. Each counter is at least what any earlier call returned.
   */
  long[] sums(int feature) {
    long[] sums = new long[COUNTERS];
    readLock.lock();
    try {
      sweep();
      if (feature < ended.length && ended[feature] != null) {
        System.arraycopy(ended[feature], 0, sums, 0, COUNTERS);
      }
      for (Slot slot : live) {
        slot.addTo(feature, sums);
      }
    } finally {
      readLock.unlock();
    }
    return sums;
  }

  /** Folds the counts of slots whose thread has ended (its last write happens-before {@code isAlive()}). */
  private void sweep() {
    registeredSinceSweep.set(0);
    for (Iterator<Slot> it = live.iterator(); it.hasNext(); ) {
      Slot slot = it.next();
      if (!slot.ended()) {
        continue;
      }
      long[][] rows = slot.rowsForFolding();
      if (ended.length < rows.length) {
        ended = Arrays.copyOf(ended, rows.length);
      }
      for (int f = 0; f < rows.length; f++) {
        if (rows[f] != null) {
          if (ended[f] == null) {
            ended[f] = new long[COUNTERS];
          }
          for (int c = 0; c < COUNTERS; c++) {
            ended[f][c] += (long) COUNT.getOpaque(rows[f], c);
          }
        }
      }
      it.remove();
    }
  }

  /** Slots not yet folded, live or dead: for tests of the sweep. */
  int slotCount() {
    return live.size();
  }
}
