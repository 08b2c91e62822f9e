package dev.limp;

import java.time.Instant;

/**
 * An operator override was applied, released, or expired.
 *
 * @param instance the limp instance's name
 * @param override the override
 * @param action what happened to it
 * @param actor who applied or released it ({@code "limp"} for expiry)
 * @param at when it happened
 */
public record OverrideChangedEvent(String instance, OperatorOverride override, Action action, String actor,
    Instant at) {

  /** What happened to an override. */
  public enum Action {
    APPLIED,
    /** Replaced by a newer override of the same target. */
    REPLACED,
    RELEASED,
    EXPIRED
  }
}
