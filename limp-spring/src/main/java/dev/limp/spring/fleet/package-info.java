/**
 * The fleet on Redis in a Spring application (needs limp-redis): joining once the context starts, leaving when
 * it stops, the body of {@code /actuator/limp/fleet} (members, overrides in force, audit) and the fleet view's
 * MXBean. Created by the auto-configuration when {@code limp.fleet.enabled} is true; not API beyond that.
 */
package dev.limp.spring.fleet;
