package dev.limp.redis;

import dev.limp.Limp;
import dev.limp.Overrides;
import dev.limp.redis.internal.RedisFleet;
import java.util.List;

/**
 * One limp instance's membership of its fleet on Redis: operator overrides that reach every live instance,
 * a view of the whole fleet, an audit of every operator action, and (opt-in) the fleet rule.
 *
 * <pre>{@code
 * LimpFleet fleet = LimpFleet.create(FleetConfig.builder("chat", RedisURI.create("redis://redis:6379")).build());
 * Limp limp = Limp.builder()
 *     .name("chat")
 *     .feature("notifications", Tier.SHEDDABLE_PLUS)
 *     .overridesDecorator(fleet::overrides)   // limp.overrides(), JMX and Actuator now act on the fleet
 *     .build();
 * fleet.join(limp);                          // picks up the overrides in force, starts the heartbeat
 * ...
 * fleet.close();                             // before limp.close()
 * }</pre>
 *
 * <p><b>What happens when Redis is down.</b> The instance keeps deciding alone; overrides in force expire on
 * time (their expiry is the engine's); guards never touch Redis. A fleet command is refused with a
 * {@link FleetUnavailableException}: it is never made on one instance only. When Redis answers again, the
 * instance re-syncs within a few seconds (at most heartbeat interval + one second of reconnection delay + one
 * re-sync); if Redis lost its data, the instances put back the overrides they still hold.
 *
 * <p><b>JMX.</b> With {@link FleetConfig.Builder#registerMBean(boolean) registerMBean(true)}, {@link #join}
 * registers the read-only fleet view {@code dev.limp:type=LimpFleet,name=<fleet>,instance=<instance>} with the
 * platform MBeanServer (see {@link dev.limp.redis.jmx.FleetJmx}); operator actions stay on the instance's own
 * MXBean, which acts on the whole fleet.
 *
 * <p>Thread-safe.
 */
public interface LimpFleet extends AutoCloseable {

  /** Makes a fleet membership; nothing connects before {@link #join}. */
  static LimpFleet create(FleetConfig config) {
    return new RedisFleet(config);
  }

  /**
   * The front end for {@link dev.limp.LimpBuilder#overridesDecorator}: each command is stored for the whole
   * fleet (with one expiry from Redis's clock), then applied to this instance through {@code own}; a command
   * that cannot be stored is refused with a {@link FleetUnavailableException} and changes nothing.
   *
   * @throws IllegalStateException if called twice
   */
  Overrides overrides(Overrides own);

  /**
   * Joins the fleet with the instance built with {@code overridesDecorator(this::overrides)}: connects,
   * applies the overrides in force (waiting for that at most the command timeout), then keeps the instance's
   * heartbeat and overrides in step with the fleet on the thread {@code limp-fleet-<instance>}. When Redis
   * cannot be reached the instance starts alone, and joins when it can.
   *
   * @throws IllegalStateException if the instance was not built with this fleet's overrides, or already joined,
   *     or (with {@code registerMBean(true)}) an MBean of the fleet view's name is already registered; the
   *     membership is closed then
   */
  void join(Limp limp);

  /** The fleet's name (its keys are {@code limp:<fleet>:…}). */
  String fleet();

  /** This instance's id in the fleet. Known after {@link #join}. */
  String instance();

  /** Whether the link to Redis works now (as of the latest command or heartbeat). */
  boolean isConnected();

  /**
   * The live instances, by id, from their heartbeats; a stopped instance drops out within the member TTL.
   *
   * @throws FleetUnavailableException if Redis does not answer
   */
  List<FleetMember> members();

  /**
   * The fleet's overrides in force, as Redis holds them (an instance that could not apply one, such as one
   * that does not know the feature, still shows it here). Ordered by kind, then target.
   *
   * @throws FleetUnavailableException if Redis does not answer
   */
  List<FleetOverride> overridesInForce();

  /**
   * The latest operator actions of the whole fleet, newest first.
   *
   * @throws IllegalArgumentException unless {@code count} is between 1 and 10 000
   * @throws FleetUnavailableException if Redis does not answer
   */
  List<FleetAuditEntry> audit(int count);

  /**
   * Leaves the fleet: unregisters its MXBean (if {@link FleetConfig.Builder#registerMBean} registered one),
   * stops the heartbeat (the instance drops out of the view at once), closes the connections. The overrides in force stay in force on this instance until they expire. Idempotent.
   */
  @Override
  void close();
}
