package dev.limp.testing;

import dev.limp.Signal;
import dev.limp.SignalSource;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A signal source whose readings the test sets. Thread-safe. */
public final class TestSignals implements SignalSource {
  public static final Signal LATENCY = Signal.of("test.latency", Signal.Unit.MILLISECONDS);
  public static final Signal SATURATION = Signal.of("test.saturation", Signal.Unit.RATIO);

  private final Map<Signal, Double> readings = new ConcurrentHashMap<>();

  public TestSignals set(Signal signal, double value) {
    readings.put(signal, value);
    return this;
  }

  public TestSignals clear(Signal signal) {
    readings.remove(signal);
    return this;
  }

  @Override
  public void sample(Sink sink) {
    readings.forEach(sink::put);
  }
}
