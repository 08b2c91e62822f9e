package dev.limp.spring.autoconfigure;

import dev.limp.Level;
import dev.limp.Signal;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code limp.policy.rules[<signal>].*} properties: the rule of one signal.
 *
 * <p>Not thread-safe: bound once at start-up.
 */
public class LimpRuleProperties {
  /** The signal's unit; may be left out for the database signals, whose units are known. */
  private Signal.Unit unit;

  /** The thresholds, by level (shed-sheddable, shed-sheddable-plus, shed-critical). */
  private Map<Level, LimpThresholdProperties> levels = new LinkedHashMap<>();

  public Signal.Unit getUnit() {
    return unit;
  }

  public void setUnit(Signal.Unit unit) {
    this.unit = unit;
  }

  public Map<Level, LimpThresholdProperties> getLevels() {
    return levels;
  }

  public void setLevels(Map<Level, LimpThresholdProperties> levels) {
    this.levels = levels;
  }
}
