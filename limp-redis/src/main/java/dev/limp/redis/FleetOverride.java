package dev.limp.redis;

import java.time.Instant;

/**
 * One operator override in force in the whole fleet, as Redis holds it: every live instance applies it until
 * {@code expiresAt} (the fleet's time).
 *
 * @param kind {@code FORCE_LEVEL}, {@code SHED}, {@code SHED_TOP_TIER} or {@code PIN}
 * @param target the forced level's or the feature's name
 * @param actor who asked
 * @param origin the instance (or command-line tool) it was issued on
 * @param reason why
 * @param createdAt when Redis stored it
 * @param expiresAt when it ends, for the whole fleet
 */
public record FleetOverride(String kind, String target, String actor, String origin, String reason,
    Instant createdAt, Instant expiresAt) {

  @Override
  public String toString() {
    return kind + " " + target + " by " + actor + " on " + origin + " until " + expiresAt + " (" + reason + ")";
  }
}
