/**
 * The fleet on Redis in a Spring application (needs limp-redis): joining once the context starts, leaving when
 * it stops, and the {@code limpfleet} Actuator endpoint (members and audit). Created by the auto-configuration
 * when {@code limp.fleet.enabled} is true; not API beyond that.
 */
package dev.limp.spring.fleet;
