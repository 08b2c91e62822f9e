/**
 * Watching the database: {@link dev.limp.db.DatabaseMonitor} wraps the application's
 * {@link javax.sql.DataSource} in a {@link dev.limp.db.MonitoredDataSource}, probes its pool
 * ({@link dev.limp.db.PoolProbe}; HikariCP is found by unwrapping), optionally runs a canary query
 * ({@link dev.limp.db.CanaryConfig}), names the features that hold the pool under pressure (culprits), keeps a
 * reserve of connections for the top tiers, and reports the {@link dev.limp.db.DatabaseSignals} to the
 * governor at every tick. Its settings are fixed when it is built ({@link dev.limp.db.DatabaseMonitorConfig});
 * what it has seen can be read as a {@link dev.limp.db.DatabaseActivity}.
 *
 * <p>The implementation (the recorder the JDBC wrappers report to, the latency windows, the meter, the culprit
 * finder and the reserve) lives in {@code dev.limp.db.internal}, which is not API.
 */
package dev.limp.db;
