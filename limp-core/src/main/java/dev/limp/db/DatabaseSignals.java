package dev.limp.db;

import dev.limp.GovernorPolicy;
import dev.limp.Level;
import dev.limp.Signal;
import dev.limp.SignalRule;
import java.util.List;

/**
 * The signals a {@link DatabaseMonitor} reports, and the default rules that turn them into levels.
 *
 * <p>The default thresholds are for an OLTP service whose queries take a few milliseconds, on a pool of
 * about 10 connections (HikariCP's default), with a 10 s window:
 *
 * <table>
 *   <caption>Default enter / exit thresholds</caption>
 *   <tr><th>signal</th><th>SHED_SHEDDABLE</th><th>SHED_SHEDDABLE_PLUS</th><th>SHED_CRITICAL</th></tr>
 *   <tr><td>{@code db.query.critical.p99}</td><td>250 / 100 ms</td><td>1 000 / 400 ms</td><td>5 000 / 2 000 ms</td></tr>
 *   <tr><td>{@code db.acquire.critical.p99}</td><td>50 / 10 ms</td><td>250 / 50 ms</td><td>1 000 / 300 ms</td></tr>
 *   <tr><td>{@code db.acquire.timeouts}</td><td>–</td><td>1 / 0.5</td><td>10 / 3</td></tr>
 *   <tr><td>{@code db.pool.waiters}</td><td>1 / 0.2</td><td>4 / 1</td><td>–</td></tr>
 *   <tr><td>{@code db.canary.latency}</td><td>250 / 50 ms</td><td>1 000 / 300 ms</td><td>3 000 / 1 000 ms</td></tr>
 *   <tr><td>{@code db.canary.failures}</td><td>–</td><td>1 / 0.5</td><td>3 / 1</td></tr>
 *   <tr><td>{@code db.canary.unreachable}</td><td>–</td><td>1 / 0.5</td><td>3 / 1</td></tr>
 *   <tr><td>{@code db.server.connections}</td><td>0.85 / 0.7</td><td>0.95 / 0.85</td><td>–</td></tr>
 *   <tr><td>{@code db.server.lock.wait}</td><td>1 000 / 200 ms</td><td>5 000 / 1 000 ms</td><td>–</td></tr>
 * </table>
 *
 * <p>Why: a p99 of 250 ms is fifty times a healthy point query, a plan gone bad rather than noise; a
 * connection that takes 50 ms to acquire means the pool is already queueing. Both latency rules read the
 * <em>critical path</em> only: the statements and acquisitions of the features at or above the reserve's tier
 * ({@link DatabaseMonitorBuilder#reserveFor}, {@code CRITICAL} by default) and of work outside any feature. A
 * slower database that still answers the critical path in time sheds nothing: a report that takes a second
 * instead of half a second is not worth shedding search for. The slow feature itself is the culprit
 * naming's business (it is throttled when it holds the pool), and the pool's own signals below still speak
 * for every connection; one acquire timeout in the
 * window means a caller already waited the pool's whole {@code connectionTimeout}, so limp sheds two tiers
 * at once; a thread waiting for a connection on average over two seconds means the pool is saturated, which
 * is the moment to act, before the timeouts. The exit thresholds sit well below the enter ones so a noisy
 * database does not make features flap. The deepest level needs the database itself to be failing: the
 * canary's trivial query takes seconds or fails, or timeouts pile up. A canary that cannot even get a
 * connection is ruled like one that fails: three of its timeouts without a connection (6 s by default) is a
 * database no one can reach, with or without application traffic. A canary whose query is wrong
 * ({@code db.canary.misconfigured}) is a configuration error and has no rule.
 *
 * <p>The {@code db.server.*} signals are the database's own view (only with
 * {@link DatabaseMonitorBuilder#databaseView}): a server whose connection limit is 85 % taken by all its
 * clients is one deploy away from refusing the next (shedding frees this application's share early, and
 * keeps room for the operators' own fix); a session waiting a second on a lock means a blocker holds the
 * tables our features need, five seconds that it will not let go soon. The oldest running statement and the
 * oldest idle transaction are reported, not ruled: a nightly report or a forgotten psql session is not an
 * incident by itself, but it is the first thing an operator looks for.
 */
