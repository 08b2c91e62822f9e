package dev.limp.test;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * The plan check's settings, fixed when built: the largest table a plan may read by a sequential scan, the
 * tables that may be scanned whatever their size, how long one EXPLAIN may take, and how many distinct
 * statements one test may have checked. Immutable; thread-safe.
 *
 * <pre>{@code
 * PlanCheckConfig.builder().seqScanRowLimit(5_000).allow("countries", "audit.settings").build()
 * }</pre>
 */
public final class PlanCheckConfig {
  /** A sequential scan of a table with more rows than this fails the test: 10,000. */
  public static final long DEFAULT_SEQ_SCAN_ROW_LIMIT = 10_000;
  /** The statement timeout of one EXPLAIN: 5 s (planning alone; nothing is executed). */
  public static final Duration DEFAULT_EXPLAIN_TIMEOUT = Duration.ofSeconds(5);
  /** The distinct statements one test may have checked; more are counted and reported, not checked: 1,000. */
  public static final int DEFAULT_MAX_STATEMENTS = 1_000;

  private final long seqScanRowLimit;
  private final Set<String> allowed;
  private final Duration explainTimeout;
  private final int maxStatements;

  private PlanCheckConfig(Builder b) {
    this.seqScanRowLimit = b.seqScanRowLimit;
    this.allowed = Set.copyOf(b.allowed);
    this.explainTimeout = b.explainTimeout;
    this.maxStatements = b.maxStatements;
  }

  public static Builder builder() {
    return new Builder();
  }

  public static PlanCheckConfig ofDefaults() {
    return builder().build();
  }

  /** A builder that starts from this config's settings. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.seqScanRowLimit = seqScanRowLimit;
    b.allowed.addAll(allowed);
    b.explainTimeout = explainTimeout;
    b.maxStatements = maxStatements;
    return b;
  }

  public long seqScanRowLimit() {
    return seqScanRowLimit;
  }

  /** The allowed tables, lower-cased. */
  public Set<String> allowed() {
    return allowed;
  }

  /**
   * Whether {@code table} (as a plan names it, {@code schema.table} or {@code table}) may be scanned whatever
   * its size: its name or its schema-qualified name is allowed, ignoring case.
   */
  public boolean allows(String table) {
    String name = table.toLowerCase(Locale.ROOT);
    int dot = name.lastIndexOf('.');
    return allowed.contains(name) || (dot >= 0 && allowed.contains(name.substring(dot + 1)));
  }

  public Duration explainTimeout() {
    return explainTimeout;
  }

  public int maxStatements() {
    return maxStatements;
  }

  @Override
  public String toString() {
    return "PlanCheckConfig[seqScanRowLimit=" + seqScanRowLimit + ", allowed=" + allowed + ", explainTimeout="
        + explainTimeout + ", maxStatements=" + maxStatements + "]";
  }

  /**
   * Builds a {@link PlanCheckConfig}; each setter validates at once, naming the setting, the rule and the
   * rejected value. Not thread-safe.
   */
  public static final class Builder {
    private long seqScanRowLimit = DEFAULT_SEQ_SCAN_ROW_LIMIT;
    private final Set<String> allowed = new LinkedHashSet<>();
    private Duration explainTimeout = DEFAULT_EXPLAIN_TIMEOUT;
    private int maxStatements = DEFAULT_MAX_STATEMENTS;

    private Builder() {}

    /**
     * A sequential scan of a table with more rows than this fails the test. Default
     * {@link #DEFAULT_SEQ_SCAN_ROW_LIMIT}; 0 forbids every sequential scan of a table not allowed.
     *
     * @throws IllegalArgumentException if negative
     */
    public Builder seqScanRowLimit(long rows) {
      if (rows < 0) {
        throw new IllegalArgumentException("seqScanRowLimit must be 0 or more rows, but was " + rows);
      }
      this.seqScanRowLimit = rows;
      return this;
    }

    /**
     * Tables that may be read by sequential scans whatever their size: a name ({@code countries}) allows it
     * in every schema, a qualified one ({@code audit.settings}) in that schema only. Ignores case. Adds to
     * those given before.
     *
     * @throws IllegalArgumentException for a blank name, or one with more than one dot
     */
    public Builder allow(String... tables) {
      Objects.requireNonNull(tables, "tables");
      for (String table : tables) {
        Objects.requireNonNull(table, "table");
        String name = table.strip().toLowerCase(Locale.ROOT);
        if (name.isEmpty() || name.startsWith(".") || name.endsWith(".") || name.indexOf('.') != name.lastIndexOf('.')) {
          throw new IllegalArgumentException("allow takes table names such as 'countries' or 'audit.settings', "
              + "but was '" + table + "'");
        }
        allowed.add(name);
      }
      return this;
    }

    /**
     * The statement timeout of one EXPLAIN. Default {@link #DEFAULT_EXPLAIN_TIMEOUT}.
     *
     * @throws IllegalArgumentException unless 1 ms to 1 min
     */
    public Builder explainTimeout(Duration timeout) {
      Objects.requireNonNull(timeout, "explainTimeout");
      if (timeout.compareTo(Duration.ofMillis(1)) < 0 || timeout.compareTo(Duration.ofMinutes(1)) > 0) {
        throw new IllegalArgumentException("explainTimeout must be between 1 ms and 1 min, but was " + timeout);
      }
      this.explainTimeout = timeout;
      return this;
    }

    /**
     * The distinct statements one test may have checked. Default {@link #DEFAULT_MAX_STATEMENTS}.
     *
     * @throws IllegalArgumentException unless 1 to 100,000
     */
    public Builder maxStatements(int statements) {
      if (statements < 1 || statements > 100_000) {
        throw new IllegalArgumentException("maxStatements must be between 1 and 100000, but was " + statements);
      }
      this.maxStatements = statements;
      return this;
    }

    public PlanCheckConfig build() {
      return new PlanCheckConfig(this);
    }
  }
}
