package dev.limp.spring.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code limp.policy.*} properties: the governor policy, how signals become a level.
 *
 * <p>Not thread-safe: bound once at start-up.
 */
public class LimpPolicyProperties {
  /**
   * Whether to start from the database rules of DatabaseSignals.defaultRules() (query and
   * acquire latency, acquire timeouts, pool waiters, canary). Rules given below replace them signal by
   * signal.
   */
  private boolean databaseRules = true;

  /**
   * How long the signals must stay calm, and a level must have lasted, before the governor steps down one
   * level (hysteresis in time).
   */
  private Duration minDwell = dev.limp.GovernorPolicy.DEFAULT_MIN_DWELL;

  /**
   * The longest the dwell grows to after relapses: when the level rises again soon after a step down (or
   * a culprit is named again soon after it was let back in), the next wait doubles, up to this. Unless
   * set, 8 times min-dwell; equal to min-dwell for no back-off.
   */
  private Duration maxDwell;

  /** The fractions of calls a restored feature admits, step by step, strictly rising, each in (0, 1]. */
  private List<Double> rampSteps = new ArrayList<>(dev.limp.GovernorPolicy.DEFAULT_RAMP_STEPS);

  /** How long a restored feature takes to be fully admitted again. */
  private Duration rampPeriod = dev.limp.GovernorPolicy.DEFAULT_RAMP_PERIOD;

  /**
   * Rules by signal name (use brackets: limp.policy.rules[db.query.critical.p99]...): the enter and exit
   * thresholds per level, as limp.policy.rules[signal].levels.level.enter and .exit, the level being
   * shed-sheddable, shed-sheddable-plus or shed-critical; and .unit (MILLISECONDS, COUNT or RATIO), needed
   * only for a signal that is not one of limp's database signals.
   */
  private Map<String, LimpRuleProperties> rules = new LinkedHashMap<>();

  public boolean isDatabaseRules() {
    return databaseRules;
  }

  public void setDatabaseRules(boolean databaseRules) {
    this.databaseRules = databaseRules;
  }

  public Duration getMinDwell() {
    return minDwell;
  }

  public void setMinDwell(Duration minDwell) {
    this.minDwell = minDwell;
  }

  public Duration getMaxDwell() {
    return maxDwell;
  }

  public void setMaxDwell(Duration maxDwell) {
    this.maxDwell = maxDwell;
  }

  public List<Double> getRampSteps() {
    return rampSteps;
  }

  public void setRampSteps(List<Double> rampSteps) {
    this.rampSteps = rampSteps;
  }

  public Duration getRampPeriod() {
    return rampPeriod;
  }

  public void setRampPeriod(Duration rampPeriod) {
    this.rampPeriod = rampPeriod;
  }

  public Map<String, LimpRuleProperties> getRules() {
    return rules;
  }

  public void setRules(Map<String, LimpRuleProperties> rules) {
    this.rules = rules;
  }
}
