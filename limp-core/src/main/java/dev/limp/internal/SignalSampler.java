package dev.limp.internal;

import dev.limp.LimpClock;
import dev.limp.Signal;
import dev.limp.SignalSnapshot;
import dev.limp.SignalSource;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads every {@link SignalSource} of an instance into one {@link SignalSnapshot}: the measuring step of a
 * tick. A source that throws counts as missing for that tick (logged at most once a minute per source); the
 * others and the decision go on. Sources may be added and removed at any time. Thread-safe.
 */
final class SignalSampler {
  private static final Logger LOG = LoggerFactory.getLogger(dev.limp.Limp.class);
  private static final long WARN_EVERY = TimeUnit.SECONDS.toNanos(60);

  private final String name;
  private final LimpClock clock;
  private final List<SignalSource> sources = new CopyOnWriteArrayList<>();
  private final Map<SignalSource, Long> lastWarning = new ConcurrentHashMap<>();

  SignalSampler(String name, LimpClock clock, List<SignalSource> initial) {
    this.name = name;
    this.clock = clock;
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
    Map<Signal, Double> readings = new LinkedHashMap<>();
    Map<String, String> suspects = new LinkedHashMap<>();
    for (SignalSource source : sources) {
      SourceSink own = new SourceSink();
      try {
        source.sample(own);
        readings.putAll(own.readings);
        suspects.putAll(own.suspects);
      } catch (RuntimeException | Error e) { // an Error too: the other sources and the decision go on
        warn(source, e);
      }
    }
    suspects.keySet().retainAll(declared);
    return SignalSnapshot.of(readings, suspects);
  }

  private void warn(SignalSource source, Throwable e) {
    long now = clock.nanoTime();
    Long last = lastWarning.get(source);
    if (last == null || now - last > WARN_EVERY) {
      lastWarning.put(source, now);
      LOG.warn("limp[{}]: signal source {} failed; its signals are missing this tick (logged at most "
          + "once a minute per source)", name, source, e);
    }
  }

  /** One source's readings of one tick, kept apart until the source returns normally. */
  private static final class SourceSink implements SignalSource.Sink {
    final Map<Signal, Double> readings = new LinkedHashMap<>();
    final Map<String, String> suspects = new LinkedHashMap<>();

    @Override
    public void put(Signal signal, double value) {
      readings.put(Objects.requireNonNull(signal, "signal"), value);
    }

    @Override
    public void suspect(String feature, String reason) {
      suspects.put(Objects.requireNonNull(feature, "feature"), Objects.requireNonNull(reason, "reason"));
    }
  }
}
