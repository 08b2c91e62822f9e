package dev.limp.spring.actuate;

import java.util.Map;

/**
 * The fleet's picture that the {@code limp} endpoint serves at {@code /actuator/limp/fleet} when the instance
 * belongs to a fleet (limp-redis, {@code limp.fleet.enabled=true}): a bean of this type is what turns that path
 * from a feature's name into the fleet. Provided by the fleet's auto-configuration; an application has no
 * reason to implement it.
 */
@FunctionalInterface
public interface LimpFleetView {
  /** How many audit entries the view shows unless asked for another number. */
  int DEFAULT_AUDIT = 50;
  /** The most audit entries the view shows. */
  int MAX_AUDIT = 10_000;

  /**
   * The fleet now: its members, its overrides in force and its latest {@code audit} operator actions. Never
   * fails because Redis does not answer: the body says so instead.
   *
   * @param audit how many audit entries, 1 to {@value #MAX_AUDIT}
   */
  Map<String, Object> read(int audit);
}
