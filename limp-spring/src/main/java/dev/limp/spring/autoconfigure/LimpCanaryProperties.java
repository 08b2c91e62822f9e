package dev.limp.spring.autoconfigure;

import dev.limp.db.CanaryConfig;
import java.time.Duration;

/**
 * The {@code limp.database.canary.*} properties: a trivial query run on a schedule, so that a stalled
 * database is seen without traffic.
 *
 * <p>Not thread-safe: bound once at start-up.
 */
public class LimpCanaryProperties {
  /** Whether to run the canary. */
  private boolean enabled;

  /** The query; unset for the database product's trivial query (SELECT 1 or its dialect's form). */
  private String query;

  /** How often the canary runs (100 ms to 1 hour). */
  private Duration interval = CanaryConfig.DEFAULT_INTERVAL;

  /** How long the canary may take before it counts as failed (10 ms to 1 minute). */
  private Duration timeout = CanaryConfig.DEFAULT_TIMEOUT;

  public boolean isEnabled() {
    return enabled;
  }

  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  public String getQuery() {
    return query;
  }

  public void setQuery(String query) {
    this.query = query;
  }

  public Duration getInterval() {
    return interval;
  }

  public void setInterval(Duration interval) {
    this.interval = interval;
  }

  public Duration getTimeout() {
    return timeout;
  }

  public void setTimeout(Duration timeout) {
    this.timeout = timeout;
  }
}
