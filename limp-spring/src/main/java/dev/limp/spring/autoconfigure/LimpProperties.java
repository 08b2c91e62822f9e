package dev.limp.spring.autoconfigure;

import dev.limp.Level;
import dev.limp.LimpBuilder;
import dev.limp.Signal;
import dev.limp.Tier;
import dev.limp.db.CanaryConfig;
import dev.limp.db.DatabaseMonitor;
import dev.limp.annotation.LimpFeature;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

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
 * limp.policy.rules[db.query.p99].levels.shed-sheddable.enter=400
 * limp.policy.rules[db.query.p99].levels.shed-sheddable.exit=150
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
   * Features by name, declared at start-up. Features that only annotations name are declared with the
   * annotation's tier.
   */
  private Map<String, Feature> features = new LinkedHashMap<>();

  /** How signals become a level. */
  private final Policy policy = new Policy();

  /** How the application's DataSource is watched. */
  private final Database database = new Database();

  /** The operator MXBean. */
  private final Jmx jmx = new Jmx();

  /** The @LimpFeature annotations on Spring beans. */
  private final Annotations annotations = new Annotations();

  /** How shed calls that reach a Spring MVC controller are answered. */
  private final Web web = new Web();

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

  public Map<String, Feature> getFeatures() {
    return features;
  }

  public void setFeatures(Map<String, Feature> features) {
    this.features = features;
  }

  public Policy getPolicy() {
    return policy;
  }

  public Database getDatabase() {
    return database;
  }

  public Jmx getJmx() {
    return jmx;
  }

  public Annotations getAnnotations() {
    return annotations;
  }

  public Web getWeb() {
    return web;
  }

  /** One feature's declaration. */
  public static class Feature {
    /** The feature's tier (required). The governor sheds tiers from the bottom up and never CRITICAL_PLUS. */
    private Tier tier;

    /** No circuit breaker of its own: shed only by the governor and operators. */
    private boolean governorOnly;

    /** The most concurrent calls the feature may make (a bulkhead that never waits); unset for none. */
    private Integer bulkhead;

    /** How old a last good value may be and still be served while shed; unset for no stale values. */
    private Duration staleValueMaxAge;

    /** How many last good values are kept (with a stale-value maximum age). */
    private long staleValueMaxEntries = LimpFeature.DEFAULT_STALE_VALUE_MAX_ENTRIES;

    /** The capacity of the queue of shed void work replayed on restore; unset for no deferral. */
    private Integer deferQueueCapacity;

    public Tier getTier() {
      return tier;
    }

    public void setTier(Tier tier) {
      this.tier = tier;
    }

    public boolean isGovernorOnly() {
      return governorOnly;
    }

    public void setGovernorOnly(boolean governorOnly) {
      this.governorOnly = governorOnly;
    }

    public Integer getBulkhead() {
      return bulkhead;
    }

    public void setBulkhead(Integer bulkhead) {
      this.bulkhead = bulkhead;
    }

    public Duration getStaleValueMaxAge() {
      return staleValueMaxAge;
    }

    public void setStaleValueMaxAge(Duration staleValueMaxAge) {
      this.staleValueMaxAge = staleValueMaxAge;
    }

    public long getStaleValueMaxEntries() {
      return staleValueMaxEntries;
    }

    public void setStaleValueMaxEntries(long staleValueMaxEntries) {
      this.staleValueMaxEntries = staleValueMaxEntries;
    }

    public Integer getDeferQueueCapacity() {
      return deferQueueCapacity;
    }

    public void setDeferQueueCapacity(Integer deferQueueCapacity) {
      this.deferQueueCapacity = deferQueueCapacity;
    }
  }

  /** The governor policy. */
  public static class Policy {
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
     * Rules by signal name (use brackets: limp.policy.rules[db.query.p99]...): the enter and exit
     * thresholds per level.
     */
    private Map<String, Rule> rules = new LinkedHashMap<>();

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

    public Map<String, Rule> getRules() {
      return rules;
    }

    public void setRules(Map<String, Rule> rules) {
      this.rules = rules;
    }
  }

  /** The rule of one signal. */
  public static class Rule {
    /** The signal's unit; may be left out for the database signals, whose units are known. */
    private Signal.Unit unit;

    /** The thresholds, by level (shed-sheddable, shed-sheddable-plus, shed-critical). */
    private Map<Level, Threshold> levels = new LinkedHashMap<>();

    public Signal.Unit getUnit() {
      return unit;
    }

    public void setUnit(Signal.Unit unit) {
      this.unit = unit;
    }

    public Map<Level, Threshold> getLevels() {
      return levels;
    }

    public void setLevels(Map<Level, Threshold> levels) {
      this.levels = levels;
    }
  }

  /** One level's thresholds of a rule, in the signal's unit (milliseconds for latencies). */
  public static class Threshold {
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

  /** The application's DataSource. */
  public static class Database {
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
    private final Canary canary = new Canary();

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

    public Canary getCanary() {
      return canary;
    }
  }

  /** The canary: a trivial query run on a schedule, so that a stalled database is seen without traffic. */
  public static class Canary {
    /** Whether to run the canary. */
    private boolean enabled;

    /** The query; unset for the database product's trivial query (SELECT 1 or its dialect's form). */
    private String query;

    /** How often the canary runs (100 ms to 1 hour). */
    private Duration interval = CanaryConfig.DEFAULT_INTERVAL;

    /** How long the canary may take before it counts as failed (10 ms to 1 minute). */
    private Duration timeout = CanaryConfig.DEFAULT_TIMEOUT;

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    public String getQuery() {
      return query;
    }

    public void setQuery(String query) {
      this.query = query;
    }

    public Duration getInterval() {
      return interval;
    }

    public void setInterval(Duration interval) {
      this.interval = interval;
    }

    public Duration getTimeout() {
      return timeout;
    }

    public void setTimeout(Duration timeout) {
      this.timeout = timeout;
    }
  }

  /** The operator MXBean. */
  public static class Jmx {
    /**
     * Whether to register the MXBean (dev.limp:type=Limp,name=<name>); it is registered only when
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

  /** The annotations on Spring beans. */
  public static class Annotations {
    /** Whether @LimpFeature annotations on Spring beans are applied. */
    private boolean enabled = true;

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }
  }

  /** Spring MVC. */
  public static class Web {
    /**
     * Whether a shed call that reaches a Spring MVC controller, and that the application does not handle
     * itself, becomes a 503 with Retry-After and a problem-detail body.
     */
    private boolean problemDetails = true;

    public boolean isProblemDetails() {
      return problemDetails;
    }

    public void setProblemDetails(boolean problemDetails) {
      this.problemDetails = problemDetails;
    }
  }
}
