package dev.limp.db;

import dev.limp.internal.Checks;
import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link DatabaseMonitor} watches the plan of a culprit's slowest statement: when a feature is named
 * culprit, the slowest statement it ran in the window is {@code EXPLAIN}ed (never {@code EXPLAIN ANALYZE}:
 * nothing runs) on a connection of the watched pool's own DataSource, off the governor's thread, and the plan's
 * headline ("Seq Scan on notifications, ~200,000 rows") is added to the culprit's reason once it is known.
 * Each statement (its text with literals stripped) is explained at most once per {@link #minInterval()}.
 * Immutable; thread-safe.
 *
 * <pre>{@code
 * DatabaseMonitor.builder(limp)
 *     .databaseView(DatabaseViewConfig.ofDefaults())     // plan watch is on by default with the view
 *     .planWatch(PlanWatchConfig.builder().timeout(Duration.ofMillis(500)).build())
 *     .build();
 * }</pre>
 *
 * <p>PostgreSQL, MariaDB and MySQL are explained; on another database the plan watch says so once in the log
 * and stays off. See {@code docs/database.md}, "Plan watch".
 */
public final class PlanWatchConfig {
  /** The statement timeout of one EXPLAIN: 1 s (planning takes a few milliseconds). */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(1);
  /** How long the plan of one statement is kept before it is explained again: 5 min. */
  public static final Duration DEFAULT_MIN_INTERVAL = Duration.ofMinutes(5);
  /**
   * The longest statement text watched, in characters: 10,000. A longer statement is not explained (its
   * text is not kept), so the texts limp holds stay bounded: one per feature, and at most
   * {@link #MAX_PLANS_KEPT} plans.
   */
  public static final int MAX_STATEMENT_LENGTH = 10_000;
  /** How many statements' plans are kept at most (the least recently used go first): 128. */
  public static final int MAX_PLANS_KEPT = 128;

  private static final PlanWatchConfig OFF = new PlanWatchConfig(false, DEFAULT_TIMEOUT, DEFAULT_MIN_INTERVAL);

  private final boolean enabled;
  private final Duration timeout;
  private final Duration minInterval;

  private PlanWatchConfig(boolean enabled, Duration timeout, Duration minInterval) {
    this.enabled = enabled;
    this.timeout = timeout;
    this.minInterval = minInterval;
  }

  /** The plan watch on, with the default timeout and interval. */
  public static PlanWatchConfig ofDefaults() {
    return builder().build();
  }

  /** The plan watch off. */
  public static PlanWatchConfig off() {
    return OFF;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Whether culprits' statements are explained. */
  public boolean enabled() {
    return enabled;
  }

  /** The statement timeout of one EXPLAIN. Default {@link #DEFAULT_TIMEOUT}. */
  public Duration timeout() {
    return timeout;
  }

  /** How long one statement's plan is kept before it is explained again. Default {@link #DEFAULT_MIN_INTERVAL}. */
  public Duration minInterval() {
    return minInterval;
  }

  @Override
  public String toString() {
    return enabled ? "PlanWatchConfig[timeout " + timeout + ", minInterval " + minInterval + "]"
        : "PlanWatchConfig[off]";
  }

  /** Builds a {@link PlanWatchConfig}; each setter validates at once. Not thread-safe. */
  public static final class Builder {
    private boolean enabled = true;
    private Duration timeout = DEFAULT_TIMEOUT;
    private Duration minInterval = DEFAULT_MIN_INTERVAL;

    private Builder() {}

    /** Whether culprits' statements are explained. Default {@code true}. */
    public Builder enabled(boolean enabled) {
      this.enabled = enabled;
      return this;
    }

    /**
     * The statement timeout of one EXPLAIN. Default {@link #DEFAULT_TIMEOUT}.
     *
     * @throws IllegalArgumentException unless 10 ms to 30 s
     */
    public Builder timeout(Duration timeout) {
      this.timeout = Checks.within("timeout", timeout, Duration.ofMillis(10), Duration.ofSeconds(30));
      return this;
    }

    /**
     * How long one statement's plan is kept before it is explained again (while its feature is still a
     * culprit). Default {@link #DEFAULT_MIN_INTERVAL}.
     *
     * @throws IllegalArgumentException unless 1 s to 1 day
     */
    public Builder minInterval(Duration minInterval) {
      this.minInterval = Checks.within("minInterval", minInterval, Duration.ofSeconds(1), Duration.ofDays(1));
      return this;
    }

    /** @throws IllegalStateException if the timeout is not below the minimum interval */
    public PlanWatchConfig build() {
      Objects.requireNonNull(timeout, "timeout");
      if (timeout.compareTo(minInterval) >= 0) {
        throw new IllegalStateException("timeout must be below the minInterval (" + minInterval + "), but was "
            + timeout);
      }
      return enabled ? new PlanWatchConfig(true, timeout, minInterval) : OFF;
    }
  }
}
