/**
 * Fleets on Redis: the instances of one service share operator overrides (made on any instance, through code,
 * JMX or Actuator, or with {@link dev.limp.redis.cli.FleetCli}), a view of every live instance, an audit
 * stream of every operator action and, opt-in, the {@link dev.limp.redis.FleetRule}. Start with
 * {@link dev.limp.redis.LimpFleet} and {@link dev.limp.redis.FleetConfig}.
 *
 * <p>Keys live under {@code limp:<fleet>:}: {@code overrides} (hash, one field per target, each value carrying
 * the fleet's expiry from Redis {@code TIME}), {@code changes} (pub/sub channel), {@code audit} (stream,
 * bounded), {@code members} and {@code member:<id>} (heartbeats with a TTL), {@code seq} and {@code epoch}.
 * Standalone or Sentinel-managed Redis; the scripts touch keys of one fleet, which is not Cluster-safe.
 */
package dev.limp.redis;
