package dev.limp.examples.chat;

import com.zaxxer.hikari.HikariPoolMXBean;
import dev.limp.examples.chat.RunResult.Decision;
import java.io.PrintStream;
import java.sql.SQLException;
import java.util.List;

/**
 * The chat database of one cold start, for the benchmarks' start-up scenario: a fresh database whose
 * HikariCP pool is not opened yet (it opens on the first {@code getConnection}, as a pool made with
 * HikariDataSource's no-argument constructor does, in Spring Boot for instance), each new connection taking
 * {@code connectDelayMillis} to open, and the {@link ProtectionContext} a protection is set up with. Unlike a
 * {@link ScenarioRun}, nothing is warmed up: the caller plays traffic from the first moment.
 */
public final class ColdStart implements AutoCloseable {
  private final ChatDatabase database;
  private final ProtectionContext context;

  private ColdStart(ChatDatabase database, ProtectionContext context) {
    this.database = database;
    this.context = context;
  }

  /**
   * Creates and seeds the database (outside the pool) and leaves the pool closed.
   *
   * @param settings where the database is ({@link ScenarioRun.Settings#jdbcUrl()}: {@code null} for H2 in memory)
   * @param connectDelayMillis how long each new connection of the pool takes to open, on top of the database's
   *     own time
   * @param narrator receives the protection's decisions as they happen, or {@code null}
   */
  public static ColdStart open(ScenarioRun.Settings settings, String runName, long connectDelayMillis,
      PrintStream narrator) throws SQLException {
    ChatDatabase database = new ChatDatabase(settings.jdbcUrl(), settings.user(), settings.password(), runName,
        ScenarioRun.CONNECTION_TIMEOUT_MILLIS, true);
    database.connectDelayMillis.set(connectDelayMillis);
    return new ColdStart(database, new ProtectionContext(database, runName, narrator));
  }

  /** What a {@link ChatProtection} is set up with; its {@link ProtectionContext#pool()} is the unopened pool. */
  public ProtectionContext context() {
    return context;
  }

  /** The pool's open connections now: 0 before it opened. */
  public int openConnections() {
    HikariPoolMXBean pool = database.pool.getHikariPoolMXBean();
    return pool == null ? 0 : pool.getTotalConnections();
  }

  /** Starts recording the protection's decisions, timed from {@code startNanos} (a {@code System.nanoTime()}). */
  public void startRecording(long startNanos) {
    context.startRecording(startNanos);
  }

  /** The protection's decisions since {@link #startRecording}. */
  public List<Decision> decisions() {
    return context.decisions();
  }

  @Override
  public void close() {
    database.close();
  }
}
