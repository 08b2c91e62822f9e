package dev.limp.internal;

import dev.limp.CallOutcome;
import dev.limp.ShedHandling;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * One feature's call counters. The guard counts into its thread's own row ({@link ThreadSlots.Slot#count}:
 * no atomic instruction); reading sums the rows of every thread. Replays of deferred work, which run on
 * limp's own thread and are rare, use plain striped adders. Thread-safe.
 */
final class CallCounters {
  private final ThreadSlots slots;
  private final int feature;
  /** Dropped deferred work again, for the log's throttle: reading the slots' sum would take the readers' lock. */
  private final AtomicLong dropped = new AtomicLong();
  private final LongAdder replayed = new LongAdder();
  private final LongAdder replayFailed = new LongAdder();

  CallCounters(ThreadSlots slots, int feature) {
    this.slots = slots;
    this.feature = feature;
  }

  /** The calling thread's slot. */
  ThreadSlots.Slot slot() {
    return slots.slot();
  }

  /** Counts an outcome in the calling thread's {@code slot} (the caller's own, from {@link ThreadSlots#slot()}). */
  void count(ThreadSlots.Slot slot, CallOutcome outcome) {
    slot.count(feature, ThreadSlots.counter(outcome));
  }

  void count(ThreadSlots.Slot slot, ShedHandling handling) {
    slot.count(feature, ThreadSlots.counter(handling));
  }

  /** Counts a dropped deferred call in {@code slot}; returns how many were dropped so far (rare: no slot sum). */
  long countDropped(ThreadSlots.Slot slot) {
    count(slot, ShedHandling.DROPPED);
    return dropped.incrementAndGet();
  }

  void countReplay(boolean failed) {
    (failed ? replayFailed : replayed).increment();
  }

  long get(CallOutcome outcome) {
    return slots.sums(feature)[ThreadSlots.counter(outcome)];
  }

  long get(ShedHandling handling) {
    return slots.sums(feature)[ThreadSlots.counter(handling)];
  }

  long replayed() {
    return replayed.sum();
  }

  long replayFailed() {
    return replayFailed.sum();
  }

  Map<CallOutcome, Long> outcomes() {
    long[] sums = slots.sums(feature);
    Map<CallOutcome, Long> map = new EnumMap<>(CallOutcome.class);
    for (CallOutcome o : CallOutcome.values()) {
      map.put(o, sums[ThreadSlots.counter(o)]);
    }
    return Collections.unmodifiableMap(map);
  }

  Map<ShedHandling, Long> handlings() {
    long[] sums = slots.sums(feature);
    Map<ShedHandling, Long> map = new EnumMap<>(ShedHandling.class);
    for (ShedHandling h : ShedHandling.values()) {
      map.put(h, sums[ThreadSlots.counter(h)]);
    }
    return Collections.unmodifiableMap(map);
  }
}
