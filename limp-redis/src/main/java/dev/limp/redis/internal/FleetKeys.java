package dev.limp.redis.internal;

/**
 * The names of one fleet's keys, all under {@code limp:<fleet>:}. Immutable.
 *
 * @param fleet the fleet's name
 */
public record FleetKeys(String fleet) {
  /** Every key of the fleet starts with this. */
  public String prefix() {
    return "limp:" + fleet + ":";
  }

  /** Hash: the overrides in force, one field per target ({@code level}, {@code feature:<name>}). */
  public String overrides() {
    return prefix() + "overrides";
  }

  /** Counter: the sequence number of every change. */
  public String seq() {
    return prefix() + "seq";
  }

  /** String: changes when Redis lost the fleet's data (a restart without persistence). */
  public String epoch() {
    return prefix() + "epoch";
  }

  /** Stream: every operator action, bounded. */
  public String audit() {
    return prefix() + "audit";
  }

  /** Pub/sub channel: every change of the overrides. */
  public String changes() {
    return prefix() + "changes";
  }

  /** Sorted set: the members' ids by the Redis time of their latest heartbeat. */
  public String members() {
    return prefix() + "members";
  }

  /** Hash with a TTL: one member's latest heartbeat. */
  public String member(String instance) {
    return memberPrefix() + instance;
  }

  public String memberPrefix() {
    return prefix() + "member:";
  }
}
