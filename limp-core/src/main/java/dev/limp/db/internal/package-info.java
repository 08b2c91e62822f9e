/**
 * The implementation of {@link dev.limp.db.DatabaseMonitor}. <strong>Not API</strong>: public only so that
 * {@code dev.limp.db} can use it; anything here may change or go without notice.
 *
 * <ul>
 *   <li>The JDBC wrappers ({@code MonitoredConnection} and its statements) report to a {@link
 *       dev.limp.db.internal.JdbcRecorder}, which keeps, lock-free, each feature's
 *       {@link dev.limp.db.internal.FeatureDbStats} in time-based {@link dev.limp.db.internal.LatencyWindow}s,
 *       and classifies errors ({@link dev.limp.db.internal.SqlErrorKind}).</li>
 *   <li>{@link dev.limp.db.internal.SignalMeter} turns what was recorded, the pool probe's and the canary's
 *       readings into signals at each tick; {@link dev.limp.db.internal.CulpritFinder} names the features that
 *       hold the pool under pressure; {@link dev.limp.db.internal.ConnectionReserve} keeps the last connections
 *       for the top tiers.</li>
 * </ul>
 */
package dev.limp.db.internal;
