package dev.limp.db;

import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What a {@link DatabaseMonitor} has seen of the application's database work, over its window (see
 * {@link DatabaseMonitorConfig#window()}): for dashboards, endpoints and the curious. Like a pool's MXBean
 * gauges, these are racy point-in-time values, read one after the other while the application runs, not one
 * consistent cut. Latencies are in milliseconds, {@code NaN} when the window holds none. Immutable.
 *
 * @param connectionsInUse connections handed out through the monitored DataSource and not yet closed
 * @param statements statements that finished in the window, whichever feature ran them
 * @param queryP99Millis the 99th percentile of those statements' latency (the culprits' included)
 * @param queryP50Millis their median latency
 * @param acquires connections acquired in the window (not those whose acquisition began while the pool was
 *     still opening its first connections: its start is not pressure)
 * @param acquireP99Millis the 99th percentile of the time it took to acquire them
 * @param acquireFailures acquisitions that failed in the window (timeouts, mostly)
 * @param reserveRefusals connections the reserve refused in the window
 * @param lockErrors statements or acquisitions that failed on a lock (lock timeout, deadlock or serialization
 *     failure) in the window
 * @param timeoutErrors statements that timed out or were cancelled in the window
 * @param connectionErrors acquisitions and statements that failed for want of a working connection in the window
 * @param culprits the features this monitor named as culprits and that are not yet fully back in
 * @param connectionsByFeature the connections each feature holds now (features holding none left out):
 *     who holds the pool
 */
public record DatabaseActivity(int connectionsInUse, long statements, double queryP99Millis,
    double queryP50Millis, long acquires, double acquireP99Millis, long acquireFailures, long reserveRefusals,
    long lockErrors, long timeoutErrors, long connectionErrors, Set<String> culprits,
    Map<String, Long> connectionsByFeature) {
  /** Copies {@code culprits} and {@code connectionsByFeature}. */
  public DatabaseActivity {
    culprits = Set.copyOf(Objects.requireNonNull(culprits, "culprits"));
    connectionsByFeature = Map.copyOf(Objects.requireNonNull(connectionsByFeature, "connectionsByFeature"));
  }
}
