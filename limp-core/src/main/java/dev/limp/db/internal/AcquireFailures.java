package dev.limp.db.internal;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

/**
 * The acquisitions that failed in the window, told apart by what they say about the database now: a pool
 * timeout with every connection busy is the pool's pressure for the whole window; a connection the database
 * refused (and the pool timeout of a caller queued while it refused) says nothing more once the database has
 * answered (see {@link AnsweredFailures}). Lock-free; the success path reads two rarely written fields.
 * Thread-safe.
 */
final class AcquireFailures {
  /** Acquisitions that timed out in the pool with no connection failure behind them. */
  private final LatencyWindow poolTimeouts;
  /** Acquisitions the database (or the network) refused, and those queued while it refused. */
  private final LatencyWindow refused;
  private final AnsweredFailures answered = new AnsweredFailures();

  AcquireFailures(int buckets, long bucketNanos) {
    this.poolTimeouts = new LatencyWindow(buckets, bucketNanos);
    this.refused = new LatencyWindow(buckets, bucketNanos);
  }

  /** An acquisition that began at {@code start} failed at {@code now}. */
  void failed(long start, long now, SQLException e) {
    if (refusedByDatabase(e)) {
      refused.record(now, now - start);
      answered.failed(now);
    } else if (answered.beganBeforeTheAnswer(start)) {
      refused.record(now, now - start); // queued while the database refused: the outage's, answered with it
    } else {
      poolTimeouts.record(now, now - start);
    }
  }

  /**
   * An acquisition that began at {@code start} succeeded at {@code now}.
   *
   * @return whether it began after the database answered its refusals: its wait is the pool's
   */
  boolean succeeded(long start, long now) {
    return answered.succeeded(start, now);
  }

  /** Whether the database refuses connections now: it has refused one and given none since. */
  boolean refusing() {
    return answered.failing();
  }

  /** Every failed acquisition in the window. */
  LatencyWindow.Snapshot all(long now) {
    return poolTimeouts.snapshot(now).plus(refused.snapshot(now));
  }

  /** The failed acquisitions in the window that still say something about the database now. */
  long unanswered(long now) {
    long timeouts = poolTimeouts.snapshot(now).count();
    return answered.answered(now) ? timeouts : timeouts + refused.snapshot(now).count();
  }

  /**
   * Whether the database itself failed to give the connection, rather than the pool timing out with every
   * connection busy: HikariCP's timeout carries the pool's latest connection failure as its cause (and its
   * SQLState) when connections could not be made, and neither when they were all in use.
   */
  static boolean refusedByDatabase(SQLException e) {
    return !(e instanceof SQLTransientConnectionException && e.getCause() == null && e.getSQLState() == null);
  }
}
