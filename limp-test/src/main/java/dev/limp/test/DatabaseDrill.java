package dev.limp.test;

import dev.limp.FeatureGuard;
import dev.limp.Limp;
import dev.limp.test.internal.DrillProxies;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLNonTransientConnectionException;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Incident drills for a test: a {@link DataSource} between the application's pool and limp's monitor that
 * makes one feature's database work go wrong on demand, so a test can assert that its configuration sheds
 * the right features. The feature is the one whose guard runs on the calling thread ({@link Limp#currentFeature()}),
 * as limp attributes it. limp measures the drill as it measures a real database: put it under the monitor.
 *
 * <pre>{@code
 * DrivenClock clock = new DrivenClock();
 * Limp limp = Limp.builder().clock(clock).governorThread(false).policy(DatabaseSignals.defaultPolicy())
 *     .feature("chat", Tier.CRITICAL_PLUS).feature("search", Tier.SHEDDABLE).build();
 * DatabaseMonitor monitor = DatabaseMonitor.builder(limp).clock(clock).build();
 * DatabaseDrill drill = DatabaseDrill.of(hikari, limp, clock);
 * DataSource db = monitor.wrap(drill);           // the application uses db
 *
 * drill.slowStatements("search", Duration.ofMillis(800));
 * ... run chat and search through their guards, clock.advance(...), limp.tick() ...
 * assertEquals(FeatureState.SHED, limp.guard("search").state());
 * }</pre>
 *
 * <h2>The drills, and what is real</h2>
 * <ul>
 *   <li>{@link #slowStatements}: each statement of the feature takes {@code by} longer. With a
 *       {@link DrivenClock} the clock is moved on by {@code by} while the statement runs, so limp measures it
 *       {@code by} slower and the test waits for nothing; every other thing running at that moment seems
 *       {@code by} longer too (drive the calls from one thread for exact figures). Without one, the calling
 *       thread really waits.
 *   <li>{@link #slowAcquire}: each connection the feature asks for takes {@code by} longer to hand out;
 *       driven or real as above.
 *   <li>{@link #holdConnections}: each statement of the feature waits, really, on the calling thread, with its
 *       connection held, until {@link #release} (or {@link #stop}): a pool filled by one feature. Run the
 *       feature's calls on threads of their own, {@link #awaitHeld} until they hold, move the clock, tick. A
 *       statement held longer than {@link #HOLD_LIMIT} goes on, so a forgotten release cannot hang a build.
 *   <li>{@link #refuseConnections}: each connection the feature asks for fails at once with an
 *       {@link SQLException} of SQLState {@code 08001} (the client could not connect), as a database that
 *       refuses connections does.
 * </ul>
 * Each drill lasts until {@link #stop} (or {@link #stopAll}); several may run at once. {@link #EVERY_FEATURE}
 * drills every call, work outside any guard included. Naming a feature limp does not know is an error, not a
 * new drill. {@code unwrap} and {@code isWrapperFor} reach the wrapped DataSource, so limp finds a HikariCP
 * pool beneath. Thread-safe.
 */
public final class DatabaseDrill implements DataSource {
  /** Drills every call, whichever feature runs it, work outside any guard included. */
  public static final String EVERY_FEATURE = "*";
  /** The longest a statement is held by {@link #holdConnections}: 5 minutes. */
  public static final Duration HOLD_LIMIT = Duration.ofMinutes(5);
  /** The SQLState of a refused connection: the client could not establish the connection. */
  public static final String REFUSED_SQLSTATE = "08001";

  /** A hold: the statements waiting, and the latch that lets them go. */
  private static final class Hold {
    final CountDownLatch released = new CountDownLatch(1);
    final AtomicInteger inside = new AtomicInteger();
  }

  /** One feature's drills. A value, swapped whole. */
  private record Drills(long slowStatementNanos, long slowAcquireNanos, Hold hold, boolean refuse) {
    static final Drills NONE = new Drills(0, 0, null, false);
  }

  private final DataSource target;
  private final Limp limp;
  private final DrivenClock clock;
  private final Map<String, Drills> drills = new ConcurrentHashMap<>();

  private DatabaseDrill(DataSource target, Limp limp, DrivenClock clock) {
    this.target = Objects.requireNonNull(target, "target");
    this.limp = Objects.requireNonNull(limp, "limp");
    this.clock = clock;
  }

  /** A drill on {@code target} whose delays are real: the calling thread waits. */
  public static DatabaseDrill of(DataSource target, Limp limp) {
    return new DatabaseDrill(target, limp, null);
  }

  /**
   * A drill on {@code target} whose delays move {@code clock} instead of waiting: give the same clock to the
   * limp instance and its {@code DatabaseMonitor}.
   */
  public static DatabaseDrill of(DataSource target, Limp limp, DrivenClock clock) {
    return new DatabaseDrill(target, limp, Objects.requireNonNull(clock, "clock"));
  }

  /** The DataSource the drill wraps. */
  public DataSource target() {
    return target;
  }

  /**
   * Each statement {@code feature} runs takes {@code by} longer (see the class comment: moved clock or real
   * wait).
   *
   * @throws IllegalArgumentException if limp does not know the feature, or {@code by} is not positive
   */
  public DatabaseDrill slowStatements(String feature, Duration by) {
    long nanos = positive("slowStatements", by);
    update(feature, d -> new Drills(nanos, d.slowAcquireNanos(), d.hold(), d.refuse()));
    return this;
  }

  /**
   * Each connection {@code feature} asks for takes {@code by} longer to hand out.
   *
   * @throws IllegalArgumentException if limp does not know the feature, or {@code by} is not positive
   */
  public DatabaseDrill slowAcquire(String feature, Duration by) {
    long nanos = positive("slowAcquire", by);
    update(feature, d -> new Drills(d.slowStatementNanos(), nanos, d.hold(), d.refuse()));
    return this;
  }

  /**
   * Each statement {@code feature} runs from now on waits, holding its connection, until {@link #release}.
   *
   * @throws IllegalArgumentException if limp does not know the feature
   */
  public DatabaseDrill holdConnections(String feature) {
    update(feature, d -> d.hold() != null ? d : new Drills(d.slowStatementNanos(), d.slowAcquireNanos(),
        new Hold(), d.refuse()));
    return this;
  }

  /**
   * Each connection {@code feature} asks for fails at once with SQLState {@link #REFUSED_SQLSTATE}.
   *
   * @throws IllegalArgumentException if limp does not know the feature
   */
  public DatabaseDrill refuseConnections(String feature) {
    update(feature, d -> new Drills(d.slowStatementNanos(), d.slowAcquireNanos(), d.hold(), true));
    return this;
  }

  /** Lets {@code feature}'s held statements go on and ends its hold; its other drills go on. */
  public DatabaseDrill release(String feature) {
    Drills before = drills.get(known(feature));
    if (before != null && before.hold() != null) {
      update(feature, d -> new Drills(d.slowStatementNanos(), d.slowAcquireNanos(), null, d.refuse()));
      before.hold().released.countDown();
    }
    return this;
  }

  /** How many statements of {@code feature} are held now by {@link #holdConnections}. */
  public int held(String feature) {
    Drills d = drills.get(known(feature));
    return d == null || d.hold() == null ? 0 : d.hold().inside.get();
  }

  /**
   * Waits until {@code count} statements of {@code feature} are held, at most {@code within}.
   *
   * @throws AssertionError if they are not, naming how many are
   */
  public void awaitHeld(String feature, int count, Duration within) throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    while (held(feature) < count) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError(count + " statement(s) of " + feature + " should be held within " + within
            + ", but " + held(feature) + " are");
      }
      Thread.sleep(1);
    }
  }

  /** Ends every drill of {@code feature}; its held statements go on. */
  public DatabaseDrill stop(String feature) {
    Drills before = drills.remove(known(feature));
    if (before != null && before.hold() != null) {
      before.hold().released.countDown();
    }
    return this;
  }

  /** Ends every drill; held statements go on. */
  public void stopAll() {
    for (String feature : drills.keySet()) {
      stop(feature);
    }
  }

  // ---------------------------------------------------------------- the drills at work

  private String known(String feature) {
    Objects.requireNonNull(feature, "feature");
    if (!feature.equals(EVERY_FEATURE) && limp.findGuard(feature).isEmpty()) {
      throw new IllegalArgumentException("feature must be one limp '" + limp.name() + "' knows (or "
          + "DatabaseDrill.EVERY_FEATURE), but was '" + feature + "'; known: " + limp.guards().stream()
          .map(FeatureGuard::name).sorted().toList());
    }
    return feature;
  }

  private void update(String feature, java.util.function.UnaryOperator<Drills> change) {
    drills.compute(known(feature), (f, d) -> change.apply(d == null ? Drills.NONE : d));
  }

  private static long positive(String setting, Duration by) {
    Objects.requireNonNull(by, setting);
    if (by.isNegative() || by.isZero()) {
      throw new IllegalArgumentException(setting + " must be positive, but was " + by);
    }
    return by.toNanos();
  }

  /** The drills of the feature running on this thread, and of every feature. */
  private Drills[] current() {
    String feature = limp.currentFeature().map(FeatureGuard::name).orElse(null);
    return new Drills[] {feature == null ? null : drills.get(feature), drills.get(EVERY_FEATURE)};
  }

  private Connection acquire(Acquisition acquisition) throws SQLException {
    for (Drills d : current()) {
      if (d != null && d.refuse()) {
        throw new SQLNonTransientConnectionException("limp drill: the database refuses connections",
            REFUSED_SQLSTATE);
      }
    }
    for (Drills d : current()) {
      if (d != null && d.slowAcquireNanos() > 0) {
        pause(d.slowAcquireNanos());
      }
    }
    return DrillProxies.connection(acquisition.get(), this::beforeStatement);
  }

  private void beforeStatement() {
    for (Drills d : current()) {
      if (d == null) {
        continue;
      }
      if (d.hold() != null) {
        d.hold().inside.incrementAndGet();
        try {
          d.hold().released.await(HOLD_LIMIT.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        } finally {
          d.hold().inside.decrementAndGet();
        }
      }
      if (d.slowStatementNanos() > 0) {
        pause(d.slowStatementNanos());
      }
    }
  }

  /** Moves the driven clock on, or waits for real. */
  private void pause(long nanos) {
    if (clock != null) {
      clock.advance(Duration.ofNanos(nanos));
      return;
    }
    long deadline = System.nanoTime() + nanos;
    for (long left = nanos; left > 0; left = deadline - System.nanoTime()) {
      LockSupport.parkNanos(left);
      if (Thread.currentThread().isInterrupted()) {
        return;
      }
    }
  }

  @FunctionalInterface
  private interface Acquisition {
    Connection get() throws SQLException;
  }

  // ---------------------------------------------------------------- DataSource

  @Override
  public Connection getConnection() throws SQLException {
    return acquire(target::getConnection);
  }

  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    return acquire(() -> target.getConnection(username, password));
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    return iface.isInstance(this) ? iface.cast(this) : target.unwrap(iface);
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) throws SQLException {
    return iface.isInstance(this) || target.isWrapperFor(iface);
  }

  @Override
  public PrintWriter getLogWriter() throws SQLException {
    return target.getLogWriter();
  }

  @Override
  public void setLogWriter(PrintWriter out) throws SQLException {
    target.setLogWriter(out);
  }

  @Override
  public void setLoginTimeout(int seconds) throws SQLException {
    target.setLoginTimeout(seconds);
  }

  @Override
  public int getLoginTimeout() throws SQLException {
    return target.getLoginTimeout();
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    return target.getParentLogger();
  }

  @Override
  public String toString() {
    return "DatabaseDrill[" + target + ", " + drills + "]";
  }
}
