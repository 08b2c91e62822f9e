package dev.limp.db;

import dev.limp.FeatureGuard;
import dev.limp.Limp;
import dev.limp.Served;
import dev.limp.ShedCause;
import dev.limp.db.internal.SqlErrorKind;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;

/**
 * Drives load through limp's guards onto a database: a fixed set of threads per feature, each calling its
 * feature's guard at a fixed pace (a thread whose call takes longer than its pace simply calls less often,
 * like a request thread of a server), and a tally per feature and phase of the calls attempted, succeeded,
 * failed and shed. The threads stop by themselves at a hard deadline even if nobody closes the driver.
 *
 * <p>Calls go through {@link FeatureGuard#serve}: a fresh value is a success, a default value is a shed call
 * (its {@link ShedCause} is counted), an exception is a failure (its {@link SqlErrorKind} and SQLState are
 * counted). Thread-safe.
 */
final class PostgresLoadDriver implements AutoCloseable {
  /** The phases of an incident replay; each call is counted in the phase it started in. */
  enum Phase {
    HEALTHY, INCIDENT, RECOVERED
  }

  /** One feature's query: runs on a connection of the monitored DataSource. */
  @FunctionalInterface
  interface Query {
    Object run(Connection connection, ThreadLocalRandom random) throws SQLException;
  }

  /** How much load one feature gets: {@code threads} threads, each starting a call every {@code pace}. */
  record Workload(String feature, int threads, Duration pace, Query query) {
    Workload {
      Objects.requireNonNull(feature, "feature");
      Objects.requireNonNull(pace, "pace");
      Objects.requireNonNull(query, "query");
      if (threads < 1 || threads > 32) {
        throw new IllegalArgumentException("threads must be 1 to 32, but was " + threads);
      }
    }
  }

  /** The counts of one feature in one phase. */
  static final class Tally {
    final LongAdder attempted = new LongAdder();
    final LongAdder succeeded = new LongAdder();
    final LongAdder failed = new LongAdder();
    final LongAdder shed = new LongAdder();
    final Map<ShedCause, LongAdder> shedCauses = new ConcurrentHashMap<>();
    final Map<String, LongAdder> failures = new ConcurrentHashMap<>();
    final LongAdder succeededMicros = new LongAdder();

    long attempted() {
      return attempted.sum();
    }

    long succeeded() {
      return succeeded.sum();
    }

    long failed() {
      return failed.sum();
    }

    long shed() {
      return shed.sum();
    }

    long shed(ShedCause cause) {
      LongAdder n = shedCauses.get(cause);
      return n == null ? 0 : n.sum();
    }

    /** Succeeded over attempted, in percent; 100 when nothing was attempted. */
    double successPercent() {
      long total = attempted();
      return total == 0 ? 100.0 : 100.0 * succeeded() / total;
    }

    @Override
    public String toString() {
      Map<ShedCause, Long> causes = new TreeMap<>();
      shedCauses.forEach((cause, n) -> causes.put(cause, n.sum()));
      Map<String, Long> kinds = new TreeMap<>();
      failures.forEach((kind, n) -> kinds.put(kind, n.sum()));
      long ok = succeeded();
      return String.format(Locale.ROOT, "attempted %d, succeeded %d (mean %.1f ms), failed %d%s, shed %d%s",
          attempted(), ok, ok == 0 ? 0.0 : succeededMicros.sum() / 1000.0 / ok, failed(),
          kinds.isEmpty() ? "" : " " + kinds, shed(), causes.isEmpty() ? "" : " " + causes);
    }
  }

  private final Limp limp;
  private final DataSource dataSource;
  private final List<Workload> workloads;
  private final Map<String, Map<Phase, Tally>> tallies = new TreeMap<>();
  private final List<Thread> threads = new ArrayList<>();
  private final long hardDeadline;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final AtomicReference<Throwable> broken = new AtomicReference<>();
  private final Map<Phase, AtomicReference<ShedCall>> firstShed = new EnumMap<>(Phase.class);
  private volatile Phase phase = Phase.HEALTHY;
  private volatile boolean running;

  /** A call answered by its fallback chain: when, which feature, why. */
  record ShedCall(long nanoTime, String feature, ShedCause cause) {
  }

  /**
   * @param atMost how long the threads may run at all; they stop by themselves after it
   */
  PostgresLoadDriver(Limp limp, DataSource dataSource, List<Workload> workloads, Duration atMost) {
    this.limp = limp;
    this.dataSource = dataSource;
    this.workloads = List.copyOf(workloads);
    this.hardDeadline = System.nanoTime() + atMost.toNanos();
    for (Workload w : workloads) {
      Map<Phase, Tally> byPhase = new EnumMap<>(Phase.class);
      for (Phase p : Phase.values()) {
        byPhase.put(p, new Tally());
      }
      tallies.put(w.feature(), byPhase);
    }
    for (Phase p : Phase.values()) {
      firstShed.put(p, new AtomicReference<>());
    }
  }

