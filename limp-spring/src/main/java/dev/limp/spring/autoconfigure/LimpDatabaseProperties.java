package dev.limp.spring.autoconfigure;

import dev.limp.Tier;
import dev.limp.db.DatabaseMonitor;
import java.time.Duration;
import org.springframework.boot.context.properties.NestedConfigurationProperty;

/**
 * The {@code limp.database.*} properties: how the application's DataSource is watched.
 *
 * <p>Not thread-safe: bound once at start-up.
 */
public class LimpDatabaseProperties {
  /** Whether to wrap the application's DataSource in limp's monitored DataSource and watch it. */
  private boolean enabled = true;

  /**
   * The name of the DataSource bean to watch, when the application has several; unset watches the only
   * one (or the first one created, with a warning for the others).
   */
  private String beanName;

  /** The sliding window signals are computed over (1 s to 10 min). */
  private Duration window = DatabaseMonitor.DEFAULT_WINDOW;

  /** How many buckets the window slides by (1 to 600). */
  private int windowBuckets = DatabaseMonitor.DEFAULT_WINDOW_BUCKETS;

  /**
   * How many connections are kept for the tiers at or above reserve-for; unset for a fifth of the pool,
   * 0 for no reserve.
   */
  private Integer reserve;

  /** The lowest tier that may use the reserve. */
  private Tier reserveFor = Tier.CRITICAL;

  /** The share of connection-time that makes a feature a culprit while the pool is under pressure. */
  private double culpritShare = DatabaseMonitor.DEFAULT_CULPRIT_SHARE;

  /** The canary query. */
  @NestedConfigurationProperty
  private final LimpCanaryProperties canary = new LimpCanaryProperties();

  public boolean isEnabled() {
    return enabled;
  }

  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  public String getBeanName() {
    return beanName;
  }

  public void setBeanName(String beanName) {
    this.beanName = beanName;
  }

  public Duration getWindow() {
    return window;
  }

  public void setWindow(Duration window) {
    this.window = window;
  }

  public int getWindowBuckets() {
    return windowBuckets;
  }

  public void setWindowBuckets(int windowBuckets) {
    this.windowBuckets = windowBuckets;
  }

  public Integer getReserve() {
    return reserve;
  }

  public void setReserve(Integer reserve) {
    this.reserve = reserve;
  }

  public Tier getReserveFor() {
    return reserveFor;
  }

  public void setReserveFor(Tier reserveFor) {
    this.reserveFor = reserveFor;
  }

  public double getCulpritShare() {
    return culpritShare;
  }

  public void setCulpritShare(double culpritShare) {
    this.culpritShare = culpritShare;
  }

  public LimpCanaryProperties getCanary() {
    return canary;
  }
}
