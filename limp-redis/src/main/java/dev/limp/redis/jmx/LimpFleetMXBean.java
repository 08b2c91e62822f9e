package dev.limp.redis.jmx;

import java.util.List;
import java.util.Map;
import javax.management.ConstructorParameters;

/**
 * The fleet view over JMX, registered as {@code dev.limp:type=LimpFleet,name=<fleet>,instance=<instance>}:
 * every live instance from its heartbeat, the fleet's overrides in force and the latest operator actions. Uses
 * only open types, so {@code jconsole}, VisualVM and command-line clients work without limp's classes.
 *
 * <p>Read-only: operator actions go through the instance's own MXBean ({@code dev.limp:type=Limp,name=…}),
 * which acts on the whole fleet. {@link #getMembers()}, {@link #getOverrides()} and {@link #getAudit()} read
 * Redis on each call (bounded by the fleet's command timeout); when Redis does not answer they fail with an
 * {@link IllegalStateException} saying so, and {@link #isConnected()} is {@code false}.
 */
public interface LimpFleetMXBean {
  /** How many operator actions {@link #getAudit()} shows. */
  int AUDIT_ENTRIES = 50;

  /** The fleet's name. */
  String getFleetName();

  /** This instance's id in the fleet. */
  String getInstance();

  /** Whether the link to Redis works now. */
  boolean isConnected();

  /** Every live instance, by id, from its latest heartbeat. */
  List<MemberView> getMembers();

  /** The fleet's overrides in force, as Redis holds them. */
  List<OverrideView> getOverrides();

  /** The latest {@value #AUDIT_ENTRIES} operator actions of the whole fleet, newest first. */
  List<AuditView> getAudit();

  /** One live instance, mapped by JMX to {@code CompositeData}. */
  final class MemberView {
    private final String instance;
    private final String level;
    private final String levelReason;
    private final boolean followsFleet;
    private final long ageMillis;
    private final String seenAt;
    private final int overrides;
    private final Map<String, String> features;
    private final Map<String, Double> signals;

    @ConstructorParameters({"instance", "level", "levelReason", "followsFleet", "ageMillis", "seenAt",
        "overrides", "features", "signals"})
    public MemberView(String instance, String level, String levelReason, boolean followsFleet, long ageMillis,
        String seenAt, int overrides, Map<String, String> features, Map<String, Double> signals) {
      this.instance = instance;
      this.level = level;
      this.levelReason = levelReason;
      this.followsFleet = followsFleet;
      this.ageMillis = ageMillis;
      this.seenAt = seenAt;
      this.overrides = overrides;
      this.features = Map.copyOf(features);
      this.signals = Map.copyOf(signals);
    }

    public String getInstance() {
      return instance;
    }

    /** NORMAL, SHED_SHEDDABLE, SHED_SHEDDABLE_PLUS or SHED_CRITICAL. */
    public String getLevel() {
      return level;
    }

    public String getLevelReason() {
      return levelReason;
    }

    /** Whether the instance is at its level only because it follows the fleet rule. */
    public boolean isFollowsFleet() {
      return followsFleet;
    }

    /** How old its heartbeat was when read, in milliseconds of Redis's clock. */
    public long getAgeMillis() {
      return ageMillis;
    }

    /** When Redis received its heartbeat (ISO-8601). */
    public String getSeenAt() {
      return seenAt;
    }

    /** How many overrides are in force on it. */
    public int getOverrides() {
      return overrides;
    }

    /** Each feature's state (ACTIVE, RAMPING, SHED), by name. */
    public Map<String, String> getFeatures() {
      return features;
    }

    /** Its latest signal readings, pool numbers among them, by name. */
    public Map<String, Double> getSignals() {
      return signals;
    }
  }

  /** One override in force in the fleet, mapped by JMX to {@code CompositeData}. */
  final class OverrideView {
    private final String kind;
    private final String target;
    private final String actor;
    private final String origin;
    private final String reason;
    private final String createdAt;
    private final String expiresAt;

    @ConstructorParameters({"kind", "target", "actor", "origin", "reason", "createdAt", "expiresAt"})
    public OverrideView(String kind, String target, String actor, String origin, String reason, String createdAt,
        String expiresAt) {
      this.kind = kind;
      this.target = target;
      this.actor = actor;
      this.origin = origin;
      this.reason = reason;
      this.createdAt = createdAt;
      this.expiresAt = expiresAt;
    }

    /** FORCE_LEVEL, SHED, SHED_TOP_TIER or PIN. */
    public String getKind() {
      return kind;
    }

    /** The forced level's or the feature's name. */
    public String getTarget() {
      return target;
    }

    public String getActor() {
      return actor;
    }

    /** The instance (or command-line tool) it was issued on. */
    public String getOrigin() {
      return origin;
    }

    public String getReason() {
      return reason;
    }

    /** ISO-8601, Redis's clock. */
    public String getCreatedAt() {
      return createdAt;
    }

    /** When it ends for the whole fleet: ISO-8601, Redis's clock. */
    public String getExpiresAt() {
      return expiresAt;
    }
  }

  /** One operator action of the audit stream, mapped by JMX to {@code CompositeData}. */
  final class AuditView {
    private final String id;
    private final String at;
    private final String action;
    private final String target;
    private final String actor;
    private final String origin;
    private final String reason;
    private final String expiresAt;

    @ConstructorParameters({"id", "at", "action", "target", "actor", "origin", "reason", "expiresAt"})
    public AuditView(String id, String at, String action, String target, String actor, String origin,
        String reason, String expiresAt) {
      this.id = id;
      this.at = at;
      this.action = action;
      this.target = target;
      this.actor = actor;
      this.origin = origin;
      this.reason = reason;
      this.expiresAt = expiresAt;
    }

    /** The stream entry's id. */
    public String getId() {
      return id;
    }

    /** When Redis stored it (ISO-8601). */
    public String getAt() {
      return at;
    }

    /** FORCE_LEVEL, SHED, SHED_TOP_TIER, PIN, RELEASE or RELEASE_ALL. */
    public String getAction() {
      return action;
    }

    /** The level or feature; {@code *} for every override. */
    public String getTarget() {
      return target;
    }

    public String getActor() {
      return actor;
    }

    public String getOrigin() {
      return origin;
    }

    /** Why, for an override; empty for a release. */
    public String getReason() {
      return reason;
    }

    /** When the override ends (ISO-8601); empty for a release. */
    public String getExpiresAt() {
      return expiresAt;
    }
  }
}
