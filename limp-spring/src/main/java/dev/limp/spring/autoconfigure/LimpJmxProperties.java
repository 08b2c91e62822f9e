package dev.limp.spring.autoconfigure;

/**
 * The {@code limp.jmx.*} properties: the operator MXBean and the fleet view's.
 *
 * <p>Not thread-safe: bound once at start-up.
 */
public class LimpJmxProperties {
  /**
   * Whether to register the MXBean (dev.limp:type=Limp,name=<name>) and, with a fleet, the fleet view's
   * (dev.limp:type=LimpFleet,name=<fleet>,instance=<instance>); they are registered only when
   * spring.jmx.enabled is true as well.
   */
  private boolean enabled = true;

  public boolean isEnabled() {
    return enabled;
  }

  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }
}
