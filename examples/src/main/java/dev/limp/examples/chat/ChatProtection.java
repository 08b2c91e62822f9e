package dev.limp.examples.chat;

import dev.limp.Level;
import java.sql.SQLException;
import java.util.Map;

/**
 * What stands between the chat service's callers and its database in a {@link ScenarioRun}: limp
 * ({@link LimpProtection}), another resilience library, or nothing. The run gives it the database through a
 * {@link ProtectionContext}; it returns the service the clients call, and reports each change of its
 * protective state (a feature shed or restored, a breaker opened or closed) to the context as it happens.
 */
public interface ChatProtection {
  /** A short name for tables and the live status line: "limp on", "resilience4j", "none". */
  String label();

  /** Whether this is limp, shedding for real (not in shadow mode): the demo report draws it in its colour. */
  default boolean isLimpOn() {
    return false;
  }

  /**
   * Sets the protection up around one run's database. The context's {@link ProtectionContext#serviceOver}
   * makes the plain chat service over a DataSource; the protection wraps it (and may wrap the DataSource).
   */
  Protected protect(ProtectionContext context) throws SQLException;

  /** How many of a feature's trial calls were judged healthy and unhealthy, since the protection was set up. */
  record TrialCount(long healthy, long unhealthy) {
  }

  /** A protection set up for one run. Closed when the run ends. */
  interface Protected extends AutoCloseable {
    /** The chat service the clients call. */
    ChatService service();

    /** limp's governor level now (in shadow mode: the level it would have); {@code NORMAL} for the others. */
    default Level level() {
      return Level.NORMAL;
    }

    /** What is shed now, for the live status line: "shed: search, notifications (ramping)", or "shed: –". */
    String shedSummary();

    /** Whether every feature is fully admitted again (nothing shed, ramping, open or half-open). */
    boolean allRestored();

    /**
     * The trial calls judged so far, per feature: the calls a shed feature let through to see whether it is
     * healthy again. Read a few times a second; empty for a protection without trial calls.
     */
    default Map<String, TrialCount> trialCalls() {
      return Map.of();
    }

    @Override
    void close();
  }
}
