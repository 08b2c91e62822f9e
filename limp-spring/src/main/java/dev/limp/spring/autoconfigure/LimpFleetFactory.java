package dev.limp.spring.autoconfigure;

import dev.limp.Level;
import dev.limp.spring.LimpConfigurationException;
import dev.limp.redis.FleetConfig;
import dev.limp.redis.FleetRule;
import io.lettuce.core.RedisURI;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * Applies the {@code limp.fleet.*} properties to limp-redis's {@link FleetConfig}, turning each refusal into a
 * {@link LimpConfigurationException} that names the property, the value and what is allowed; finds the Redis in
 * {@code limp.fleet.redis-uri} or, without it, in the application's {@code spring.data.redis.*} settings.
 * Loaded only when limp-redis is on the class path. Stateless.
 */
final class LimpFleetFactory {
  private static final String SPRING_REDIS = "spring.data.redis";

  private LimpFleetFactory() {
  }

  /** The configuration of the {@code limp.fleet.*} properties, for the limp instance named {@code limpName}. */
  static FleetConfig config(LimpFleetProperties p, String limpName, Environment environment) {
    String fleet = p.getName() != null ? p.getName() : limpName;
    RedisURI uri = redisUri(p, environment);
    FleetConfig.Builder b = apply(p.getName() != null ? "limp.fleet.name" : "limp.name", fleet,
        name -> FleetConfig.builder(name, uri), "use 1 to 64 letters, digits, '.', '_' or '-'");
    if (p.getInstance() != null) {
      set("limp.fleet.instance", p.getInstance(), b::instanceId,
          "use 1 to 128 letters, digits, '.', '_', '@', ':' or '-', or leave it out for <limp name>@<host>-<pid>");
    }
    set("limp.fleet.heartbeat-interval", p.getHeartbeatInterval(), b::heartbeatInterval,
        "use a duration between 100ms and 1m");
    set("limp.fleet.member-ttl", p.getMemberTtl(), b::memberTtl, "use a duration between 200ms and 10m");
    set("limp.fleet.resync-interval", p.getResyncInterval(), b::resyncInterval,
        "use a duration between 100ms and 10m");
    set("limp.fleet.command-timeout", p.getCommandTimeout(), b::commandTimeout,
        "use a duration between 50ms and 1m");
    set("limp.fleet.audit-max-length", p.getAuditMaxLength(), b::auditMaxLength,
        "use a number between 10 and 10000000");
    FleetRule rule = rule(p.getRule());
    if (rule != null) {
      b.rule(rule);
    }
    return apply("limp.fleet.member-ttl", p.getMemberTtl() + " with limp.fleet.heartbeat-interval "
        + p.getHeartbeatInterval(), ignored -> b.build(), "make limp.fleet.member-ttl at least twice "
        + "limp.fleet.heartbeat-interval, or one late heartbeat drops a live instance out of the view");
  }

  /** The fleet rule of {@code limp.fleet.rule.*}, or {@code null} when none is asked for. */
  static @Nullable FleetRule rule(LimpFleetProperties.Rule r) {
    if (r.getAtLeast() != null && r.getShare() != null) {
      throw new LimpConfigurationException("limp.fleet.rule.share", r.getShare(), "the rule counts instances "
          + "(limp.fleet.rule.at-least = " + r.getAtLeast() + ") or a share of them, not both",
          "Remove limp.fleet.rule.at-least or limp.fleet.rule.share.", null);
    }
    FleetRule rule;
    if (r.getAtLeast() != null) {
      rule = apply("limp.fleet.rule.at-least", r.getAtLeast(), FleetRule::atLeast,
          "use at least 1 (other instances than this one)");
    } else if (r.getShare() != null) {
      rule = apply("limp.fleet.rule.share", r.getShare(), FleetRule::atLeastShare,
          "use a fraction above 0, at most 1, such as 0.5");
    } else {
      return null;
    }
    Level from = r.getFromLevel();
    return apply("limp.fleet.rule.from-level", from, rule::fromLevel,
        "use SHED_SHEDDABLE, SHED_SHEDDABLE_PLUS or SHED_CRITICAL");
  }

