package dev.limp.db.internal;

import dev.limp.db.Blocker;
import dev.limp.db.DatabaseSignals;
import dev.limp.db.DatabaseViewConfig;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the database's view of its sessions on its own daemon thread ({@code limp-dbview-<name>}), one
 * reading at a time, on one connection of the underlying pool (not the monitored DataSource: it is not
 * application work), and keeps the latest. A database limp cannot read, or a user without the privilege to
 * read the catalog, is said once in the log and the view stops; the rest of limp works as before. A new
 * blocker is logged once, with the sentence {@link Blocker#toString()} makes. Thread-safe.
 */
public final class DatabaseViewRunner implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DatabaseViewRunner.class);

  /** A reading and when it was taken, on the monitor's clock. */
  public record Latest(ServerReadings readings, long at) {}

  private final String name;
  private final DataSource dataSource;
  private final DatabaseViewConfig config;
  private final LongSupplier clock;
  private final ScheduledExecutorService executor;
  private final ScheduledFuture<?> schedule;
  private volatile Latest latest;
  private ServerView view; // the view thread's only
  private boolean partialSaid; // the view thread's only
  private Set<Long> blockersSaid = Set.of(); // the view thread's only
  private long lastFailureLog = Long.MIN_VALUE; // the view thread's only

  public DatabaseViewRunner(String name, DataSource dataSource, DatabaseViewConfig config, LongSupplier clock) {
    this.name = name;
    this.dataSource = dataSource;
    this.config = config;
    this.clock = clock;
    this.executor = Executors.newSingleThreadScheduledExecutor(task -> {
      Thread t = new Thread(task, "limp-dbview-" + name);
      t.setDaemon(true);
      return t;
    });
    this.schedule = executor.scheduleWithFixedDelay(this::readOnce, 0, config.interval().toNanos(),
        TimeUnit.NANOSECONDS);
  }

  /** The latest reading if it is at most three intervals old, else {@code null}. */
  public ServerReadings fresh(long now) {
    Latest l = latest;
    return l != null && now - l.at() <= 3 * config.interval().toNanos() ? l.readings() : null;
  }

  /** Writes the latest fresh reading's signals; none (missing, for this tick) without one. */
  public void report(dev.limp.SignalSource.Sink sink, long now) {
    ServerReadings r = fresh(now);
    if (r == null) {
      return;
    }
    sink.put(DatabaseSignals.SERVER_CONNECTIONS, r.connectionsUsed());
    sink.put(DatabaseSignals.SERVER_LOCK_WAITERS, r.lockWaiters());
    sink.put(DatabaseSignals.SERVER_LOCK_WAIT, r.longestLockWaitMillis());
    sink.put(DatabaseSignals.SERVER_OLDEST_QUERY, r.oldestQueryMillis());
    sink.put(DatabaseSignals.SERVER_OLDEST_IDLE_TRANSACTION, r.oldestIdleInTransactionMillis());
    String blocked = blockerSentence(r.blockers());
    if (blocked != null) { // a level the lock wait raises names who holds the lock
      sink.explain(DatabaseSignals.SERVER_LOCK_WAIT, blocked);
      sink.explain(DatabaseSignals.SERVER_LOCK_WAITERS, blocked);
    }
  }

  /**
   * The most waited-on blocker's sentence ({@link Blocker#toString()}), and how many others there are;
   * {@code null} without blockers.
   */
  static String blockerSentence(List<Blocker> blockers) {
    if (blockers.isEmpty()) {
      return null;
    }
    int others = blockers.size() - 1;
    return blockers.get(0) + (others == 0 ? "" : "; and " + others + " other blocking session"
        + (others == 1 ? "" : "s"));
  }

  /** The blockers of the latest fresh reading; empty without one. */
  public List<Blocker> blockers(long now) {
    ServerReadings r = fresh(now);
    return r == null ? List.of() : r.blockers();
  }

  void readOnce() {
    try (Connection c = dataSource.getConnection()) {
      if (view == null) {
        String product = c.getMetaData().getDatabaseProductName();
        view = ServerView.of(product);
        if (view == null) {
          stop("limp[{}]: the database-side signals are off: limp cannot read the sessions and locks of {} "
              + "(PostgreSQL, MariaDB and MySQL only)", product);
          return;
        }
      }
      ServerReadings readings = view.read(c, config.timeout());
      latest = new Latest(readings, clock.getAsLong());
      sayWhatIsNew(readings);
    } catch (SQLException e) {
      if (SqlErrorKind.isConfiguration(e)) {
        stop("limp[{}]: the database-side signals are off: the user cannot read the catalog views of sessions "
            + "and locks (SQLState {}: {}); grant it pg_read_all_stats (PostgreSQL) or PROCESS (MariaDB, MySQL), "
            + "or leave databaseView off",
            e.getSQLState(), String.valueOf(e.getMessage()).replaceAll("\\s+", " "));
        return;
      }
      logFailure(e);
    } catch (RuntimeException e) {
      logFailure(e);
    }
  }

  private void sayWhatIsNew(ServerReadings readings) {
    if (readings.partial() && !partialSaid) {
      partialSaid = true;
      LOG.warn("limp[{}]: the database shows this user only its own sessions' state (grant it pg_read_all_stats "
          + "to see every session's): the ages of running statements and idle transactions cover them only",
          name);
    }
    List<Blocker> blockers = readings.blockers();
    for (Blocker b : blockers) {
      if (!blockersSaid.contains(b.session())) {
        LOG.warn("limp[{}]: {}", name, b);
      }
    }
    blockersSaid = blockers.stream().map(Blocker::session).collect(Collectors.toUnmodifiableSet());
  }

  private void stop(String message, Object... arguments) {
    Object[] all = new Object[arguments.length + 1];
    all[0] = name;
    System.arraycopy(arguments, 0, all, 1, arguments.length);
    LOG.warn(message, all);
    latest = null;
    schedule.cancel(false);
  }

  private void logFailure(Exception e) {
    long now = clock.getAsLong();
    if (lastFailureLog == Long.MIN_VALUE || now - lastFailureLog > TimeUnit.MINUTES.toNanos(1)) {
      lastFailureLog = now;
      LOG.warn("limp[{}]: could not read the database's sessions and locks (logged at most once a minute): {}",
          name, e.toString());
    }
  }

  /**
   * Runs {@code task} on the view's thread, between two readings: the plan watch's EXPLAINs, so that the
   * database sees one connection of limp's at a time.
   *
   * @throws java.util.concurrent.RejectedExecutionException once closed
   */
  public void submit(Runnable task) {
    executor.execute(task);
  }

  /** Whether the view turned itself off (it cannot read this database's sessions and locks). */
  public boolean stopped() {
    return schedule.isCancelled();
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
