package dev.limp.test;

import dev.limp.db.MonitoredDataSource;
import dev.limp.db.internal.StatementText;
import dev.limp.test.internal.PlanReader;
import dev.limp.test.internal.StatementLog;
import dev.limp.test.internal.TableScan;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fails a test whose statements read a large table by a sequential scan: the lost pair of parentheses
 * ({@code a AND (b OR c)} become {@code a AND b OR c}) that turned every notifications poll into a table scan,
 * caught before it ships.
 *
 * <p>While a test runs, the extension records the distinct statements that run through each
 * {@link MonitoredDataSource} the test hands to {@link #watch}; once the test has passed, it EXPLAINs each
 * (never ANALYZE: nothing runs again) on a connection of the same DataSource's delegate, which limp does not
 * watch, and fails the test with every offending plan's headline and statement. Statements with placeholders
 * are planned generically on PostgreSQL, as a prepared statement is whatever its values; on MariaDB and MySQL,
 * which have no generic plan, with each placeholder bound to {@code '1'}. A test that failed by itself is not
 * checked, so its own failure is the one reported. PostgreSQL, MariaDB and MySQL are read; on another database
 * the check logs once that it cannot read its plans and passes.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final PlanCheckExtension PLANS = PlanCheckExtension.of(
 *     PlanCheckConfig.builder().seqScanRowLimit(10_000).allow("countries").build());
 *
 * @Test
 * void inboxPollUsesAnIndex() {
 *   DataSource db = PLANS.watch(monitoredDataSource);
 *   inbox.poll(db, user);       // the statements are recorded here, and checked after the test
 * }
 * }</pre>
 *
 * <p>Settings per class or method come from {@link PlanCheck}. Thread-safe for what a test's threads do
 * ({@code watch}, the statements); the tests that share one extension instance must not run concurrently.
 */
public final class PlanCheckExtension implements BeforeEachCallback, AfterEachCallback {
  private static final Logger LOG = LoggerFactory.getLogger(PlanCheckExtension.class);

  private final PlanCheckConfig config;
  /** The running test's recording, or {@code null} between tests. */
  private volatile Recording current;

  private PlanCheckExtension(PlanCheckConfig config) {
    this.config = Objects.requireNonNull(config, "config");
  }

  /** An extension with these settings. */
  public static PlanCheckExtension of(PlanCheckConfig config) {
    return new PlanCheckExtension(config);
  }

  /** An extension with {@link PlanCheckConfig#ofDefaults()}. */
  public static PlanCheckExtension ofDefaults() {
    return of(PlanCheckConfig.ofDefaults());
  }

  /** The settings it was built with (before any {@link PlanCheck} annotation). */
  public PlanCheckConfig config() {
    return config;
  }

  /**
   * Records the statements that run through {@code dataSource} until the running test ends; returns it, to
   * hand to the code under test. Watching the same DataSource twice in a test records its statements once.
   *
   * @throws IllegalStateException outside a test of a class that registers this extension
   */
  public MonitoredDataSource watch(MonitoredDataSource dataSource) {
    Objects.requireNonNull(dataSource, "dataSource");
    Recording recording = current;
    if (recording == null) {
      throw new IllegalStateException("watch(...) is called from a test (or a @BeforeEach method) of a class "
          + "that registers this PlanCheckExtension with @RegisterExtension; no test is running");
    }
    recording.watch(dataSource);
    return dataSource;
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    current = new Recording(effectiveConfig(context), enabled(context));
  }

  @Override
  public void afterEach(ExtensionContext context) {
    Recording recording = current;
    current = null;
    if (recording == null) {
      return;
    }
    recording.stop();
    if (!recording.enabled || context.getExecutionException().isPresent()) {
      return; // switched off here, or the test's own failure is the news
    }
    List<String> findings = recording.check();
    if (!findings.isEmpty()) {
      throw new AssertionError(report(recording.config, findings));
    }
  }

  private PlanCheckConfig effectiveConfig(ExtensionContext context) {
    PlanCheckConfig.Builder b = config.toBuilder();
    for (PlanCheck annotation : annotations(context)) {
      if (annotation.seqScanRowLimit() != PlanCheck.INHERIT) {
        b.seqScanRowLimit(annotation.seqScanRowLimit());
      }
      b.allow(annotation.allow());
    }
    return b.build();
  }

