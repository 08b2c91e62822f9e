package dev.limp.test;

import dev.limp.Signal;
import dev.limp.SignalSource;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link SignalSource} whose readings the test sets: to see what a configuration does when a signal reads
 * a value, without making the database slow. Add it with {@code Limp.builder().signalSource(...)} or
 * {@code limp.addSignalSource(...)}; the governor reads it at every tick like any source, and a reading stays
 * until it is changed or cleared. Thread-safe.
 *
 * <pre>{@code
 * InjectedSignals signals = new InjectedSignals();
 * Limp limp = Limp.builder().policy(DatabaseSignals.defaultPolicy()).signalSource(signals) ... .build();
 * signals.set(DatabaseSignals.CRITICAL_QUERY_P99, 1_200)
 *     .explain(DatabaseSignals.CRITICAL_QUERY_P99, "the reporting job's scans");
 * limp.tick();   // the level is SHED_SHEDDABLE_PLUS, its reason ends with the explanation
 * }</pre>
 */
public final class InjectedSignals implements SignalSource {
  private final Map<Signal, Double> readings = new ConcurrentHashMap<>();
  private final Map<Signal, String> details = new ConcurrentHashMap<>();
  private final Map<String, String> suspects = new ConcurrentHashMap<>();

  /** Reads {@code value} for {@code signal} from the next tick on ({@code NaN}: no reading). */
  public InjectedSignals set(Signal signal, double value) {
    readings.put(Objects.requireNonNull(signal, "signal"), value);
    return this;
  }

  /** Says what lies behind {@code signal}'s reading (see {@link SignalSource.Sink#explain}). */
  public InjectedSignals explain(Signal signal, String detail) {
    details.put(Objects.requireNonNull(signal, "signal"), Objects.requireNonNull(detail, "detail"));
    return this;
  }

  /**
   * Names {@code feature} as a culprit at every tick until {@link #clearSuspect} (see
   * {@link SignalSource.Sink#suspect(String, String)}).
   */
  public InjectedSignals suspect(String feature, String reason) {
    suspects.put(Objects.requireNonNull(feature, "feature"), Objects.requireNonNull(reason, "reason"));
    return this;
  }

  /** Stops reading {@code signal} (and its detail): it is missing from the next tick on. */
  public InjectedSignals clear(Signal signal) {
    readings.remove(signal);
    details.remove(signal);
    return this;
  }

  /** Stops naming {@code feature} as a culprit. */
  public InjectedSignals clearSuspect(String feature) {
    suspects.remove(feature);
    return this;
  }

  /** Clears every reading, detail and culprit. */
  public InjectedSignals clearAll() {
    readings.clear();
    details.clear();
    suspects.clear();
    return this;
  }

  @Override
  public void sample(Sink sink) {
    readings.forEach(sink::put);
    details.forEach(sink::explain);
    suspects.forEach(sink::suspect);
  }

  @Override
  public String toString() {
    return "InjectedSignals" + readings;
  }
}
