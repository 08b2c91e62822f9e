package dev.limp.db;

import dev.limp.internal.Checks;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The canary: a trivial query run on a schedule, on one connection of the pool, so that a stalled database
 * is seen even when no request arrives, and so that "the whole database is slow" (the canary is slow too)
 * can be told from "one feature's queries are slow" (the canary is fine). A canary that does not answer
 * within its timeout counts as a failure, and its latency signal keeps rising while it hangs; it never
 * blocks the governor. A canary that cannot get a connection counts each timeout it waits as
 * {@link DatabaseSignals#CANARY_UNREACHABLE}; a query that is wrong for the database (a typo, an unknown
 * table, a missing grant) is reported as {@link DatabaseSignals#CANARY_MISCONFIGURED}, never as a failure.
 * Immutable.
 */
public final class CanaryConfig {
  /** 1 s: a stall is seen within about a second. */
  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(1);
  /** 2 s: far above a healthy {@code SELECT 1}, below a pool's usual 5 to 30 s connection timeout. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);

  private final String query;
  private final Duration interval;
  private final Duration timeout;

  private CanaryConfig(Builder b) {
    this.query = b.query;
    this.interval = b.interval;
    this.timeout = b.timeout;
  }

  public static CanaryConfig ofDefaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The query; empty for the default of the database product ({@code SELECT 1}, or its dialect's form). */
  public Optional<String> query() {
    return Optional.ofNullable(query);
  }

  public Duration interval() {
    return interval;
  }

  public Duration timeout() {
    return timeout;
  }

  /** The trivial query for a database product, as {@code DatabaseMetaData.getDatabaseProductName()} names it. */
  static String defaultQuery(String product) {
    String p = product == null ? "" : product.toLowerCase(java.util.Locale.ROOT);
    if (p.contains("oracle")) {
      return "SELECT 1 FROM DUAL";
    }
    if (p.contains("derby")) {
      return "VALUES 1";
    }
    if (p.contains("db2")) {
      return "SELECT 1 FROM SYSIBM.SYSDUMMY1";
    }
    if (p.contains("hsql")) {
      return "SELECT 1 FROM INFORMATION_SCHEMA.SYSTEM_USERS";
    }
    return "SELECT 1"; // PostgreSQL, MySQL, MariaDB, H2, SQL Server, SQLite
  }

  @Override
  public String toString() {
    return "CanaryConfig[" + (query == null ? "default query" : query) + " every " + interval + ", timeout "
        + timeout + "]";
  }

  /** Builds a {@link CanaryConfig}; each setter validates at once. Not thread-safe. */
  public static final class Builder {
    private String query;
    private Duration interval = DEFAULT_INTERVAL;
    private Duration timeout = DEFAULT_TIMEOUT;

    private Builder() {
    }

    /** The query to run instead of the product's trivial one. */
    public Builder query(String query) {
      Objects.requireNonNull(query, "query");
      if (query.isBlank()) {
        throw new IllegalArgumentException("canary query must be a statement, but was blank");
      }
      this.query = query;
      return this;
    }

    /**
     * How often the canary runs (between the end of one run and the start of the next).
     *
     * @throws IllegalArgumentException unless between 100 ms and 1 hour
     */
    public Builder interval(Duration interval) {
      this.interval = Checks.within("canary interval", interval, Duration.ofMillis(100), Duration.ofHours(1));
      return this;
    }

    /**
     * How long the canary may take before it counts as failed.
     *
     * @throws IllegalArgumentException unless between 10 ms and 1 minute
     */
    public Builder timeout(Duration timeout) {
      this.timeout = Checks.within("canary timeout", timeout, Duration.ofMillis(10), Duration.ofMinutes(1));
      return this;
    }

    public CanaryConfig build() {
      return new CanaryConfig(this);
    }
  }
}
