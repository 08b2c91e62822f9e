package dev.limp.db.internal;

import dev.limp.db.Blocker;
import java.util.List;

/**
 * One reading of the database's own view of itself. Times in milliseconds; 0 when nothing is waiting or
 * running. A value.
 *
 * @param connectionsUsed client sessions on the whole server over its connection limit
 * @param lockWaiters sessions of the database waiting on a lock now
 * @param longestLockWaitMillis how long the longest of them has waited
 * @param oldestQueryMillis the age of the oldest statement running in the database
 * @param oldestIdleInTransactionMillis how long the oldest session idle in a transaction has been idle
 * @param blockers the sessions the waiters wait on, the most waited-on first (at most three)
 * @param partial whether the view lacks the privilege to see other users' sessions (their ages are missing)
 */
public record ServerReadings(double connectionsUsed, int lockWaiters, double longestLockWaitMillis,
    double oldestQueryMillis, double oldestIdleInTransactionMillis, List<Blocker> blockers, boolean partial) {
  public ServerReadings {
    blockers = List.copyOf(blockers);
  }
}
