package dev.limp.db;

import dev.limp.internal.Checks;
import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link DatabaseMonitor} reads the database's own view of itself (its sessions, their locks and
 * blockers, its connection limit; see {@link DatabaseSignals#SERVER_CONNECTIONS} and the signals after it):
 * how often, on one connection of the watched pool at a time, and with which statement timeout. Immutable;
 * thread-safe.
 *
 * <pre>{@code
 * DatabaseMonitor.builder(limp).databaseView(DatabaseViewConfig.ofDefaults()).build();
 * }</pre>
 */
public final class DatabaseViewConfig {
  /** How often the view is read: every second, the canary's default schedule. */
  public static final Duration DEFAULT_INTERVAL = CanaryConfig.DEFAULT_INTERVAL;
  /** The statement timeout of one reading: 500 ms (a catalog read takes a few). */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(500);

  private final Duration interval;
  private final Duration timeout;

  private DatabaseViewConfig(Duration interval, Duration timeout) {
    this.interval = interval;
    this.timeout = timeout;
  }

  public static DatabaseViewConfig ofDefaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public Duration interval() {
    return interval;
  }

  public Duration timeout() {
    return timeout;
  }

  @Override
  public String toString() {
    return "DatabaseViewConfig[interval " + interval + ", timeout " + timeout + "]";
  }

  /** Builds a {@link DatabaseViewConfig}; each setter validates at once. Not thread-safe. */
  public static final class Builder {
    private Duration interval = DEFAULT_INTERVAL;
    private Duration timeout = DEFAULT_TIMEOUT;

    private Builder() {}

    /**
     * How often the view is read. Default {@link #DEFAULT_INTERVAL}.
     *
     * @throws IllegalArgumentException unless 100 ms to 10 min
     */
    public Builder interval(Duration interval) {
      this.interval = Checks.within("interval", interval, Duration.ofMillis(100), Duration.ofMinutes(10));
      return this;
    }

    /**
     * The statement timeout of one reading. Default {@link #DEFAULT_TIMEOUT}.
     *
     * @throws IllegalArgumentException unless 10 ms to 1 min
     */
    public Builder timeout(Duration timeout) {
      this.timeout = Checks.within("timeout", timeout, Duration.ofMillis(10), Duration.ofMinutes(1));
      return this;
    }

    /** @throws IllegalStateException if the timeout is not below the interval */
    public DatabaseViewConfig build() {
      Objects.requireNonNull(interval, "interval");
      if (timeout.compareTo(interval) >= 0) {
        throw new IllegalStateException("timeout must be below the interval (" + interval + "), but was "
            + timeout);
      }
      return new DatabaseViewConfig(interval, timeout);
    }
  }
}