public final class DatabaseSignals {
  /**
   * The 99th percentile of the application's statement latencies in the window, or the mean age of the
   * statements still running if that is higher (a query stuck for ten seconds is seen while it is stuck).
   * Every feature's statements but those of a culprit being dealt with (reported, not a rule by default: see
   * {@link #CRITICAL_QUERY_P99}).
   */
  public static final Signal QUERY_P99 = Signal.of("db.query.p99", Signal.Unit.MILLISECONDS);
  /**
   * {@link #QUERY_P99} of the critical path only: the statements of the features at or above the reserve's
   * tier and of work outside any feature (the default rule reads this one: a sheddable feature's slow
   * statements alone do not shed others).
   */
  public static final Signal CRITICAL_QUERY_P99 = Signal.of("db.query.critical.p99", Signal.Unit.MILLISECONDS);
  /** The median of the application's statement latencies in the window (reported, not a rule by default). */
  public static final Signal QUERY_P50 = Signal.of("db.query.p50", Signal.Unit.MILLISECONDS);
  /** The 99th percentile of the time to acquire a connection in the window (reported, not a rule by default). */
  public static final Signal ACQUIRE_P99 = Signal.of("db.acquire.p99", Signal.Unit.MILLISECONDS);
  /**
   * {@link #ACQUIRE_P99} of the critical path only: the acquisitions of the features at or above the
   * reserve's tier and of work outside any feature (the default rule reads this one).
   */
  public static final Signal CRITICAL_ACQUIRE_P99 = Signal.of("db.acquire.critical.p99", Signal.Unit.MILLISECONDS);
  /** Failed connection acquisitions (pool timeouts, refused connections) in the window. */
  public static final Signal ACQUIRE_TIMEOUTS = Signal.of("db.acquire.timeouts", Signal.Unit.COUNT);
  /** Connections in use over the pool's maximum, now (reported, not a rule by default: busy is not sick). */
  public static final Signal POOL_SATURATION = Signal.of("db.pool.saturation", Signal.Unit.RATIO);
  /** Threads waiting for a connection, averaged over the last two seconds. */
  public static final Signal POOL_WAITERS = Signal.of("db.pool.waiters", Signal.Unit.COUNT);
  /** The latency of the latest canary query (of a hung one: how long it has hung so far). */
  public static final Signal CANARY_LATENCY = Signal.of("db.canary.latency", Signal.Unit.MILLISECONDS);
  /** Canary queries that failed or timed out in the window. */
  public static final Signal CANARY_FAILURES = Signal.of("db.canary.failures", Signal.Unit.COUNT);
  /**
   * Canary timeouts that passed in the window while the canary waited for a connection it never got (a
   * connect that fails counts one): the database cannot be reached, even with no application traffic to
   * notice. Not counted while the application's own connections fill the pool: that is the pool's pressure,
   * which {@link #ACQUIRE_P99} and {@link #POOL_WAITERS} report.
   */
  public static final Signal CANARY_UNREACHABLE = Signal.of("db.canary.unreachable", Signal.Unit.COUNT);
  /**
   * 1 while the canary's query fails for a reason of its own rather than the database's health (SQLState
   * class 42 syntax or access rule, 28 authorization, 3D catalog, 3F schema: a typo, a missing grant, an
   * unknown table), else 0 (reported, never a rule: a configuration error is not an incident).
   */
  public static final Signal CANARY_MISCONFIGURED = Signal.of("db.canary.misconfigured", Signal.Unit.COUNT);
  /** Connections refused in the window because they would have dipped into the reserve (reported). */
  public static final Signal RESERVE_REFUSALS = Signal.of("db.reserve.refusals", Signal.Unit.COUNT);
  /** Lock timeouts, deadlocks and serialization failures in the window (reported). */
  public static final Signal LOCK_ERRORS = Signal.of("db.errors.lock", Signal.Unit.COUNT);
  /** Statement timeouts and cancels in the window (reported). */
  public static final Signal TIMEOUT_ERRORS = Signal.of("db.errors.timeout", Signal.Unit.COUNT);
  /** Connection failures in the window (reported). */
  public static final Signal CONNECTION_ERRORS = Signal.of("db.errors.connection", Signal.Unit.COUNT);

