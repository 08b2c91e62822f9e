package dev.limp.db.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.limp.Signal;
import dev.limp.SignalSource;
import dev.limp.db.PlanWatchConfig;
import dev.limp.db.StatementListener;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The plan watch: keeps each feature's slowest statement of the window (as a {@link StatementListener}) and,
 * when the feature is named culprit, explains it off the governor's thread and adds the plan's headline to
 * the culprit's reason once known ("...; plan of its slowest statement: Seq Scan on notifications, ~200,000
 * rows"). A statement as slow as the monitor's culprit query latency is explained ahead, at the tick after it
 * ran, so that the plan is usually known, and in the first event, when its feature is named.
 *
 * <p><b>Bounded.</b> One statement text per feature, and only texts of at most
 * {@link PlanWatchConfig#MAX_STATEMENT_LENGTH} characters (the application's own string, not a copy); at most
 * {@link PlanWatchConfig#MAX_PLANS_KEPT} headlines, each under the statement's shape (literals stripped), kept
 * for {@link PlanWatchConfig#minInterval()}: a statement is explained at most once per interval, a failure
 * included. The shape depends on how the database quotes (a backslash in a MariaDB string): the first
 * statement's is made once its EXPLAIN has found which database it is. One EXPLAIN at a time, on the executor
 * it is given (the database view's thread) or its own daemon thread ({@code limp-planwatch-<name>}), on a
 * connection of the watched pool's own DataSource (not the monitored one: no feature's connection, and it
 * counts for no feature), and only while a connection outside the reserve is free.
 *
 * <p>The listener allocates only when a statement is slower than its feature's slowest so far, or the first
 * of a new window; it reads no clock. Thread-safe.
 */
public final class PlanWatch implements StatementListener, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PlanWatch.class);
  private static final long FAILURE_LOG_EVERY = TimeUnit.MINUTES.toNanos(1);
  /** A statement that could not be explained: kept like a plan, so it is not tried again at once. */
  private static final String NO_PLAN = "";
  /** In {@link #explaining} while the database is being found (no statement's shape is known before). */
  private static final String FINDING = "(finding the database)";

  /** A feature's slowest statement since {@code window} began: the text as the application ran it. */
  private record Slowest(String sql, long nanos, long window) {}

  /** A statement's text and its shape ({@link StatementText#shape}). */
  private record Shaped(String sql, String shape) {}

  private final String name;
  private final DataSource dataSource;
  private final PlanWatchConfig config;
  private final LongSupplier clock;
  private final long windowNanos;
  private final long aheadNanos;
  private final IntSupplier freeConnections;
  private final Executor executor;
  private final ExecutorService own;
  private final Map<String, AtomicReference<Slowest>> slowest = new ConcurrentHashMap<>();
  private final Cache<String, String> plans;
  private final Set<String> explaining = ConcurrentHashMap.newKeySet();
  /** Each feature's slowest statement's shape, kept while the statement is the same string: made once. */
  private final Map<String, Shaped> shapes = new ConcurrentHashMap<>();
  /** The window statements are being compared in: a counter the governor's tick moves. */
  private volatile long window;
  private long windowStart; // the governor thread's only
  private volatile PlanExplainer explainer; // set on the explaining thread
  /** When the database could not be reached to find which it is; {@code Long.MIN_VALUE} if it has not failed. */
  private volatile long findFailedAt = Long.MIN_VALUE;
  private volatile boolean off;
  private long lastFailureLog = Long.MIN_VALUE; // the explaining thread's only
  private final AtomicReference<String> lastExplained = new AtomicReference<>();

  /**
   * @param dataSource the watched pool's own DataSource (not the monitored one)
   * @param clock the monitor's clock, in nanoseconds
   * @param windowNanos how long a feature's slowest statement is kept when none slower comes
   * @param aheadNanos a statement at least this slow is explained at the next tick, ahead of its feature being
   *     named culprit (the monitor's {@code culpritQueryLatency}), so that the plan is usually known by then
   * @param freeConnections how many connections outside the reserve are free now
   * @param executor where EXPLAINs run, one at a time; {@code null} for a thread of its own
   */
  public PlanWatch(String name, DataSource dataSource, PlanWatchConfig config, LongSupplier clock,
      long windowNanos, long aheadNanos, IntSupplier freeConnections, Executor executor) {
    this(name, dataSource, config, clock, windowNanos, aheadNanos, freeConnections, executor, null);
  }

  /** As the public constructor, with the explainer given ({@code null}: found by the database's name). */
  PlanWatch(String name, DataSource dataSource, PlanWatchConfig config, LongSupplier clock, long windowNanos,
      long aheadNanos, IntSupplier freeConnections, Executor executor, PlanExplainer explainer) {
    this.aheadNanos = aheadNanos;
    this.explainer = explainer;
    this.name = name;
    this.dataSource = dataSource;
    this.config = config;
    this.clock = clock;
    this.windowNanos = windowNanos;
    this.freeConnections = freeConnections;
    this.windowStart = clock.getAsLong();
    if (executor == null) {
      this.own = Executors.newSingleThreadExecutor(task -> {
        Thread t = new Thread(task, "limp-planwatch-" + name);
        t.setDaemon(true);
        return t;
      });
      this.executor = own;
    } else {
      this.own = null;
      this.executor = executor;
    }
    this.plans = Caffeine.newBuilder().maximumSize(PlanWatchConfig.MAX_PLANS_KEPT)
        .expireAfterWrite(config.minInterval().toNanos(), TimeUnit.NANOSECONDS)
        .ticker(clock::getAsLong).executor(Runnable::run).build();
  }

  @Override
  public void executed(String sql, String feature, long elapsedNanos) {
    if (feature == null || sql.length() > PlanWatchConfig.MAX_STATEMENT_LENGTH) {
      return;
    }
    AtomicReference<Slowest> slot = slowest.get(feature);
    if (slot == null) {
      slot = slowest.computeIfAbsent(feature, f -> new AtomicReference<>());
    }
    long w = window;
    Slowest current = slot.get();
    if (current == null || current.window() != w || elapsedNanos > current.nanos()) {
      slot.set(new Slowest(sql, elapsedNanos, w)); // a race may keep the less slow of two: a plan either way
    }
  }

  /**
   * Moves the window on when it has passed, and asks for the plan of each feature's slowest statement that is
   * at least {@code aheadNanos} slow (explained in the background, as for a culprit); the governor's tick calls
   * it.
   */
  public void tick() {
    long now = clock.getAsLong();
    if (now - windowStart >= windowNanos) {
      windowStart = now;
      window++;
    }
    slowest.forEach((feature, slot) -> {
      Slowest s = slot.get();
      if (s != null && s.nanos() >= aheadNanos) {
        headline(feature);
      }
    });
  }

  /**
   * The headline of the plan of {@code feature}'s slowest statement of the window, if known; if not, it is
   * explained in the background (unless that is under way, or was tried within the interval), and
   * {@code null} is returned this time.
   */
  public String headline(String feature) {
    if (off) {
      return null;
    }
    AtomicReference<Slowest> slot = slowest.get(feature);
    Slowest s = slot == null ? null : slot.get();
    if (s == null || s.window() < window - 1) { // none this window or the last
      return null;
    }
    PlanExplainer e = explainer;
    String shape = null; // made by how the database quotes: unknown until the first EXPLAIN finds the database
    if (e != null) {
      Shaped shaped = shapes.get(feature);
      if (shaped == null || shaped.sql() != s.sql()) { // the same string as last time: its shape is known
        shaped = new Shaped(s.sql(), StatementText.shape(s.sql(), e.quoting()));
        shapes.put(feature, shaped);
      }
      shape = shaped.shape();
      String plan = plans.getIfPresent(shape);
      if (plan != null) {
        return plan.isEmpty() ? null : plan;
      }
    } else if (findFailedAt != Long.MIN_VALUE
        && clock.getAsLong() - findFailedAt < config.minInterval().toNanos()) {
      return null; // a failure too is not tried again within the interval
    }
    String known = shape;
    String key = known != null ? known : FINDING;
    if (StatementText.explainable(s.sql()) && freeConnections.getAsInt() > 0 && explaining.add(key)) {
      try {
        executor.execute(() -> explain(feature, s, known));
      } catch (RejectedExecutionException closed) {
        explaining.remove(key);
      }
    }
    return null;
  }

  /** A sink that adds the plan's headline, when known, to each culprit's reason; the rest passes through. */
  public SignalSource.Sink annotating(SignalSource.Sink sink) {
    return new SignalSource.Sink() {
      @Override
      public void put(Signal signal, double value) {
        sink.put(signal, value);
      }

      @Override
      public void suspect(String feature, String reason) {
        sink.suspect(feature, withPlan(feature, reason));
      }

      @Override
      public void suspect(String feature, String reason, int held) {
        sink.suspect(feature, withPlan(feature, reason), held);
      }

      @Override
      public void answering(String evidence) {
        sink.answering(evidence);
      }

      @Override
      public void explain(Signal signal, String detail) {
        sink.explain(signal, detail);
      }
    };
  }

  private String withPlan(String feature, String reason) {
    String plan = headline(feature);
    return plan == null ? reason : reason + "; plan of its slowest statement: " + plan;
  }

  /** Explains {@code s}; {@code known} is its shape, or {@code null} before the database is known. */
  private void explain(String feature, Slowest s, String known) {
    String shape = known;
    try (Connection c = dataSource.getConnection()) {
      PlanExplainer e = explainer;
      if (e == null) {
        String product = c.getMetaData().getDatabaseProductName();
        e = PlanExplainer.of(product);
        if (e == null) {
          off = true;
          LOG.info("limp[{}]: the plan watch is off: limp cannot explain the statements of {} (PostgreSQL, "
              + "MariaDB and MySQL only)", name, product);
          return;
        }
        explainer = e;
      }
      if (shape == null) {
        shape = StatementText.shape(s.sql(), e.quoting());
      }
      String headline = e.headline(c, s.sql(), config.timeout());
      plans.put(shape, headline);
      lastExplained.set(headline);
      LOG.info("limp[{}]: plan of the slowest statement of {} ({} ms): {}: {}", name, feature,
          String.format(Locale.ROOT, "%.0f", s.nanos() / 1e6), headline, shortened(shape));
    } catch (SQLException | RuntimeException ex) {
      long now = clock.getAsLong();
      if (shape != null) {
        plans.put(shape, NO_PLAN);
      } else {
        findFailedAt = now;
      }
      if (lastFailureLog == Long.MIN_VALUE || now - lastFailureLog > FAILURE_LOG_EVERY) {
        lastFailureLog = now;
        LOG.warn("limp[{}]: could not explain the slowest statement of {} (logged at most once a minute; not tried "
            + "again for {}): {}: {}", name, feature, config.minInterval(), ex.toString(),
            shape == null ? "(the database was not reached)" : shortened(shape));
      }
    } finally {
      explaining.remove(known != null ? known : FINDING);
    }
  }

  private static String shortened(String shape) {
    return shape.length() <= 200 ? shape : shape.substring(0, 200) + "…";
  }

  /** The latest headline explained, whichever feature's; for tests. */
  public String lastExplained() {
    return lastExplained.get();
  }

  /** Whether the plan watch turned itself off (it cannot explain this database's statements). */
  public boolean stopped() {
    return off;
  }

  @Override
  public void close() {
    if (own != null) {
      own.shutdownNow();
    }
  }
}
