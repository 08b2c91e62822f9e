package dev.limp;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The signal readings of one governor tick. Immutable and thread-safe.
 */
public final class SignalSnapshot {
  private static final SignalSnapshot EMPTY = new SignalSnapshot(Map.of(), Map.of(), Map.of(), null);

  private final Map<Signal, Double> readings;
  private final Map<String, String> suspects;
  private final Map<String, Integer> held;
  private final String answering;
  private final Map<Signal, String> details;

  private SignalSnapshot(Map<Signal, Double> readings, Map<String, String> suspects, Map<String, Integer> held,
      String answering) {
    this.readings = readings;
    this.suspects = suspects;
    this.held = held;
    this.answering = answering;
    this.details = Map.of();
  }

  private SignalSnapshot(SignalSnapshot base, Map<Signal, String> details) {
    this.readings = base.readings;
    this.suspects = base.suspects;
    this.held = base.held;
    this.answering = base.answering;
    this.details = details;
  }

  /**
   * These readings with the details their sources gave (see {@link SignalSource.Sink#put(Signal, double,
   * String)}); a detail of a signal without a reading is left out.
   */
  public SignalSnapshot withDetails(Map<Signal, String> details) {
    Map<Signal, String> copy = new LinkedHashMap<>(details);
    copy.keySet().retainAll(readings.keySet());
    return copy.isEmpty() ? this : new SignalSnapshot(this, Map.copyOf(copy));
  }

  /** The detail the source gave with the signal's reading, if any. */
  public Optional<String> detail(Signal signal) {
    return Optional.ofNullable(details.get(signal));
  }

  /** No readings at all. */
  public static SignalSnapshot empty() {
    return EMPTY;
  }

  /** The given readings; {@code NaN} values are left out (they mean "no reading"). */
  public static SignalSnapshot of(Map<Signal, Double> readings) {
    return of(readings, Map.of());
  }

  /**
   * The given readings and culprits (feature name → reason, see {@link SignalSource.Sink#suspect}).
   * {@code NaN} values are left out.
   */
  public static SignalSnapshot of(Map<Signal, Double> readings, Map<String, String> suspects) {
    return of(readings, suspects, Map.of(), null);
  }

  /**
   * The given readings and culprits, how many connections each culprit holds now (see
   * {@link SignalSource.Sink#suspect(String, String, int)}), and the evidence that the resource answers
   * ({@code null} for none; see {@link SignalSource.Sink#answering}). {@code NaN} values are left out.
   */
  public static SignalSnapshot of(Map<Signal, Double> readings, Map<String, String> suspects,
      Map<String, Integer> held, String answering) {
    Objects.requireNonNull(readings, "readings");
    Objects.requireNonNull(suspects, "suspects");
    Objects.requireNonNull(held, "held");
    Map<Signal, Double> copy = new LinkedHashMap<>();
    readings.forEach((signal, value) -> {
      Objects.requireNonNull(signal, "signal");
      if (value != null && !value.isNaN()) {
        copy.put(signal, value);
      }
    });
    if (copy.isEmpty() && suspects.isEmpty() && answering == null) {
      return EMPTY;
    }
    return new SignalSnapshot(Collections.unmodifiableMap(copy),
        Collections.unmodifiableMap(new LinkedHashMap<>(suspects)), Map.copyOf(held), answering);
  }

  /** The reading of a signal, or {@code NaN} when there is none. */
  public double get(Signal signal) {
    Double value = readings.get(signal);
    return value == null ? Double.NaN : value;
  }

  /** The features named as culprits at this tick, with the reason given. */
  public Map<String, String> suspects() {
    return suspects;
  }

  /** How many connections (or concurrent calls) the culprit holds now, as its source said; 0 when unknown. */
  public int held(String feature) {
    return held.getOrDefault(feature, 0);
  }

  /** Evidence, this tick, that the resource answers normally again; empty when none was reported. */
  public Optional<String> answering() {
    return Optional.ofNullable(answering);
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
    if (!suspects.isEmpty()) {
      sb.append(", suspects=").append(suspects.keySet());
    }
    return sb.append('}').toString();
  }
}