  /** Starts every thread, in the {@link Phase#HEALTHY} phase. */
  void start() {
    running = true;
    for (Workload w : workloads) {
      FeatureGuard guard = limp.guard(w.feature());
      for (int i = 0; i < w.threads(); i++) {
        Thread t = new Thread(() -> drive(guard, w), "pg-load-" + w.feature() + "-" + i);
        t.setDaemon(true);
        threads.add(t);
      }
    }
    threads.forEach(Thread::start);
  }

  private void drive(FeatureGuard guard, Workload w) {
    long pace = w.pace().toNanos();
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long next = System.nanoTime() + random.nextLong(pace); // spread the threads over one pace
    try {
      while (running && System.nanoTime() < hardDeadline) {
        long wait = next - System.nanoTime();
        if (wait > 0) {
          LockSupport.parkNanos(wait); // pacing of the load, not synchronisation
          continue;
        }
        call(guard, w, random);
        next = Math.max(next + pace, System.nanoTime()); // behind schedule: no burst to catch up
      }
    } catch (Throwable t) { // a bug of the driver itself: end the phase waits at once
      broken.compareAndSet(null, t);
      stopped.countDown();
    }
  }

  private void call(FeatureGuard guard, Workload w, ThreadLocalRandom random) {
    Phase p = phase;
    Tally tally = tallies.get(w.feature()).get(p);
    tally.attempted.increment();
    long start = System.nanoTime();
    try {
      Served<Object> served = guard.serve(w.feature(), () -> {
        try (Connection c = dataSource.getConnection()) {
          return w.query().run(c, random);
        } catch (SQLException e) {
          throw new QueryFailedException(e);
        }
      });
      if (served.source() == Served.Source.FRESH) {
        tally.succeeded.increment();
        tally.succeededMicros.add((System.nanoTime() - start) / 1_000);
      } else {
        tally.shed.increment();
        ShedCause cause = served.shedReason().cause();
        tally.shedCauses.computeIfAbsent(cause, c -> new LongAdder()).increment();
        if (firstShed.get(p).get() == null) {
          firstShed.get(p).compareAndSet(null, new ShedCall(System.nanoTime(), w.feature(), cause));
        }
      }
    } catch (RuntimeException e) {
      tally.failed.increment();
      tally.failures.computeIfAbsent(kind(e), k -> new LongAdder()).increment();
    }
  }

  /** What kind of failure: the SQL error kind and state, or the exception's class. */
  static String kind(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException) {
        SQLException sql = (SQLException) t;
        return SqlErrorKind.of(sql) + "(" + sql.getSQLState() + ")";
      }
    }
    return e.getClass().getSimpleName();
  }

  /** Calls started from now on count in {@code next}. */
  void phase(Phase next) {
    this.phase = next;
  }

  Phase phase() {
    return phase;
  }

  /**
   * Lets the load run for {@code duration} of real time (the length of a phase), returning early only if
   * the driver broke.
   */
  void hold(Duration duration) throws InterruptedException {
    stopped.await(duration.toNanos(), TimeUnit.NANOSECONDS);
    Throwable t = broken.get();
    if (t != null) {
      throw new AssertionError("the load driver broke", t);
    }
  }

  /** The first call of the phase that was answered by its fallback chain, if any. */
  ShedCall firstShed(Phase p) {
    return firstShed.get(p).get();
  }

  /** The tally of one feature in one phase. */
  Tally tally(String feature, Phase p) {
    Map<Phase, Tally> byPhase = tallies.get(feature);
    if (byPhase == null) {
      throw new IllegalArgumentException("no workload for '" + feature + "'; workloads are " + tallies.keySet());
    }
    return byPhase.get(p);
  }

  /** The tallies of several features in one phase, added up. */
  Tally total(Phase p, String... features) {
    Tally sum = new Tally();
    for (String f : features) {
      Tally t = tally(f, p);
      sum.attempted.add(t.attempted());
      sum.succeeded.add(t.succeeded());
      sum.failed.add(t.failed());
      sum.shed.add(t.shed());
      sum.succeededMicros.add(t.succeededMicros.sum());
      t.shedCauses.forEach((c, n) -> sum.shedCauses.computeIfAbsent(c, x -> new LongAdder()).add(n.sum()));
      t.failures.forEach((k, n) -> sum.failures.computeIfAbsent(k, x -> new LongAdder()).add(n.sum()));
    }
    return sum;
  }

  /** Every feature's tallies, one line per feature and phase. */
  String report() {
    StringBuilder sb = new StringBuilder();
    tallies.forEach((feature, byPhase) -> byPhase.forEach((p, t) -> sb.append(String.format(Locale.ROOT,
        "  %-13s %-9s %s%n", feature, p, t))));
    return sb.toString();
  }

  /** Stops the threads and waits a bounded time for each (a call in flight ends within its timeouts). */
  @Override
  public void close() {
    running = false;
    stopped.countDown();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    try {
      for (Thread t : threads) {
        t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while stopping the load threads", e);
    }
    for (Thread t : threads) {
      if (t.isAlive()) {
        throw new AssertionError("load thread " + t.getName() + " did not stop within 15 s");
      }
    }
  }

  /** An SQLException thrown from inside guarded work (a Supplier cannot throw it). */
  static final class QueryFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    QueryFailedException(SQLException cause) {
      super(cause.getMessage(), cause);
    }
  }
}
