/**
 * The fleet view over JMX: {@link dev.limp.redis.jmx.LimpFleetMXBean}, registered as
 * {@code dev.limp:type=LimpFleet,name=<fleet>,instance=<instance>} by {@link dev.limp.redis.jmx.FleetJmx}.
 * Read-only and open types only; operator actions stay on the instance's own {@code dev.limp:type=Limp} MXBean,
 * which acts on the whole fleet.
 */
package dev.limp.redis.jmx;
