package dev.limp;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * An operator's decision that wins over the governor until it expires or is released: a forced level, a
 * shed feature, or a feature pinned on. Every override has an expiry, a reason and an actor.
 * Immutable and thread-safe.
 */
public final class OperatorOverride {
  /** What an override does. */
  public enum Kind {
    /** The effective level is {@link #target()} (a {@link Level} name), whatever the signals say. */
    FORCE_LEVEL,
    /** The feature {@link #target()} is shed. */
    SHED_FEATURE,
    /** The feature {@link #target()} is never shed by the governor or by a forced level. */
    PIN_FEATURE
  }

  private final Kind kind;
  private final String target;
  private final String reason;
  private final String actor;
  private final Instant createdAt;
  private final Instant expiresAt;
  /** The forced level, parsed once; {@code null} unless {@link Kind#FORCE_LEVEL}. */
  private final Level level;

  /**
   * Made by limp's operator switch; applications receive overrides, they do not make them.
   *
   * @throws IllegalArgumentException if {@code kind} is {@link Kind#FORCE_LEVEL} and {@code target} is not a
   *     {@link Level} name
   */
  public OperatorOverride(Kind kind, String target, String reason, String actor, Instant createdAt,
      Instant expiresAt) {
    this.kind = Objects.requireNonNull(kind, "kind");
    this.target = Objects.requireNonNull(target, "target");
    this.reason = Objects.requireNonNull(reason, "reason");
    this.actor = Objects.requireNonNull(actor, "actor");
    this.createdAt = Objects.requireNonNull(createdAt, "createdAt");
    this.expiresAt = Objects.requireNonNull(expiresAt, "expiresAt");
    this.level = kind == Kind.FORCE_LEVEL ? Level.parse(target) : null;
  }

  public Kind kind() {
    return kind;
  }

  /** The level name for {@link Kind#FORCE_LEVEL}, otherwise the feature name. */
  public String target() {
    return target;
  }

  /** The level a {@link Kind#FORCE_LEVEL} override forces; empty for the other kinds. */
  public Optional<Level> level() {
    return Optional.ofNullable(level);
  }

  public String reason() {
    return reason;
  }

  /** Who asked: the JMX principal, the name a caller gave, or {@code "unknown"}. */
  public String actor() {
    return actor;
  }

  public Instant createdAt() {
    return createdAt;
  }

  public Instant expiresAt() {
    return expiresAt;
  }

  @Override
  public String toString() {
    return kind + " " + target + " by " + actor + " until " + expiresAt + " (" + reason + ")";
  }
}
