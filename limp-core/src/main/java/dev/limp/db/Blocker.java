package dev.limp.db;

import java.util.Locale;

/**
 * A database session whose lock others wait on, as the database's own view showed it at its latest reading
 * (see {@link DatabaseMonitor#blockers()}). A value; {@link #toString()} is the sentence limp logs:
 * "session 4711 (application 'migrate') has held an ACCESS EXCLUSIVE lock on notifications for 38 s; 9 of our
 * connections wait on it".
 *
 * @param session the blocking session's id on the server (PostgreSQL's backend pid, MariaDB's and MySQL's
 *     connection id)
 * @param application its application name; empty when it set none. MariaDB and MySQL keep no application
 *     name in their process list: there it is the session's {@code user@host}
 * @param lock the lock it holds that the others wait for ("ACCESS EXCLUSIVE lock on notifications"), or
 *     "a lock" when the view cannot say which
 * @param heldMillis how long it has held it: the age of its transaction
 * @param waiters how many sessions wait on it
 * @param ourWaiters how many of those are this application's (the same application name as the view's
 *     connection; on MariaDB and MySQL, the same user from the same client host)
 */
public record Blocker(long session, String application, String lock, long heldMillis, int waiters,
    int ourWaiters) {
  @Override
  public String toString() {
    return String.format(Locale.ROOT, "session %d (application '%s') has held %s for %d s; %d of our "
        + "connections wait on it%s", session, application, lock.startsWith("a ") ? lock : "an " + lock,
        heldMillis / 1000, ourWaiters, waiters > ourWaiters ? " (" + waiters + " sessions in all)" : "");
  }
}
