package dev.limp.spring.autoconfigure;

import dev.limp.LimpBuilder;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;

/**
 * The {@code limp.*} properties of the Spring Boot auto-configuration. Every setting has the core's
 * default; values are checked when the limp instance is built, and a bad one fails start-up with a report
 * that names the property, the rejected value and what is allowed.
 *
 * <pre>
 * limp.features.chat-post.tier=CRITICAL_PLUS
 * limp.features.search.tier=SHEDDABLE
 * limp.features.search.stale-value-max-age=5m
 * limp.policy.min-dwell=30s
 * limp.policy.rules[db.query.critical.p99].levels.shed-sheddable.enter=400
 * limp.policy.rules[db.query.critical.p99].levels.shed-sheddable.exit=150
 * limp.database.canary.enabled=true
 * </pre>
 *
 * <p>Not thread-safe: bound once at start-up.
 */
@ConfigurationProperties(prefix = "limp")
public class LimpProperties {
  /** Whether limp is on. false creates no limp instance, wraps nothing and registers nothing. */
  private boolean enabled = true;

  /** The instance's name: in thread names, logs, metric tags and the MBean's ObjectName. */
  private String name = LimpBuilder.DEFAULT_NAME;

  /** Shadow mode: the governor decides and reports what it would shed, but sheds nothing. */
  private boolean shadowMode;

  /** How often the governor reads the signals and decides (10 ms to 1 minute). */
  private Duration tickInterval = LimpBuilder.DEFAULT_TICK_INTERVAL;

  /**
   * Whether the governor runs on its own daemon thread. Switch it off only to drive the governor yourself
   * with Limp.tick() (in tests).
   */
  private boolean governorThread = true;

  /** The longest an operator override may last. */
  private Duration maxOverrideDuration = LimpBuilder.DEFAULT_MAX_OVERRIDE_DURATION;

  /**
   * Features by name, declared at start-up; a name with dots goes in brackets. Keys of each feature:
   * limp.features[name].tier (required: CRITICAL_PLUS, CRITICAL, SHEDDABLE_PLUS or SHEDDABLE),
   * .governor-only, .bulkhead, .stale-value-max-age, .stale-value-max-entries, .defer-queue-capacity, and
   * the breaker's .circuit-breaker.* (failure-rate-threshold, slow-call-rate-threshold,
   * slow-call-duration-threshold, sliding-window-type, sliding-window-size, minimum-number-of-calls,
   * wait-duration-in-open-state, permitted-number-of-calls-in-half-open-state, record-exceptions,
   * ignore-exceptions). Features that only annotations name are declared with the annotation's tier.
   */
  private Map<String, LimpFeatureProperties> features = new LinkedHashMap<>();

  /** How signals become a level. */
  @NestedConfigurationProperty
  private final LimpPolicyProperties policy = new LimpPolicyProperties();

  /** How the application's DataSource is watched. */
  @NestedConfigurationProperty
  private final LimpDatabaseProperties database = new LimpDatabaseProperties();

  /** The operator MXBean. */
  @NestedConfigurationProperty
  private final LimpJmxProperties jmx = new LimpJmxProperties();

  /** The @LimpFeature annotations on Spring beans. */
  @NestedConfigurationProperty
  private final LimpAnnotationsProperties annotations = new LimpAnnotationsProperties();

  /** How shed calls that reach a Spring MVC controller are answered. */
  @NestedConfigurationProperty
  private final LimpWebProperties web = new LimpWebProperties();

  public boolean isEnabled() {
    return enabled;
  }

  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public boolean isShadowMode() {
    return shadowMode;
  }

  public void setShadowMode(boolean shadowMode) {
    this.shadowMode = shadowMode;
  }

  public Duration getTickInterval() {
    return tickInterval;
  }

  public void setTickInterval(Duration tickInterval) {
    this.tickInterval = tickInterval;
  }

  public boolean isGovernorThread() {
    return governorThread;
  }

  public void setGovernorThread(boolean governorThread) {
    this.governorThread = governorThread;
  }

  public Duration getMaxOverrideDuration() {
    return maxOverrideDuration;
  }

  public void setMaxOverrideDuration(Duration maxOverrideDuration) {
    this.maxOverrideDuration = maxOverrideDuration;
  }

  public Map<String, LimpFeatureProperties> getFeatures() {
    return features;
  }

  public void setFeatures(Map<String, LimpFeatureProperties> features) {
    this.features = features;
  }

  public LimpPolicyProperties getPolicy() {
    return policy;
  }

  public LimpDatabaseProperties getDatabase() {
    return database;
  }

  public LimpJmxProperties getJmx() {
    return jmx;
  }

  public LimpAnnotationsProperties getAnnotations() {
    return annotations;
  }

  public LimpWebProperties getWeb() {
    return web;
  }
}
