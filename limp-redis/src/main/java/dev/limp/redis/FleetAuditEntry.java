package dev.limp.redis;

import java.time.Instant;
import java.util.Optional;

/**
 * One operator action as the fleet's audit stream keeps it.
 *
 * @param id the stream entry's id
 * @param at when Redis stored it
 * @param action {@code FORCE_LEVEL}, {@code SHED}, {@code SHED_TOP_TIER}, {@code PIN}, {@code RELEASE} or
 *     {@code RELEASE_ALL}
 * @param target the level or feature ({@code *} for every override)
 * @param actor who asked
 * @param origin the instance (or command-line tool) it was issued on
 * @param reason why, for an override; empty for a release
 * @param expiresAt when the override ends, for the whole fleet; {@code null} for a release
 */
public record FleetAuditEntry(String id, Instant at, String action, String target, String actor,
    String origin, String reason, Instant expiresAt) {

  /** When the override ends, for an override. */
  public Optional<Instant> expiry() {
    return Optional.ofNullable(expiresAt);
  }

  @Override
  public String toString() {
    return at + " " + action + " " + target + " by " + actor + " on " + origin
        + (expiresAt == null ? "" : " until " + expiresAt) + (reason.isEmpty() ? "" : " (" + reason + ")");
  }
}
