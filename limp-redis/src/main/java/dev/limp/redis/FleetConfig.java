package dev.limp.redis;

import dev.limp.LimpClock;
import dev.limp.internal.Checks;
import io.lettuce.core.RedisURI;
import io.lettuce.core.resource.ClientResources;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * How one limp instance joins its fleet on Redis: which fleet (the key namespace {@code limp:<fleet>:}), which
 * Redis (a Lettuce {@link RedisURI}: ACL user and password, TLS and Sentinel pass through as they are), how
 * often it says it is alive, and how long it waits for Redis. Immutable and thread-safe; build it with
 * {@link #builder(String, RedisURI)}.
 *
 * <pre>{@code
 * FleetConfig config = FleetConfig.builder("chat", RedisURI.create("rediss://limp:secret@redis:6379"))
 *     .heartbeatInterval(Duration.ofSeconds(1))
 *     .build();
 * }</pre>
 */
public final class FleetConfig {
  /** 1 s: a fleet view a second old, and a reconnection noticed within a second. */
  public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(1);
  /** 5 s: a stopped instance drops out of the fleet view within five seconds. */
  public static final Duration DEFAULT_MEMBER_TTL = Duration.ofSeconds(5);
  /** 2 s: a change whose message was lost (Redis restarted, a subscription re-made) is picked up within 2 s. */
  public static final Duration DEFAULT_RESYNC_INTERVAL = Duration.ofSeconds(2);
  /** 2 s: how long an operator waits before a fleet command is refused because Redis does not answer. */
  public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(2);
  /** 10 000 operator actions kept in the audit stream (trimmed approximately, {@code MAXLEN ~}). */
  public static final int DEFAULT_AUDIT_MAX_LENGTH = 10_000;

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._\\-]{0,63}");
  private static final Pattern INSTANCE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@:\\-]{0,127}");

  private final String fleet;
  private final RedisURI redisUri;
  private final String instanceId;
  private final Duration heartbeatInterval;
  private final Duration memberTtl;
  private final Duration resyncInterval;
  private final Duration commandTimeout;
  private final int auditMaxLength;
  private final FleetRule rule;
  private final ClientResources clientResources;
  private final LimpClock clock;
  private final boolean registerMBean;

  private FleetConfig(Builder b) {
    this.fleet = b.fleet;
    this.redisUri = b.redisUri;
    this.instanceId = b.instanceId;
    this.heartbeatInterval = b.heartbeatInterval;
    this.memberTtl = b.memberTtl;
    this.resyncInterval = b.resyncInterval;
    this.commandTimeout = b.commandTimeout;
    this.auditMaxLength = b.auditMaxLength;
    this.rule = b.rule;
    this.registerMBean = b.registerMBean;
    this.clientResources = b.clientResources;
    this.clock = b.clock;
  }

  /**
   * Starts a configuration for the fleet of that name on that Redis.
   *
   * @throws IllegalArgumentException unless the fleet name is 1 to 64 letters, digits, '.', '_' or '-'
   */
  public static Builder builder(String fleet, RedisURI redisUri) {
    return new Builder(fleet, redisUri);
  }

  /** The fleet's name: every key is {@code limp:<fleet>:…}. */
  public String fleet() {
    return fleet;
  }

  public RedisURI redisUri() {
    return redisUri;
  }

  /** The instance's id in the fleet, if set; otherwise it is {@code <limp name>@<host>-<pid>}. */
  public Optional<String> instanceId() {
    return Optional.ofNullable(instanceId);
  }

  public Duration heartbeatInterval() {
    return heartbeatInterval;
  }

  public Duration memberTtl() {
    return memberTtl;
  }

  public Duration resyncInterval() {
    return resyncInterval;
  }

  public Duration commandTimeout() {
    return commandTimeout;
  }

  public int auditMaxLength() {
    return auditMaxLength;
  }

  /** The fleet rule, if this instance follows the fleet's level. */
  public Optional<FleetRule> rule() {
    return Optional.ofNullable(rule);
  }

  /** Lettuce resources shared with other clients (not shut down by the fleet), if given. */
  public Optional<ClientResources> clientResources() {
    return Optional.ofNullable(clientResources);
  }

  /** Whether {@link LimpFleet#join} registers the fleet view's MXBean with the platform MBeanServer. */
  public boolean registerMBean() {
    return registerMBean;
  }

  public LimpClock clock() {
    return clock;
  }

  @Override
  public String toString() {
    // the URI's password stays out: RedisURI.toString() masks it
    return "FleetConfig[fleet=" + fleet + ", redis=" + redisUri + ", instance=" + instanceId + ", heartbeat="
        + heartbeatInterval + ", memberTtl=" + memberTtl + ", resync=" + resyncInterval + ", timeout="
        + commandTimeout + ", auditMaxLength=" + auditMaxLength + ", rule=" + rule + "]";
  }

  /** Builds a {@link FleetConfig}; each setter validates its value at once. Not thread-safe. */
  public static final class Builder {
    private final String fleet;
    private final RedisURI redisUri;
    private String instanceId;
    private Duration heartbeatInterval = DEFAULT_HEARTBEAT_INTERVAL;
    private Duration memberTtl = DEFAULT_MEMBER_TTL;
    private Duration resyncInterval = DEFAULT_RESYNC_INTERVAL;
    private Duration commandTimeout = DEFAULT_COMMAND_TIMEOUT;
    private int auditMaxLength = DEFAULT_AUDIT_MAX_LENGTH;
    private FleetRule rule;
    private ClientResources clientResources;
    private LimpClock clock = LimpClock.system();
    private boolean registerMBean;

    private Builder(String fleet, RedisURI redisUri) {
      Objects.requireNonNull(fleet, "fleet");
      if (!NAME.matcher(fleet).matches()) {
        throw new IllegalArgumentException("fleet must be 1 to 64 letters, digits, '.', '_' or '-', starting "
            + "with a letter or digit (it is part of every key, limp:<fleet>:…), but was '" + fleet + "'");
      }
      this.fleet = fleet;
      this.redisUri = Objects.requireNonNull(redisUri, "redisUri");
    }

    /**
     * The instance's id in the fleet: in the fleet view, the audit and the actor of overrides it sends.
     * Default {@code <limp name>@<host>-<pid>}.
     *
     * @throws IllegalArgumentException unless 1 to 128 letters, digits, '.', '_', '@', ':' or '-'
     */
    public Builder instanceId(String instanceId) {
      Objects.requireNonNull(instanceId, "instanceId");
      if (!INSTANCE.matcher(instanceId).matches()) {
        throw new IllegalArgumentException("instanceId must be 1 to 128 letters, digits, '.', '_', '@', ':' or "
            + "'-', starting with a letter or digit, but was '" + instanceId + "'");
      }
      this.instanceId = instanceId;
      return this;
    }

    /**
     * How often the instance writes its heartbeat (level, features, signals) and checks its link to Redis.
     *
     * @throws IllegalArgumentException unless between 100 ms and 1 minute
     */
    public Builder heartbeatInterval(Duration heartbeatInterval) {
      this.heartbeatInterval = Checks.within("heartbeatInterval", heartbeatInterval, Duration.ofMillis(100),
          Duration.ofMinutes(1));
      return this;
    }

    /**
     * How long a heartbeat lives: an instance that stopped drops out of the fleet view after this.
     * {@link #build()} checks that it is at least twice the heartbeat interval.
     *
     * @throws IllegalArgumentException unless between 200 ms and 10 minutes
     */
    public Builder memberTtl(Duration memberTtl) {
      this.memberTtl = Checks.within("memberTtl", memberTtl, Duration.ofMillis(200), Duration.ofMinutes(10));
      return this;
    }

    /**
     * How often the instance compares its overrides with the fleet's in full (besides at every reconnection),
     * to pick up a change whose message it missed.
     *
     * @throws IllegalArgumentException unless between 100 ms and 10 minutes
     */
    public Builder resyncInterval(Duration resyncInterval) {
      this.resyncInterval = Checks.within("resyncInterval", resyncInterval, Duration.ofMillis(100),
          Duration.ofMinutes(10));
      return this;
    }

    /**
     * How long a Redis command may take, and a connection attempt: an operator's fleet command that gets no
     * answer within this is refused.
     *
     * @throws IllegalArgumentException unless between 50 ms and 1 minute
     */
    public Builder commandTimeout(Duration commandTimeout) {
      this.commandTimeout = Checks.within("commandTimeout", commandTimeout, Duration.ofMillis(50),
          Duration.ofMinutes(1));
      return this;
    }

    /**
     * About how many operator actions the audit stream keeps ({@code XADD … MAXLEN ~ n}).
     *
     * @throws IllegalArgumentException unless between 10 and 10 000 000
     */
    public Builder auditMaxLength(int auditMaxLength) {
      if (auditMaxLength < 10 || auditMaxLength > 10_000_000) {
        throw new IllegalArgumentException("auditMaxLength must be between 10 and 10000000, but was "
            + auditMaxLength);
      }
      this.auditMaxLength = auditMaxLength;
      return this;
    }

    /** Follows the fleet's level by this rule (opt-in); see {@link FleetRule}. */
    public Builder rule(FleetRule rule) {
      this.rule = Objects.requireNonNull(rule, "rule");
      return this;
    }

    /**
     * Lettuce resources (event loops, reconnection delay) to share with other clients; the fleet does not
     * shut them down. Without them, each fleet makes small resources of its own that reconnect within a second.
     */
    public Builder clientResources(ClientResources clientResources) {
      this.clientResources = Objects.requireNonNull(clientResources, "clientResources");
      return this;
    }

    /**
     * Registers the fleet view's MXBean, {@code dev.limp:type=LimpFleet,name=<fleet>,instance=<instance>}, with
     * the platform MBeanServer at {@link LimpFleet#join} and unregisters it at {@link LimpFleet#close}.
     * Default {@code false}, as limp's own {@code LimpBuilder.registerMBean} (frameworks register it through
     * their own exporter, with {@link dev.limp.redis.jmx.FleetJmx#mbean}).
     */
    public Builder registerMBean(boolean registerMBean) {
      this.registerMBean = registerMBean;
      return this;
    }

    /** Where time is read; tests pass a clock they drive. */
    public Builder clock(LimpClock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Builds the configuration.
     *
     * @throws IllegalStateException if memberTtl is less than twice heartbeatInterval (one late heartbeat
     *     would make a live instance drop out)
     */
    public FleetConfig build() {
      Checks.notBelow("memberTtl", memberTtl, "twice heartbeatInterval", heartbeatInterval.multipliedBy(2));
      return new FleetConfig(this);
    }
  }
}
