package dev.limp;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The signal readings of one governor tick. Immutable and thread-safe.
 */
public final class SignalSnapshot {
  private static final SignalSnapshot EMPTY = new SignalSnapshot(Map.of());

  private final Map<Signal, Double> readings;

  private SignalSnapshot(Map<Signal, Double> readings) {
    this.readings = readings;
  }

  /** No readings at all. */
  public static SignalSnapshot empty() {
    return EMPTY;
  }

  /** The given readings; {@code NaN} values are left out (they mean "no reading"). */
  public static SignalSnapshot of(Map<Signal, Double> readings) {
    Map<Signal, Double> copy = new LinkedHashMap<>();
    readings.forEach((signal, value) -> {
      Objects.requireNonNull(signal, "signal");
      if (value != null && !value.isNaN()) {
        copy.put(signal, value);
      }
    });
    return copy.isEmpty() ? EMPTY : new SignalSnapshot(Collections.unmodifiableMap(copy));
  }

  /** The reading of a signal, or {@code NaN} when there is none. */
  public double get(Signal signal) {
    Double value = readings.get(signal);
    return value == null ? Double.NaN : value;
  }

  /** All readings, in the order they were taken. */
  public Map<Signal, Double> readings() {
    return readings;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("{");
    readings.forEach((signal, value) -> {
      if (sb.length() > 1) {
        sb.append(", ");
      }
      sb.append(signal.name()).append('=').append(signal.format(value));
    });
    return sb.append('}').toString();
  }
}
