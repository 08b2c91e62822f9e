package dev.limp.internal;

import dev.limp.LimpClock;
import dev.limp.Signal;
import dev.limp.SignalSnapshot;
import dev.limp.SignalSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads every {@link SignalSource} of an instance into one {@link SignalSnapshot}: the measuring step of a
 * tick. Sources run on limp's sampling threads ({@code limp-signals-<name>}), never on the governor's own, and
 * each tick waits for them until a deadline: a source that throws, or has not answered by then, counts as
 * missing for that tick, and a source still busy from an earlier tick is not asked again until it returns.
 * So a source that hangs costs its own signals, never the decision, the overrides' expiry or the other
 * sources. When two sources report the same signal (two monitored databases), the higher reading counts:
 * every signal reads higher as worse, so a database in trouble is never masked by a healthy one. Failures are logged at most once a minute per source. Sources may be added and removed at any time.
 * Thread-safe.
 */
final class SignalSampler {
  private static final Logger LOG = LoggerFactory.getLogger(dev.limp.Limp.class);
  private static final long WARN_EVERY = TimeUnit.SECONDS.toNanos(60);
  /** The shortest wait for the sources in one tick, whatever the tick interval. */
  static final Duration MIN_DEADLINE = Duration.ofMillis(250);

  private final String name;
  private final LimpClock clock;
  private final long deadlineNanos;
  private final List<SignalSource> sources = new CopyOnWriteArrayList<>();
  private final Map<SignalSource, Long> lastWarning = new ConcurrentHashMap<>();
  /** A source's sampling that has not returned yet, from this tick or an earlier one. */
  private final Map<SignalSource, Future<SourceSink>> running = new ConcurrentHashMap<>();
  private final ExecutorService executor;

  SignalSampler(String name, LimpClock clock, Duration tickInterval, List<SignalSource> initial) {
    this.name = name;
    this.clock = clock;
    this.deadlineNanos = Math.max(tickInterval.toNanos(), MIN_DEADLINE.toNanos());
    this.executor = Executors.newCachedThreadPool(new LimpThreads("limp-signals-" + name));
    sources.addAll(initial);
  }

  void add(SignalSource source) {
    sources.add(Objects.requireNonNull(source, "source"));
  }

  void remove(SignalSource source) {
    sources.remove(source);
  }

  /** Reads every source; suspects that name no declared feature are left out. */
  SignalSnapshot sample(Collection<String> declared) {
    if (sources.isEmpty()) {
      return SignalSnapshot.empty();
    }
    List<SignalSource> asked = new ArrayList<>();
    for (SignalSource source : sources) {
      Future<SourceSink> busy = running.get(source);
      if (busy != null && !busy.isDone()) {
        warn(source, "is still busy from an earlier tick", null);
        continue;
      }
      try {
        running.put(source, executor.submit(() -> {
          SourceSink own = new SourceSink();
          source.sample(own);
          return own;
        }));
        asked.add(source);
      } catch (RejectedExecutionException closed) {
        return SignalSnapshot.empty();
      }
    }
    Map<Signal, Double> readings = new LinkedHashMap<>();
    Map<String, String> suspects = new LinkedHashMap<>();
    Map<String, Integer> held = new LinkedHashMap<>();
    Map<Signal, String> details = new LinkedHashMap<>();
    String answering = null;
    long deadline = System.nanoTime() + deadlineNanos;
    for (SignalSource source : asked) {
      SourceSink own = await(source, running.get(source), deadline);
      if (own != null) {
        own.readings.forEach((signal, value) -> {
          if (!Double.isNaN(value)) { // two sources of one signal (two databases): the worst reading counts
            Double before = readings.get(signal);
            String detail = own.details.get(signal); // the detail goes with the reading that counts
            if (before == null || value > before) {
              readings.put(signal, value);
              details.remove(signal);
            }
            if (detail != null && value >= readings.get(signal)) {
              details.putIfAbsent(signal, detail);
            }
          }
        });
        suspects.putAll(own.suspects);
        held.putAll(own.held);
        answering = answering != null ? answering : own.answering;
      }
    }
    suspects.keySet().retainAll(declared);
    held.keySet().retainAll(suspects.keySet());
    return SignalSnapshot.of(readings, suspects, held, answering).withDetails(details);
  }

  /** The source's readings, or {@code null} if it failed or did not answer by {@code deadline}. */
  private SourceSink await(SignalSource source, Future<SourceSink> sampling, long deadline) {
    try {
      SourceSink own = sampling.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      running.remove(source, sampling);
      return own;
    } catch (TimeoutException late) {
      warn(source, "did not answer within " + TimeUnit.NANOSECONDS.toMillis(deadlineNanos) + " ms", null);
    } catch (ExecutionException failed) { // an Error too: the other sources and the decision go on
      running.remove(source, sampling);
      warn(source, "failed", failed.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return null;
  }

  private void warn(SignalSource source, String what, Throwable e) {
    long now = clock.nanoTime();
    Long last = lastWarning.get(source);
    if (last == null || now - last > WARN_EVERY) {
      lastWarning.put(source, now);
      LOG.warn("limp[{}]: signal source {} {}; its signals are missing this tick (logged at most once a "
          + "minute per source)", name, source, what, e);
    }
  }

  /** Stops the sampling threads; a source still running is interrupted. */
  void close() {
    executor.shutdownNow();
  }

  /** One source's readings of one tick, kept apart until the source returns normally. */
  private static final class SourceSink implements dev.limp.SignalSource.Sink {
    final Map<Signal, Double> readings = new LinkedHashMap<>();
    final Map<Signal, String> details = new LinkedHashMap<>();
    final Map<String, String> suspects = new LinkedHashMap<>();
    final Map<String, Integer> held = new LinkedHashMap<>();
    String answering;

    @Override
    public void put(Signal signal, double value) {
      readings.put(Objects.requireNonNull(signal, "signal"), value);
      details.remove(signal);
    }

    @Override
    public void put(Signal signal, double value, String detail) {
      put(signal, value);
      details.put(signal, Objects.requireNonNull(detail, "detail"));
    }

    @Override
    public void suspect(String feature, String reason) {
      suspects.put(Objects.requireNonNull(feature, "feature"), Objects.requireNonNull(reason, "reason"));
    }

    @Override
    public void suspect(String feature, String reason, int connections) {
      suspect(feature, reason);
      if (connections > 0) {
        held.put(feature, connections);
      }
    }

    @Override
    public void answering(String evidence) {
      answering = Objects.requireNonNull(evidence, "evidence");
    }
  }
}
