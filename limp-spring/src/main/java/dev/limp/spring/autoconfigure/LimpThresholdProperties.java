package dev.limp.spring.autoconfigure;

/**
 * The {@code limp.policy.rules[<signal>].levels.<level>.*} properties: one level's thresholds of a
 * rule, in the signal's unit (milliseconds for latencies).
 *
 * <p>Not thread-safe: bound once at start-up.
 */
public class LimpThresholdProperties {
  /** A reading at or above this raises the level to at least this level. */
  private Double enter;

  /** While a reading stays at or above this, the level is held. Must be below enter. */
  private Double exit;

  public Double getEnter() {
    return enter;
  }

  public void setEnter(Double enter) {
    this.enter = enter;
  }

  public Double getExit() {
    return exit;
  }

  public void setExit(Double exit) {
    this.exit = exit;
  }
}