  /**
   * {@code limp.fleet.redis-uri}; or the application's {@code spring.data.redis.url}; or its host, port,
   * username, password, database, ssl.enabled and timeout, or sentinel.master and sentinel.nodes.
   */
  static RedisURI redisUri(LimpFleetProperties p, Environment environment) {
    if (p.getRedisUri() != null) {
      return apply("limp.fleet.redis-uri", p.getRedisUri(), RedisURI::create,
          "use a Lettuce URI such as redis://user:password@host:6379/0 (rediss:// for TLS)");
    }
    Binder binder = Binder.get(environment);
    String url = binder.bind(SPRING_REDIS + ".url", String.class).orElse(null);
    if (url != null) {
      return apply(SPRING_REDIS + ".url", url, RedisURI::create, "use a URI such as redis://host:6379");
    }
    String host = binder.bind(SPRING_REDIS + ".host", String.class).orElse(null);
    Integer port = binder.bind(SPRING_REDIS + ".port", Integer.class).orElse(null);
    String master = binder.bind(SPRING_REDIS + ".sentinel.master", String.class).orElse(null);
    if (host == null && port == null && master == null) {
      throw new LimpConfigurationException("limp.fleet.redis-uri", null, "limp.fleet.enabled is true but no "
          + "Redis is given: neither limp.fleet.redis-uri nor the application's spring.data.redis.* settings",
          "Set limp.fleet.redis-uri (redis://host:6379), or spring.data.redis.host and port.", null);
    }
    RedisURI.Builder b;
    if (master != null) {
      List<String> nodes = binder.bind(SPRING_REDIS + ".sentinel.nodes", Bindable.listOf(String.class))
          .orElse(List.of());
      if (nodes.isEmpty()) {
        throw new LimpConfigurationException(SPRING_REDIS + ".sentinel.nodes", null, "sentinel.master is set "
            + "but no sentinel node is", "Set spring.data.redis.sentinel.nodes (host:26379,…), or "
            + "limp.fleet.redis-uri.", null);
      }
      b = RedisURI.builder();
      for (String node : nodes) {
        int colon = node.lastIndexOf(':');
        if (colon < 0) {
          b.withSentinel(node.trim());
        } else {
          int sentinelPort = apply(SPRING_REDIS + ".sentinel.nodes", node,
              n -> Integer.parseInt(n.substring(colon + 1).trim()), "list host:port pairs");
          b.withSentinel(node.substring(0, colon).trim(), sentinelPort);
        }
      }
      b.withSentinelMasterId(master);
    } else {
      b = RedisURI.builder().withHost(host != null ? host : "localhost").withPort(port != null ? port : 6379);
    }
    String username = binder.bind(SPRING_REDIS + ".username", String.class).orElse(null);
    String password = binder.bind(SPRING_REDIS + ".password", String.class).orElse(null);
    if (password != null) {
      if (username != null) {
        b.withAuthentication(username, password.toCharArray());
      } else {
        b.withPassword(password.toCharArray());
      }
    }
    binder.bind(SPRING_REDIS + ".database", Integer.class).ifBound(b::withDatabase);
    binder.bind(SPRING_REDIS + ".ssl.enabled", Boolean.class).ifBound(b::withSsl);
    binder.bind(SPRING_REDIS + ".timeout", Duration.class).ifBound(b::withTimeout);
    return b.build();
  }

  private static <T, R> R apply(String property, T value, Function<T, R> call, String allowed) {
    try {
      return call.apply(value);
    } catch (IllegalArgumentException | IllegalStateException | NullPointerException e) {
      throw new LimpConfigurationException(property, value, e.getMessage(), "Update '" + property + "' in your "
          + "application's configuration: " + allowed + ".", e);
    }
  }

  private static <T> void set(String property, T value, Consumer<T> call, String allowed) {
    apply(property, value, v -> {
      call.accept(v);
      return null;
    }, allowed);
  }
}
