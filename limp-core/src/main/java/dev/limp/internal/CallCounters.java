package dev.limp.internal;

import dev.limp.CallOutcome;
import dev.limp.ShedHandling;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** One feature's call counters: striped, lock-free, allocation-free once warm. Thread-safe. */
final class CallCounters {
  private final LongAdder[] outcomes = adders(CallOutcome.values().length);
  private final LongAdder[] handlings = adders(ShedHandling.values().length);
  private final LongAdder replayed = new LongAdder();
  private final LongAdder replayFailed = new LongAdder();

  private static LongAdder[] adders(int n) {
    LongAdder[] adders = new LongAdder[n];
    for (int i = 0; i < n; i++) {
      adders[i] = new LongAdder();
    }
    return adders;
  }

  void count(CallOutcome outcome) {
    outcomes[outcome.ordinal()].increment();
  }

  void count(ShedHandling handling) {
    handlings[handling.ordinal()].increment();
  }

  void countReplay(boolean failed) {
    (failed ? replayFailed : replayed).increment();
  }

  long get(CallOutcome outcome) {
    return outcomes[outcome.ordinal()].sum();
  }

  long get(ShedHandling handling) {
    return handlings[handling.ordinal()].sum();
  }

  long replayed() {
    return replayed.sum();
  }

  long replayFailed() {
    return replayFailed.sum();
  }

  Map<CallOutcome, Long> outcomes() {
    Map<CallOutcome, Long> map = new EnumMap<>(CallOutcome.class);
    for (CallOutcome o : CallOutcome.values()) {
      map.put(o, get(o));
    }
    return Collections.unmodifiableMap(map);
  }

  Map<ShedHandling, Long> handlings() {
    Map<ShedHandling, Long> map = new EnumMap<>(ShedHandling.class);
    for (ShedHandling h : ShedHandling.values()) {
      map.put(h, get(h));
    }
    return Collections.unmodifiableMap(map);
  }
}
