package dev.limp.spring.autoconfigure;

import dev.limp.Level;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code limp.fleet.*} properties: the instance's fleet on Redis (needs limp-redis on the class path).
 * Operator overrides reach every live instance of the fleet, {@code /actuator/limp/fleet} (and the MXBean
 * {@code dev.limp:type=LimpFleet,…}) shows the whole fleet and its audit, and the fleet rule (opt-in) lets this
 * instance follow the others' level.
 *
 * <p>Not thread-safe: bound once at start-up.
 */
@ConfigurationProperties("limp.fleet")
public class LimpFleetProperties {
  /** Whether this instance joins its fleet on Redis. */
  private boolean enabled;

  /**
   * The fleet's name, 1 to 64 letters, digits, '.', '_' or '-': every key is limp:<name>:…. Default: the
   * limp instance's name (limp.name).
   */
  private @Nullable String name;

  /**
   * This instance's id in the fleet view, the audit and the actor of its overrides elsewhere. Default:
   * <limp name>@<host>-<pid>.
   */
  private @Nullable String instance;

  /**
   * The Redis to use, as a Lettuce URI (redis://user:password@host:6379/0, rediss:// for TLS,
   * redis-sentinel://…). Default: the application's spring.data.redis.* connection settings.
   */
  private @Nullable String redisUri;

  /** How often the instance writes its heartbeat and checks its link to Redis (100ms to 1m). */
  private Duration heartbeatInterval = Duration.ofSeconds(1);

  /** How long a heartbeat lives: a stopped instance drops out of the view after this (at least twice the heartbeat). */
  private Duration memberTtl = Duration.ofSeconds(5);

  /** How often the instance compares its overrides with the fleet's in full (100ms to 10m). */
  private Duration resyncInterval = Duration.ofSeconds(2);

  /** How long a Redis command may take: a fleet command not answered within it is refused (50ms to 1m). */
  private Duration commandTimeout = Duration.ofSeconds(2);

  /** About how many operator actions the audit stream keeps (10 to 10000000). */
  private int auditMaxLength = 10_000;

  private final Rule rule = new Rule();

  public boolean isEnabled() {
    return enabled;
  }

  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  public @Nullable String getName() {
    return name;
  }

  public void setName(@Nullable String name) {
    this.name = name;
  }

  public @Nullable String getInstance() {
    return instance;
  }

  public void setInstance(@Nullable String instance) {
    this.instance = instance;
  }

  public @Nullable String getRedisUri() {
    return redisUri;
  }

  public void setRedisUri(@Nullable String redisUri) {
    this.redisUri = redisUri;
  }

  public Duration getHeartbeatInterval() {
    return heartbeatInterval;
  }

  public void setHeartbeatInterval(Duration heartbeatInterval) {
    this.heartbeatInterval = heartbeatInterval;
  }

  public Duration getMemberTtl() {
    return memberTtl;
  }

  public void setMemberTtl(Duration memberTtl) {
    this.memberTtl = memberTtl;
  }

  public Duration getResyncInterval() {
    return resyncInterval;
  }

  public void setResyncInterval(Duration resyncInterval) {
    this.resyncInterval = resyncInterval;
  }

  public Duration getCommandTimeout() {
    return commandTimeout;
  }

  public void setCommandTimeout(Duration commandTimeout) {
    this.commandTimeout = commandTimeout;
  }

  public int getAuditMaxLength() {
    return auditMaxLength;
  }

  public void setAuditMaxLength(int auditMaxLength) {
    this.auditMaxLength = auditMaxLength;
  }

  public Rule getRule() {
    return rule;
  }

  /**
   * The fleet rule (opt-in: give at-least or share): when that many other live instances are at a level by
   * their own signals, this one goes there too, through its governor (hysteresis, dwell, staged recovery).
   */
  public static class Rule {
    /** Follow when at least this many other live instances are at a level (1 or more). */
    private @Nullable Integer atLeast;

    /** Follow when at least this share of the other live instances, in (0, 1], are at a level. */
    private @Nullable Double share;

    /** The lowest level the rule follows (SHED_SHEDDABLE, SHED_SHEDDABLE_PLUS or SHED_CRITICAL). */
    private Level fromLevel = Level.SHED_SHEDDABLE;

    public @Nullable Integer getAtLeast() {
      return atLeast;
    }

    public void setAtLeast(@Nullable Integer atLeast) {
      this.atLeast = atLeast;
    }

    public @Nullable Double getShare() {
      return share;
    }

    public void setShare(@Nullable Double share) {
      this.share = share;
    }

    public Level getFromLevel() {
      return fromLevel;
    }

    public void setFromLevel(Level fromLevel) {
      this.fromLevel = fromLevel;
    }
  }
}