  private static boolean enabled(ExtensionContext context) {
    List<PlanCheck> annotations = annotations(context);
    return annotations.isEmpty() || annotations.get(annotations.size() - 1).enabled();
  }

  /** The class's annotation, then the method's: the later one wins. */
  private static List<PlanCheck> annotations(ExtensionContext context) {
    List<PlanCheck> found = new ArrayList<>(2);
    context.getTestClass().flatMap(c -> AnnotationSupport.findAnnotation(c, PlanCheck.class)).ifPresent(found::add);
    context.getTestMethod().flatMap(m -> AnnotationSupport.findAnnotation(m, PlanCheck.class)).ifPresent(found::add);
    return found;
  }

  private static String report(PlanCheckConfig config, List<String> findings) {
    StringBuilder out = new StringBuilder(String.format(Locale.ROOT,
        "plan check: %d statement(s) read a table of more than %,d rows by a sequential scan:",
        findings.size(), config.seqScanRowLimit()));
    findings.forEach(f -> out.append("\n  ").append(f));
    out.append("\nGive the query an index it can use (or fix the query: a lost pair of parentheses turns "
        + "'a AND (b OR c)' into '(a AND b) OR c'), or allow the table: @PlanCheck(allow = \"<table>\").");
    return out.toString();
  }

  /** One test's watched DataSources and their statements. Thread-safe. */
  private static final class Recording {
    final PlanCheckConfig config;
    final boolean enabled;
    private final Map<MonitoredDataSource, StatementLog> logs = new LinkedHashMap<>();

    Recording(PlanCheckConfig config, boolean enabled) {
      this.config = config;
      this.enabled = enabled;
    }

    synchronized void watch(MonitoredDataSource dataSource) {
      logs.computeIfAbsent(dataSource, ds -> {
        StatementLog log = new StatementLog(config.maxStatements());
        ds.addStatementListener(log);
        return log;
      });
    }

    synchronized void stop() {
      logs.forEach((ds, log) -> ds.removeStatementListener(log));
    }

    synchronized List<String> check() {
      List<String> findings = new ArrayList<>();
      logs.forEach((ds, log) -> check(ds, log, findings));
      return findings;
    }

    private void check(MonitoredDataSource dataSource, StatementLog log, List<String> findings) {
      if (log.dropped() > 0) {
        LOG.warn("limp plan check: {} distinct statement(s) beyond maxStatements ({}) were not checked",
            log.dropped(), config.maxStatements());
      }
      try (Connection connection = dataSource.delegate().getConnection()) {
        String product = connection.getMetaData().getDatabaseProductName();
        Optional<PlanReader> reader = Optional.ofNullable(PlanReader.of(product));
        if (reader.isEmpty()) {
          LOG.warn("limp plan check: cannot read the plans of {} ({}); its statements are not checked",
              product, dataSource);
          return;
        }
        for (StatementLog.Entry entry : log.entries()) {
          if (StatementText.explainable(entry.sql())) {
            check(reader.get(), connection, entry, findings);
          }
        }
      } catch (SQLException e) {
        throw new AssertionError("plan check: no connection from " + dataSource.delegate() + " to EXPLAIN the "
            + "test's statements: " + e.getMessage(), e);
      }
    }

    private void check(PlanReader reader, Connection connection, StatementLog.Entry entry, List<String> findings)
        throws SQLException {
      List<TableScan> scans;
      try {
        scans = reader.fullScans(connection, entry.sql(), config.explainTimeout());
      } catch (SQLException e) {
        LOG.warn("limp plan check: could not EXPLAIN [{}]: {}; not checked", entry.sql(), e.getMessage());
        return;
      }
      for (TableScan scan : scans) {
        if (scan.rows() > config.seqScanRowLimit() && !config.allows(scan.table())) {
          findings.add(scan.headline() + "\n    in: " + entry.sql()
              + (entry.feature() == null ? "" : "\n    feature: " + entry.feature()));
        }
      }
    }
  }
}