  /**
   * Client sessions on the whole server (every client, not only this pool) over its connection limit
   * ({@code max_connections}), at the database view's latest reading.
   */
  public static final Signal SERVER_CONNECTIONS = Signal.of("db.server.connections", Signal.Unit.RATIO);
  /** Sessions of the database waiting on a lock now (reported; the blockers are logged and in {@link DatabaseMonitor#blockers()}). */
  public static final Signal SERVER_LOCK_WAITERS = Signal.of("db.server.lock.waiters", Signal.Unit.COUNT);
  /** How long the session that has waited longest on a lock has waited so far. */
  public static final Signal SERVER_LOCK_WAIT = Signal.of("db.server.lock.wait", Signal.Unit.MILLISECONDS);
  /** The age of the oldest statement running in the database, any client's (reported). */
  public static final Signal SERVER_OLDEST_QUERY = Signal.of("db.server.query.oldest", Signal.Unit.MILLISECONDS);
  /** How long the oldest session idle in a transaction has been idle (reported). */
  public static final Signal SERVER_OLDEST_IDLE_TRANSACTION =
      Signal.of("db.server.transaction.idle.oldest", Signal.Unit.MILLISECONDS);

  private static final List<Signal> ALL = List.of(QUERY_P99, CRITICAL_QUERY_P99, QUERY_P50, ACQUIRE_P99,
      CRITICAL_ACQUIRE_P99, ACQUIRE_TIMEOUTS,
      POOL_SATURATION, POOL_WAITERS, CANARY_LATENCY, CANARY_FAILURES, CANARY_UNREACHABLE, CANARY_MISCONFIGURED,
      RESERVE_REFUSALS, LOCK_ERRORS,
      TIMEOUT_ERRORS, CONNECTION_ERRORS, SERVER_CONNECTIONS, SERVER_LOCK_WAITERS, SERVER_LOCK_WAIT,
      SERVER_OLDEST_QUERY, SERVER_OLDEST_IDLE_TRANSACTION);

  private DatabaseSignals() {
  }

  /** Every signal a {@link DatabaseMonitor} reports, in a stable order. */
  public static List<Signal> all() {
    return ALL;
  }

  /** The default rules, one per signal that moves the level. */
  public static List<SignalRule> defaultRules() {
    return List.of(
        SignalRule.of(CRITICAL_QUERY_P99)
            .level(Level.SHED_SHEDDABLE, 250, 100)
            .level(Level.SHED_SHEDDABLE_PLUS, 1_000, 400)
            .level(Level.SHED_CRITICAL, 5_000, 2_000)
            .build(),
        SignalRule.of(CRITICAL_ACQUIRE_P99)
            .level(Level.SHED_SHEDDABLE, 50, 10)
            .level(Level.SHED_SHEDDABLE_PLUS, 250, 50)
            .level(Level.SHED_CRITICAL, 1_000, 300)
            .build(),
        SignalRule.of(ACQUIRE_TIMEOUTS)
            .level(Level.SHED_SHEDDABLE_PLUS, 1, 0.5)
            .level(Level.SHED_CRITICAL, 10, 3)
            .build(),
        SignalRule.of(POOL_WAITERS)
            .level(Level.SHED_SHEDDABLE, 1, 0.2)
            .level(Level.SHED_SHEDDABLE_PLUS, 4, 1)
            .build(),
        SignalRule.of(CANARY_LATENCY)
            .level(Level.SHED_SHEDDABLE, 250, 50)
            .level(Level.SHED_SHEDDABLE_PLUS, 1_000, 300)
            .level(Level.SHED_CRITICAL, 3_000, 1_000)
            .build(),
        SignalRule.of(CANARY_FAILURES)
            .level(Level.SHED_SHEDDABLE_PLUS, 1, 0.5)
            .level(Level.SHED_CRITICAL, 3, 1)
            .build(),
        SignalRule.of(CANARY_UNREACHABLE)
            .level(Level.SHED_SHEDDABLE_PLUS, 1, 0.5)
            .level(Level.SHED_CRITICAL, 3, 1)
            .build(),
        SignalRule.of(SERVER_CONNECTIONS)
            .level(Level.SHED_SHEDDABLE, 0.85, 0.7)
            .level(Level.SHED_SHEDDABLE_PLUS, 0.95, 0.85)
            .build(),
        SignalRule.of(SERVER_LOCK_WAIT)
            .level(Level.SHED_SHEDDABLE, 1_000, 200)
            .level(Level.SHED_SHEDDABLE_PLUS, 5_000, 1_000)
            .build());
  }

  /** {@link GovernorPolicy#ofDefaults()} with the {@link #defaultRules()}. */
  public static GovernorPolicy defaultPolicy() {
    GovernorPolicy.Builder builder = GovernorPolicy.custom();
    defaultRules().forEach(builder::rule);
    return builder.build();
  }
}
