package dev.limp;

/**
 * Produces signal readings for the governor. Called on the governor thread once per tick; it must return
 * quickly and must not block (a probe that needs I/O measures on its own schedule and reports its latest
 * reading here).
 *
 * <p>An exception thrown here is logged and the source's signals count as missing for that tick; it never
 * stops the governor.
 */
@FunctionalInterface
public interface SignalSource {
  /** Writes this source's latest readings. A signal not written is missing and neither raises nor holds a level. */
  void sample(Sink sink);

  /** Receives readings. Not thread-safe; valid only during the {@link #sample} call. */
  interface Sink {
    /** Records a reading. {@code NaN} means "no reading". */
    void put(Signal signal, double value);

    /**
     * Records a reading and, for people, who or what stands behind it ("pod-1, pod-2 at SHED_SHEDDABLE"):
     * {@link #put(Signal, double)} then {@link #explain(Signal, String)}.
     */
    default void put(Signal signal, double value, String detail) {
      put(signal, value);
      explain(signal, detail);
    }

    /**
     * Names a feature as a <em>culprit</em>: it holds a disproportionate share of a resource under
     * pressure (connection-time of a saturated pool, say), and should be shed ahead of its tier. The
     * governor sheds it (never a top-tier feature, never while a level is forced) for as long as it is named,
     * and for {@link GovernorPolicy#minDwell()} after, then lets it back in through the ramp.
     *
     * @param feature the feature's name; unknown names are ignored
     * @param reason for people: "notifications held 78 % of connection-time while 12 threads waited"
     */
    void suspect(String feature, String reason);

    /**
     * Names a culprit, saying how many connections (or concurrent calls) it holds now: the governor first
     * throttles it, starting from half of that, before it sheds it (see {@link FeatureState#THROTTLED}).
     * The default ignores the count.
     *
     * @param held how many it holds now; 0 when unknown
     */
    default void suspect(String feature, String reason, int held) {
      suspect(feature, reason);
    }

    /**
     * Reports evidence, this tick, that the resource answers normally again: a connection acquired, a canary
     * that succeeded. The governor then closes any circuit breaker a critical feature was given and that has
     * opened, so that nothing automatic refuses the critical path once the database is back. The default
     * ignores it.
     *
     * @param evidence for people: "a connection was acquired in 2 ms"
     */
    default void answering(String evidence) {
    }

    /**
     * Says, for people, what lies behind a reading put this tick: "session 4711 (application 'migrate') has
     * held an ACCESS EXCLUSIVE lock on notifications for 38 s; 9 of our connections wait on it". When this
     * signal's reading raises the level, the level's reason (in the log, the status and the
     * {@link LevelChangedEvent}) ends with it. When two sources report the signal, the detail of the reading
     * that counts (the higher) is kept. The default ignores it.
     *
     * @param signal a signal put (or about to be put) this tick
     * @param detail one sentence for people
     */
    default void explain(Signal signal, String detail) {
    }
  }
}
