package dev.limp.jmx;

import java.util.List;
import java.util.Map;

/**
 * The operator switch over JMX, registered as {@code dev.limp:type=Limp,name=<instance name>}. Uses only
 * open types, so {@code jconsole}, VisualVM and command-line clients work without limp's classes.
 *
 * <p>Attributes are point-in-time values read without locking, racy with each other (as HikariCP's pool
 * gauges are). Every operation needs a duration in seconds (positive, at most the instance's maximum) and a
 * reason, is logged with the JMX principal, and returns a sentence saying what changed. A bad argument
 * (unknown feature or level, non-positive duration, missing reason) is refused with an
 * {@link IllegalArgumentException} whose message says what is allowed, and changes nothing.
 */
public interface LimpMXBean {
  /** The effective level: NORMAL, SHED_SHEDDABLE, SHED_SHEDDABLE_PLUS or SHED_CRITICAL. */
  String getLevel();

  /** The level the governor decided, which differs from {@link #getLevel()} while a level is forced. */
  String getGovernorLevel();

  /** Why the level is what it is. */
  String getLevelReason();

  /** {@code true} unless an operator forced the level. */
  boolean isAutomatic();

  /** Whether the instance only reports what it would shed. */
  boolean isShadowMode();

  /** Each feature's state, one row per feature. */
  List<FeatureView> getFeatures();

  /** The latest signal readings, by signal name. */
  Map<String, Double> getSignals();

  /** The overrides in force, one line each. */
  List<String> getOverrides();

  /** Forces the level for {@code durationSeconds}. */
  String forceLevel(String level, long durationSeconds, String reason);

  /** Sheds one feature (not of the top tier) for {@code durationSeconds}. */
  String shedFeature(String feature, long durationSeconds, String reason);

  /** Sheds one feature of the top tier, CRITICAL_PLUS: the only way the top tier is ever shed. */
  String shedTopTierFeature(String feature, long durationSeconds, String reason);

  /** Keeps one feature on for {@code durationSeconds}, whatever the level. */
  String pinFeature(String feature, long durationSeconds, String reason);

  /** Releases the forced level. */
  String releaseLevel();

  /** Releases the override of one feature. */
  String releaseFeature(String feature);

  /** Releases every override. */
  String releaseAll();

  /** One feature's row, mapped by JMX to {@code CompositeData}. */
  final class FeatureView {
    private final String name;
    private final String tier;
    private final String state;
    private final double admittedFraction;
    private final String reason;
    private final boolean wouldShed;
    private final boolean pinned;
    private final String circuitBreakerState;
    private final long permitted;
    private final long failed;
    private final long shed;
    private final long rejected;
    private final int deferredQueued;
    private final long trialCalls;
    private final long healthyTrialCalls;
    private final long unhealthyTrialCalls;

    @javax.management.ConstructorParameters({"name", "tier", "state", "admittedFraction", "reason", "wouldShed",
        "pinned", "circuitBreakerState", "permitted", "failed", "shed", "rejected", "deferredQueued", "trialCalls",
        "healthyTrialCalls", "unhealthyTrialCalls"})
    public FeatureView(String name, String tier, String state, double admittedFraction, String reason,
        boolean wouldShed, boolean pinned, String circuitBreakerState, long permitted, long failed, long shed,
        long rejected, int deferredQueued, long trialCalls, long healthyTrialCalls, long unhealthyTrialCalls) {
      this.name = name;
      this.tier = tier;
      this.state = state;
      this.admittedFraction = admittedFraction;
      this.reason = reason;
      this.wouldShed = wouldShed;
      this.pinned = pinned;
      this.circuitBreakerState = circuitBreakerState;
      this.permitted = permitted;
      this.failed = failed;
      this.shed = shed;
      this.rejected = rejected;
      this.deferredQueued = deferredQueued;
      this.trialCalls = trialCalls;
      this.healthyTrialCalls = healthyTrialCalls;
      this.unhealthyTrialCalls = unhealthyTrialCalls;
    }

    public String getName() {
      return name;
    }

    public String getTier() {
      return tier;
    }

    /** ACTIVE, THROTTLED, RAMPING or SHED. */
    public String getState() {
      return state;
    }

    public double getAdmittedFraction() {
      return admittedFraction;
    }

    /** Why it is shed or ramping; empty when active. */
    public String getReason() {
      return reason;
    }

    public boolean isWouldShed() {
      return wouldShed;
    }

    public boolean isPinned() {
      return pinned;
    }

    /** The resilience4j breaker's state; empty for a governor-only feature. */
    public String getCircuitBreakerState() {
      return circuitBreakerState;
    }

    public long getPermitted() {
      return permitted;
    }

    public long getFailed() {
      return failed;
    }

    public long getShed() {
      return shed;
    }

    public long getRejected() {
      return rejected;
    }

    public int getDeferredQueued() {
      return deferredQueued;
    }

    /** Trial calls let through while the governor shed the feature, those still running included. */
    public long getTrialCalls() {
      return trialCalls;
    }

    /** Trial calls that ended and were judged healthy. */
    public long getHealthyTrialCalls() {
      return healthyTrialCalls;
    }

    /** Trial calls that ended and were judged unhealthy: an error, or slower than healthy. */
    public long getUnhealthyTrialCalls() {
      return unhealthyTrialCalls;
    }
  }
}
