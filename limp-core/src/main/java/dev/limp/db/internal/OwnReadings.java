package dev.limp.db.internal;

import dev.limp.Signal;
import dev.limp.SignalSnapshot;
import dev.limp.SignalSource;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A sink that passes a monitor's readings on to the governor and keeps a copy, so that the monitor can say
 * what its own data source read (the governor reads the worst of every source). Not thread-safe, like any
 * sink: valid during one {@link SignalSource#sample} call.
 */
public final class OwnReadings implements SignalSource.Sink {
  private final SignalSource.Sink governor;
  private final Map<Signal, Double> readings = new LinkedHashMap<>();
  private final Map<String, String> suspects = new LinkedHashMap<>();
  private final Map<String, Integer> held = new LinkedHashMap<>();
  private final Map<Signal, String> details = new LinkedHashMap<>();
  private String answering;

  public OwnReadings(SignalSource.Sink governor) {
    this.governor = governor;
  }

  @Override
  public void put(Signal signal, double value) {
    readings.put(signal, value);
    governor.put(signal, value);
  }

  @Override
  public void suspect(String feature, String reason) {
    suspects.put(feature, reason);
    governor.suspect(feature, reason);
  }

  @Override
  public void suspect(String feature, String reason, int connections) {
    suspects.put(feature, reason);
    held.put(feature, connections);
    governor.suspect(feature, reason, connections);
  }

  @Override
  public void answering(String evidence) {
    answering = evidence;
    governor.answering(evidence);
  }

  @Override
  public void explain(Signal signal, String detail) {
    details.put(signal, detail);
    governor.explain(signal, detail);
  }

  /**
   * Keeps a reading in this monitor's own snapshot without passing it on: a pool signal a culprit still in
   * the pool explains (see {@link CulpritFinder#culpritStillInThePool}).
   */
  public void keepOnly(Signal signal, double value) {
    readings.put(signal, value);
  }

  /** A sink that holds the readings put on it until {@link Held#passOn} or {@link Held#keepOnly}. */
  public Held held() {
    return new Held();
  }

  /** Readings held back for one tick. */
  public final class Held implements SignalSource.Sink {
    private final Map<Signal, Double> values = new LinkedHashMap<>();

    @Override
    public void put(Signal signal, double value) {
      values.put(signal, value);
    }

    @Override
    public void suspect(String feature, String reason) {
      OwnReadings.this.suspect(feature, reason);
    }

    /** Passes the held readings on to the governor. */
    public void passOn() {
      values.forEach(OwnReadings.this::put);
    }

    /** Keeps the held readings in the monitor's own snapshot only. */
    public void keepOnly() {
      values.forEach(OwnReadings.this::keepOnly);
    }
  }

  /** What was reported, as one snapshot. */
  public SignalSnapshot snapshot() {
    return SignalSnapshot.of(readings, suspects, held, answering, details);
  }
}
