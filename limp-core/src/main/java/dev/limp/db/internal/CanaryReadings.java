package dev.limp.db.internal;

/**
 * What the {@link SignalMeter} reads of a running canary. Implementations may count a hung run as a failure
 * when read; they must not block.
 */
public interface CanaryReadings {
  /** The latency of the latest run, or of the hung run so far, in ms; NaN before the first run. */
  double latencyMillis(long now);

  /** Failed and timed-out runs in the window. */
  long failures(long now);

  /** Canary timeouts spent waiting in vain for a connection, in the window (a refused connect counts one). */
  long unreachable(long now);

  /** Whether the latest run failed because the query is wrong for the database, not because it is unwell. */
  boolean misconfigured();
}
