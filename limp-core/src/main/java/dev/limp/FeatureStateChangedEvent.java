package dev.limp;

import java.time.Instant;

/**
 * A feature was shed, let back in through the ramp, or fully restored; or, in shadow mode, would have been.
 *
 * @param instance the limp instance's name
 * @param feature the feature's name
 * @param tier the feature's tier
 * @param from the state before
 * @param to the state now
 * @param reason why it is shed or ramping; {@code null} when it is fully restored
 * @param shadow {@code true} when nothing changed for callers: in shadow mode, this is what limp would do
 * @param at when it happened
 */
public record FeatureStateChangedEvent(String instance, String feature, Tier tier, FeatureState from,
    FeatureState to, ShedReason reason, boolean shadow, Instant at) {
}
